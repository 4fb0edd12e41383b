import type { WritePart } from '../db/combined';
import { JsonbArray } from '../db/jsonbArray';

/**
 * The set-based upserts of station-owned records (docs/sync-protocol.md SP-27), shared by the batch push and the
 * one-statement push (SP-29). Each returns one row per record written; a record another station owns is not written
 * (`WHERE … station_id`), so a short count means "someone else's record" and the caller decides what follows.
 * `guard`, when given, is an SQL condition every row must meet (the one-statement push's "the batch is next").
 *
 * The rows are objects serialised here, or (a JsonbArray) the stations' `….save` args as sent, `{ id, data, … }`,
 * handed to PostgreSQL as they are (SP-29).
 */

export interface CaseRow {
  id: string;
  data?: unknown;
  state?: string;
}

const where = (guard: string | undefined) => (guard ? `WHERE ${guard}` : '');

export function recordUpsert(table: 'persons' | 'households', rows: readonly { id: string; data: unknown }[] | JsonbArray, stationId: string, guard?: string): WritePart {
  return {
    sql: `INSERT INTO ${table} (id, station_id, data)
          SELECT (e->>'id')::uuid, $2::uuid, e->'data' FROM jsonb_array_elements($1::jsonb) AS e ${where(guard)}
          ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, updated_at = now()
            WHERE ${table}.station_id = EXCLUDED.station_id
          RETURNING 1`,
    params: [rows instanceof JsonbArray ? rows : JSON.stringify(rows), stationId],
  };
}

/** A case's station state: given beside the data, or (args as sent) the data's own `state` when that is text. */
const STATE_OF_ROW = "e->>'state'";
const STATE_OF_ARGS = "CASE WHEN jsonb_typeof(e->'data'->'state') = 'string' THEN e->'data'->>'state' END";

/**
 * `undecidedOnly` also refuses to touch a case the county has decided: the one-statement push has not read the case,
 * so it leaves any such case (a possible conflict, SP-25) to the batch path, which has.
 */
export function caseUpsert(rows: readonly CaseRow[] | JsonbArray, stationId: string, options: { guard?: string; undecidedOnly?: boolean } = {}): WritePart {
  const asSent = rows instanceof JsonbArray;
  return {
    sql: `INSERT INTO cases (id, station_id, data, station_state)
          SELECT (e->>'id')::uuid, $2::uuid, e->'data', ${asSent ? STATE_OF_ARGS : STATE_OF_ROW} FROM jsonb_array_elements($1::jsonb) AS e ${where(options.guard)}
          ON CONFLICT (id) DO UPDATE
            SET data = COALESCE(EXCLUDED.data, cases.data),
                station_state = COALESCE(EXCLUDED.station_state, cases.station_state),
                updated_at = now()
            WHERE cases.station_id = EXCLUDED.station_id${options.undecidedOnly ? ' AND cases.decision IS NULL' : ''}
          RETURNING 1`,
    params: [asSent ? rows : JSON.stringify(rows), stationId],
  };
}

/** Rows in id order: concurrent writers then lock shared rows in the same order and cannot deadlock on them. */
export function byId<T>(map: ReadonlyMap<string, T>): [string, T][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
