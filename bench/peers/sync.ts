/**
 * bench peer sync — N case records (100k; --quick 10k) from a station to its server, side by side, both over
 * loopback through the same byte-counting TCP proxy (lib/countingProxy.ts, both directions, headers included):
 *
 *   ours  the station core's own sync engine on its sync thread, as the hosts start it (startSyncThread(core).syncNow(),
 *         default batches of 1,000, two requests in flight (SP-28), framed brotli request bodies (SP-20)) pushing N
 *         `case.save` mutations from the encrypted store to the county server process on real PostgreSQL (fsync on;
 *         PGlite only when PostgreSQL binaries are missing — printed).
 *   peer  PouchDB (leveldb) `replicate.to()` of the same N records as documents to express-pouchdb (leveldb, no
 *         fsync) in its own process — at PouchDB's default batch_size (100), at 500 and at 1,000 (our batch
 *         size); the fastest and the smallest of them are the figures compared (in the peer's favour).
 *
 * --ours-only runs our side alone (for working on it).
 *
 * Wall time: from the start of the sync call to its end (the station's outbox confirmed and trimmed; the peer's
 * replication complete with its checkpoint). Loading the records is not timed. Last line: one JSON object.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openTestCore } from '../../tests/support/stationCore';
import { enrolStation } from '../../main/core/sync/service';
import { startSyncThread } from '../../main/core/sync/thread/engineThread';
import { lastAllocatedId } from '../../main/core/sync/state';
import { emitResult, hasFlag, printTable } from '../lib/report';
import { startCountingProxy, type ByteCount } from './lib/countingProxy';
import { startBenchCounty } from './lib/county';
import { caseRecord, caseTemplate, type CaseTemplate } from './lib/caseRecords';
import { openPouch, type PouchDoc } from './lib/pouch';
import { bulkOrThrow } from './lib/personDocs';

const quick = hasFlag('--quick');
const N = Number(process.argv[process.argv.indexOf('--records') + 1]) || (quick ? 10_000 : 100_000);
const PEER_BATCH_SIZES = [100, 500, 1000];

interface SideResult {
  seconds: number;
  recordsPerSecond: number;
  bytes: ByteCount;
  bytesPerRecord: number;
}

const side = (seconds: number, bytes: ByteCount): SideResult => ({
  seconds: Math.round(seconds * 100) / 100,
  recordsPerSecond: Math.round(N / seconds),
  bytes,
  bytesPerRecord: Math.round(((bytes.up + bytes.down) / N) * 10) / 10,
});

async function ours(
  template: CaseTemplate,
): Promise<SideResult & { database: string; stationCpuSeconds: number; countyCpuSeconds: number; postgresCpuSeconds: number }> {
  const county = await startBenchCounty();
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-station-'));
  const proxy = await startCountingProxy(county.port);
  const core = openTestCore(dir, randomBytes(32).toString('hex'));
  try {
    const { enrolmentCode } = await county.newStation('BENCHSYNC');
    const actor = { id: null, name: '基准测试' };
    await enrolStation(core, { countyUrl: proxy.url, code: enrolmentCode }, actor);
    const engine = startSyncThread(core);
    const first = await engine.syncNow();
    if (!first.ok) throw new Error(`first sync failed: ${JSON.stringify(first.error)}`);

    // Fixture: N case.save mutations queued as the use cases queue them (one outbox row each, sequential ids).
    const db = core.db;
    let next = lastAllocatedId(db) + 1;
    const insert = db.prepare('INSERT INTO outbox (id, name, args, created_at) VALUES (?, ?, ?, ?)');
    const now = new Date().toISOString();
    db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const r = caseRecord(template, i);
        insert.run(next++, 'case.save', `{"id":"${r.id}","data":${r.json},"baseCountyVersion":0}`, now);
      }
      db.prepare(
        `INSERT INTO meta (key, value) VALUES ('next_mutation_id', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      ).run(String(next));
    })();

    proxy.reset();
    const countyCpu0 = county.cpuSeconds();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await engine.syncNow();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const countyCpu1 = county.cpuSeconds();
    const used = (k: 'county' | 'postgres') =>
      Math.round((countyCpu1[k].user + countyCpu1[k].sys - countyCpu0[k].user - countyCpu0[k].sys) * 100) / 100;
    // Where the time goes: CPU of this (station) process; the rest is the county server and PostgreSQL.
    const stationCpuSeconds = Math.round(((cpu.user + cpu.system) / 1e6) * 100) / 100;
    if (!res.ok || res.pushed !== N || res.refused !== 0)
      throw new Error(`sync did not complete: ${JSON.stringify(res)}`);
    const left = (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
    if (left !== 0) throw new Error(`${left} mutations left in the outbox`);
    return {
      ...side(seconds, proxy.counts()),
      database: county.database,
      stationCpuSeconds,
      countyCpuSeconds: used('county'),
      postgresCpuSeconds: used('postgres'),
    };
  } finally {
    await core.close().catch(() => undefined);
    await proxy.close();
    await county.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startPouchServer(dataDir: string): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'pouchServer.ts'), dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('express-pouchdb did not start within 60 s')), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string; url?: string };
        if (msg.event === 'ready' && msg.url) {
          clearTimeout(timer);
          resolve(msg.url);
        }
      } catch {
        // not our line
      }
    });
    void exited.then(() => reject(new Error('express-pouchdb exited before it was ready')));
  });
  return {
    url,
    port: Number(new URL(url).port),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function peer(template: CaseTemplate): Promise<Record<number, SideResult>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-pouch-'));
  const server = await startPouchServer(join(dir, 'server'));
  const proxy = await startCountingProxy(server.port);
  const local = openPouch(join(dir, 'local'));
  try {
    let docs: PouchDoc[] = [];
    for (let i = 0; i < N; i++) {
      const r = caseRecord(template, i);
      docs.push({ _id: r.id, ...(JSON.parse(r.json) as Record<string, unknown>) });
      if (docs.length === 1000) {
        await bulkOrThrow(local, docs);
        docs = [];
      }
    }
    if (docs.length) await bulkOrThrow(local, docs);
    const out: Record<number, SideResult> = {};
    for (const batch of PEER_BATCH_SIZES) {
      const name = `cases_b${batch}`;
      const created = await fetch(`${server.url}/${name}`, { method: 'PUT' });
      if (!created.ok) throw new Error(`create ${name}: HTTP ${created.status}`);
      proxy.reset();
      const t0 = performance.now();
      const res = await local.replicate.to(`${proxy.url}/${name}`, { batch_size: batch });
      const seconds = (performance.now() - t0) / 1000;
      if (!res.ok || res.docs_written !== N || res.doc_write_failures !== 0) {
        throw new Error(`replication incomplete: ${JSON.stringify({ ...res, errors: res.errors.length })}`);
      }
      out[batch] = side(seconds, proxy.counts());
      console.log(`  peer batch_size ${batch}: ${out[batch].seconds} s, ${out[batch].bytesPerRecord} B/record`);
    }
    return out;
  } finally {
    await local.close().catch(() => undefined);
    await proxy.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`bench peer-sync — ${N.toLocaleString()} case records, station → server over loopback …`);
const template = caseTemplate();
console.log(`one record = ${template.json.length} bytes of JSON`);
const o = await ours(template);
console.log(
  `  ours: ${o.seconds} s (CPU: station process ${o.stationCpuSeconds} s, county ${o.countyCpuSeconds} s, PostgreSQL ${o.postgresCpuSeconds} s), ` +
    `${o.bytesPerRecord} B/record (${o.database})`,
);
if (hasFlag('--ours-only')) {
  // For working on our side: the peer's figures do not change with our code.
  emitResult('peer-sync-ours', { quick, records: N, ours: o });
  process.exit(0);
}
const p = await peer(template);
const bestTime = Math.min(...PEER_BATCH_SIZES.map((b) => p[b]!.seconds));
const bestBytes = Math.min(...PEER_BATCH_SIZES.map((b) => p[b]!.bytesPerRecord));
const fmt = (s: SideResult) => [
  s.seconds,
  s.recordsPerSecond,
  s.bytes.up,
  s.bytes.down,
  s.bytesPerRecord,
  s.bytes.connections,
];
printTable(
  ['side', 's', 'records/s', 'bytes up', 'bytes down', 'B/record', 'new conns'],
  [
    ['ours (engine → county, PostgreSQL)', ...fmt(o)],
    ...PEER_BATCH_SIZES.map((b) => [`PouchDB → express-pouchdb, batch_size ${b}`, ...fmt(p[b]!)]),
  ],
);
const speedup = Math.round((bestTime / o.seconds) * 10) / 10;
const fewerBytes = Math.round((bestBytes / o.bytesPerRecord) * 10) / 10;
console.log(`ours is ${speedup}× faster and sends ${fewerBytes}× fewer bytes than the best PouchDB configuration`);
emitResult('peer-sync', {
  quick,
  records: N,
  recordJsonBytes: template.json.length,
  ours: o,
  peer: p,
  peerBest: { seconds: bestTime, bytesPerRecord: bestBytes },
  speedup,
  fewerBytes,
});
