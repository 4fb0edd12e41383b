import { describe, expect, it } from 'vitest';
import { loadPopulation, VILLAGES } from '../../../bench/synthetic';
import { SEARCH_CAP, searchPersons } from '../../../main/core/services/search';
import type { Db } from '../../../main/core/db/open';
import { useCores } from './helpers';

const newCore = useCores();

interface Row {
  pk: number;
  id: string;
  name: string;
  village: string | null;
  name_initials: string;
  name_pinyin: string;
  name_initials_alt: string | null;
  name_pinyin_alt: string | null;
}

/**
 * The order the list promises, computed the slow obvious way in JS: each key's prefix matches sorted by (key, pk),
 * the keys one after another, a person listed once (at its first key), at most SEARCH_CAP of them.
 */
function expected(rows: Row[], keys: ((r: Row) => string | null)[][], q: string) {
  const out: Row[] = [];
  const seen = new Set<number>();
  for (const sortKey of keys) {
    const matches = rows
      .filter((r) => sortKey[0]!(r)?.startsWith(q))
      .sort((a, b) => {
        for (const k of sortKey) {
          const x = k(a) ?? '';
          const y = k(b) ?? '';
          if (x !== y) return x < y ? -1 : 1;
        }
        return a.pk - b.pk;
      });
    for (const r of matches) {
      if (seen.has(r.pk)) continue;
      seen.add(r.pk);
      out.push(r);
    }
  }
  return { ids: out.slice(0, SEARCH_CAP).map((r) => r.id), total: Math.min(out.length, SEARCH_CAP), capped: out.length > SEARCH_CAP };
}

/** Every page of a search, concatenated. */
function allPages(db: Db, query: string, pageSize: number) {
  const first = searchPersons(db, { query, village: null, page: 1, pageSize }, '2026-11-23');
  const ids = first.items.map((i) => i.id);
  for (let page = 2; (page - 1) * pageSize < first.total; page++) {
    ids.push(...searchPersons(db, { query, village: null, page, pageSize }, '2026-11-23').items.map((i) => i.id));
  }
  return { first, ids };
}

describe('people.search order and cap (pinned: same rows, same order, whatever indexes or caches serve them)', () => {
  it('lists matches by search key then registration order, merges the pinyin keys without repeats, and stops at the cap', () => {
    const core = newCore();
    loadPopulation(core.db, { persons: 12_000, seed: 11 });
    const rows = core.db
      .prepare(
        'SELECT pk, id, name, village, name_initials, name_pinyin, name_initials_alt, name_pinyin_alt FROM persons',
      )
      .all() as Row[];
    const pinyinKeys = [
      [(r: Row) => r.name_initials],
      [(r: Row) => r.name_pinyin],
      [(r: Row) => r.name_initials_alt],
      [(r: Row) => r.name_pinyin_alt],
    ];

    // 'l' (李 刘 林 罗 梁 …) matches more people than the cap: the list is the first SEARCH_CAP in order.
    const l = allPages(core.db, 'l', 50);
    const lWant = expected(rows, pinyinKeys, 'l');
    expect(l.first).toMatchObject({ mode: 'pinyin', total: SEARCH_CAP, totalCapped: true });
    expect(lWant.capped).toBe(true);
    expect(l.ids).toEqual(lWant.ids);

    // 'zh' is both initials (张华) and the start of full pinyin (zhang…): initials matches first, then the rest.
    for (const q of ['zh', 'wxy', 'lij', 'zhangw']) {
      const got = allPages(core.db, q, 37);
      const want = expected(rows, pinyinKeys, q);
      expect(got.first.total).toBe(want.total);
      expect(got.first.totalCapped).toBe(want.capped);
      expect(got.ids).toEqual(want.ids);
    }
    const zh = expected(rows, [pinyinKeys[0]!], 'zh').total;
    expect(zh).toBeGreaterThan(0);
    expect(expected(rows, pinyinKeys, 'zh').total).toBeGreaterThan(zh);

    // Chinese text: name prefix by (name, pk), then — for two or more characters — residents of villages whose
    // name starts with it, by (village, name, pk). The mode says which one matched.
    const nameKeys = [[(r: Row) => r.name], [(r: Row) => r.village, (r: Row) => r.name]];
    const village = VILLAGES[0]!.name;
    const cases: [string, 'name' | 'village'][] = [
      ['王', 'name'],
      [rows[5]!.name.slice(0, 2), 'name'],
      [rows[17]!.name, 'name'],
      [village.slice(0, 2), 'village'],
    ];
    for (const [q, mode] of cases) {
      const keys = [...q].length >= 2 ? nameKeys : nameKeys.slice(0, 1);
      const got = allPages(core.db, q, 50);
      const want = expected(rows, keys, q);
      expect(got.first.mode).toBe(mode);
      expect(got.first.total).toBe(want.total);
      expect(got.ids).toEqual(want.ids);
    }
  });
});
