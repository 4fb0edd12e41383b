import { expect, it } from 'vitest';
import { applyPush, preparePush } from '../../../server/services/push';
import { authenticate, type SyncPrincipal } from '../../../server/services/stations';
import { describeEachBackend, m, uuid, type TestCounty, type TestStation } from './harness';

// docs/sync-protocol.md SP-29 (one-statement push), on top of SP-22 (exactly once), SP-25 (conflicts), SP-8
// (revocation). applyPush is called directly so that the test can see which path answered (stats.mode); the other
// server tests drive the same code over HTTP.

type Mutation = { id: number; name: string; args: unknown };

async function principal(c: TestCounty, s: TestStation): Promise<SyncPrincipal> {
  const who = await authenticate(c.server.db, s.credential);
  if (!who) throw new Error('station not authenticated');
  return who;
}

describeEachBackend('one-statement push', (county) => {
  it('SP-29: the next batch of new records is applied by one statement, all of it, and L moves once', async () => {
    const c = county();
    const s = await c.station();
    const who = await principal(c, s);
    const [p1, p2, h, k] = [uuid(), uuid(), uuid(), uuid()];
    const batch: Mutation[] = [m.person(1, p1), m.person(2, p2), m.household(3, h), m.caseSave(4, k)];
    const res = await applyPush(c.server.db, who, { mutations: batch, pendingCount: 0 });
    expect(res.stats.mode).toBe('statement');
    expect(res.lastMutationId).toBe(4);
    expect(res.results).toEqual(batch.map((b) => ({ id: b.id, status: 'applied' })));
    const projection = await c.admin('GET', `/admin/stations/${s.stationId}/projection`);
    expect(Object.keys(projection.body.persons).sort()).toEqual([p1, p2].sort());
    expect(projection.body.lastMutationIds[s.clientId]).toBe(4);
    expect((await c.admin('GET', `/admin/cases/${k}`)).body.stationState).toBe('submitted');

    // SP-22: the same batch again is not "next": the batch path answers duplicates and nothing changes.
    const again = await applyPush(c.server.db, who, { mutations: batch });
    expect(again.stats.mode).toBe('batch');
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(again.lastMutationId).toBe(4);
  });

  it('SP-29: the statement text depends only on the kinds of records, never on the batch, so it stays prepared', async () => {
    const c = county();
    const who = await principal(c, await c.station());
    const textOf = (mutations: Mutation[]) => preparePush(who, { mutations, pendingCount: mutations.length }).oneStatement!.sql;
    const persons = (first: number, n: number) => Array.from({ length: n }, (_, i) => m.person(first + i, uuid()));
    const cases = (first: number, n: number) => Array.from({ length: n }, (_, i) => m.caseSave(first + i, uuid()));
    expect(textOf(persons(1, 1))).toBe(textOf(persons(40, 7)));
    expect(textOf([...persons(1, 3), ...cases(4, 2)])).toBe(textOf([...persons(9, 1), ...cases(10, 30)]));
    expect(textOf(cases(1, 2))).not.toBe(textOf(persons(1, 2)));
    // And it is applied as before, whatever the batch's size.
    let next = 1;
    for (const n of [1, 7, 30]) {
      const res = await applyPush(c.server.db, who, { mutations: persons(next, n), pendingCount: 0 });
      expect([res.stats.mode, res.lastMutationId]).toEqual(['statement', next + n - 1]);
      next += n;
    }
  });

  it('SP-29: one record of another station aborts the statement; the batch path answers NOT_OWNER for it alone', async () => {
    const c = county();
    const a = await c.station();
    const b = await c.station();
    const shared = uuid();
    expect((await a.push([m.person(1, shared, { phone: '13800000001' })])).body.lastMutationId).toBe(1);

    const mine = uuid();
    const res = await applyPush(c.server.db, await principal(c, b), { mutations: [m.person(1, mine), m.person(2, shared, { phone: '13900000002' })] });
    expect(res.stats.mode).toBe('batch');
    expect(res.lastMutationId).toBe(2);
    expect(res.results.map((r) => [r.status, r.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'NOT_OWNER'],
    ]);
    // Nothing of the aborted statement stayed: the shared person keeps A's data, B's own person was written once.
    const projA = await c.admin('GET', `/admin/stations/${a.stationId}/projection`);
    expect(projA.body.persons[shared].phone).toBe('13800000001');
    const projB = await c.admin('GET', `/admin/stations/${b.stationId}/projection`);
    expect(Object.keys(projB.body.persons)).toEqual([mine]);
    expect(projB.body.lastMutationIds[b.clientId]).toBe(2);
  });

  it('SP-29/SP-25: a save of a case the county has decided is left to the batch path, which records the conflict', async () => {
    const c = county();
    const s = await c.station();
    const who = await principal(c, s);
    const k = uuid();
    expect((await applyPush(c.server.db, who, { mutations: [m.caseSave(1, k)] })).stats.mode).toBe('statement');
    const decided = await c.admin('POST', `/admin/cases/${k}/decision`, { outcome: 'rejected', reason: '人均收入高于标准', decidedBy: '赵六' });
    expect(decided.status).toBe(200);

    const other = uuid();
    const res = await applyPush(c.server.db, who, {
      mutations: [m.caseSave(2, other), m.caseSave(3, k, { note: '补充材料' }, 0)],
    });
    expect(res.stats.mode).toBe('batch');
    expect(res.results.map((r) => [r.status, r.code])).toEqual([
      ['applied', undefined],
      ['conflict', 'DECIDED_BY_COUNTY'],
    ]);
    const kase = await c.admin('GET', `/admin/cases/${k}`);
    expect(kase.body.data.note).toBeUndefined();
    expect((await c.admin('GET', `/admin/cases/${other}`)).body.stationState).toBe('submitted');
  });

  it('SP-29/SP-8: a credential revoked after it was authenticated changes nothing, whichever path the batch takes', async () => {
    const c = county();
    const s = await c.station();
    const who = await principal(c, s);
    expect((await c.admin('POST', `/admin/stations/${s.stationId}/revoke`)).status).toBe(200);
    for (const batch of [[m.person(1, uuid())], [m.settings(1, '城关镇民政办', s.code)]]) {
      await expect(applyPush(c.server.db, who, { mutations: batch })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    const projection = await c.admin('GET', `/admin/stations/${s.stationId}/projection`);
    expect(Object.keys(projection.body.persons)).toEqual([]);
    expect(projection.body.lastMutationIds[s.clientId] ?? 0).toBe(0);

    // Over HTTP too: the push route remembers credentials for a minute, the transaction still refuses.
    const t = await c.station();
    expect((await t.push([m.person(1, uuid())])).status).toBe(200);
    expect((await c.admin('POST', `/admin/stations/${t.stationId}/revoke`)).status).toBe(200);
    expect((await t.push([m.person(2, uuid())])).status).toBe(401);
    expect((await c.admin('GET', `/admin/stations/${t.stationId}/projection`)).body.lastMutationIds[t.clientId]).toBe(1);
  });

  it('SP-29/SP-22: many copies of one batch racing are applied exactly once', async () => {
    const c = county();
    const s = await c.station();
    const who = await principal(c, s);
    const ids = Array.from({ length: 30 }, () => uuid());
    const batch = ids.map((id, i) => m.person(i + 1, id, { phone: `1380000${String(i).padStart(4, '0')}` }));
    const answers = await Promise.all(Array.from({ length: 6 }, () => applyPush(c.server.db, who, { mutations: batch })));
    const applied = answers.flatMap((a) => a.results).filter((r) => r.status === 'applied');
    expect(applied).toHaveLength(30);
    expect(answers.filter((a) => a.results.every((r) => r.status === 'duplicate'))).toHaveLength(5);
    for (const a of answers) expect(a.lastMutationId).toBe(30);
    const projection = await c.admin('GET', `/admin/stations/${s.stationId}/projection`);
    expect(Object.keys(projection.body.persons)).toHaveLength(30);
  });
});
