import type { ParsedMutation } from '../../shared/sync/mutations';
import type { PushResponse } from '../../shared/sync/protocol';
import { ParamList } from '../db/combined';
import { JsonbElements } from '../db/jsonbElements';
import { sqlState } from '../db/errors';
import type { CountyDb } from '../db/types';
import { byId, caseUpsert, recordUpsert, type SavedRecords } from './recordWrites';
import type { SaveName } from './saveArgsScan';
import type { SyncPrincipal } from './stations';

/**
 * The one-statement push (docs/sync-protocol.md SP-29). Most batches a county receives are the next mutations of
 * their client and only save records (person.save, household.save, case.save) that are new or the station's own and
 * undecided. Such a batch is applied by ONE statement in its own implicit transaction: lock the client row, check the
 * credential (SP-7/8) and that the batch starts right after L, upsert the records, advance L. One round trip instead
 * of five (BEGIN, lock, reads, writes, COMMIT), which is what lets the county keep up with hundreds of stations
 * pushing at once (issue 7).
 *
 * All or nothing, as SP-22 requires: every write and the new L are guarded by the "is next" check, and if any record
 * was refused (another station's, or a decided case) the statement calls county_push_refused(), which aborts it.
 * The plan is null when the batch does not qualify; the run answers null when it is not next (duplicates, gaps) or
 * was refused. Either way the caller runs the batch path (SP-27), which reads what it needs and answers every
 * mutation exactly.
 */

export interface OneStatementItem {
  id: number;
  /** What the statement writes for the mutation when it is a valid save of a record (`saveOf`); else undefined. */
  save?: OneStatementSave | undefined;
}

export interface OneStatementSave {
  table: 'persons' | 'households' | 'cases';
  recordId: string;
  /**
   * The record's `data` as JSON text: the station's own bytes when its args were checked on their bytes (a framed
   * push, SP-20, saveArgsScan.ts), else the validated value serialised.
   */
  data: Uint8Array;
}

const TABLE_OF_SAVE: Record<SaveName, OneStatementSave['table']> = { 'person.save': 'persons', 'household.save': 'households', 'case.save': 'cases' };

/** The save a framed save mutation makes with the station's bytes (its args checked on their bytes, saveArgsScan). */
export function savedAsSent(name: SaveName, recordId: string, data: Uint8Array): OneStatementSave {
  return { table: TABLE_OF_SAVE[name], recordId, data };
}

/** The save a mutation validated by the schema makes, for the statement; else undefined. */
export function saveOf(m: ParsedMutation): OneStatementSave | undefined {
  if (m.name !== 'person.save' && m.name !== 'household.save' && m.name !== 'case.save') return undefined;
  return { table: TABLE_OF_SAVE[m.name], recordId: m.args.id, data: Buffer.from(JSON.stringify(m.args.data)) };
}

export type OneStatementResult = Omit<PushResponse, 'gap'> & { applied: number };

/** The one statement for a batch, built before the batch's turn (docs/sync-protocol.md SP-28), or null. */
export interface OneStatementPlan {
  sql: string;
  values: unknown[];
  last: number;
  ids: readonly number[];
}

/**
 * Builds the statement for a batch that qualifies (see above), or null. Pure CPU work (the rows are serialised here),
 * so the route does it while an earlier batch of the same client is still committing.
 */
export function planOneStatementPush(who: SyncPrincipal, items: readonly OneStatementItem[], pendingCount: number | undefined): OneStatementPlan | null {
  const first = items[0]?.id;
  if (first === undefined) return null;
  // Keyed by record id, the last save of a record wins, as it would applied one by one.
  const rows = { persons: new Map<string, Uint8Array>(), households: new Map<string, Uint8Array>(), cases: new Map<string, Uint8Array>() };
  for (let i = 0; i < items.length; i++) {
    const { id, save } = items[i]!;
    if (!save || id !== first + i) return null;
    rows[save.table].set(save.recordId, save.data);
  }
  const last = first + items.length - 1;
  const me = who.stationId;
  const guard = 'EXISTS (SELECT 1 FROM next)';
  const saved = (map: ReadonlyMap<string, Uint8Array>): SavedRecords => {
    const sorted = byId(map);
    return { ids: sorted.map(([id]) => id), data: new JsonbElements(sorted.map(([, data]) => data)) };
  };
  const { persons, households, cases } = rows;
  const writes = [
    ...(cases.size ? [{ n: cases.size, part: caseUpsert(saved(cases), me, { guard, undecidedOnly: true }) }] : []),
    ...(persons.size ? [{ n: persons.size, part: recordUpsert('persons', saved(persons), me, guard) }] : []),
    ...(households.size ? [{ n: households.size, part: recordUpsert('households', saved(households), me, guard) }] : []),
  ];

  const p = new ParamList();
  // The row lock serialises this client's pushes as in SP-22; under READ COMMITTED a locked row is its newest version.
  const lock = p.add(
    `SELECT last_mutation_id FROM clients
      WHERE client_id = $1 AND station_id = $2
        AND EXISTS (SELECT 1 FROM credentials WHERE token_hash = $3 AND client_id = $1 AND revoked_at IS NULL)
        FOR UPDATE OF clients`,
    [who.clientId, me, who.credentialHash],
  );
  const next = p.add('SELECT 1 FROM lock WHERE last_mutation_id = $1', [first - 1]);
  const ctes = writes.map((w, i) => `w${i} AS (${p.add(w.part.sql, w.part.params)})`);
  const bump = p.add(
    `UPDATE clients SET last_mutation_id = $2, last_push_at = now(), pending_count = COALESCE($3, pending_count)
      WHERE client_id = $1 AND ${guard} RETURNING 1`,
    [who.clientId, last, pendingCount ?? null],
  );
  // The counts are parameters, not text: the statement is kept prepared (SP-29), and its text must not vary by batch.
  const allWritten = writes.map((w, i) => `(SELECT count(*) FROM w${i}) = ${p.add('$1', [w.n])}`).join(' AND ') || 'true';
  const sql = `WITH lock AS (${lock}), next AS (${next}), ${[...ctes, `bump AS (${bump})`].join(', ')}
    SELECT (SELECT count(*) FROM bump) = 1 AS applied,
           CASE WHEN NOT ${guard} OR (${allWritten}) THEN true ELSE county_push_refused() END AS complete`;
  return { sql, values: p.values, last, ids: items.map((i) => i.id) };
}

/** Runs a planned statement: the batch's answer, or null when the batch path must decide (see above). */
export async function runOneStatementPush(db: CountyDb, plan: OneStatementPlan): Promise<OneStatementResult | null> {
  try {
    const { rows } = await db.query<{ applied: boolean; complete: boolean }>(plan.sql, plan.values, { prepare: true });
    if (!rows[0]?.applied) return null;
  } catch (err) {
    // Refused (P0001 from county_push_refused), a deadlock, refused data …: the statement wrote nothing, and the batch
    // path decides. Without an SQLSTATE the database itself is in trouble, which the caller reports.
    if (sqlState(err) !== undefined) return null;
    throw err;
  }
  return { lastMutationId: plan.last, results: plan.ids.map((id) => ({ id, status: 'applied' as const })), applied: plan.ids.length };
}
