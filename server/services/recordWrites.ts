import type { WritePart } from '../db/combined';
import type { JsonbElements } from '../db/jsonbElements';

/**
 * The set-based upserts of station-owned records (docs/sync-protocol.md SP-27), shared by the batch push and the
 * one-statement push (SP-29). Each returns one row per record written; a record another station owns is not written
 * (`WHERE … station_id`), so a short count means "someone else's record" and the caller decides what follows.
 * `guard`, when given, is an SQL condition every row must meet (the one-statement push's "the batch is next").
 *
 * The rows are objects serialised here (the batch path), or `SavedRecords`: the records' ids and their `data` as JSON
 * texts, handed to PostgreSQL as they are (SP-29).
 */

export interface CaseRow {
  id: string;
  data?: unknown;
  state?: string;
}

/** Saved records, in the same order: their ids, and their `data` as JSON text (the station's bytes, SP-29). */
export interface SavedRecords {
  ids: readonly string[];
  data: JsonbElements;
}

const where = (guard: string | undefined) => (guard ? `WHERE ${guard}` : '');

/**
 * The rows as a subquery `r (id, data, state)`: its SQL ($1, and $3 for saved records; $2 is the station) and
 * parameters. Saved records are unnested from two arrays in the select list, which hands each `data` over without a
 * copy (server/db/jsonbElements.ts); a saved case's station state is its data's `state` when that is text, as a
 * case.save sets it (the batch path's rows carry it beside the data).
 */
function rowsOf(rows: readonly { id: string; data?: unknown; state?: string }[] | SavedRecords): { from: string; params: unknown[] } {
  if (!Array.isArray(rows)) {
    const saved = rows as SavedRecords;
    return {
      from: `(SELECT id, data, CASE WHEN jsonb_typeof(data->'state') = 'string' THEN data->>'state' END AS state
                FROM (SELECT unnest($1::uuid[]) AS id, unnest($3::jsonb[]) AS data) AS u) AS r`,
      // UUIDs need no quoting in an array literal; the statement's text stays the same for every batch (SP-29).
      params: [`{${saved.ids.join(',')}}`, saved.data],
    };
  }
  return {
    from: `(SELECT (e->>'id')::uuid AS id, e->'data' AS data, e->>'state' AS state FROM jsonb_array_elements($1::jsonb) AS e) AS r`,
    params: [JSON.stringify(rows)],
  };
}

export function recordUpsert(table: 'persons' | 'households', rows: readonly { id: string; data: unknown }[] | SavedRecords, stationId: string, guard?: string): WritePart {
  const { from, params } = rowsOf(rows);
  return {
    sql: `INSERT INTO ${table} (id, station_id, data)
          SELECT r.id, $2::uuid, r.data FROM ${from} ${where(guard)}
          ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, updated_at = now()
            WHERE ${table}.station_id = EXCLUDED.station_id
          RETURNING 1`,
    params: [params[0], stationId, ...params.slice(1)],
  };
}

/**
 * `undecidedOnly` also refuses to touch a case the county has decided: the one-statement push has not read the case,
 * so it leaves any such case (a possible conflict, SP-25) to the batch path, which has.
 */
export function caseUpsert(rows: readonly CaseRow[] | SavedRecords, stationId: string, options: { guard?: string; undecidedOnly?: boolean } = {}): WritePart {
  const { from, params } = rowsOf(rows);
  return {
    sql: `INSERT INTO cases (id, station_id, data, station_state)
          SELECT r.id, $2::uuid, r.data, r.state FROM ${from} ${where(options.guard)}
          ON CONFLICT (id) DO UPDATE
            SET data = COALESCE(EXCLUDED.data, cases.data),
                station_state = COALESCE(EXCLUDED.station_state, cases.station_state),
                updated_at = now()
            WHERE cases.station_id = EXCLUDED.station_id${options.undecidedOnly ? ' AND cases.decision IS NULL' : ''}
          RETURNING 1`,
    params: [params[0], stationId, ...params.slice(1)],
  };
}

/** Rows in id order: concurrent writers then lock shared rows in the same order and cannot deadlock on them. */
export function byId<T>(map: ReadonlyMap<string, T>): [string, T][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
