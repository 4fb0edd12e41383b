/**
 * bench:search — people.search on a synthetic station of 300k persons (--quick: 30k): p50/p95 per query kind,
 * measured on the service the call runs (searchPersons), against the real encrypted store. Goal: p95 < 15 ms.
 */
import { searchPersons } from '../main/core/services/search';
import { nameKeys } from '../main/core/services/people/nameKeys';
import { summarise, timeEach, type Summary } from './lib/stats';
import { emitResult, hasFlag, printTable } from './lib/report';
import { benchStore } from './lib/store';
import { describeMachine } from './lib/machine';
import { loadPopulation, rng, VILLAGES } from './synthetic';

const quick = hasFlag('--quick');
const PERSONS = quick ? 30_000 : 300_000;
const QUERIES = quick ? 200 : 400;
const GOAL_P95_MS = 15;

const store = benchStore();
try {
  console.log(`bench:search — loading ${PERSONS.toLocaleString()} synthetic persons into an encrypted store …`);
  const loaded = loadPopulation(store.db, {
    persons: PERSONS,
    sampleEvery: Math.max(1, Math.floor(PERSONS / (QUERIES * 2))),
    onProgress: (n) => {
      if (Math.floor(n / 50_000) > Math.floor((n - 10_000) / 50_000)) console.log(`  ${n.toLocaleString()} …`);
    },
  });
  console.log(
    `loaded ${loaded.persons.toLocaleString()} persons in ${loaded.households.toLocaleString()} households in ${loaded.seconds.toFixed(1)} s; store ${store.sizeMb()} MB`,
  );

  const r = rng(7);
  const sample = loaded.sample.slice(0, QUERIES);
  const pickRun = (id: string, len: number) => {
    const start = Math.floor(r() * (id.length - len));
    return id.slice(start, start + len);
  };
  const kinds: Record<string, { label: string; queries: { query: string; village?: string }[] }> = {
    name: { label: '姓名（全名）', queries: sample.map((p) => ({ query: p.name })) },
    namePrefix: {
      label: '姓名前缀（姓+名首字）',
      queries: sample.map((p) => ({ query: [...p.name].slice(0, 2).join('') })),
    },
    initials: { label: '拼音首字母（zsf）', queries: sample.map((p) => ({ query: nameKeys(p.name).initials })) },
    pinyin: { label: '全拼（zhangsanfeng）', queries: sample.map((p) => ({ query: nameKeys(p.name).pinyin })) },
    idFragment4: { label: '身份证号末 4 位', queries: sample.map((p) => ({ query: p.idNumber.slice(-4) })) },
    idFragment6: { label: '身份证号任意 6 位', queries: sample.map((p) => ({ query: pickRun(p.idNumber, 6) })) },
    village: {
      label: '村（社区）',
      queries: sample.map((_, i) => ({ query: '', village: VILLAGES[i % VILLAGES.length]!.name })),
    },
    nameInVillage: {
      label: '首字母 + 村筛选',
      queries: sample.map((p) => ({ query: nameKeys(p.name).initials, village: p.village })),
    },
  };

  const results: Record<string, Summary & { avgHits: number; found: number }> = {};
  for (const [kind, { queries, label }] of Object.entries(kinds)) {
    process.stdout.write(`  ${label} …\n`);
    let hits = 0;
    let found = 0;
    const samples = timeEach(queries, (q) =>
      searchPersons(store.db, { query: q.query, village: q.village ?? null, page: 1, pageSize: 50 }),
    );
    // Correctness alongside speed: the person a query was built from must be among the matches.
    queries.forEach((q, i) => {
      const res = searchPersons(store.db, { query: q.query, village: q.village ?? null, page: 1, pageSize: 50 });
      hits += res.total;
      const target = sample[i]!;
      if (kind === 'village' || res.items.some((it) => it.name === target.name) || res.totalCapped || res.total > 50)
        found++;
    });
    results[kind] = { ...summarise(samples), avgHits: Math.round(hits / queries.length), found };
  }

  printTable(
    ['查询', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', '平均命中'],
    Object.entries(kinds).map(([k, { label }]) => {
      const s = results[k]!;
      return [label, s.n, s.p50, s.p95, s.p99, s.max, s.avgHits];
    }),
  );
  const headline = { name: results.name!, initials: results.initials!, idFragment: results.idFragment4! };
  const pass = Object.values(headline).every((s) => s.p95 < GOAL_P95_MS);
  console.log(`goal p95 < ${GOAL_P95_MS} ms for name / initials / ID fragment: ${pass ? 'met' : 'NOT met'}`);
  emitResult('search', {
    quick,
    machine: describeMachine(),
    persons: loaded.persons,
    households: loaded.households,
    loadSeconds: Math.round(loaded.seconds * 10) / 10,
    storeMb: store.sizeMb(),
    goalP95Ms: GOAL_P95_MS,
    pass,
    p50: { name: headline.name.p50, initials: headline.initials.p50, idFragment: headline.idFragment.p50 },
    p95: { name: headline.name.p95, initials: headline.initials.p95, idFragment: headline.idFragment.p95 },
    detail: results,
  });
  if (!pass) process.exitCode = 1;
} finally {
  store.cleanup();
}
