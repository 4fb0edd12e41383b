import { localToday } from '../../../shared/domain/calendar';
import { normaliseIdNumber } from '../../../shared/domain/idNumber';
import { AppError } from '../../../shared/ipc/errors';
import type { SearchResult } from '../../../shared/schemas/people';
import type { Db } from '../db/open';
import { personRowsByPk, toListItem } from './persons';

/** Matches are collected up to this many; beyond it the list asks for a narrower query instead of paging on. */
export const SEARCH_CAP = 2000;

type Mode = SearchResult['mode'];

/** Upper bound of a prefix range: every string that starts with `prefix` sorts below it (BINARY collation). */
const prefixEnd = (prefix: string) => prefix + '\u{10FFFF}';

export function classifyQuery(raw: string): { mode: Mode; text: string } {
  const q = raw.trim();
  if (q === '') return { mode: 'all', text: '' };
  const digits = normaliseIdNumber(q);
  if (/^\d[\dX]*$/.test(digits)) return { mode: 'idFragment', text: digits };
  const latin = q.toLowerCase().replace(/[\s']/g, '').replace(/ü/g, 'v');
  if (/^[a-z]+$/.test(latin)) return { mode: 'pinyin', text: latin };
  return { mode: 'name', text: q.replace(/\s+/g, '') };
}

interface Branch {
  sql: string;
  params: unknown[];
}

/**
 * Each branch is an index range scan returning person pks in index order (no sort step). Branches run one after
 * another, their results are merged in branch order without duplicates, and collection stops at the cap — so the
 * cost of a query is bounded by the cap, not by the size of the store.
 */
function collect(db: Db, branches: Branch[], cap: number): { pks: number[]; capped: boolean; firstBranchHits: number } {
  let pks: number[] = [];
  // One index range never repeats a pk, so the first branch with rows needs no duplicate check; the set is built
  // only when a second branch has rows to merge (most searches have one: a 2,000-row set cost as much as the scan).
  let seen: Set<number> | null = null;
  let capped = false;
  let firstBranchHits = 0;
  for (const [i, b] of branches.entries()) {
    const rows = db
      .prepare(`${b.sql} LIMIT ?`)
      .pluck()
      .all(...b.params, cap + 1) as number[];
    if (i === 0) firstBranchHits = rows.length;
    if (rows.length > cap) capped = true;
    if (pks.length === 0) {
      pks = rows;
    } else if (rows.length > 0) {
      seen ??= new Set(pks);
      for (const pk of rows) {
        if (seen.has(pk)) continue;
        seen.add(pk);
        pks.push(pk);
      }
    }
    if (pks.length > cap) break;
  }
  if (pks.length > cap) {
    capped = true;
    pks.length = cap;
  }
  return { pks, capped, firstBranchHits };
}

/** Columns with a (village, column) index, so a village-filtered prefix search is one index range. */
const VILLAGE_INDEXED = new Set(['name', 'name_initials', 'name_pinyin']);

function prefixBranch(column: string, text: string, village: string | null): Branch {
  if (!village) {
    return {
      sql: `SELECT pk FROM persons WHERE ${column} >= ? AND ${column} < ? ORDER BY ${column}, pk`,
      params: [text, prefixEnd(text)],
    };
  }
  return VILLAGE_INDEXED.has(column)
    ? {
        sql: `SELECT pk FROM persons WHERE village = ? AND ${column} >= ? AND ${column} < ? ORDER BY ${column}, pk`,
        params: [village, text, prefixEnd(text)],
      }
    : {
        sql: `SELECT pk FROM persons WHERE ${column} >= ? AND ${column} < ? AND +village = ? ORDER BY ${column}, pk`,
        params: [text, prefixEnd(text), village],
      };
}

function villageBranch(text: string, exact: boolean): Branch {
  return exact
    ? { sql: 'SELECT pk FROM persons WHERE village = ? ORDER BY name, pk', params: [text] }
    : {
        sql: 'SELECT pk FROM persons WHERE village >= ? AND village < ? ORDER BY village, name, pk',
        params: [text, prefixEnd(text)],
      };
}

function idFragmentBranch(text: string, village: string | null): Branch {
  if (text.length === 18) return prefixBranch('id_number', text, village);
  // Trigram full-text index: a quoted phrase of ≥ 3 characters matches it as a substring anywhere in the number.
  const match = `"${text}"`;
  return village
    ? {
        sql: `SELECT f.rowid FROM persons_id_fts f JOIN persons p ON p.pk = f.rowid
              WHERE persons_id_fts MATCH ? AND p.village = ? ORDER BY f.rowid`,
        params: [match, village],
      }
    : { sql: 'SELECT rowid FROM persons_id_fts WHERE persons_id_fts MATCH ? ORDER BY rowid', params: [match] };
}

export interface SearchParams {
  query: string;
  village: string | null;
  page: number;
  pageSize: number;
}

/**
 * Finds persons by name prefix (张三), full pinyin or initials prefix (zhangsan, zsf), any run of ≥ 4 digits of the
 * ID number, or village; `village` narrows any of them to one village. Lists carry masked ID numbers only.
 */
export function searchPersons(db: Db, params: SearchParams, today: string = localToday()): SearchResult {
  const { mode, text } = classifyQuery(params.query);
  const village = params.village;
  let branches: Branch[] = [];
  let effectiveMode: Mode = mode;
  switch (mode) {
    case 'all':
      branches = village
        ? [villageBranch(village, true)]
        : [{ sql: 'SELECT pk FROM persons ORDER BY pk DESC', params: [] }];
      if (village) effectiveMode = 'village';
      break;
    case 'idFragment':
      if (text.length < 4)
        throw new AppError('INVALID_INPUT', '按身份证号查找请至少输入 4 位连续数字', [
          { path: 'query', message: '至少输入 4 位连续数字' },
        ]);
      branches = [idFragmentBranch(text, village)];
      break;
    case 'pinyin':
      branches = [
        prefixBranch('name_initials', text, village),
        prefixBranch('name_pinyin', text, village),
        prefixBranch('name_initials_alt', text, village),
        prefixBranch('name_pinyin_alt', text, village),
      ];
      break;
    case 'name':
      branches = [prefixBranch('name', text, village)];
      // A Chinese query may also be a village (红星村): its residents follow the name matches.
      if (!village && text.length >= 2) branches.push(villageBranch(text, false));
      break;
  }
  const { pks, capped, firstBranchHits } = collect(db, branches, SEARCH_CAP);
  // The name branch runs first: when it found nobody, every match came from the village branch.
  if (mode === 'name' && !village && pks.length > 0 && firstBranchHits === 0) effectiveMode = 'village';
  const start = (params.page - 1) * params.pageSize;
  const rows = personRowsByPk(db, pks.slice(start, start + params.pageSize));
  return {
    mode: effectiveMode,
    items: rows.map((r) => toListItem(r, today)),
    total: pks.length,
    totalCapped: capped,
    page: params.page,
    pageSize: params.pageSize,
  };
}

export function listVillages(db: Db): { village: string; households: number }[] {
  // households is small (a township has a few thousand); a scan is fine here.
  return db
    .prepare('SELECT village, count(*) AS households FROM households GROUP BY village ORDER BY village')
    .all() as {
    village: string;
    households: number;
  }[];
}
