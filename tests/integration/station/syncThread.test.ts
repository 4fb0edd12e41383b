import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StationEventPayload } from '../../../shared/ipc/events';
import { startCountyServer, type CountyServer } from '../../../server/main';
import { stationProjection } from '../../../server/services/cases';
import { syncEngineFor } from '../../../main/core/sync/engine';
import { startSyncThread } from '../../../main/core/sync/thread/engineThread';
import { syncControlFor } from '../../../main/core/sync/thread/control';
import { openTestCore } from '../../support/stationCore';
import { countyClient, uniqueCode, type TestCounty } from '../server/harness';
import { openStation, type Station } from '../../unit/cases/fixtures';
import { intake, must } from '../sync/fixtures';

/**
 * The hosts' sync engine on its own thread (issue 7: sync never freezes the counter): the counter keeps taking
 * intakes on the main thread while the thread pushes over its own connection to the same store, and every intake
 * reaches the real county server exactly once.
 */

const NUM = '一二三四五六七八九十百千';

let server: CountyServer;
let county: TestCounty;
beforeAll(async () => {
  server = await startCountyServer({ port: 0, logLevel: 'silent' });
  county = countyClient('pglite', server);
});
afterAll(async () => {
  await server?.close();
});

const stations: Station[] = [];
afterEach(async () => {
  for (const s of stations.splice(0)) await s.cleanup();
});

const lastAllocated = (s: { core: Station['core'] }) =>
  Number((s.core.db.prepare(`SELECT value FROM meta WHERE key = 'next_mutation_id'`).get() as { value: string }).value) - 1;
