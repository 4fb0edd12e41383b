import { randomUUID } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import { enqueueMutation } from '../../../main/core/services/outbox';
import { applyPushResponse, pushOutbox, type PushStep } from '../../../main/core/sync/push';
import { lastAllocatedId, readSyncState } from '../../../main/core/sync/state';
import { CountyTransport, SyncFailure } from '../../../main/core/sync/transport';
import { PUSH_FRAMES_CONTENT_TYPE } from '../../../shared/sync/protocol';
import { describeEachBackend, type TestStation } from '../server/harness';
import { openStation, type Station } from '../../unit/cases/fixtures';

// docs/sync-protocol.md SP-28 (pipelined push), with SP-22 (trim only what the county confirmed) and SP-23 (gaps).

const stations: Station[] = [];
afterEach(async () => {
  for (const s of stations.splice(0)) await s.cleanup();
});

const outboxCount = (s: Station) => (s.core.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;

function queuePersons(s: Station, n: number): string[] {
  const ids: string[] = [];
  const now = new Date().toISOString();
  s.core.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = randomUUID();
      ids.push(id);
      enqueueMutation(s.core.db, 'person.save', { id, data: { id, name: `测试${i}`, idNumber: '430102199001011234' } }, now);
    }
  })();
  return ids;
}

describeEachBackend('pipelined push (SP-28)', (county) => {
  async function setUp(fetchImpl?: typeof fetch): Promise<{ s: Station; remote: TestStation; transport: CountyTransport }> {
    const s = await openStation();
    stations.push(s);
    const remote = await county().station();
    const transport = new CountyTransport({ baseUrl: county().url, credential: remote.credential, ...(fetchImpl ? { fetchImpl } : {}) });
    return { s, remote, transport };
  }
  const countyPersons = async (remote: TestStation) =>
    Number((await county().server.db.query<{ n: string }>('SELECT count(*) AS n FROM persons WHERE station_id = $1', [remote.stationId])).rows[0]!.n);
  const countyLastId = async (remote: TestStation) =>
    Number((await county().server.db.query<{ l: string }>('SELECT last_mutation_id AS l FROM clients WHERE client_id = $1', [remote.clientId])).rows[0]!.l);

  it('SP-28: with several requests in flight every mutation is applied once and the outbox is trimmed to the confirmed id', async () => {
    const { s, remote, transport } = await setUp();
    queuePersons(s, 2_300);
    const steps: PushStep[] = [];
    await pushOutbox(s.core.db, transport, remote.clientId, { batchSize: 500, batchBytes: 4 * 1024 * 1024 }, (st) => steps.push(st), 3);
    const last = lastAllocatedId(s.core.db);
    expect(outboxCount(s)).toBe(0);
    expect(readSyncState(s.core.db).confirmedMutationId).toBe(last);
    expect(await countyLastId(remote)).toBe(last);
    expect(await countyPersons(remote)).toBe(2_300);
    // Confirmations were applied in order, never backwards.
    const confirmed = steps.map((st) => st.confirmed);
    expect(confirmed).toEqual([...confirmed].sort((a, b) => a - b));
    expect(steps.reduce((n, st) => n + st.sent, 0)).toBe(last);
  });

  it('SP-28: a request that overtakes an earlier one is answered with a stale gap, resent, and nothing is lost or doubled', async () => {
    // The first push request is held back until the second one has been answered: the county sees 101-200 before
    // 1-100 and answers it with gap.expected = 1.
    let pushes = 0;
    let releaseFirst!: () => void;
    const secondAnswered = new Promise<void>((r) => (releaseFirst = r));
    const fetchImpl: typeof fetch = async (url, init) => {
      if (!String(url).endsWith('/sync/v1/push')) return fetch(url, init);
      const k = ++pushes;
      if (k === 1) await secondAnswered;
      const res = await fetch(url, init);
      if (k === 2) releaseFirst();
      return res;
    };
    const { s, remote, transport } = await setUp(fetchImpl);
    const queued = queuePersons(s, 250).length;
    const steps: PushStep[] = [];
    await pushOutbox(s.core.db, transport, remote.clientId, { batchSize: 100, batchBytes: 4 * 1024 * 1024 }, (st) => steps.push(st), 2);
    expect(steps.some((st) => st.overtaken)).toBe(true);
    const last = lastAllocatedId(s.core.db);
    expect(outboxCount(s)).toBe(0);
    expect(readSyncState(s.core.db).confirmedMutationId).toBe(last);
    expect(await countyLastId(remote)).toBe(last);
    expect(await countyPersons(remote)).toBe(queued);
  });

  it('SP-23 still holds with a pipeline: rows lost before confirmation stop the push, and no request is left running', async () => {
    const { s, remote, transport } = await setUp();
    queuePersons(s, 300);
    // Lose the front of the outbox without the county ever having confirmed it.
    s.core.db.prepare('DELETE FROM outbox WHERE id <= 3').run();
    const before = outboxCount(s);
    const err = await pushOutbox(s.core.db, transport, remote.clientId, { batchSize: 100, batchBytes: 4 * 1024 * 1024 }, undefined, 2).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SyncFailure);
    expect(err).toMatchObject({ kind: 'stop', code: 'GAP' });
    // Nothing was trimmed and nothing was applied at the county.
    expect(outboxCount(s)).toBe(before);
    expect(await countyLastId(remote)).toBe(0);
    expect(await countyPersons(remote)).toBe(0);
  });

  it('SP-28: an answer trims only its own batch, so a refused row after it keeps its station version', async () => {
    const { s, remote, transport } = await setUp();
    queuePersons(s, 2);
    const now = new Date().toISOString();
    const refusedId = enqueueMutation(s.core.db, 'person.save', { id: 'not-a-uuid', data: {} }, now);
    queuePersons(s, 1);
    type Row = { id: number; name: string; args: Buffer };
    const rows = s.core.db.prepare('SELECT id, name, CAST(args AS BLOB) AS args FROM outbox ORDER BY id').all() as Row[];
    // The county applied everything (the refusal included), but that answer never reached the station …
    await transport.pushRows(remote.clientId, rows, rows.length);
    // … and a late answer to a copy of an earlier request, covering only the rows before the refused one, reports L
    // past its batch.
    const front = rows.filter((r) => r.id < refusedId);
    const late = await transport.pushRows(remote.clientId, front, rows.length);
    expect(late.lastMutationId).toBe(rows[rows.length - 1]!.id);
    const step = applyPushResponse(s.core.db, front, late);
    expect(step.confirmed).toBe(refusedId - 1);
    expect(outboxCount(s)).toBe(rows.length - front.length);
    // The refused row goes again, is answered as a duplicate with its original outcome, and is recorded with its args.
    await pushOutbox(s.core.db, transport, remote.clientId, { batchSize: 100, batchBytes: 4 * 1024 * 1024 });
    expect(outboxCount(s)).toBe(0);
    const outcome = s.core.db.prepare('SELECT status, code, args FROM sync_outcomes WHERE mutation_id = ?').get(refusedId) as
      | { status: string; code: string; args: string | null }
      | undefined;
    expect(outcome).toMatchObject({ status: 'rejected', code: 'INVALID_MUTATION' });
    expect(outcome?.args).toContain('not-a-uuid');
  });

  it('SP-20: a county that predates frames answers 415; the station sends that batch and every later one as JSON, once each', async () => {
    // An older county: the request reaches the real server with a media type it does not know, as frames are to it.
    const seen: string[] = [];
    const fetchImpl: typeof fetch = async (url, init) => {
      if (!String(url).endsWith('/sync/v1/push')) return fetch(url, init);
      const headers = new Headers(init?.headers);
      const type = headers.get('content-type') ?? '';
      seen.push(type);
      if (type === PUSH_FRAMES_CONTENT_TYPE) headers.set('content-type', 'application/x-unknown-to-this-county');
      return fetch(url, { ...init, headers });
    };
    const { s, remote, transport } = await setUp(fetchImpl);
    queuePersons(s, 250);
    await pushOutbox(s.core.db, transport, remote.clientId, { batchSize: 100, batchBytes: 4 * 1024 * 1024 }, undefined, 2);
    expect(outboxCount(s)).toBe(0);
    expect(await countyPersons(remote)).toBe(250);
    expect(await countyLastId(remote)).toBe(lastAllocatedId(s.core.db));
    // Frames were tried until the first refusal came back (the pipeline may have sent a second), then never again.
    const framed = seen.filter((t) => t === PUSH_FRAMES_CONTENT_TYPE).length;
    expect(framed).toBeGreaterThanOrEqual(1);
    expect(framed).toBeLessThanOrEqual(2);
    expect(seen.slice(framed).every((t) => t === 'application/json')).toBe(true);
  });

  it('SP-20: the station pushes frames, brotli-compressed, to a county that knows them', async () => {
    const seen: string[] = [];
    const fetchImpl: typeof fetch = async (url, init) => {
      const headers = new Headers(init?.headers);
      if (String(url).endsWith('/sync/v1/push')) seen.push(`${headers.get('content-type')}; ${headers.get('content-encoding')}`);
      return fetch(url, init);
    };
    const { s, remote, transport } = await setUp(fetchImpl);
    queuePersons(s, 120);
    await pushOutbox(s.core.db, transport, remote.clientId, { batchSize: 50, batchBytes: 4 * 1024 * 1024 });
    expect(await countyPersons(remote)).toBe(120);
    expect(seen).toEqual(Array.from({ length: 3 }, () => `${PUSH_FRAMES_CONTENT_TYPE}; br`));
  });

  it('SP-20: a batch holds at most batchBytes of args, and a single larger row still goes alone', async () => {
    const batches: number[][] = [];
    const fetchImpl: typeof fetch = async (url, init) => {
      if (String(url).endsWith('/sync/v1/push')) {
        const lines = brotliDecompressSync(Buffer.from(init!.body as Uint8Array)).toString('utf8').split('\n');
        batches.push(lines.filter((l) => l.startsWith('{"id":') && l.includes('"bytes":')).map((l) => (JSON.parse(l) as { bytes: number }).bytes));
      }
      return fetch(url, init);
    };
    const { s, remote, transport } = await setUp(fetchImpl);
    const before = outboxCount(s);
    const now = new Date().toISOString();
    const person = (note: string) => {
      const id = randomUUID();
      enqueueMutation(s.core.db, 'person.save', { id, data: { id, name: '测试', idNumber: '430102199001011234', note } }, now);
    };
    // Five rows of ~9 KB of UTF-8 (3,000 Chinese characters), one of ~30 KB, five small ones.
    s.core.db.transaction(() => {
      for (let i = 0; i < 5; i++) person('民'.repeat(3_000));
      person('政'.repeat(10_000));
      for (let i = 0; i < 5; i++) person('');
    })();
    await pushOutbox(s.core.db, transport, remote.clientId, { batchSize: 100, batchBytes: 20_000 });
    expect(await countyPersons(remote)).toBe(11);
    expect(outboxCount(s)).toBe(0);
    expect(batches.flat()).toHaveLength(before + 11);
    const sum = (b: number[]) => b.reduce((x, y) => x + y, 0);
    for (const b of batches) expect(b.length === 1 || sum(b) <= 20_000).toBe(true);
    // The large row went alone, and no batch stopped short while the next row would still have fitted.
    expect(batches.filter((b) => b.length === 1 && b[0]! > 20_000)).toHaveLength(1);
    batches.slice(0, -1).forEach((b, i) => expect(sum(b) + batches[i + 1]![0]!).toBeGreaterThan(20_000));
  });
});
