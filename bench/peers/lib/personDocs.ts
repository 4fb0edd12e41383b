/**
 * The seeded synthetic population (bench/synthetic.ts, same seed, same order, same sampling rule as loadPopulation)
 * as PouchDB documents, with the same precomputed search keys our store keeps (nameKeys), so that the peer gets
 * the same data and the same help.
 */
import { nameKeys, type NameKeys } from '../../../main/core/services/people/nameKeys';
import { Population, type SynthPerson } from '../../synthetic';
import type { PouchDb, PouchDoc } from './pouch';

export function personDoc(p: SynthPerson, k: NameKeys): PouchDoc {
  return {
    _id: p.id,
    type: 'person',
    idNumber: p.idNumber,
    name: p.name,
    pinyin: k.pinyin,
    initials: k.initials,
    pinyinAlt: k.pinyinAlt,
    initialsAlt: k.initialsAlt,
    birthDate: p.birthDate,
    sex: p.sex,
    hukou: p.hukou,
    disabilityCategory: p.disabilityCategory,
    disabilityGrade: p.disabilityGrade,
    workAbility: p.workAbility,
    health: p.health,
    village: p.village,
    householdId: p.householdId,
    relation: p.relation,
  };
}

export interface PouchLoadResult {
  persons: number;
  seconds: number;
  sample: SynthPerson[];
}

/**
 * Loads at least `persons` persons (whole households, as loadPopulation does) with bulkDocs of ~1,000 documents —
 * PouchDB's fastest write shape. `sampleEvery` keeps every k-th person, counted the same way as loadPopulation.
 */
export async function loadPouchPopulation(
  db: PouchDb,
  opts: { persons: number; seed?: number; sampleEvery?: number; onProgress?: (n: number) => void },
): Promise<PouchLoadResult> {
  const started = performance.now();
  const pop = new Population(opts.seed);
  const cache = new Map<string, NameKeys>();
  const keysOf = (name: string) => {
    let k = cache.get(name);
    if (!k) {
      k = nameKeys(name);
      cache.set(name, k);
    }
    return k;
  };
  const sample: SynthPerson[] = [];
  let persons = 0;
  while (persons < opts.persons) {
    const limit = Math.min(10_000, opts.persons - persons);
    let inBatch = 0;
    let docs: PouchDoc[] = [];
    while (inBatch < limit) {
      const h = pop.household();
      for (const p of h.members) {
        docs.push(personDoc(p, keysOf(p.name)));
        if (opts.sampleEvery && (persons + inBatch) % opts.sampleEvery === 0) sample.push(p);
        inBatch++;
      }
      if (docs.length >= 1000) {
        await bulkOrThrow(db, docs);
        docs = [];
      }
    }
    if (docs.length > 0) await bulkOrThrow(db, docs);
    persons += inBatch;
    opts.onProgress?.(persons);
  }
  return { persons, seconds: (performance.now() - started) / 1000, sample };
}

export async function bulkOrThrow(db: PouchDb, docs: PouchDoc[]): Promise<void> {
  const res = await db.bulkDocs(docs);
  const failed = res.find((r) => r.error);
  if (failed) throw new Error(`PouchDB bulkDocs failed: ${String(failed.error)} ${failed.reason ?? ''}`);
}
