import { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, type Change, type MutationOutcome, type PullResponse } from '../../shared/sync/protocol';
import type { CountyDb } from '../db/types';
import { lastIssuedSeq, MUTATION_RESULT_TABLE, readFeedPosition, scopes, type Scope } from './changeLog';
import { decodeCursor, encodeCursor } from './cursor';
import type { SyncPrincipal } from './stations';

/**
 * Pull (docs/sync-protocol.md SP-30 … SP-36). One REPEATABLE READ READ ONLY transaction reads the feed page, the
 * client's lastMutationId and its mutation outcomes, so all three describe the same instant.
 */

export interface PullInput {
  cursor: string | null;
  limit?: number | undefined;
  pendingCount?: number | undefined;
}

/** The feeds one client sees (SP-33): county-wide, its station's, its township's, its own mutation outcomes. */
export function scopesOf(who: SyncPrincipal): Scope[] {
  return [scopes.county, scopes.station(who.stationId), scopes.township(who.township), scopes.client(who.clientId)];
}

export async function pull(db: CountyDb, who: SyncPrincipal, input: PullInput): Promise<PullResponse> {
  const limit = Math.min(Math.max(1, input.limit ?? DEFAULT_PULL_LIMIT), MAX_PULL_LIMIT);
  const page = await db.transaction(
    async (tx) => {
      const position = await readFeedPosition(tx);
      const given = input.cursor === null ? null : decodeCursor(input.cursor);
      // SP-34: anything but a cursor this database issued and still honours starts a full snapshot from seq 0.
      const valid =
        given !== null &&
        given.epoch === position.epoch &&
        given.seq >= position.compactedThrough &&
        given.seq <= (await lastIssuedSeq(tx));
      const after = valid ? given.seq : 0;
      const { rows } = await tx.query<{ tbl: string; key: string; seq: string | number; op: 'upsert' | 'delete'; data: unknown }>(
        `SELECT tbl, key, seq, op, data FROM change_log WHERE scope = ANY($1::text[]) AND seq > $2 ORDER BY seq LIMIT $3`,
        [scopesOf(who), after, limit + 1],
      );
      const client = await tx.query<{ last_mutation_id: string | number }>('SELECT last_mutation_id FROM clients WHERE client_id = $1', [
        who.clientId,
      ]);
      return { epoch: position.epoch, reset: !valid, after, rows, lastMutationId: Number(client.rows[0]?.last_mutation_id ?? 0) };
    },
    { isolation: 'repeatable read', readOnly: true },
  );

  const hasMore = page.rows.length > limit;
  const rows = hasMore ? page.rows.slice(0, limit) : page.rows;
  const changes: Change[] = [];
  const mutationResults: MutationOutcome[] = [];
  for (const r of rows) {
    if (r.tbl === MUTATION_RESULT_TABLE) mutationResults.push(r.data as MutationOutcome);
    else changes.push({ table: r.tbl, op: r.op, key: r.key, data: r.op === 'delete' ? null : r.data } as Change);
  }
  const lastSeq = rows.length > 0 ? Number(rows[rows.length - 1]!.seq) : page.after;

  // Bookkeeping for the station list; outside the snapshot, and harmless if it is lost.
  await db.query('UPDATE clients SET last_pull_at = now(), pending_count = COALESCE($2, pending_count) WHERE client_id = $1', [
    who.clientId,
    input.pendingCount ?? null,
  ]);

  return {
    cursor: encodeCursor({ epoch: page.epoch, seq: lastSeq }),
    reset: page.reset,
    hasMore,
    changes,
    lastMutationId: page.lastMutationId,
    mutationResults,
  };
}
