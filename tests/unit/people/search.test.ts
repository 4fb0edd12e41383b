import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../../shared/domain/idNumber';
import { write } from '../../../main/core/services/unitOfWork';
import { applyChange, COUNTY_ACTOR } from '../../../main/core/sync/county';
import { person, stationWithClerk, unwrap, useCores } from './helpers';

const newCore = useCores();

async function seeded() {
  const core = newCore();
  const { clerk } = await stationWithClerk(core);
  const people = [
    ['张三丰', '1968-04-12', 11],
    ['张三', '1980-01-01', 13],
    ['张珊', '1990-06-06', 24],
    ['曾国藩', '1955-11-26', 35],
    ['单雄信', '1962-03-03', 47],
    ['欧阳修', '1977-07-07', 59],
    ['李四', '1985-08-08', 61],
  ] as const;
  const ids: Record<string, string> = {};
  for (const [name, birth, seq] of people) {
    ids[name] = (await unwrap(clerk.call('people.savePerson', person(name, birth, seq)))).id;
  }
  await unwrap(
    clerk.call('people.saveHousehold', {
      headId: ids['李四']!,
      hukou: 'rural',
      village: '红星村',
      address: '红星村五组',
      members: [{ personId: ids['李四']!, relation: 'self' }],
      incomeItems: [],
      assets: { depositsFen: 0, vehicles: [], housing: [] },
    }),
  );
  return { core, clerk, ids };
}

const names = (r: { items: { name: string }[] }) => r.items.map((i) => i.name);

describe('people.search', () => {
  it('finds by name prefix, initials, full pinyin and polyphonic surname readings', async () => {
    const { clerk } = await seeded();
    const q = async (query: string, village?: string) => unwrap(clerk.call('people.search', { query, village }));
    expect(names(await q('张三'))).toEqual(['张三', '张三丰']);
    expect(await q('zsf')).toMatchObject({ mode: 'pinyin', total: 1, items: [{ name: '张三丰' }] });
    expect(names(await q('zhangsan'))).toEqual(['张三', '张三丰']);
    expect(names(await q('zhangshan'))).toEqual(['张珊']);
    expect(names(await q('ZhangSanFeng'))).toEqual(['张三丰']);
    expect(names(await q('zs'))).toEqual(['张三', '张珊', '张三丰']);
    expect(names(await q('zgf'))).toEqual(['曾国藩']);
    expect(names(await q('cgf'))).toEqual(['曾国藩']);
    expect(names(await q('shanxiongxin'))).toEqual(['单雄信']);
    expect(names(await q('danxiong'))).toEqual(['单雄信']);
    expect(names(await q('oyx'))).toEqual(['欧阳修']);
    expect(await q('王')).toMatchObject({ total: 0, items: [] });
  });

  it('finds by any run of at least 4 digits of the ID number and by the full number', async () => {
    const { clerk } = await seeded();
    const full = makeIdNumber('430102', '1968-04-12', 11);
    const fragment = full.slice(8, 14); // month, day and part of the year
    const r = await unwrap(clerk.call('people.search', { query: fragment }));
    expect(r.mode).toBe('idFragment');
    expect(names(r)).toContain('张三丰');
    expect(names(await unwrap(clerk.call('people.search', { query: full.slice(-4) })))).toContain('张三丰');
    expect(names(await unwrap(clerk.call('people.search', { query: full })))).toEqual(['张三丰']);
    expect(await clerk.call('people.search', { query: '123' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await unwrap(clerk.call('people.search', { query: '99999' }))).toMatchObject({ total: 0 });
  });

  it('finds by village, alone or as a filter, and lists only masked ID numbers', async () => {
    const { clerk } = await seeded();
    const byVillage = await unwrap(clerk.call('people.search', { query: '红星村' }));
    expect(byVillage).toMatchObject({
      mode: 'village',
      items: [{ name: '李四', village: '红星村', relation: 'self' }],
    });
    expect(names(await unwrap(clerk.call('people.search', { query: '', village: '红星村' })))).toEqual(['李四']);
    expect(names(await unwrap(clerk.call('people.search', { query: 'ls', village: '红星村' })))).toEqual(['李四']);
    expect(names(await unwrap(clerk.call('people.search', { query: 'zs', village: '红星村' })))).toEqual([]);
    const all = await unwrap(clerk.call('people.search', { query: '' }));
    expect(all.total).toBe(7);
    const text = JSON.stringify(all);
    expect(text).not.toMatch(/\d{18}|\d{17}X/);
    expect(await unwrap(clerk.call('people.villages', {}))).toEqual([{ village: '红星村', households: 1, official: false }]);
  });

  it('offers the county village list (SP-33) first, and keeps villages the station used that the list lacks', async () => {
    const { core, clerk } = await seeded();
    write(core.db, COUNTY_ACTOR, (tx) =>
      applyChange(tx, {
        table: 'village_list',
        op: 'upsert',
        key: '城关镇',
        data: { township: '城关镇', villages: [{ code: 'V1', name: '石桥村', areaClass: 'rural' }, { code: 'V2', name: '红星村', areaClass: 'rural' }] },
      }),
    );
    expect(await unwrap(clerk.call('people.villages', {}))).toEqual([
      { village: '石桥村', households: 0, official: true },
      { village: '红星村', households: 1, official: true },
    ]);
    write(core.db, COUNTY_ACTOR, (tx) =>
      applyChange(tx, { table: 'village_list', op: 'upsert', key: '城关镇', data: { township: '城关镇', villages: [{ code: 'V1', name: '石桥村', areaClass: 'rural' }] } }),
    );
    expect(await unwrap(clerk.call('people.villages', {}))).toEqual([
      { village: '石桥村', households: 0, official: true },
      { village: '红星村', households: 1, official: false },
    ]);
  });

  it('pages results', async () => {
    const { clerk } = await seeded();
    const p1 = await unwrap(clerk.call('people.search', { query: '', page: 1, pageSize: 3 }));
    const p3 = await unwrap(clerk.call('people.search', { query: '', page: 3, pageSize: 3 }));
    expect(p1.items).toHaveLength(3);
    expect(p3.items).toHaveLength(1);
    expect(p1.total).toBe(7);
    expect(new Set([...names(p1), ...names(p3)]).size).toBe(4);
  });

  it('keeps the search keys current when a name or ID number is corrected', async () => {
    const { clerk, ids } = await seeded();
    const before = await unwrap(clerk.call('people.getPerson', { id: ids['李四']! }));
    const newId = makeIdNumber('430102', '1985-08-08', 63);
    await unwrap(
      clerk.call('people.savePerson', {
        ...person('黎四', '1985-08-08', 63),
        id: before.id,
        version: before.version,
        idNumber: newId,
      }),
    );
    expect(names(await unwrap(clerk.call('people.search', { query: 'ls' })))).toEqual(['黎四']);
    expect(names(await unwrap(clerk.call('people.search', { query: '李四' })))).toEqual([]);
    expect(names(await unwrap(clerk.call('people.search', { query: newId.slice(-6) })))).toEqual(['黎四']);
    expect(names(await unwrap(clerk.call('people.search', { query: before.idNumber.slice(-6) })))).not.toContain(
      '黎四',
    );
  });
});
