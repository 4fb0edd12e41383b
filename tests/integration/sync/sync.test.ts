import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { stationProjection } from '../../../server/services/cases';
import { syncEngineFor } from '../../../main/core/sync/engine';
import { verifyAuditChain } from '../../../main/core/services/audit';
import { describeEachBackend, uniqueCode } from '../server/harness';
import { openStation, PNG_1x1, type Station } from '../../unit/cases/fixtures';
import { intake, must, toAwaitingCounty } from './fixtures';

const stations: Station[] = [];
afterEach(async () => {
  for (const s of stations.splice(0)) await s.cleanup();
});
async function station() {
  const s = await openStation();
  stations.push(s);
  return s;
}
const outboxCount = (s: Station) => (s.core.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
const lastAllocated = (s: Station) =>
  Number((s.core.db.prepare(`SELECT value FROM meta WHERE key = 'next_mutation_id'`).get() as { value: string }).value) - 1;

describeEachBackend('station sync engine', (county) => {
  async function enrolled(township = '城关镇') {
    const s = await station();
    const created = await county().admin('POST', '/admin/stations', { code: uniqueCode(), township });
    expect(created.status).toBe(201);
    const status = await must(s.admin.call('sync.enrol', { countyUrl: `${county().url}/`, code: created.body.enrolment.code }));
    expect(status.enrolment?.stationCode).toBe(created.body.station.code);
    await syncEngineFor(s.core).syncNow();
    return { s, stationId: created.body.station.id as string, enrolCode: created.body.enrolment.code as string };
  }

  it('enrols with a one-time code; the credential is kept only inside the encrypted store', async () => {
    const { s, enrolCode } = await enrolled();
    const row = s.core.db.prepare('SELECT credential, client_id FROM sync_enrolment').get() as { credential: string; client_id: string };
    expect(row.credential.length).toBeGreaterThan(20);
    const raw = readFileSync(join(s.dir, 'station.db'));
    expect(raw.includes(Buffer.from(row.credential))).toBe(false);
    expect(raw.includes(Buffer.from(row.client_id))).toBe(false);
    // the code is spent: a second station cannot use it
    const other = await station();
    const again = await other.admin.call('sync.enrol', { countyUrl: county().url, code: enrolCode });
    expect(again).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(again.ok ? '' : again.message).toMatch(/注册码/);
    // the clerk may not enrol; the audit entry never carries the credential
    expect(await s.clerk.raw('sync.enrol', { countyUrl: county().url, code: 'AAAA-BBBB-CCCC-DDDD' })).toMatchObject({ code: 'FORBIDDEN' });
    const audit = s.core.db.prepare(`SELECT changes FROM audit_log WHERE action = 'sync.enrol'`).get() as { changes: string };
    expect(audit.changes).not.toContain(row.credential);
  });

  it('keeps intakes made while the county is unreachable and delivers each exactly once when it is back', async () => {
    const s = await station();
    const created = await county().admin('POST', '/admin/stations', { code: uniqueCode(), township: '城关镇' });
    await must(s.admin.call('sync.enrol', { countyUrl: county().url, code: created.body.enrolment.code }));
    const engine = syncEngineFor(s.core);
    await engine.syncNow();
    // Point the station at a dead port: the county is "down".
    const realUrl = county().url;
    s.core.db.prepare('UPDATE sync_enrolment SET county_url = ?').run('http://127.0.0.1:9');
    const cases = [];
    for (const name of ['甲一', '乙二', '丙三']) cases.push((await intake(s.clerk, name)).case);
    const pending = outboxCount(s);
    expect(pending).toBeGreaterThanOrEqual(9);
    const down = await must(s.clerk.call('sync.now', {}));
    expect(down).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    expect(outboxCount(s)).toBe(pending);
    const st = await must(s.clerk.call('sync.status', {}));
    expect(st.connection).toBe('offline');
    expect(st.lastError?.message).toMatch(/无法连接县级服务器/);

    s.core.db.prepare('UPDATE sync_enrolment SET county_url = ?').run(realUrl);
    const up = await must(s.clerk.call('sync.now', {}));
    expect(up).toMatchObject({ ok: true, refused: 0 });
    expect(outboxCount(s)).toBe(0);
    // a repeated sync sends nothing again
    expect(await must(s.clerk.call('sync.now', {}))).toMatchObject({ ok: true, pushed: 0 });
    const proj = await stationProjection(county().server.db, created.body.station.id);
    expect(Object.keys(proj.cases).sort()).toEqual(cases.map((c) => c.id).sort());
    expect(Object.values(proj.lastMutationIds)).toEqual([lastAllocated(s)]);
    for (const c of cases) expect(proj.cases[c.id]?.stationState).toBe('submitted');
    const after = await must(s.clerk.call('sync.status', {}));
    expect(after).toMatchObject({ connection: 'online', pending: 0, lastError: null, confirmedMutationId: lastAllocated(s) });
    expect(after.lastSuccessAt).not.toBeNull();
  });

  it('announces the end of a run only once it no longer counts as running (the 立即同步 button stops spinning)', async () => {
    const { s } = await enrolled();
    const engine = syncEngineFor(s.core);
    const runningWhenAnnounced: boolean[] = [];
    const off = s.core.on('status.changed', () => runningWhenAnnounced.push(engine.isRunning));
    try {
      await intake(s.clerk, '丁四');
      runningWhenAnnounced.length = 0;
      expect(await engine.syncNow()).toMatchObject({ ok: true });
      expect(runningWhenAnnounced.at(-1)).toBe(false);
      // The same when the run fails: the county is unreachable.
      s.core.db.prepare('UPDATE sync_enrolment SET county_url = ?').run('http://127.0.0.1:9');
      await intake(s.clerk, '戊五');
      runningWhenAnnounced.length = 0;
      expect(await engine.syncNow()).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
      expect(runningWhenAnnounced.at(-1)).toBe(false);
    } finally {
      off();
    }
  });

  it('applies a county approval through the state machine and shows it on the case', async () => {
    const { s } = await enrolled();
    const { case: c } = await intake(s.clerk);
    await toAwaitingCounty(s.clerk, s.reviewer, c.id);
    await syncEngineFor(s.core).syncNow();
    const d = await county().admin('POST', `/admin/cases/${c.id}/decision`, {
      outcome: 'approved',
      amountFen: 120_000,
      paymentStartMonth: '2099-01',
      decidedBy: '县民政局 张科长',
    });
    expect(d.status).toBe(200);
    await must(s.clerk.call('sync.now', {}));
    const after = await must(s.clerk.call('cases.get', { id: c.id }));
    expect(after.state).toBe('approved');
    expect(after.snapshot).toMatchObject({ amountFen: 120_000, decidedBy: 'county' });
    expect(after.events.at(-1)).toMatchObject({ action: 'countyApprove', actorRole: 'county', actorName: '县民政局' });
    expect(after.countyVersion).toBeGreaterThanOrEqual(1);
    // the station's new state travels back up, and nothing conflicts
    const run = await must(s.clerk.call('sync.now', {}));
    expect(run).toMatchObject({ ok: true, refused: 0 });
    expect(verifyAuditChain(s.core.db).ok).toBe(true);
  });

  it('keeps a decision the machine cannot take yet pending and visible, then applies it when the case is handed over', async () => {
    const { s } = await enrolled();
    const { case: c } = await intake(s.clerk);
    await syncEngineFor(s.core).syncNow();
    await county().admin('POST', `/admin/cases/${c.id}/decision`, { outcome: 'rejected', reason: '不符合条件', decidedBy: '县民政局' });
    await must(s.clerk.call('sync.now', {}));
    expect((await must(s.clerk.call('cases.get', { id: c.id }))).state).toBe('submitted');
    const issues = await must(s.clerk.call('sync.issues', { includeResolved: false }));
    expect(issues.countyEffects).toHaveLength(1);
    expect(issues.countyEffects[0]!.note).toMatch(/不能办理/);
    // The station edits on top of the version it pulled, so no conflict: it hands the case to the county.
    await toAwaitingCounty(s.clerk, s.reviewer, c.id);
    await must(s.clerk.call('sync.now', {}));
    const after = await must(s.clerk.call('cases.get', { id: c.id }));
    expect(after.state).toBe('rejected');
    expect(after.snapshot).toMatchObject({ reason: '不符合条件' });
    expect((await must(s.clerk.call('sync.issues', { includeResolved: false }))).countyEffects).toHaveLength(0);
  });

  it('shows a conflict with both versions; the reviewer re-submits on top of the county version', async () => {
    const { s } = await enrolled();
    const { case: c } = await intake(s.clerk);
    await syncEngineFor(s.core).syncNow();
    await county().admin('POST', `/admin/cases/${c.id}/decision`, { outcome: 'rejected', reason: '材料不实', decidedBy: '县民政局' });
    // The station accepts the case before it has pulled the decision: its edit is based on county version 0.
    const detail = await must(s.clerk.call('cases.get', { id: c.id }));
    await must(s.clerk.call('cases.act', { caseId: c.id, action: 'accept', payload: { materialsReceived: detail.materials.map((m) => m.key) } }));
    const run = await must(s.clerk.call('sync.now', {}));
    expect(run.ok).toBe(true);
    expect(run.refused).toBeGreaterThanOrEqual(1);
    expect(outboxCount(s)).toBe(0); // a conflict is settled, not a poison pill
    const { issues } = await must(s.clerk.call('sync.issues', { includeResolved: false }));
    expect(issues.length).toBeGreaterThanOrEqual(1);
    expect(issues.every((i) => i.status === 'conflict' && i.code === 'DECIDED_BY_COUNTY')).toBe(true);
    const first = issues.at(-1)!;
    expect(await s.clerk.raw('sync.issue', { mutationId: first.mutationId })).toMatchObject({ code: 'FORBIDDEN' });
    const both = await must(s.reviewer.call('sync.issue', { mutationId: first.mutationId }));
    expect(both.stationVersion).toMatchObject({ caseId: c.id });
    expect(both.countyVersion).toMatchObject({ caseId: c.id, decision: { outcome: 'rejected', reason: '材料不实' } });
    expect(await s.reviewer.raw('sync.resolve', { mutationId: first.mutationId, action: 'retry', reason: '重试一下' })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    for (const i of issues) {
      await must(s.reviewer.call('sync.resolve', { mutationId: i.mutationId, action: 'resubmit', reason: '乡镇已核实，按县级最新版本重新提交' }));
    }
    const again = await must(s.clerk.call('sync.now', {}));
    expect(again).toMatchObject({ ok: true, refused: 0 });
    expect((await must(s.clerk.call('sync.issues', { includeResolved: false }))).issues).toHaveLength(0);
    const resolved = s.core.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'sync.issue.resubmit'`).get() as { n: number };
    expect(resolved.n).toBe(issues.length);
  });

  it('records a rejected mutation without blocking the ones after it; discard needs a reason and is audited', async () => {
    const { s } = await enrolled();
    // A mutation the county refuses (data.id disagrees with the record id), queued between two good ones.
    const bad = s.core.db.transaction(() => {
      const next = Number((s.core.db.prepare(`SELECT value FROM meta WHERE key = 'next_mutation_id'`).get() as { value: string }).value);
      s.core.db.prepare(`UPDATE meta SET value = ? WHERE key = 'next_mutation_id'`).run(String(next + 1));
      const id = '01900000-0000-7000-8000-0000000000aa';
      s.core.db
        .prepare('INSERT INTO outbox (id, name, args, created_at) VALUES (?, ?, ?, ?)')
        .run(next, 'person.save', JSON.stringify({ id, data: { id: '01900000-0000-7000-8000-0000000000bb' } }), new Date().toISOString());
      return next;
    })();
    const { case: c } = await intake(s.clerk);
    const run = await must(s.clerk.call('sync.now', {}));
    expect(run).toMatchObject({ ok: true, refused: 1 });
    expect(outboxCount(s)).toBe(0);
    const { issues } = await must(s.clerk.call('sync.issues', { includeResolved: false }));
    expect(issues).toMatchObject([{ mutationId: bad, status: 'rejected', code: 'INVALID_MUTATION', label: '人员信息' }]);
    expect((await county().admin('GET', `/admin/cases/${c.id}`)).status).toBe(200);
    expect(await s.reviewer.raw('sync.resolve', { mutationId: bad, action: 'discard', reason: '' })).toMatchObject({ code: 'INVALID_INPUT' });
    const done = await must(s.reviewer.call('sync.resolve', { mutationId: bad, action: 'discard', reason: '测试数据，作废' }));
    expect(done).toMatchObject({ resolution: 'discarded', resolvedBy: '李审核' });
    expect(await s.reviewer.raw('sync.resolve', { mutationId: bad, action: 'discard', reason: '再来一次' })).toMatchObject({ code: 'CONFLICT' });
    const audit = s.core.db.prepare(`SELECT changes FROM audit_log WHERE action = 'sync.issue.discard'`).get() as { changes: string };
    expect(audit.changes).toContain('测试数据，作废');
  });

  it('pulls standards, the township limit and villages; a reset snapshot applies idempotently', async () => {
    const { s } = await enrolled('青山镇');
    await county().admin('PUT', '/admin/standards', { kind: 'dibao', areaClass: 'rural', amountFen: 61_000, effectiveFrom: '2026-01-01', updatedBy: '县局' });
    await county().admin('PUT', '/admin/standards', { kind: 'dibao', areaClass: 'urban', amountFen: 80_000, effectiveFrom: '2026-01-01', updatedBy: '县局' });
    await county().admin('PUT', `/admin/townships/${encodeURIComponent('青山镇')}/temporary-assistance-limit`, { amountFen: 500_000, effectiveFrom: '2026-01-01', updatedBy: '县局' });
    await county().admin('PUT', `/admin/townships/${encodeURIComponent('青山镇')}/villages`, {
      villages: [{ code: '001', name: '石桥村', areaClass: 'rural' }, { code: '002', name: '河西社区', areaClass: 'urban' }],
      updatedBy: '县局',
    });
    await must(s.clerk.call('sync.now', {}));
    const std = () =>
      s.core.db.prepare(`SELECT kind, area_class, effective_from, amount_fen, demo FROM policy_standards WHERE demo = 0 ORDER BY kind, area_class, effective_from`).all();
    const first = std();
    expect(first).toEqual([
      { kind: 'dibao', area_class: 'rural', effective_from: '2026-01-01', amount_fen: 61_000, demo: 0 },
      { kind: 'dibao', area_class: 'urban', effective_from: '2026-01-01', amount_fen: 80_000, demo: 0 },
      { kind: 'temporaryLimit', area_class: 'all', effective_from: '2026-01-01', amount_fen: 500_000, demo: 0 },
    ]);
    expect((s.core.db.prepare(`SELECT count(*) AS n FROM policy_standards WHERE kind = 'dibao' AND demo = 1`).get() as { n: number }).n).toBe(0);
    const { countyVillages } = await import('../../../main/core/sync/county');
    expect(countyVillages(s.core.db).map((v) => v.name)).toEqual(['石桥村', '河西社区']);
    const rows = s.core.db.prepare('SELECT tbl, key, data FROM county_rows ORDER BY tbl, key').all();
    // Reset: forget the cursor; the full snapshot must leave the same replica.
    s.core.db.prepare('UPDATE sync_state SET cursor = NULL').run();
    await must(s.clerk.call('sync.now', {}));
    expect(s.core.db.prepare('SELECT tbl, key, data FROM county_rows ORDER BY tbl, key').all()).toEqual(rows);
    expect(std()).toEqual(first);
    // a deleted standard disappears at the station
    await county().admin('DELETE', '/admin/standards', { kind: 'dibao', areaClass: 'urban', effectiveFrom: '2026-01-01' });
    await must(s.clerk.call('sync.now', {}));
    expect(std()).toHaveLength(2);
  });

  it('uploads a scan after its registration is confirmed, resumably and only once', async () => {
    const { s } = await enrolled();
    const { case: c } = await intake(s.clerk);
    const att = await must(
      s.clerk.call('materials.attach', { caseId: c.id, materialKey: c.materials[0]!.key, fileName: '申请书.png', dataBase64: PNG_1x1.toString('base64') }),
    );
    const run = await must(s.clerk.call('sync.now', {}));
    expect(run).toMatchObject({ ok: true, uploaded: 1 });
    const head = await fetch(`${county().url}/sync/v1/attachments/${att.sha256}`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${(s.core.db.prepare('SELECT credential FROM sync_enrolment').get() as { credential: string }).credential}` },
    });
    expect(head.headers.get('x-attachment-complete')).toBe('1');
    const view = await county().admin('GET', `/admin/cases/${c.id}`);
    expect(view.body.attachments).toMatchObject([{ sha256: att.sha256, uploaded: true }]);
    expect(await must(s.clerk.call('sync.now', {}))).toMatchObject({ uploaded: 0 });
  });

  it('resumes an interrupted upload at the offset the county reports (HEAD, then PUT from there)', async () => {
    const s = await station();
    const puts: string[] = [];
    const recording: typeof fetch = (input, init) => {
      if (init?.method === 'PUT') puts.push(String(input));
      return fetch(input, init);
    };
    syncEngineFor(s.core, { fetchImpl: recording });
    const created = await county().admin('POST', '/admin/stations', { code: uniqueCode(), township: '城关镇' });
    await must(s.admin.call('sync.enrol', { countyUrl: county().url, code: created.body.enrolment.code }));
    const { case: c } = await intake(s.clerk);
    // A distinct file per backend run (the county deduplicates by content across stations).
    const png = Buffer.concat([PNG_1x1, Buffer.from(uniqueCode('pad'))]);
    const att = await must(
      s.clerk.call('materials.attach', { caseId: c.id, materialKey: c.materials[0]!.key, fileName: '申请书.png', dataBase64: png.toString('base64') }),
    );
    // The first 20 bytes arrived before the link went down.
    const credential = (s.core.db.prepare('SELECT credential FROM sync_enrolment').get() as { credential: string }).credential;
    const first = await fetch(`${county().url}/sync/v1/attachments/${att.sha256}?offset=0&size=${png.length}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/octet-stream' },
      body: png.subarray(0, 20),
    });
    expect(first.status).toBe(200);
    puts.length = 0;
    expect(await must(s.clerk.call('sync.now', {}))).toMatchObject({ ok: true, uploaded: 1 });
    expect(puts).toHaveLength(1);
    expect(puts[0]).toContain('offset=20&');
    const view = await county().admin('GET', `/admin/cases/${c.id}`);
    expect(view.body.attachments).toMatchObject([{ sha256: att.sha256, uploaded: true }]);
  });

  it('stops syncing on a revoked credential and says so', async () => {
    const { s, stationId } = await enrolled();
    expect((await county().admin('POST', `/admin/stations/${stationId}/revoke`)).status).toBe(200);
    await intake(s.clerk);
    const run = await must(s.clerk.call('sync.now', {}));
    expect(run).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const st = await must(s.clerk.call('sync.status', {}));
    expect(st.enrolment?.revoked).toBe(true);
    expect(st.lastError?.message).toMatch(/重新注册/);
    expect(await must(s.clerk.call('sync.now', {}))).toMatchObject({ skipped: 'revoked' });
    // a new code brings it back, with the same client id and its counter
    const code = await county().admin('POST', `/admin/stations/${stationId}/enrolment-codes`);
    await must(s.admin.call('sync.enrol', { countyUrl: county().url, code: code.body.code }));
    expect(await must(s.clerk.call('sync.now', {}))).toMatchObject({ ok: true });
    expect(outboxCount(s)).toBe(0);
  });
});

describeEachBackend('station sync engine: periodic runs', (county) => {
  it('syncs on its own at the configured interval and reports progress with counts', async () => {
    const s = await station();
    const created = await county().admin('POST', '/admin/stations', { code: uniqueCode(), township: '城关镇' });
    const engine = syncEngineFor(s.core, { intervalMs: 150, baseBackoffMs: 50 });
    await must(s.admin.call('sync.enrol', { countyUrl: county().url, code: created.body.enrolment.code }));
    const progress: { phase: string; done: number; total: number }[] = [];
    s.core.on('sync.progress', (p) => progress.push(p));
    const statusEvents: number[] = [];
    s.core.on('status.changed', () => statusEvents.push(1));
    engine.start(10);
    await intake(s.clerk);
    await intake(s.clerk);
    await expect.poll(() => outboxCount(s), { timeout: 10_000 }).toBe(0);
    // The outbox is trimmed during the run's push phase; the run reports 'done' only after its pull, a moment later.
    await expect.poll(() => progress.some((p) => p.phase === 'done'), { timeout: 10_000 }).toBe(true);
    const push = progress.filter((p) => p.phase === 'push');
    expect(push.length).toBeGreaterThan(0);
    expect(push.at(-1)!.done).toBe(push.at(-1)!.total);
    expect(push.at(-1)!.total).toBeGreaterThan(0);
    expect(statusEvents.length).toBeGreaterThan(0);
    expect(s.core.connection).toMatchObject({ state: 'online' });
    expect(engine.nextRunAt).not.toBeNull();
    await engine.stop();
  });
});
