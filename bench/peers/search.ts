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
 * Index build time is reported apart from loading.
 *
 * In the same process and on the same sampled people, the same queries also run through our searchPersons on
 * - our store as the app opens it (openStore: encrypted, SQLCipher v4 — AES-256-CBC + HMAC-SHA512 per 4 KiB page), and
 * - a DECRYPTED copy of that very store (`PRAGMA rekey = ''`), opened with the same pragmas, page cache and statement
 *   cache. This is a diagnostic only — the production store is always encrypted; PouchDB stores plaintext — so that
 *   the part of our search time that is the price of encryption at rest is measured, not guessed. The copy is deleted
 *   with the temporary folder.
 * The three sides get the same warm-up (WARMUP queries per kind) and, per round, run the same query list one after
 * the other, so machine noise falls on all of them alike. Last line: one JSON object.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, PAGE_CACHE_MB, type Db } from '../../main/core/db/open';
import { migrate } from '../../main/core/db/migrate';
import { installStatementCache } from '../../main/core/db/statementCache';
import { searchPersons } from '../../main/core/services/search';
import { nameKeys } from '../../main/core/services/people/nameKeys';
import { summarise, type Summary } from '../lib/stats';
import { medianSummary } from './lib/medians';
import { emitResult, hasFlag, printTable } from '../lib/report';
import { openPouch, type PouchDb } from './lib/pouch';
import { loadPouchPopulation } from './lib/personDocs';
import { loadPopulation } from '../synthetic';

const quick = hasFlag('--quick');
const PERSONS = quick ? 30_000 : 300_000;
// Same sampling as bench/search.ts so that the queries are the same people.
const QUERIES = quick ? 200 : 400;
const SCAN_BUDGET_MS = quick ? 10_000 : 30_000;
const MIN_SCAN_QUERIES = 5;
/** Untimed queries per kind and side before timing. The peer's ID-fragment scan gets one: each reads every document. */
const WARMUP = 20;
const SQLITE_HEADER = 'SQLite format 3\0';

const dir = mkdtempSync(join(tmpdir(), 'peer-search-'));
const db: PouchDb = openPouch(join(dir, 'pouch'));
const encFile = join(dir, 'station.db');
const plainFile = join(dir, 'station-plaintext-diagnostic.db');
const key = randomBytes(32);
const keys = { getKey: () => key, description: 'benchmark key' };
let enc: Db | null = null;
let plain: Db | null = null;
const fileMb = (file: string) => Math.round((statSync(file).size / 1024 / 1024) * 10) / 10;

