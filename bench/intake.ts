/**
 * bench:intake — one full intake at the counter as ONE transaction on the real encrypted store (WAL,
 * synchronous=FULL): register 4 persons, their household, the dibao application with its checklist, tick the
 * materials and accept — every row with its audit entry and outbox mutation, exactly the services the calls run.
 * Reports p50/p95 per transaction (commit and fsync included). The store holds a synthetic population first
 * (--quick: 10k persons, else 100k) so that indexes have a realistic size.
 * Durability floor: afterwards, on the same store and settings, FLOOR one-row transactions (an INSERT of one short
 * row, autocommit) — the smallest durable commit there is. Its rate bounds ANY store that makes each intake durable
 * on this disk, which is what decides whether "10× a store that does not fsync" can be reached at all.
 * Last line: one JSON object.
 */
import { verifyAuditChain } from '../main/core/services/audit';
import { prepareStation, realIntake } from './lib/realIntake';
import { summarise, type Summary } from './lib/stats';
import { statementCacheStats } from '../main/core/db/statementCache';
import type { Db } from '../main/core/db/open';
import { emitResult, hasFlag, printTable } from './lib/report';
import { benchStore } from './lib/store';
import { loadPopulation } from './synthetic';

const quick = hasFlag('--quick');
const BACKGROUND = quick ? 10_000 : 100_000;
const INTAKES = quick ? 150 : 1_000;
const WARMUP = 10;
const FLOOR = quick ? 100 : 300;

/** p50/p95 and rate of one-row autocommit transactions (each one fsynced: WAL, synchronous=FULL). */
function durabilityFloor(db: Db): Summary & { perSecond: number } {
  // A table of its own in this throwaway bench store, so that no index or trigger of the real schema is involved.
  db.exec('CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO bench_floor (v) VALUES (?)');
  for (let i = 0; i < WARMUP; i++) insert.run('warm-up');
  const samples: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FLOOR; i++) {
    const t = process.hrtime.bigint();
    insert.run(`row ${i}`);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { ...summarise(samples), perSecond: Math.round((FLOOR / seconds) * 10) / 10 };
}

const store = benchStore('station-bench-intake-');
try {
  console.log(`bench:intake — loading ${BACKGROUND.toLocaleString()} synthetic persons into an encrypted store …`);
  const loaded = loadPopulation(store.db, { persons: BACKGROUND, sampleEvery: BACKGROUND });
  console.log(
    `loaded in ${loaded.seconds.toFixed(1)} s; synchronous=${store.db.pragma('synchronous', { simple: true })} (2 = FULL)`,
  );
  prepareStation(store.db);

  let serial = 0;
  // The same logical intake the peer benches store in PouchDB (bench/lib/realIntake.ts).
  const oneIntake = () => realIntake(store.db, serial++);

  for (let i = 0; i < WARMUP; i++) oneIntake();
  const samples: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < INTAKES; i++) {
    const t = process.hrtime.bigint();
    oneIntake();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const s = summarise(samples);
  const outbox = (store.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  const chain = verifyAuditChain(store.db);
  if (!chain.ok) throw new Error(`audit chain broken at ${chain.firstBrokenSeq}`);
  const cache = statementCacheStats(store.db);
  const floor = durabilityFloor(store.db);
  printTable(
    ['measure', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'per s'],
    [
      ['一次完整受理（4 人 + 家庭 + 案件 + 受理）', s.n, s.p50, s.p95, s.p99, s.max, (INTAKES / seconds).toFixed(1)],
      ['durability floor: one-row commit', floor.n, floor.p50, floor.p95, floor.p99, floor.max, floor.perSecond],
    ],
  );
  if (cache) console.log(`statement cache: ${cache.hits} hits, ${cache.misses} misses, ${cache.size} statements`);
  console.log(
    `${(INTAKES / seconds).toFixed(1)} intakes/s; outbox ${outbox} mutations; audit chain ${chain.entries} entries ok; store ${store.sizeMb()} MB`,
  );
  emitResult('intake', {
    quick,
    backgroundPersons: BACKGROUND,
    intakes: s.n,
    p50Ms: s.p50,
    p95Ms: s.p95,
    p99Ms: s.p99,
    maxMs: s.max,
    perSecond: Math.round((INTAKES / seconds) * 10) / 10,
    encrypted: true,
    synchronous: 'FULL',
    durability: 'SQLite3 Multiple Ciphers (SQLCipher v4 format), WAL, synchronous=FULL: fsync per commit',
    floor,
  });
} finally {
  store.cleanup();
}
