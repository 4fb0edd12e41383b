/**
 * bench peer intake — the same logical intake as bench/intake.ts, written to PouchDB (leveldb adapter).
 *
 * The documents are exactly what one real intake on our store produces (realIntake.ts): 4 person docs, the
 * household, the case in its final state (checklist inside), its 2 events, and its 8 audit entries — 16 documents,
 * written with ONE bulkDocs call per intake. That is the fastest fair shape: one leveldown batch per intake, where
 * one put per doc would be 16 batches (and 16 fsyncs with sync:true). PouchDB needs no outbox (its changes feed
 * plays that part), so it writes less than we do. Building the documents (fresh ids) is outside the timed part.
 *
 * Durability: run twice, on separate stores — leveldown's default (no fsync per write) and with `sync: true` forced
 * on every write (fsync per bulkDocs), the closest match to our SQLite commit with synchronous=FULL.
 * Background: the store first holds a synthetic population (--quick 10k persons, else 100k), as bench/intake.ts.
 * Durability floor: afterwards, on each store, FLOOR puts of one small document — PouchDB's smallest write (with
 * `sync: true`: its smallest durable one), the counterpart of bench/intake.ts's one-row commit.
 * Last line: one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { summarise, type Summary } from '../lib/stats';
import { emitResult, hasFlag, printTable } from '../lib/report';
import { benchStore } from '../lib/store';
import { openPouch, POUCH_DURABILITY, type PouchDb, type PouchDoc } from './lib/pouch';
import { bulkOrThrow, loadPouchPopulation } from './lib/personDocs';
import { intakeOutput, lastAuditSeq, lastOutboxId, prepareStation, realIntake } from '../lib/realIntake';

const quick = hasFlag('--quick');
const BACKGROUND = quick ? 10_000 : 100_000;
const INTAKES = quick ? 150 : 1_000;
const WARMUP = 10;
const FLOOR = quick ? 100 : 300;

type Timed = Summary & { perSecond: number };

/** One-document puts, one after another: the rate a single small write can reach on this store. */
async function floorOf(db: PouchDb): Promise<Timed> {
  for (let i = 0; i < WARMUP; i++) await db.put({ _id: `floor-warm-${i}`, v: 'warm-up' });
  const samples: number[] = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FLOOR; i++) {
    const t = process.hrtime.bigint();
    const res = await db.put({ _id: `floor-${i}`, v: `row ${i}` });
    if (!res.ok) throw new Error(`floor put failed: ${res.reason ?? 'unknown'}`);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { ...summarise(samples), perSecond: Math.round((FLOOR / seconds) * 10) / 10 };
}

/** The documents one intake produces, as a template whose ids are swapped per intake. */
function intakeTemplate(): { json: string; ids: string[]; docs: number } {
  const store = benchStore('peer-intake-template-');
  try {
    prepareStation(store.db);
    const m = lastOutboxId(store.db);
    const a = lastAuditSeq(store.db);
    realIntake(store.db, 1);
    const out = intakeOutput(store.db, m, a);
    const docs: PouchDoc[] = [];
    const lastCase = out.mutations.filter((x) => x.name === 'case.save').at(-1)!;
    for (const mu of out.mutations) {
      const args = mu.args as { id?: string; data?: Record<string, unknown>; eventId?: string };
      if (mu.name === 'person.save' || mu.name === 'household.save') {
        docs.push({ _id: args.id!, type: mu.name.split('.')[0], ...args.data });
      } else if (mu.name === 'case.event') {
        docs.push({ _id: args.eventId!, type: 'caseEvent', ...args });
      }
    }
    const c = lastCase.args as { id: string; data: Record<string, unknown> };
    docs.push({ _id: c.id, type: 'case', ...c.data });
    for (const audit of out.audits)
      docs.push({ _id: `audit-${String(audit.seq).padStart(12, '0')}`, type: 'audit', ...audit });
    const json = JSON.stringify(docs);
    const ids = [...new Set(json.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])];
    return { json, ids, docs: docs.length };
  } finally {
    store.cleanup();
  }
}

function docsFor(template: { json: string; ids: string[] }, k: number): PouchDoc[] {
  let json = template.json;
  for (const id of template.ids) json = json.replaceAll(id, uuidv7());
  // Audit ids are a sequence in our store; here a per-intake prefix keeps them unique.
  json = json.replaceAll('"_id":"audit-', `"_id":"audit-${k}-`);
  return JSON.parse(json) as PouchDoc[];
}

async function run(
  mode: 'default' | 'fsync',
  template: ReturnType<typeof intakeTemplate>,
): Promise<Timed & { floor: Timed }> {
  const dir = mkdtempSync(join(tmpdir(), `peer-intake-${mode}-`));
  const db = openPouch(join(dir, 'pouch'), { sync: mode === 'fsync' });
  try {
    const loaded = await loadPouchPopulation(db, { persons: BACKGROUND });
    console.log(
      `  [${mode}] background ${loaded.persons.toLocaleString()} persons loaded in ${loaded.seconds.toFixed(1)} s`,
    );
    let k = 0;
    const prepared = Array.from({ length: INTAKES + WARMUP }, () => docsFor(template, k++));
    for (let i = 0; i < WARMUP; i++) await bulkOrThrow(db, prepared[i]!);
    const samples: number[] = [];
    const t0 = process.hrtime.bigint();
    for (let i = WARMUP; i < prepared.length; i++) {
      const t = process.hrtime.bigint();
      await bulkOrThrow(db, prepared[i]!);
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const floor = await floorOf(db);
    return { ...summarise(samples), perSecond: Math.round((INTAKES / seconds) * 10) / 10, floor };
  } finally {
    await db.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`bench peer-intake — PouchDB ${INTAKES} intakes over ${BACKGROUND.toLocaleString()} background persons …`);
const template = intakeTemplate();
console.log(`one intake = ${template.docs} PouchDB documents (${template.json.length} bytes of JSON), one bulkDocs`);
const results: Record<'default' | 'fsync', Timed & { floor: Timed }> = {
  default: await run('default', template),
  fsync: await run('fsync', template),
};
printTable(
  ['PouchDB durability', 'write', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'per s'],
  (['default', 'fsync'] as const).flatMap((m) =>
    (['intake', 'floor'] as const).map((w) => {
      const r = w === 'intake' ? results[m] : results[m].floor;
      return [POUCH_DURABILITY[m], w === 'intake' ? 'intake (bulkDocs)' : 'one-doc put', r.n, r.p50, r.p95, r.p99, r.perSecond];
    }),
  ),
);
emitResult('peer-intake', {
  quick,
  peer: 'pouchdb-node 9 (leveldb adapter, leveldown 6)',
  backgroundPersons: BACKGROUND,
  intakes: INTAKES,
  docsPerIntake: template.docs,
  shape: 'one bulkDocs per intake',
  default: { ...results.default, durability: POUCH_DURABILITY.default },
  fsync: { ...results.fsync, durability: POUCH_DURABILITY.fsync },
});
