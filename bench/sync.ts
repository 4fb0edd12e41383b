/**
 * bench:sync — push N outbox mutations from a real station store (encrypted SQLite, WAL, synchronous=FULL) to a
 * county server PROCESS on real PostgreSQL 15 (fsync on) over loopback, through a byte-counting TCP proxy. The
 * engine's own push path is measured: read the outbox front (1,000 per batch), frame and compress (brotli), POST, apply the answer and trim
 * in one SQLite transaction. Reports records/s and bytes on the wire per record (both directions, HTTP headers
 * included). Goal at N = 100k: ≥ 10,000 records/s, ≤ 300 bytes/record. --quick: N = 10k. Last line: one JSON object.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeIdNumber } from '../shared/domain/idNumber';
import { enqueueMutation } from '../main/core/services/outbox';
import { PUSH_PIPELINE_DEPTH, pushOutbox } from '../main/core/sync/push';
import { clientIdOf } from '../main/core/sync/state';
import { CountyTransport } from '../main/core/sync/transport';
import { startCountyProcess } from '../tests/support/countyProcess';
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../tests/support/postgres';
import { startTcpProxy } from '../tests/support/tcpProxy';
import { emitResult, hasFlag, printTable } from './lib/report';
import { benchStore } from './lib/store';

const quick = hasFlag('--quick');
const N = quick ? 10_000 : 100_000;
const BATCH = 1000;
/** Requests in flight (SP-28); BENCH_PUSH_DEPTH=1 measures the strictly sequential push for comparison. */
const DEPTH = Number(process.env.BENCH_PUSH_DEPTH) || PUSH_PIPELINE_DEPTH;

const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张';
const GIVEN = '建国秀英桂兰志强春梅海燕小红德明玉兰永福';

