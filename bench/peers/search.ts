/**
 * bench peer search — the query mix of bench/search.ts against PouchDB (leveldb) holding the same seeded 300k
 * persons (--quick 30k), with pouchdb-find Mango indexes on name, initials and pinyin (the same precomputed keys
 * our store has).
 *   name       name prefix            {name: {$gte: q, $lt: q+'\uffff'}}            (index on name)
 *   initials   pinyin initials prefix {initials: {$gte: q, $lt: q+'\uffff'}}        (index on initials)
 *   pinyin     full pinyin prefix     {pinyin: {$gte: …}}                           (index on pinyin)
 *   idFragment last 4 ID digits       {idNumber: {$regex: q}} — Mango cannot index a substring, so this is a scan
 * Every query asks for the first page (limit 50); ours also counts matches up to 2,000, the peer does not — in the
 * peer's favour. Scanning queries are bounded (at least 5, then until 30 s — quick 10 s — have passed) and say so.
 * Index build time is reported apart from loading. Last line: one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nameKeys } from '../../main/core/services/people/nameKeys';
import { summarise, type Summary } from '../lib/stats';
import { medianSummary } from './lib/medians';
import { emitResult, hasFlag, printTable } from '../lib/report';
import { openPouch, type PouchDb } from './lib/pouch';
import { loadPouchPopulation } from './lib/personDocs';

const quick = hasFlag('--quick');
const PERSONS = quick ? 30_000 : 300_000;
// Same sampling as bench/search.ts so that the queries are the same people.
const QUERIES = quick ? 200 : 400;
const SCAN_BUDGET_MS = quick ? 10_000 : 30_000;
const MIN_SCAN_QUERIES = 5;

const dir = mkdtempSync(join(tmpdir(), 'peer-search-'));
const db: PouchDb = openPouch(join(dir, 'pouch'));
try {
  console.log(`bench peer-search — loading ${PERSONS.toLocaleString()} synthetic persons into PouchDB (leveldb) …`);
  const loaded = await loadPouchPopulation(db, {
    persons: PERSONS,
    sampleEvery: Math.max(1, Math.floor(PERSONS / (QUERIES * 2))),
    onProgress: (n) => {
      if (Math.floor(n / 50_000) > Math.floor((n - 10_000) / 50_000)) console.log(`  ${n.toLocaleString()} …`);
    },
  });
  console.log(
    `loaded ${loaded.persons.toLocaleString()} persons in ${loaded.seconds.toFixed(1)} s; building indexes …`,
  );
  const t0 = performance.now();
  for (const field of ['name', 'initials', 'pinyin']) {
    await db.createIndex({ index: { fields: [field], name: `by-${field}`, ddoc: `by-${field}` } });
    // Mango indexes are views built on first use: force the build here, outside the timed queries.
    await db.find({ selector: { [field]: { $gte: 'a' } }, limit: 1, use_index: `by-${field}` });
  }
  const indexSeconds = (performance.now() - t0) / 1000;
  console.log(`indexes built in ${indexSeconds.toFixed(1)} s`);

  const sample = loaded.sample.slice(0, QUERIES);
  const prefix = (field: string, q: string) => ({
    selector: { [field]: { $gte: q, $lt: `${q}\uffff` } },
    limit: 50,
    use_index: `by-${field}`,
  });
  const kinds: Record<
    string,
    { label: string; scan: boolean; queries: Parameters<PouchDb['find']>[0][]; target: (i: number) => string }
  > = {
    name: {
      label: '姓名（全名）',
      scan: false,
      queries: sample.map((p) => prefix('name', p.name)),
      target: (i) => sample[i]!.name,
    },
    initials: {
      label: '拼音首字母（zsf）',
      scan: false,
      queries: sample.map((p) => prefix('initials', nameKeys(p.name).initials)),
      target: (i) => sample[i]!.name,
    },
    pinyin: {
      label: '全拼（zhangsanfeng）',
      scan: false,
      queries: sample.map((p) => prefix('pinyin', nameKeys(p.name).pinyin)),
      target: (i) => sample[i]!.name,
    },
    idFragment4: {
      label: '身份证号末 4 位（$regex 扫描）',
      scan: true,
      queries: sample.map((p) => ({ selector: { idNumber: { $regex: p.idNumber.slice(-4) } }, limit: 50 })),
      target: (i) => sample[i]!.name,
    },
  };

  // --rounds N repeats the indexed query mix N times on the one loaded store (loading 300k documents and building
  // the views takes minutes); the figures are the medians of the per-round percentiles. Scans are too slow to
  // repeat per round: their samples are pooled over all rounds (at least MIN_SCAN_QUERIES, within the budget).
  const rounds = Math.max(1, Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 1);
  const results: Record<string, Summary & { found: number; avgHits: number; rounds: number }> = {};
  for (const [kind, { label, scan, queries }] of Object.entries(kinds)) {
    console.log(`  ${label} …`);
    // pouchdb-find rewrites the request object in place, so every call gets a fresh copy.
    for (let i = 0; i < Math.min(scan ? 1 : 20, queries.length); i++) await db.find(structuredClone(queries[i]!));
    const perRound: Summary[] = [];
    let hits = 0;
    let found = 0;
    let n = 0;
    const started = performance.now();
    let scanIndex = 1;
    for (let round = 0; round < (scan ? 1 : rounds); round++) {
      const samples: number[] = [];
      for (let j = 0; j < queries.length; j++) {
        const i = scan ? scanIndex++ % queries.length : j;
        if (scan && j >= MIN_SCAN_QUERIES && performance.now() - started > SCAN_BUDGET_MS) break;
        const request = structuredClone(queries[i]!);
        const t = process.hrtime.bigint();
        const res = await db.find(request);
        samples.push(Number(process.hrtime.bigint() - t) / 1e6);
        hits += res.docs.length;
        n++;
        // Correctness alongside speed, as in bench/search.ts: the person the query came from is found (or the page is full).
        if (res.docs.some((d) => d.name === kinds[kind]!.target(i)) || res.docs.length >= 50) found++;
      }
      perRound.push(summarise(samples));
    }
    results[kind] = { ...medianSummary(perRound), found, avgHits: Math.round(hits / n), rounds: perRound.length };
  }
  printTable(
    ['查询 (PouchDB)', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', '平均命中(≤50)'],
    Object.entries(kinds).map(([k, { label }]) => {
      const s = results[k]!;
      return [label, s.n, s.p50, s.p95, s.p99, s.max, s.avgHits];
    }),
  );
  emitResult('peer-search', {
    quick,
    peer: 'pouchdb-node 9 + pouchdb-find (leveldb adapter)',
    persons: loaded.persons,
    loadSeconds: Math.round(loaded.seconds * 10) / 10,
    indexSeconds: Math.round(indexSeconds * 10) / 10,
    p50: { name: results.name!.p50, initials: results.initials!.p50, idFragment: results.idFragment4!.p50 },
    p95: { name: results.name!.p95, initials: results.initials!.p95, idFragment: results.idFragment4!.p95 },
    detail: results,
  });
} finally {
  await db.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
