import { expect, it } from 'vitest';
import type { Change, PullResponse } from '../../../shared/sync/protocol';
import { compactChangeLog } from '../../../server/services/changeLog';
import { describeEachBackend, m, uuid } from './harness';

// docs/sync-protocol.md SP-30 … SP-37 (pull, cursors, scope, reset, compaction).

const changesOf = (pages: PullResponse[]): Change[] => pages.flatMap((p) => p.changes);

describeEachBackend('pull', (county) => {
  it('SP-31/SP-37: pages follow the cursor without loss or repetition, and an up-to-date cursor returns nothing', async () => {
    const c = county();
    const s = await c.station({ township: `分页镇${uuid().slice(0, 8)}` });
    const villages = Array.from({ length: 3 }, (_, i) => ({ code: `V${i}`, name: `${i}村`, areaClass: 'rural' }));
    await c.admin('PUT', `/admin/townships/${encodeURIComponent(s.township)}/villages`, { villages, updatedBy: '县局' });
    const caseIds = Array.from({ length: 23 }, () => uuid());
    await s.push(caseIds.map((id, i) => m.caseSave(i + 1, id)));
    for (const id of caseIds) {
      const res = await c.admin('POST', `/admin/cases/${id}/economic-checks`, { result: 'pass', findings: '无异常', checkedBy: '核对中心' });
      expect(res.status).toBe(200);
    }

    const pages = await s.pullAll(null, 10);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages[0]!.reset).toBe(true);
    expect(pages.slice(1).every((p) => !p.reset)).toBe(true);
    expect(pages.slice(0, -1).every((p) => p.hasMore && p.changes.length + p.mutationResults.length === 10)).toBe(true);
    const mine = changesOf(pages).filter((ch) => ch.table === 'case_county');
    expect(mine.map((ch) => ch.key).sort()).toEqual([...caseIds].sort());
    expect(changesOf(pages).filter((ch) => ch.table === 'village_list')).toEqual([
      { table: 'village_list', op: 'upsert', key: s.township, data: { township: s.township, villages } },
    ]);
    expect(pages.every((p) => p.lastMutationId === 23)).toBe(true);

    const last = pages.at(-1)!;
    const quiet = await s.pull(last.cursor, 10);
    expect(quiet.body).toMatchObject({ reset: false, hasMore: false, changes: [], cursor: last.cursor });

    // An update moves the case to the end of the feed: the next pull carries exactly it, once, at its latest state.
    await c.admin('POST', `/admin/cases/${caseIds[4]}/decision`, { outcome: 'rejected', reason: '人均收入高于标准', decidedBy: '赵六' });
    const next = await s.pullAll(last.cursor, 10);
    expect(changesOf(next)).toEqual([
      {
        table: 'case_county',
        op: 'upsert',
        key: caseIds[4],
        data: expect.objectContaining({ countyVersion: 2, decision: expect.objectContaining({ outcome: 'rejected', reason: '人均收入高于标准', amountFen: null }) }),
      },
    ]);
  });

  it('SP-33: a station sees its own cases, its township and county-wide data — nothing of other stations', async () => {
    const c = county();
    const a = await c.station({ township: `甲镇${uuid().slice(0, 8)}` });
    const b = await c.station({ township: `乙镇${uuid().slice(0, 8)}` });
    const [caseA, caseB] = [uuid(), uuid()];
    await a.push([m.caseSave(1, caseA)]);
    await b.push([m.caseSave(1, caseB), { id: 2, name: 'oops', args: {} }]);
    await c.admin('POST', `/admin/cases/${caseA}/decision`, { outcome: 'approved', amountFen: 30000, paymentStartMonth: '2025-05', decidedBy: '赵六' });
    await c.admin('POST', `/admin/cases/${caseB}/decision`, { outcome: 'approved', amountFen: 31000, paymentStartMonth: '2025-05', decidedBy: '赵六' });
    await c.admin('PUT', `/admin/townships/${encodeURIComponent(a.township)}/temporary-assistance-limit`, { amountFen: 200000, effectiveFrom: '2025-01-01', updatedBy: '县局' });
    await c.admin('PUT', `/admin/townships/${encodeURIComponent(b.township)}/temporary-assistance-limit`, { amountFen: 150000, effectiveFrom: '2025-01-01', updatedBy: '县局' });
    const standard = await c.admin('PUT', '/admin/standards', { kind: 'dibao', areaClass: 'urban', amountFen: 78000, effectiveFrom: '2025-01-01', updatedBy: '县局' });
    expect(standard.status).toBe(200);

    const seenByA = await a.pullAll(null);
    const changes = changesOf(seenByA);
    const caseKeys = changes.filter((ch) => ch.table === 'case_county').map((ch) => ch.key);
    expect(caseKeys).toEqual([caseA]);
    expect(changes.find((ch) => ch.table === 'case_county')!.data).toMatchObject({ decision: { outcome: 'approved', amountFen: 30000, paymentStartMonth: '2025-05' } });
    expect(changes.filter((ch) => ch.table === 'township_limit').map((ch) => ch.data)).toEqual([
      { township: a.township, amountFen: 200000, effectiveFrom: '2025-01-01' },
    ]);
    expect(changes).toContainEqual({
      table: 'policy_standard',
      op: 'upsert',
      key: 'dibao/urban/2025-01-01',
      data: { kind: 'dibao', areaClass: 'urban', amountFen: 78000, effectiveFrom: '2025-01-01' },
    });
    expect(seenByA.flatMap((p) => p.mutationResults)).toEqual([]);
    expect(changesOf(await b.pullAll(null)).filter((ch) => ch.table === 'case_county').map((ch) => ch.key)).toEqual([caseB]);
  });

  it('SP-34: an unknown, foreign, malformed or future cursor answers reset with the full snapshot', async () => {
    const c = county();
    const s = await c.station();
    const caseId = uuid();
    await s.push([m.caseSave(1, caseId)]);
    await c.admin('POST', `/admin/cases/${caseId}/decision`, { outcome: 'approved', amountFen: 1000, paymentStartMonth: '2025-06', decidedBy: '赵六' });
    const full = changesOf(await s.pullAll(null));
    const good = (await s.pull(null)).body.cursor;
    const [, epoch, seq] = good.split('.');
    const foreign = `c1.${'f'.repeat(32)}.${seq}`;
    const future = `c1.${epoch}.${Number(seq) + 1_000_000}`;
    for (const cursor of ['garbage', foreign, future, 'c1..1', `c0.${epoch}.${seq}`]) {
      const pages = await s.pullAll(cursor);
      expect(pages[0]!.reset, cursor).toBe(true);
      expect(changesOf(pages)).toEqual(full);
    }
    const valid = await s.pull(good);
    expect(valid.body.reset).toBe(false);
  });

  it('SP-35: deletes reach stations as tombstones; after compaction an older cursor resets', async () => {
    const c = county();
    const s = await c.station();
    const kind = `k${uuid().replace(/-/g, '').slice(0, 10)}`;
    const key = { kind, areaClass: 'rural', effectiveFrom: '2025-01-01' };
    await c.admin('PUT', '/admin/standards', { ...key, amountFen: 50000, updatedBy: '县局' });
    const before = (await s.pullAll(null)).at(-1)!.cursor;
    const removed = await c.admin('DELETE', '/admin/standards', key);
    expect(removed.status).toBe(204);
    const after = await s.pullAll(before);
    expect(changesOf(after)).toEqual([{ table: 'policy_standard', op: 'delete', key: `${kind}/rural/2025-01-01`, data: null }]);
    const current = after.at(-1)!.cursor;

    expect(await compactChangeLog(c.server.db, new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
    const stale = await s.pull(before);
    expect(stale.body.reset).toBe(true);
    expect(stale.body.changes.some((ch) => ch.key === `${kind}/rural/2025-01-01`)).toBe(false);
    // A cursor already past the forgotten tombstone keeps going.
    expect((await s.pull(current)).body.reset).toBe(false);
  });

  it('SP-30: the page size is bounded and protocol checks apply to pull too', async () => {
    const c = county();
    const s = await c.station();
    const tooBig = await s.request('POST', '/sync/v1/pull', {
      body: JSON.stringify({ protocolVersion: 1, clientId: s.clientId, cursor: null, limit: 100_000 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(tooBig.status).toBe(400);
    const v9 = await s.request('POST', '/sync/v1/pull', {
      body: JSON.stringify({ protocolVersion: 9, clientId: s.clientId, cursor: null }),
      headers: { 'content-type': 'application/json' },
    });
    expect(v9.body.code).toBe('UNSUPPORTED_PROTOCOL');
  });
});