const outboxCount = (s: { core: Station['core'] }) => (s.core.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;

/** A station with a threaded engine (small push batches, so a run takes many round trips), enrolled with the county. */
async function threadedStation() {
  const s = await openStation();
  stations.push(s);
  const thread = startSyncThread(s.core, { intervalMs: 60_000, push: { batchSize: 4, batchBytes: 1024 * 1024 } });
  const created = await county.admin('POST', '/admin/stations', { code: uniqueCode('T'), township: '城关镇' });
  expect(created.status).toBe(201);
  await must(s.admin.call('sync.enrol', { countyUrl: county.url, code: created.body.enrolment.code }));
  // sync.enrol starts a run in the thread; joining it makes the station's starting point settled.
  await thread.syncNow();
  return { s, thread, stationId: created.body.station.id as string };
}

describe('sync engine thread', () => {
  it('pushes intakes made on the main thread during a run, each exactly once, and bridges progress and status', async () => {
    const { s, thread, stationId } = await threadedStation();
    expect(syncControlFor(s.core)).toBe(thread);
    expect(thread.alive).toBe(true);
    const progress: StationEventPayload<'sync.progress'>[] = [];
    let statusChanges = 0;
    s.core.on('sync.progress', (p) => progress.push(p));
    s.core.on('status.changed', () => statusChanges++);

    const before = [];
    for (let i = 0; i < 8; i++) before.push((await intake(s.clerk, `甲${NUM[i]}`)).case);
    const backlog = outboxCount(s);
    expect(backlog).toBeGreaterThan(8);

    // 立即同步 through the real call while the counter keeps working: the run and the intakes overlap.
    const run = s.clerk.call('sync.now', {});
    const during = [];
    let sawRunning = false;
    for (let i = 0; i < 8; i++) {
      // Each intake is its own request, as from the window: the loop turns between them.
      await new Promise((r) => setTimeout(r, 5));
      during.push((await intake(s.clerk, `乙${NUM[i]}`)).case);
      const st = await must(s.clerk.call('sync.status', {}));
      sawRunning ||= st.running;
    }
    const first = await must(run);
    expect(first).toMatchObject({ ok: true, refused: 0 });
    expect(first.pushed).toBeGreaterThanOrEqual(backlog);
    expect(sawRunning).toBe(true);

    // Whatever the first run did not take, the next one does; nothing is sent twice or refused.
    const second = await must(s.clerk.call('sync.now', {}));
    expect(second).toMatchObject({ ok: true, refused: 0 });
    expect(outboxCount(s)).toBe(0);
    const proj = await stationProjection(server.db, stationId);
    expect(Object.keys(proj.cases).sort()).toEqual([...before, ...during].map((c) => c.id).sort());
    expect(Object.values(proj.lastMutationIds)).toEqual([lastAllocated(s)]);
    expect(s.core.db.prepare('SELECT count(*) AS n FROM sync_outcomes').get()).toEqual({ n: 0 });

    // The window saw the run: push progress up to the backlog, a final 同步完成, and status changes.
    expect(progress.some((p) => p.phase === 'push' && p.done > 0)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', message: '同步完成' });
    expect(statusChanges).toBeGreaterThanOrEqual(2);
    const st = await must(s.clerk.call('sync.status', {}));
    expect(st).toMatchObject({ connection: 'online', pending: 0, lastError: null, confirmedMutationId: lastAllocated(s) });
    expect(st.lastSuccessAt).not.toBeNull();
    expect(s.core.connection.state).toBe('online');
  });

  it('reports a county that cannot be reached as offline, and keeps the outbox', async () => {
    const { s } = await threadedStation();
    await intake(s.clerk);
    const pending = outboxCount(s);
    s.core.db.prepare('UPDATE sync_enrolment SET county_url = ?').run('http://127.0.0.1:9');
    const down = await must(s.clerk.call('sync.now', {}));
    expect(down).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    expect(outboxCount(s)).toBe(pending);
    const st = await must(s.clerk.call('sync.status', {}));
    expect(st.connection).toBe('offline');
    expect(st.lastError?.message).toMatch(/无法连接县级服务器/);
  });

  it('periodic runs in the thread pick up new intakes by themselves', async () => {
    const s = await openStation();
    stations.push(s);
    const thread = startSyncThread(s.core, { intervalMs: 200 });
    const created = await county.admin('POST', '/admin/stations', { code: uniqueCode('P'), township: '城关镇' });
    await must(s.admin.call('sync.enrol', { countyUrl: county.url, code: created.body.enrolment.code }));
    thread.start(0);
    const { case: c } = await intake(s.clerk);
    const deadline = Date.now() + 20_000;
    while (outboxCount(s) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(outboxCount(s)).toBe(0);
    const proj = await stationProjection(server.db, created.body.station.id as string);
    expect(Object.keys(proj.cases)).toEqual([c.id]);
    expect((await must(s.clerk.call('sync.status', {}))).nextRunAt).not.toBeNull();
  });

  it('closing the core stops the thread mid-run; the store reopens and the rest is pushed exactly once', async () => {
    const { s, thread, stationId } = await threadedStation();
    const cases = [];
    for (let i = 0; i < 12; i++) cases.push((await intake(s.clerk, `丙${NUM[i]}`)).case);
    const key = s.core.keys.getKey().toString('hex');
    const run = thread.syncNow().catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 30));
    await s.core.close();
    expect(thread.alive).toBe(false);
    await run;
    await expect(thread.syncNow()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });

    // Same store, in-thread engine (as the fault harness's station process uses it).
    const core = openTestCore(s.dir, key);
    try {
      const again = await syncEngineFor(core).syncNow();
      expect(again).toMatchObject({ ok: true, refused: 0 });
      expect((core.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n).toBe(0);
      const proj = await stationProjection(server.db, stationId);
      expect(Object.keys(proj.cases).sort()).toEqual(cases.map((c) => c.id).sort());
      expect(Object.values(proj.lastMutationIds)).toEqual([lastAllocated({ core })]);
      expect(core.db.prepare('SELECT count(*) AS n FROM sync_outcomes').get()).toEqual({ n: 0 });
    } finally {
      await core.close();
    }
  });
});
