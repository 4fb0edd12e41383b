/**
 * bench:intake — one full intake at the counter as ONE transaction on the real encrypted store (WAL,
 * synchronous=FULL): register 4 persons, their household, the dibao application with its checklist, tick the
 * materials and accept — every row with its audit entry and outbox mutation, exactly the services the calls run.
 * Reports p50/p95 per transaction (commit and fsync included). The store holds a synthetic population first
 * (--quick: 10k persons, else 100k) so that indexes have a realistic size. Last line: one JSON object.
 */
import { verifyAuditChain } from '../main/core/services/audit';
import { prepareStation, realIntake } from './lib/realIntake';
import { summarise } from './lib/stats';
import { emitResult, hasFlag, printTable } from './lib/report';
import { benchStore } from './lib/store';
import { loadPopulation } from './synthetic';

const quick = hasFlag('--quick');
const BACKGROUND = quick ? 10_000 : 100_000;
const INTAKES = quick ? 150 : 1_000;
const WARMUP = 10;

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
  printTable(
    ['measure', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    [['一次完整受理（4 人 + 家庭 + 案件 + 受理）', s.n, s.p50, s.p95, s.p99, s.max]],
  );
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
  });
} finally {
  store.cleanup();
}
