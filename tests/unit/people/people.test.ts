import { describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../../shared/domain/idNumber';
import type { HouseholdInput } from '../../../shared/schemas/people';
import { verifyAuditChain } from '../../../main/core/services/audit';
import { readOutbox } from '../../../main/core/services/outbox';
import { parseMutation } from '../../../shared/sync/mutations';
import type { TestClient } from '../../support/stationCore';
import { counts, person, stationWithClerk, unwrap, useCores } from './helpers';

const newCore = useCores();

async function registerFamily(clerk: TestClient) {
  const head = await unwrap(
    clerk.call('people.savePerson', person('张三丰', '1968-04-12', 11, { phone: '13800001111' })),
  );
  const wife = await unwrap(clerk.call('people.savePerson', person('李秀英', '1970-09-01', 22)));
  const son = await unwrap(
    clerk.call(
      'people.savePerson',
      person('张小明', '1995-02-03', 31, { disabilityCategory: 'physical', disabilityGrade: 2, workAbility: 'none' }),
    ),
  );
  const mother = await unwrap(
    clerk.call('people.savePerson', person('王桂兰', '1942-12-30', 42, { health: 'chronic' })),
  );
  const household: HouseholdInput = {
    headId: head.id,
    hukou: 'rural',
    village: '红星村',
    address: '红星村三组 12 号',
    members: [
      { personId: head.id, relation: 'self' },
      { personId: wife.id, relation: 'spouse' },
      { personId: son.id, relation: 'child' },
      { personId: mother.id, relation: 'parent' },
    ],
    incomeItems: [
      { kind: 'farming', monthlyFen: 80_000 },
      { kind: 'pension', personId: mother.id, monthlyFen: 16_000 },
    ],
    assets: {
      depositsFen: 300_000,
      vehicles: [{ description: '三轮摩托车', valueFen: 200_000 }],
      housing: [{ description: '自建砖木房', areaSqm: 90 }],
    },
  };
  const saved = await unwrap(clerk.call('people.saveHousehold', household));
  return { head, wife, son, mother, household, saved };
}

describe('persons', () => {
  it('derives birth date, sex and age from the ID number; lists mask it; the detail view shows it and is audited', async () => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    const p = await unwrap(
      clerk.call(
        'people.savePerson',
        person('李秀英', '1970-09-01', 22, { idNumber: makeIdNumber('430102', '1970-09-01', 22).toLowerCase() }),
      ),
    );
    expect(p).toMatchObject({
      birthDate: '1970-09-01',
      sex: 'female',
      name: '李秀英',
      hukou: 'rural',
      householdId: null,
    });
    expect(p.age).toBeGreaterThanOrEqual(55);
    const search = await unwrap(clerk.call('people.search', { query: '李秀' }));
    expect(search.items).toHaveLength(1);
    expect(search.items[0]!.idNumberMasked).toMatch(/^430102\*{8}\d{3}[\dX]$/);
    expect(JSON.stringify(search)).not.toContain(p.idNumber);
    const viewsBefore = core.db.prepare(`SELECT count(*) n FROM audit_log WHERE action = 'person.view'`).pluck().get();
    const detail = await unwrap(clerk.call('people.getPerson', { id: p.id }));
    expect(detail.idNumber).toBe(makeIdNumber('430102', '1970-09-01', 22));
    const view = core.db
      .prepare(`SELECT actor_name, entity_id FROM audit_log WHERE action = 'person.view' ORDER BY seq DESC`)
      .get();
    expect(view).toEqual({ actor_name: '李受理', entity_id: p.id });
    expect(core.db.prepare(`SELECT count(*) n FROM audit_log WHERE action = 'person.view'`).pluck().get()).toBe(
      Number(viewsBefore) + 1,
    );
  });

  it.each([
    [
      'a wrong check digit',
      { idNumber: makeIdNumber('430102', '1970-09-01', 22).slice(0, 17) + '0' },
      'idNumber',
      '校验位',
    ],
    ['an impossible birth date', { idNumber: '43010219700231221X' }, 'idNumber', '出生日期'],
    ['a Latin name', { name: 'Zhang San' }, 'name', '汉字'],
    ['a grade without a category', { disabilityGrade: 2 }, 'disabilityCategory', '残疾类别'],
    ['a category without a grade', { disabilityCategory: 'vision' }, 'disabilityGrade', '残疾等级'],
    ['a grade 5', { disabilityCategory: 'vision', disabilityGrade: 5 }, 'disabilityGrade', '一至四级'],
    ['a bad phone', { phone: '12345' }, 'phone', '联系电话'],
    ['no work ability', { workAbility: undefined }, 'workAbility', '劳动能力'],
  ])('refuses %s with INVALID_INPUT on the right field and writes nothing', async (_label, change, path, text) => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    const before = counts(core);
    const r = await clerk.raw('people.savePerson', { ...person('张三', '1980-01-01', 1), ...change });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    const details = (r as unknown as { details: { path: string; message: string }[] }).details;
    expect(details.find((d) => d.path === path)?.message).toContain(text);
    expect(counts(core)).toEqual(before);
  });

  it('refuses the same ID number twice, naming the existing person, and writes nothing', async () => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    const first = await unwrap(clerk.call('people.savePerson', person('张三', '1980-01-01', 1)));
    const before = counts(core);
    // Typed differently (full-width digits, spaces) but the same number.
    const typed = first.idNumber
      .replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))
      .replace(/(.{6})/, '$1 ');
    const r = await clerk.call('people.savePerson', person('张叁', '1980-01-01', 1, { idNumber: typed }));
    expect(r).toMatchObject({ ok: false, code: 'DUPLICATE', details: { existingPersonId: first.id } });
    expect(r.ok ? '' : r.message).toContain('张三');
    expect(counts(core)).toEqual(before);
    const found = await unwrap(clerk.call('people.findByIdNumber', { idNumber: typed }));
    expect(found?.id).toBe(first.id);
    expect(
      await unwrap(clerk.call('people.findByIdNumber', { idNumber: makeIdNumber('430102', '1980-01-01', 3) })),
    ).toBeNull();
  });

  it('each save writes the row, one audit entry with before/after and one person.save mutation together', async () => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    const before = counts(core);
    const p = await unwrap(clerk.call('people.savePerson', person('张三', '1980-01-01', 1)));
    expect(counts(core)).toEqual({
      ...before,
      persons: before.persons + 1,
      audit: before.audit + 1,
      outbox: before.outbox + 1,
    });
    const edited = await unwrap(
      clerk.call('people.savePerson', {
        ...person('张三', '1980-01-01', 1, { phone: '13900002222' }),
        id: p.id,
        version: p.version,
      }),
    );
    expect(edited.version).toBe(2);
    const audit = core.db
      .prepare(`SELECT action, changes FROM audit_log WHERE entity = 'person' ORDER BY seq`)
      .all() as { action: string; changes: string }[];
    expect(audit.map((a) => a.action)).toEqual(['person.create', 'person.update']);
    expect(JSON.parse(audit[1]!.changes)).toEqual({ phone: [null, '13900002222'] });
    const outbox = readOutbox(core.db, 0, 10);
    expect(outbox.map((m) => m.name)).toEqual(['person.save', 'person.save']);
    for (const m of outbox) expect(parseMutation(m.id, m.name, m.args).ok).toBe(true);
    expect(outbox[1]!.args).toMatchObject({ id: p.id, data: { phone: '13900002222', version: 2 } });
    // Saving an unchanged form is not an edit.
    const same = counts(core);
    await unwrap(
      clerk.call('people.savePerson', {
        ...person('张三', '1980-01-01', 1, { phone: '13900002222' }),
        id: p.id,
        version: 2,
      }),
    );
    expect(counts(core)).toEqual(same);
    // A stale form is refused.
    const stale = await clerk.call('people.savePerson', {
      ...person('张三', '1980-01-01', 1, { phone: '13900003333' }),
      id: p.id,
      version: 1,
    });
    expect(stale).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(verifyAuditChain(core.db).ok).toBe(true);
  });

  it('rolls back the person row when the outbox write fails in the same transaction', async () => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    core.db.exec(`CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
    const before = counts(core);
    expect(await clerk.call('people.savePerson', person('张三', '1980-01-01', 1))).toMatchObject({
      ok: false,
      code: 'INTERNAL',
    });
    expect(counts(core)).toEqual(before);
  });
});

describe('households', () => {
  it('registers a 4-person rural household with a disabled member and compares per-capita income with the demo standard', async () => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    const before = counts(core);
    const { saved, head, son } = await registerFamily(clerk);
    expect(saved).toMatchObject({ headId: head.id, headName: '张三丰', hukou: 'rural', village: '红星村' });
    expect(saved.members.map((m) => [m.name, m.relation])).toEqual([
      ['张三丰', 'self'],
      ['李秀英', 'spouse'],
      ['张小明', 'child'],
      ['王桂兰', 'parent'],
    ]);
    expect(saved.members.find((m) => m.id === son.id)).toMatchObject({
      disabilityCategory: 'physical',
      disabilityGrade: 2,
    });
    for (const m of saved.members) expect(m.idNumberMasked).toContain('********');
    // (800 + 160) / 4 = 240 yuan per person per month, below the rural demo standard.
    expect(saved.income).toMatchObject({
      monthlyIncomeFen: 96_000,
      memberCount: 4,
      perCapitaFen: 24_000,
      belowStandard: true,
    });
    expect(saved.income.standard).toMatchObject({ kind: 'dibao', areaClass: 'rural', demo: true });
    expect(saved.income.message).toContain('演示数据');
    expect(counts(core)).toEqual({
      persons: before.persons + 4,
      households: 1,
      audit: before.audit + 5,
      outbox: before.outbox + 5,
    });
    const m = readOutbox(core.db, 0, 10).at(-1)!;
    expect(m.name).toBe('household.save');
    expect(parseMutation(m.id, m.name, m.args).ok).toBe(true);
    const personView = await unwrap(clerk.call('people.getPerson', { id: son.id }));
    expect(personView).toMatchObject({ householdId: saved.id, relation: 'child', village: '红星村' });
  });

  it.each([
    [
      'no head among members',
      (h: HouseholdInput) => ({ ...h, members: h.members.filter((m) => m.relation !== 'self') }),
      'members',
      '户主',
    ],
    [
      'a member listed twice',
      (h: HouseholdInput) => ({ ...h, members: [...h.members, h.members[1]!] }),
      'members.2.personId',
      '重复',
    ],
    [
      'a negative income',
      (h: HouseholdInput) => ({ ...h, incomeItems: [{ kind: 'wages', monthlyFen: -5 }] }),
      'incomeItems.0.monthlyFen',
      '负数',
    ],
    [
      'income in fractions of a fen',
      (h: HouseholdInput) => ({ ...h, incomeItems: [{ kind: 'wages', monthlyFen: 10.5 }] }),
      'incomeItems.0.monthlyFen',
      '分',
    ],
    ['no village', (h: HouseholdInput) => ({ ...h, village: '' }), 'village', '村'],
  ])('refuses %s with INVALID_INPUT and writes nothing', async (_label, change, path, text) => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    const head = await unwrap(clerk.call('people.savePerson', person('张三', '1980-01-01', 1)));
    const wife = await unwrap(clerk.call('people.savePerson', person('李四', '1981-01-01', 2)));
    const base: HouseholdInput = {
      headId: head.id,
      hukou: 'rural',
      village: '红星村',
      address: '红星村一组',
      members: [
        { personId: head.id, relation: 'self' },
        { personId: wife.id, relation: 'spouse' },
      ],
      incomeItems: [],
      assets: { depositsFen: 0, vehicles: [], housing: [] },
    };
    const before = counts(core);
    const r = await clerk.raw('people.saveHousehold', change(base));
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    const details = (r as unknown as { details: { path: string; message: string }[] }).details;
    expect(details.find((d) => d.path === path)?.message).toContain(text);
    expect(counts(core)).toEqual(before);
  });

  it('refuses a member who already belongs to another household, and an unregistered member', async () => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    const { wife } = await registerFamily(clerk);
    const other = await unwrap(clerk.call('people.savePerson', person('赵六', '1975-05-05', 51)));
    const before = counts(core);
    const r = await clerk.call('people.saveHousehold', {
      headId: other.id,
      hukou: 'rural',
      village: '红星村',
      address: '红星村二组',
      members: [
        { personId: other.id, relation: 'self' },
        { personId: wife.id, relation: 'spouse' },
      ],
      incomeItems: [],
      assets: { depositsFen: 0, vehicles: [], housing: [] },
    });
    expect(r).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(r.ok ? '' : r.message).toContain('李秀英 已是另一户（户主：张三丰）');
    const missing = await clerk.call('people.saveHousehold', {
      headId: other.id,
      hukou: 'rural',
      village: '红星村',
      address: '红星村二组',
      members: [
        { personId: other.id, relation: 'self' },
        { personId: '01900000-0000-7000-8000-000000000000', relation: 'child' },
      ],
      incomeItems: [],
      assets: { depositsFen: 0, vehicles: [], housing: [] },
    });
    expect(missing).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(counts(core)).toEqual(before);
  });

  it('edits a household (member removed, income changed) with a before/after audit entry; the view is audited', async () => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    const { saved, household, mother } = await registerFamily(clerk);
    const edited = await unwrap(
      clerk.call('people.saveHousehold', {
        ...household,
        id: saved.id,
        version: saved.version,
        members: household.members.filter((m) => m.personId !== mother.id),
        incomeItems: [{ kind: 'farming', monthlyFen: 90_000 }],
      }),
    );
    expect(edited.members).toHaveLength(3);
    expect(edited.income.perCapitaFen).toBe(30_000);
    const audit = core.db.prepare(`SELECT changes FROM audit_log WHERE action = 'household.update'`).get() as {
      changes: string;
    };
    const changes = JSON.parse(audit.changes) as Record<string, unknown>;
    expect(Object.keys(changes).sort()).toEqual(['incomeItems', 'memberCount', 'members', 'monthlyIncomeFen']);
    expect((await unwrap(clerk.call('people.getPerson', { id: mother.id }))).householdId).toBeNull();
    await unwrap(clerk.call('people.getHousehold', { id: saved.id }));
    expect(core.db.prepare(`SELECT count(*) FROM audit_log WHERE action = 'household.view'`).pluck().get()).toBe(1);
  });

  it('checkIncome compares with the urban standard for urban households', async () => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    const r = await unwrap(
      clerk.call('people.checkIncome', {
        hukou: 'urban',
        memberCount: 2,
        incomeItems: [{ kind: 'wages', monthlyFen: 300_000 }],
      }),
    );
    expect(r).toMatchObject({
      perCapitaFen: 150_000,
      belowStandard: false,
      standard: { areaClass: 'urban', demo: true },
    });
    const standards = await unwrap(clerk.call('people.standards', {}));
    expect(standards.every((s) => s.demo)).toBe(true);
  });
});