/** The first 16 bytes of a file: "SQLite format 3\0" for a plaintext SQLite database, random bytes when encrypted. */
function header(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    return buf.toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/**
 * A decrypted copy of the (checkpointed, closed) encrypted store. SQLite3 Multiple Ciphers removes encryption with
 * `PRAGMA rekey = ''`, which it refuses in WAL mode — the copy is switched to a rollback journal for the rekey.
 */
function decryptedCopy(from: string, to: string): { seconds: number; header: string } {
  const t0 = performance.now();
  copyFileSync(from, to);
  const c = new Database(to);
  try {
    c.pragma(`cipher = 'sqlcipher'`);
    c.pragma(`legacy = 4`);
    c.pragma(`key = "x'${key.toString('hex')}'"`);
    c.pragma('journal_mode = DELETE');
    c.pragma(`rekey = ''`);
  } finally {
    c.close();
  }
  const h = header(to);
  if (h !== SQLITE_HEADER)
    throw new Error(`decrypted copy does not start with the SQLite header: ${JSON.stringify(h)}`);
  if (header(from) === SQLITE_HEADER) throw new Error('the store under test is not encrypted');
  return { seconds: (performance.now() - t0) / 1000, header: h.replace('\0', '') };
}

/** The decrypted copy opened the way openStore opens the real store, minus the cipher: same pragmas, caches, checks. */
function openPlaintext(file: string): Db {
  const c = new Database(file);
  const check = c.pragma('integrity_check', { simple: true });
  if (check !== 'ok') throw new Error(`integrity_check of the decrypted copy: ${String(check)}`);
  c.pragma('journal_mode = WAL');
  c.pragma('synchronous = FULL');
  c.pragma('foreign_keys = ON');
  c.pragma('busy_timeout = 5000');
  c.pragma('temp_store = MEMORY');
  c.pragma(`cache_size = -${PAGE_CACHE_MB * 1024}`);
  migrate(c);
  installStatementCache(c);
  return c;
}

/** Bytes this process has read through read()/pread() so far (Linux); null elsewhere. */
function bytesRead(): number | null {
  try {
    const m = /^rchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Pages one query reads on a freshly opened connection (empty page cache; SQLite reads one page per pread, mmap is
 * off): first the match collection alone (asking for a page far beyond the matches fetches no rows), then the first
 * page of 50 rows — the persons rows and the household_members join — on top of it.
 */
function pagesRead(file: string, encrypted: boolean, query: string): { collect: number; fetch: number } | null {
  const c = new Database(file);
  try {
    if (encrypted) {
      c.pragma(`cipher = 'sqlcipher'`);
      c.pragma(`legacy = 4`);
      c.pragma(`key = "x'${key.toString('hex')}'"`);
    }
    c.pragma(`cache_size = -${PAGE_CACHE_MB * 1024}`);
    installStatementCache(c);
    const pageSize = c.pragma('page_size', { simple: true }) as number;
    c.prepare('SELECT count(*) FROM sqlite_master').get();
    const b0 = bytesRead();
    searchPersons(c, { query, village: null, page: 1_000_000, pageSize: 50 });
    const b1 = bytesRead();
    searchPersons(c, { query, village: null, page: 1, pageSize: 50 });
    const b2 = bytesRead();
    if (b0 === null || b1 === null || b2 === null) return null;
    return { collect: Math.round((b1 - b0) / pageSize), fetch: Math.round((b2 - b1) / pageSize) };
  } finally {
    c.close();
  }
}

try {
  // ---- ours: the same population, the same sample ----------------------------------------------------------------
  const sampleEvery = Math.max(1, Math.floor(PERSONS / (QUERIES * 2)));
  console.log(`bench peer-search — loading ${PERSONS.toLocaleString()} synthetic persons into our encrypted store …`);
  const loader = openStore({ file: encFile, keys });
  const oursLoaded = loadPopulation(loader, { persons: PERSONS, sampleEvery });
  // Everything into the main file, so that a copy of it is the whole store.
  loader.pragma('wal_checkpoint(TRUNCATE)');
  loader.close();
  console.log(`loaded in ${oursLoaded.seconds.toFixed(1)} s; store ${fileMb(encFile)} MB; making the decrypted copy …`);
  const copy = decryptedCopy(encFile, plainFile);
  console.log(`decrypted copy in ${copy.seconds.toFixed(1)} s; header "${copy.header}"`);
  // Both opened fresh, the same way (integrity check included), so neither starts with pages the load left cached.
  enc = openStore({ file: encFile, keys });
  plain = openPlaintext(plainFile);

  // One typical query with a full first page (initials of the first sampled person with ≥ 50 matches), measured
  // before PouchDB's leveldb threads exist, so that the process's read counter holds only SQLite's reads.
  // Chosen on a throwaway connection, so that the two measured connections start with equally empty caches.
  const chooser = new Database(plainFile, { readonly: true });
  const typical =
    oursLoaded.sample
      .map((p) => nameKeys(p.name).initials)
      .find((q) => searchPersons(chooser, { query: q, village: null, page: 1, pageSize: 50 }).items.length === 50) ??
    nameKeys(oursLoaded.sample[0]!.name).initials;
  chooser.close();
  const pages = {
    kind: 'initials',
    query: typical,
    encrypted: pagesRead(encFile, true, typical),
    plaintext: pagesRead(plainFile, false, typical),
  };
  console.log(`pages read by one initials query ("${typical}") on a cold connection: ${JSON.stringify(pages)}`);

  // ---- the peer ----------------------------------------------------------------------------------------------------
  console.log(`loading ${PERSONS.toLocaleString()} synthetic persons into PouchDB (leveldb) …`);
  const loaded = await loadPouchPopulation(db, {
    persons: PERSONS,
    sampleEvery,
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
  // Both loaders draw from the same seeded population: the sampled people must be the very same.
  if (
    oursLoaded.sample.slice(0, QUERIES).some((p, i) => p.idNumber !== sample[i]?.idNumber || p.name !== sample[i]?.name)
  )
    throw new Error('our store and PouchDB were sampled differently: the queries would not be the same');
  const prefix = (field: string, q: string) => ({
    selector: { [field]: { $gte: q, $lt: `${q}\uffff` } },
    limit: 50,
    use_index: `by-${field}`,
  });
  const kinds: Record<
    string,
    {
      label: string;
      scan: boolean;
      queries: Parameters<PouchDb['find']>[0][];
      ours: string[];
      target: (i: number) => string;
    }
  > = {
    name: {
      label: '姓名（全名）',
      scan: false,
      queries: sample.map((p) => prefix('name', p.name)),
      ours: sample.map((p) => p.name),
      target: (i) => sample[i]!.name,
    },
    initials: {
      label: '拼音首字母（zsf）',
      scan: false,
      queries: sample.map((p) => prefix('initials', nameKeys(p.name).initials)),
      ours: sample.map((p) => nameKeys(p.name).initials),
      target: (i) => sample[i]!.name,
    },
    pinyin: {
      label: '全拼（zhangsanfeng）',
      scan: false,
      queries: sample.map((p) => prefix('pinyin', nameKeys(p.name).pinyin)),
      ours: sample.map((p) => nameKeys(p.name).pinyin),
      target: (i) => sample[i]!.name,
    },
    idFragment4: {
      label: '身份证号末 4 位（$regex 扫描）',
      scan: true,
      queries: sample.map((p) => ({ selector: { idNumber: { $regex: p.idNumber.slice(-4) } }, limit: 50 })),
      ours: sample.map((p) => p.idNumber.slice(-4)),
      target: (i) => sample[i]!.name,
    },
  };

  /** `p95Rounds`: each round's own p95, in order — round 1 runs on the coldest caches, later rounds on warmer ones. */
  type Result = Summary & { found: number; avgHits: number; rounds: number; p95Rounds: number[] };
  /** Median of the rounds' summaries, to the microsecond (an even count of rounds averages the middle two). */
  const roundedMedian = (runs: readonly Summary[]): Summary => {
    const m = medianSummary(runs);
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return { n: m.n, p50: r(m.p50), p95: r(m.p95), p99: r(m.p99), max: r(m.max) };
  };
  /** One timed pass of a kind's query list through searchPersons on one of our stores. */
  const oursPass = (store: Db, queries: readonly string[], target: (i: number) => string) => {
    const samples: number[] = [];
    let hits = 0;
    let found = 0;
    queries.forEach((query, i) => {
      const t = process.hrtime.bigint();
      const res = searchPersons(store, { query, village: null, page: 1, pageSize: 50 });
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
      hits += res.items.length;
      if (res.items.some((it) => it.name === target(i)) || res.items.length >= 50) found++;
    });
    return { summary: summarise(samples), hits, found };
  };

  // --rounds N repeats the indexed query mix N times on the one loaded store (loading 300k documents and building
  // the views takes minutes); the figures are the medians of the per-round percentiles. Scans are too slow to
  // repeat per round: their samples are pooled over all rounds (at least MIN_SCAN_QUERIES, within the budget).
  const rounds = Math.max(1, Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 1);
  const results: Record<string, Result> = {};
  const oursEnc: Record<string, Result> = {};
  const oursPlain: Record<string, Result> = {};
  for (const [kind, { label, scan, queries, ours, target }] of Object.entries(kinds)) {
    console.log(`  ${label} …`);
    const warm = Math.min(WARMUP, queries.length);
    for (const store of [enc, plain]) {
      for (let i = 0; i < warm; i++) searchPersons(store, { query: ours[i]!, village: null, page: 1, pageSize: 50 });
    }
    // pouchdb-find rewrites the request object in place, so every call gets a fresh copy.
    for (let i = 0; i < (scan ? 1 : warm); i++) await db.find(structuredClone(queries[i]!));
    const perRound: Summary[] = [];
    const sides = {
      enc: { store: enc, runs: [] as Summary[], hits: 0, found: 0, n: 0 },
      plain: { store: plain, runs: [] as Summary[], hits: 0, found: 0, n: 0 },
    };
    let hits = 0;
    let found = 0;
    let n = 0;
    for (let round = 0; round < rounds; round++) {
      // Ours: every round (fast, indexed on every kind), the two stores one after the other.
      for (const side of Object.values(sides)) {
        const pass = oursPass(side.store, ours, target);
        side.runs.push(pass.summary);
        side.hits += pass.hits;
        side.found += pass.found;
        side.n += ours.length;
      }
      if (scan && round > 0) continue;
      const started = performance.now();
      let scanIndex = 1;
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
        if (res.docs.some((d) => d.name === target(i)) || res.docs.length >= 50) found++;
      }
      perRound.push(summarise(samples));
    }
    results[kind] = {
      ...roundedMedian(perRound),
      found,
      avgHits: Math.round(hits / n),
      rounds: perRound.length,
      p95Rounds: perRound.map((r) => r.p95),
    };
    const pack = (s: (typeof sides)['enc']): Result => ({
      ...roundedMedian(s.runs),
      found: s.found,
      avgHits: Math.round(s.hits / s.n),
      rounds: s.runs.length,
      p95Rounds: s.runs.map((r) => r.p95),
    });
    oursEnc[kind] = pack(sides.enc);
    oursPlain[kind] = pack(sides.plain);
  }
  printTable(
    ['查询 (PouchDB)', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', '平均命中(≤50)'],
    Object.entries(kinds).map(([k, { label }]) => {
      const s = results[k]!;
      return [label, s.n, s.p50, s.p95, s.p99, s.max, s.avgHits];
    }),
  );
  const ratio = (peer: number, ours: number) => (ours > 0 ? `${(peer / ours).toFixed(1)}×` : '—');
  console.log('\nside by side, same process, same queries (p50 / p95 ms; ratio = PouchDB p95 ÷ ours p95):');
  printTable(
    ['查询', '本系统(加密)', '本系统(解密副本·诊断)', 'PouchDB', '加密 vs Pouch', '解密 vs Pouch'],
    Object.entries(kinds).map(([k, { label }]) => {
      const e = oursEnc[k]!;
      const p = oursPlain[k]!;
      const r = results[k]!;
      return [
        label,
        `${e.p50} / ${e.p95}`,
        `${p.p50} / ${p.p95}`,
        `${r.p50} / ${r.p95}`,
        ratio(r.p95, e.p95),
        ratio(r.p95, p.p95),
      ];
    }),
  );
  console.log('p95 of each round, ms (encrypted | decrypted copy | PouchDB):');
  for (const [k, { label }] of Object.entries(kinds))
    console.log(
      `  ${label}: ${oursEnc[k]!.p95Rounds.join(' ')} | ${oursPlain[k]!.p95Rounds.join(' ')} | ${results[k]!.p95Rounds.join(' ')}`,
    );
  const headline = (r: Record<string, Result>, key: 'p50' | 'p95') => ({
    name: r.name![key],
    initials: r.initials![key],
    idFragment: r.idFragment4![key],
  });
  const pair = (r: Result) => ({ p50: r.p50, p95: r.p95 });
  emitResult('peer-search', {
    quick,
    peer: 'pouchdb-node 9 + pouchdb-find (leveldb adapter)',
    persons: loaded.persons,
    loadSeconds: Math.round(loaded.seconds * 10) / 10,
    indexSeconds: Math.round(indexSeconds * 10) / 10,
    p50: headline(results, 'p50'),
    p95: headline(results, 'p95'),
    detail: results,
    warmup: { perKindAndSide: WARMUP, peerScan: 1 },
    // Our searchPersons on our encrypted store (openStore, as the app runs it), in this process, same queries.
    ours: {
      store: 'SQLite3 Multiple Ciphers, SQLCipher v4 (encrypted at rest), opened by openStore',
      persons: oursLoaded.persons,
      loadSeconds: Math.round(oursLoaded.seconds * 10) / 10,
      storeMb: fileMb(encFile),
      p50: headline(oursEnc, 'p50'),
      p95: headline(oursEnc, 'p95'),
      detail: oursEnc,
    },
    // The same store decrypted (rekey ''): the cost of encryption at rest, measured. Never a production setting.
    plaintextDiagnostic: {
      note: 'diagnostic only: a decrypted copy of the same store; the production store is always encrypted',
      header: copy.header,
      copySeconds: Math.round(copy.seconds * 10) / 10,
      name: pair(oursPlain.name!),
      initials: pair(oursPlain.initials!),
      pinyin: pair(oursPlain.pinyin!),
      idFragment: pair(oursPlain.idFragment4!),
      detail: oursPlain,
    },
    pagesRead: pages,
  });
} finally {
  enc?.close();
  plain?.close();
  await db.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