/** A person row as persons.ts personData() sends it (same fields, realistic values). */
function personRow(i: number) {
  const id = randomUUID();
  const birth = new Date(Date.UTC(1940, 0, 1) + (i % 25_000) * 86_400_000).toISOString().slice(0, 10);
  return {
    id,
    data: {
      id,
      idNumber: makeIdNumber('430102', birth, i % 999),
      name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 13 + 3) % GIVEN.length]}`,
      birthDate: birth,
      sex: i % 2 ? 'male' : 'female',
      phone: `138${String(10_000_000 + i).slice(-8)}`,
      hukou: i % 3 ? 'rural' : 'urban',
      disabilityCategory: null,
      disabilityGrade: null,
      workAbility: 'full',
      health: 'healthy',
      healthNote: null,
      village: '石桥村',
      version: 1,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    },
  };
}

const root = mkdtempSync(join(tmpdir(), 'sync-bench-'));
const store = benchStore('station-bench-sync-');
let cluster: PostgresCluster | undefined;
let county: Awaited<ReturnType<typeof startCountyProcess>> | undefined;
let proxy: Awaited<ReturnType<typeof startTcpProxy>> | undefined;
try {
  const skip = postgresSkipReason();
  if (skip)
    console.warn(
      `[bench:sync] real PostgreSQL unavailable (${skip}); using embedded PGlite — figures are not comparable`,
    );
  // BENCH_PG_FAST=1 (diagnostic only): PostgreSQL without fsync, to see how much of the time is the county's commits.
  else cluster = await startPostgres({ fast: process.env.BENCH_PG_FAST === '1' });
  county = await startCountyProcess({
    dataDir: join(root, 'county'),
    logLevel: 'error',
    ...(cluster ? { databaseUrl: cluster.url } : {}),
  });
  proxy = await startTcpProxy(county.port);
  const created = await fetch(`${county.url}/admin/stations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${county.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'BENCH01', township: '城关镇' }),
  }).then((r) => r.json() as Promise<{ enrolment: { code: string } }>);
  const clientId = clientIdOf(store.db);
  const enrol = await new CountyTransport({ baseUrl: proxy.url }).enrol(created.enrolment.code, clientId);

  // Fill the outbox the way use cases do (enqueueMutation: gapless ids from the counter), in large transactions.
  const t0 = performance.now();
  const now = new Date().toISOString();
  for (let start = 0; start < N; start += 10_000) {
    store.db.transaction(() => {
      for (let i = start; i < Math.min(N, start + 10_000); i++)
        enqueueMutation(store.db, 'person.save', personRow(i), now);
    })();
  }
  const fillMs = performance.now() - t0;
  const before = { up: proxy.stats.bytesUp, down: proxy.stats.bytesDown, requests: proxy.stats.requests };

  const transport = new CountyTransport({ baseUrl: proxy.url, credential: enrol.credential, timeoutMs: 120_000 });
  // Where the time goes: wall time with at least one request out (compression + county + network) vs. the station's own
  // work while none is (with the pipeline, SP-28, most station work overlaps a request and counts as the former).
  let wireMs = 0;
  let out = 0;
  let maxOut = 0;
  let outSince = 0;
  const pushRows = transport.pushRows.bind(transport);
  transport.pushRows = async (...args) => {
    if (out++ === 0) outSince = performance.now();
    maxOut = Math.max(maxOut, out);
    try {
      return await pushRows(...args);
    } finally {
      if (--out === 0) wireMs += performance.now() - outSince;
    }
  };
  const started = performance.now();
  let batches = 0;
  let overtaken = 0;
  await pushOutbox(
    store.db,
    transport,
    clientId,
    { batchSize: BATCH, batchBytes: 32 * 1024 * 1024 },
    (step) => {
      batches++;
      if (step.overtaken) overtaken++;
    },
    DEPTH,
  );
  const pushMs = performance.now() - started;
  const up = proxy.stats.bytesUp - before.up;
  const down = proxy.stats.bytesDown - before.down;
  const left = (store.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  const recordsPerSecond = Math.round(N / (pushMs / 1000));
  const bytesPerRecord = Math.round(((up + down) / N) * 10) / 10;
  printTable(
    ['指标', '数值'],
    [
      ['mutations', N],
      ['requests in flight at once', `${maxOut} (pipeline depth ${DEPTH})`],
      ['batches', batches],
      ['answers overtaken (resent)', overtaken],
      ['push time (s)', (pushMs / 1000).toFixed(2)],
      ['records/s', recordsPerSecond],
      ['bytes up / record', (up / N).toFixed(1)],
      ['bytes down / record', (down / N).toFixed(1)],
      ['bytes on wire / record', bytesPerRecord],
      ['request(s) in flight (s)', (wireMs / 1000).toFixed(2)],
      ['station alone (s)', ((pushMs - wireMs) / 1000).toFixed(2)],
      ['outbox left', left],
      ['outbox fill (s)', (fillMs / 1000).toFixed(2)],
      ['database', cluster ? 'PostgreSQL 15 (fsync on)' : 'PGlite'],
    ],
  );
  if (left !== 0) throw new Error(`${left} mutations were not confirmed`);
  emitResult('sync', {
    quick,
    mutations: N,
    batchSize: BATCH,
    pipelineDepth: DEPTH,
    overtaken,
    database: cluster ? (process.env.BENCH_PG_FAST === '1' ? 'postgresql-fsync-off' : 'postgresql') : 'pglite',
    seconds: Math.round(pushMs) / 1000,
    recordsPerSecond,
    bytesPerRecord,
    bytesUpPerRecord: Math.round((up / N) * 10) / 10,
    bytesDownPerRecord: Math.round((down / N) * 10) / 10,
    roundTripSeconds: Math.round(wireMs) / 1000,
    stationSeconds: Math.round(pushMs - wireMs) / 1000,
    goalRecordsPerSecond: 10_000,
    goalBytesPerRecord: 300,
    meetsGoal: recordsPerSecond >= 10_000 && bytesPerRecord <= 300,
  });
} finally {
  await proxy?.close();
  await county?.stop();
  await cluster?.stop();
  store.cleanup();
  rmSync(root, { recursive: true, force: true });
}
