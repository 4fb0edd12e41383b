import type { CountyDb, Queryable } from '../db/types';

/**
 * The pull feed (docs/sync-protocol.md SP-31, SP-33, SP-35). Every county-side change a station must learn about is
 * appended here in the transaction that makes it.
 */

/** Held from drawing a seq to commit, so seqs become visible in order (see migration 0001, change_log). */
const CHANGE_LOG_LOCK = 7_312_002;

/** Who may see an entry: everyone, one station, the stations of one township, or one install. */
export type Scope = 'county' | `station:${string}` | `township:${string}` | `client:${string}`;

export const scopes = {
  county: 'county' as const,
  station: (stationId: string): Scope => `station:${stationId}`,
  township: (township: string): Scope => `township:${township}`,
  client: (clientId: string): Scope => `client:${clientId}`,
};

/** Feed tables beyond the pulled ones: outcomes of a client's own mutations (delivered as mutationResults). */
export const MUTATION_RESULT_TABLE = 'mutation_result';

export interface ChangeEntry {
  tbl: string;
  key: string;
  scope: Scope;
  op: 'upsert' | 'delete';
  data: unknown;
}

/**
 * Records the latest state of each (tbl, key). Moving an existing row to a fresh seq (instead of adding one) keeps
 * the log compacted: replaying it from the start yields exactly the current state, which is the reset snapshot.
 */
export async function appendChanges(tx: Queryable, entries: readonly ChangeEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const latest = new Map<string, ChangeEntry>();
  for (const e of entries) latest.set(`${e.tbl}\u0001${e.key}`, e);
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
  await tx.query(
    `INSERT INTO change_log (tbl, key, seq, scope, op, data)
     SELECT e->>'tbl', e->>'key', nextval('change_seq'), e->>'scope', e->>'op', NULLIF(e->'data', 'null'::jsonb)
       FROM jsonb_array_elements($1::jsonb) AS e
     ON CONFLICT (tbl, key) DO UPDATE
       SET seq = EXCLUDED.seq, scope = EXCLUDED.scope, op = EXCLUDED.op, data = EXCLUDED.data, changed_at = now()`,
    [JSON.stringify([...latest.values()].map((e) => ({ ...e, data: e.op === 'delete' ? null : e.data })))],
  );
}

export interface FeedPosition {
  epoch: string;
  /** Seqs at or below this were compacted away; cursors before it must reset. */
  compactedThrough: number;
}

export async function readFeedPosition(q: Queryable): Promise<FeedPosition> {
  const { rows } = await q.query<{ key: string; value: string }>(
    `SELECT key, value FROM county_meta WHERE key IN ('epoch', 'compacted_through')`,
  );
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  return { epoch: get('epoch') ?? '', compactedThrough: Number(get('compacted_through') ?? 0) };
}

/** Highest seq ever drawn (committed or not): a genuine cursor never exceeds it. */
export async function lastIssuedSeq(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ last_value: string | number; is_called: boolean }>(
    'SELECT last_value, is_called FROM change_seq',
  );
  const row = rows[0];
  return row && row.is_called ? Number(row.last_value) : 0;
}

/**
 * Forgets tombstones older than `olderThan`. Stations whose cursor is before the newest forgotten tombstone could
 * miss that delete, so the horizon moves up with it and their next pull resets (SP-35). Returns rows removed.
 */
export async function compactChangeLog(q: CountyDb, olderThan: Date): Promise<number> {
  return q.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
    const { rows } = await tx.query<{ seq: string | number }>(
      `DELETE FROM change_log WHERE op = 'delete' AND changed_at < $1 RETURNING seq`,
      [olderThan.toISOString()],
    );
    if (rows.length === 0) return 0;
    const horizon = Math.max(...rows.map((r) => Number(r.seq)));
    await tx.query(
      `UPDATE county_meta SET value = GREATEST(value::bigint, $1::bigint)::text WHERE key = 'compacted_through'`,
      [horizon],
    );
    return rows.length;
  });
}
