import { parseMutation, type ParsedMutation } from '../../shared/sync/mutations';
import {
  CONFLICT_CODES,
  PERMANENT_ERROR_CODES,
  type CaseDecision,
  type ConflictCode,
  type MutationOutcome,
  type MutationResult,
  type PermanentErrorCode,
  type PushResponse,
  type RecordedOutcome,
} from '../../shared/sync/protocol';
import { isDataError, isRetryableTransactionError, sqlState } from '../db/errors';
import { runCombined, type WritePart } from '../db/combined';
import type { CountyDb, Queryable } from '../db/types';
import { appendChanges, MUTATION_RESULT_TABLE, scopes } from './changeLog';
import { decisionFromRow, type CaseCountyRow } from './caseCounty';
import { ServiceError } from './errors';
import { planOneStatementPush, runOneStatementPush, savedAsSent, saveOf, type OneStatementItem, type OneStatementPlan } from './pushOneStatement';
import { isSaveName, scanSaveArgs } from './saveArgsScan';
import { byId, caseUpsert, recordUpsert, type CaseRow } from './recordWrites';
import { jsonEqual } from './jsonEqual';
import type { SyncPrincipal } from './stations';
import type { DuplicateScope } from './console/duplicates';

/**
 * Push (docs/sync-protocol.md SP-20 … SP-27).
 *
 * Exactly-once: one PostgreSQL transaction per batch locks the client's row, decides for every mutation whether it is
 * a duplicate (id ≤ lastMutationId), the next one, or a gap, applies the next ones and stores the new lastMutationId —
 * all in that transaction. Either all of it commits or none of it does, so a retried batch meets exactly the
 * lastMutationId its effects produced (SP-22).
 *
 * Throughput: the applied mutations of a batch are planned in memory and written with a handful of set-based
 * statements instead of several round trips each. If the database nevertheless refuses the data, the batch is
 * rolled back and run again with one SAVEPOINT per mutation, which pins the refusal on the one mutation responsible
 * and records it as a permanent error (SP-24, no poison pill).
 */

export interface PushInput {
  mutations: readonly { id: number; name: string; args: unknown }[];
  pendingCount?: number | undefined;
  /**
   * A framed push (SP-20): the args of mutations[i] as sent, checked here (their `args` are not looked at): saves on
   * their bytes where saveArgsScan can vouch for them, everything else parsed. Broken JSON refuses the whole request
   * (400), as it does in a JSON body.
   */
  rawArgs?: readonly Buffer[] | undefined;
}

export interface PushStats {
  applied: number;
  duplicate: number;
  rejected: number;
  conflict: number;
  /**
   * 'statement': applied by the one-statement push (SP-29); 'batch': the batch path (SP-27); 'savepoint' when the
   * batch path hit a database refusal and the batch was re-run mutation by mutation.
   */
  mode: 'statement' | 'batch' | 'savepoint';
  attempts: number;
}

type Item = { id: number; name: string } & ({ parsed: ParsedMutation; invalid?: undefined } | { parsed?: undefined; invalid: string });

type Outcome =
  | { status: 'applied' }
  | { status: 'rejected' | 'conflict'; code: PermanentErrorCode | ConflictCode; message: string; recordId: string | null };

/** Another station claimed a record between our read and our write: the whole batch is re-run and sees the owner. */
class OwnershipRace extends Error {}

const MAX_ATTEMPTS = 8;

/**
 * What a push needs before it touches the database: every mutation validated, and the one statement built when the
 * batch qualifies (SP-29). CPU only, no database: the route prepares a batch while the client's earlier batch is
 * still committing (SP-28), instead of after it.
 */
export interface PreparedPush {
  /** The validated mutations, for the batch path. */
  items(): readonly Item[];
  pendingCount: number | undefined;
  oneStatement: OneStatementPlan | null;
  /** The records the batch saves or acts on, for the duplicate check (SP-38). */
  touched: DuplicateScope;
}

function validate(input: PushInput): Item[] {
  return input.mutations.map((m, i) => {
    const raw = input.rawArgs?.[i];
    const parsed = parseMutation(m.id, m.name, raw ? parseArgs(m.id, raw) : m.args);
    return parsed.ok ? { id: m.id, name: m.name, parsed: parsed.mutation } : { id: m.id, name: m.name, invalid: parsed.message };
  });
}

function parseArgs(id: number, raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ServiceError('BAD_REQUEST', `第 ${id} 条变更的参数不是有效的 JSON。`);
  }
}

type Touched = { caseIds: string[]; personIds: string[] };

/** Records a mutation of `name` saves or acts on, for the duplicate check (SP-38). */
function touchRecord(scope: Touched, name: string, recordId: string): void {
  if (name === 'person.save') scope.personIds.push(recordId);
  else if (name === 'case.save' || name === 'case.event') scope.caseIds.push(recordId);
}

function touch(scope: Touched, m: ParsedMutation): void {
  if (m.name === 'person.save' || m.name === 'case.save') touchRecord(scope, m.name, m.args.id);
  else if (m.name === 'case.event') touchRecord(scope, m.name, m.args.caseId);
}

export function preparePush(who: SyncPrincipal, input: PushInput): PreparedPush {
  const { rawArgs, pendingCount } = input;
  const touched: Touched = { caseIds: [], personIds: [] };
  if (!rawArgs) {
    const items = validate(input);
    for (const { parsed } of items) if (parsed) touch(touched, parsed);
    const oneStatement = planOneStatementPush(who, items.map((item) => ({ id: item.id, save: item.parsed && saveOf(item.parsed) })), pendingCount);
    return { items: () => items, pendingCount, oneStatement, touched };
  }
  // A framed push: the statement writes the station's bytes, so each mutation's parsed value is dropped as soon as it
  // is checked; only the batch path needs the values, seldom, and parses again. Kept for the whole batch, they were
  // still alive at the next young-generation collection and were copied and promoted: with --trace-gc, a 100k-record
  // sync spent 610-780 ms of the county's main thread in garbage collection, and 265-390 ms once they were dropped.
  if (rawArgs.length !== input.mutations.length) throw new Error('rawArgs must hold the args of every mutation');
  const planned: OneStatementItem[] = input.mutations.map((m, i) => {
    const raw = rawArgs[i]!;
    const { name } = m;
    // Saves are checked on their bytes when that can vouch for them (saveArgsScan.ts); anything else, and any save it
    // cannot vouch for, is parsed and checked by the schema.
    if (isSaveName(name)) {
      const scanned = scanSaveArgs(name, raw);
      if (scanned !== null) {
        touchRecord(touched, name, scanned.id);
        return { id: m.id, save: savedAsSent(name, scanned.id, scanned.data) };
      }
    }
    const parsed = parseMutation(m.id, m.name, parseArgs(m.id, raw));
    if (!parsed.ok) return { id: m.id };
    touch(touched, parsed.mutation);
    return { id: m.id, save: saveOf(parsed.mutation) };
  });
  return { items: () => validate(input), pendingCount, oneStatement: planOneStatementPush(who, planned, pendingCount), touched };
}

export async function applyPush(db: CountyDb, who: SyncPrincipal, input: PushInput | PreparedPush): Promise<PushResponse & { stats: PushStats }> {
  const prepared = 'touched' in input ? input : preparePush(who, input);
  const { pendingCount, oneStatement } = prepared;
  const quick = oneStatement ? await runOneStatementPush(db, oneStatement) : null;
  if (quick) {
    const { applied, ...res } = quick;
    return { ...res, stats: { applied, duplicate: 0, rejected: 0, conflict: 0, mode: 'statement', attempts: 1 } };
  }
  const items = prepared.items();
  let mode: PushStats['mode'] = 'batch';
  // Person and household ids are new almost always: the first attempt writes without reading their owners, and
  // the writes themselves refuse to touch another station's row (ON CONFLICT … WHERE station_id). Only when one
  // was refused does the batch run again with the owners read, to answer NOT_OWNER for exactly those mutations.
  let readOwnersFirst = false;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await db.transaction((tx) => runPush(tx, who, items, pendingCount, mode, readOwnersFirst));
      return { ...res, stats: { ...res.stats, mode, attempts: attempt } };
    } catch (err) {
      if (err instanceof OwnershipRace && !readOwnersFirst) {
        readOwnersFirst = true;
        continue;
      }
      if (attempt < MAX_ATTEMPTS && (err instanceof OwnershipRace || isRetryableTransactionError(err))) {
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
        continue;
      }
      if (mode === 'batch' && isDataError(err)) {
        mode = 'savepoint';
        continue;
      }
      throw err;
    }
  }
}

async function runPush(
  tx: Queryable,
  who: SyncPrincipal,
  items: readonly Item[],
  pendingCount: number | undefined,
  mode: PushStats['mode'],
  readOwnersFirst: boolean,
): Promise<PushResponse & { stats: Omit<PushStats, 'mode' | 'attempts'> }> {
  // The row lock serialises pushes of one client: two racing copies of a batch cannot both see the old value.
  // The credential is checked here too, in the transaction that writes (SP-7/SP-8): the route may have taken the
  // principal from its cache, and a credential revoked since then must change nothing.
  const { rows } = await tx.query<{ last_mutation_id: string | number }>(
    `SELECT last_mutation_id FROM clients
      WHERE client_id = $1 AND station_id = $2
        AND EXISTS (SELECT 1 FROM credentials WHERE token_hash = $3 AND client_id = $1 AND revoked_at IS NULL)
        FOR UPDATE OF clients`,
    [who.clientId, who.stationId, who.credentialHash],
  );
  if (!rows[0]) throw new ServiceError('UNAUTHENTICATED');
  const before = Number(rows[0].last_mutation_id);

  let expected = before + 1;
  let gap: { expected: number } | undefined;
  const processed: Item[] = [];
  const toApply: Item[] = [];
  for (const item of items) {
    if (item.id > expected) {
      gap = { expected };
      break;
    }
    processed.push(item);
    if (item.id === expected) {
      toApply.push(item);
      expected++;
    }
  }

  const lastMutationId = expected - 1;
  // SP-22: L advances in the same transaction as the effects; in batch mode it rides in the statement that writes.
  const bump: WritePart = {
    sql: `UPDATE clients SET last_mutation_id = $2, last_push_at = now(), pending_count = COALESCE($3, pending_count)
           WHERE client_id = $1 RETURNING 1`,
    params: [who.clientId, lastMutationId, pendingCount ?? null],
  };
  const outcomes = new Map<number, Outcome>();
  if (mode === 'batch') {
    for (const [id, o] of await applyChunk(tx, who, toApply, readOwnersFirst, bump)) outcomes.set(id, o);
  } else {
    for (const item of toApply) {
      await tx.query('SAVEPOINT mutation');
      try {
        const [[, o]] = await applyChunk(tx, who, [item], true);
        outcomes.set(item.id, o);
        await tx.query('RELEASE SAVEPOINT mutation');
      } catch (err) {
        if (!isDataError(err)) throw err;
        await tx.query('ROLLBACK TO SAVEPOINT mutation');
        const o: Outcome = {
          status: 'rejected',
          code: 'APPLY_FAILED',
          // SQLSTATE only: database messages can quote the refused values, which may be personal data.
          message: `${PERMANENT_ERROR_CODES.APPLY_FAILED}（数据库错误代码 ${sqlState(err) ?? '未知'}）`,
          recordId: recordIdOf(item),
        };
        await recordOutcomes(tx, who, [[item, o]]);
        outcomes.set(item.id, o);
      }
    }
    await tx.query(bump.sql, bump.params);
  }


  const earlier = new Map<number, RecordedOutcome>();
  const dupIds = processed.filter((i) => i.id <= before).map((i) => i.id);
  if (dupIds.length > 0) {
    const prev = await tx.query<{ mutation_id: string | number } & RecordedOutcome>(
      `SELECT mutation_id, status, code, message FROM mutation_results WHERE client_id = $1 AND mutation_id = ANY($2::bigint[])`,
      [who.clientId, dupIds],
    );
    for (const r of prev.rows) earlier.set(Number(r.mutation_id), { status: r.status, code: r.code, message: r.message });
  }

  const stats = { applied: 0, duplicate: 0, rejected: 0, conflict: 0 };
  const seen = new Set<number>();
  const results: MutationResult[] = processed.map((item) => {
    const outcome = outcomes.get(item.id);
    if (outcome && !seen.has(item.id)) {
      seen.add(item.id);
      stats[outcome.status]++;
      return outcome.status === 'applied'
        ? { id: item.id, status: 'applied' }
        : { id: item.id, status: outcome.status, code: outcome.code, message: outcome.message };
    }
    stats.duplicate++;
    const original = earlier.get(item.id) ?? (outcome && outcome.status !== 'applied' ? toRecorded(outcome) : undefined);
    return original ? { id: item.id, status: 'duplicate', original } : { id: item.id, status: 'duplicate' };
  });
  return gap ? { lastMutationId, results, gap, stats } : { lastMutationId, results, stats };
}

const toRecorded = (o: Exclude<Outcome, { status: 'applied' }>): RecordedOutcome => ({ status: o.status, code: o.code, message: o.message });

function recordIdOf(item: Item): string | null {
  if (!item.parsed) return null;
  const m = item.parsed;
  switch (m.name) {
    case 'person.save':
    case 'household.save':
    case 'case.save':
      return m.args.id;
    case 'case.event':
    case 'attachment.register':
    case 'payment.record':
      return m.args.caseId;
    default:
      return null;
  }
}

interface CaseState {
  owner: string;
  countyVersion: number;
  decision: CaseDecision | null;
  /** The stored station data, kept only for decided cases (the only ones that can conflict). */
  data: unknown;
}


interface ConflictRow {
  caseId: string;
  mutationId: number;
  mutationName: string;
  stationVersion: unknown;
  baseCountyVersion: number;
  countyVersion: number;
  countySnapshot: { countyVersion: number; decision: CaseDecision | null };
}

/**
 * Applies consecutive mutations of one client: reads what they touch, plans them in order in memory (later ones see
 * earlier ones), writes the result set-wise. Returns the outcome of every item.
 */
async function applyChunk(
  tx: Queryable,
  who: SyncPrincipal,
  items: readonly Item[],
  readOwnersFirst: boolean,
  /** A write of another table to run in the same statement as the record writes (one round trip fewer). */
  rider?: WritePart,
): Promise<Map<number, Outcome>> {
  const me = who.stationId;
  const outcomes = new Map<number, Outcome>();
  const refused: [Item, Exclude<Outcome, { status: 'applied' }>][] = [];
  const refuse = (item: Item, status: 'rejected' | 'conflict', code: PermanentErrorCode | ConflictCode, message: string, recordId: string | null) => {
    const o = { status, code, message, recordId } as const;
    outcomes.set(item.id, o);
    refused.push([item, o]);
  };
  const notOwner = (item: Item, recordId: string) => refuse(item, 'rejected', 'NOT_OWNER', PERMANENT_ERROR_CODES.NOT_OWNER, recordId);

  const personIds = new Set<string>();
  const householdIds = new Set<string>();
  const caseIds = new Set<string>();
  const eventIds = new Set<string>();
  const paymentIds = new Set<string>();
  for (const item of items) {
    const m = item.parsed;
    if (!m) continue;
    if (m.name === 'person.save') personIds.add(m.args.id);
    else if (m.name === 'household.save') householdIds.add(m.args.id);
    else if (m.name === 'case.save') caseIds.add(m.args.id);
    else if (m.name === 'case.event') {
      caseIds.add(m.args.caseId);
      eventIds.add(m.args.eventId);
    } else if (m.name === 'attachment.register') caseIds.add(m.args.caseId);
    else if (m.name === 'payment.record') {
      caseIds.add(m.args.caseId);
      paymentIds.add(m.args.id);
    }
  }

  const personOwners = readOwnersFirst ? await readOwners(tx, 'persons', 'id', personIds) : new Map<string, string>();
  const householdOwners = readOwnersFirst ? await readOwners(tx, 'households', 'id', householdIds) : new Map<string, string>();
  const eventOwners = await readOwners(tx, 'case_events', 'event_id', eventIds);
  const paymentOwners = await readOwners(tx, 'payments', 'id', paymentIds);
  const cases = new Map<string, CaseState>();
  if (caseIds.size > 0) {
    // FOR UPDATE: a county decision on one of these cases waits for this batch (or this batch for it), so the
    // conflict check below can never judge against a decision that is being changed underneath it.
    const { rows } = await tx.query<CaseCountyRow & { station_id: string; data: unknown }>(
      `SELECT id::text AS id, station_id::text AS station_id, county_version, decision, amount_fen, reason,
              payment_start_month, decided_at, decided_by, CASE WHEN decision IS NOT NULL THEN data END AS data
         FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [[...caseIds]],
    );
    for (const r of rows) {
      cases.set(r.id, { owner: r.station_id, countyVersion: Number(r.county_version), decision: decisionFromRow(r), data: r.data });
    }
  }

  const personWrites = new Map<string, unknown>();
  const householdWrites = new Map<string, unknown>();
  const caseWrites = new Map<string, CaseRow>();
  const eventWrites: Record<string, unknown>[] = [];
  const attachmentWrites = new Map<string, Record<string, unknown>>();
  const paymentWrites = new Map<string, Record<string, unknown>>();
  const conflicts: ConflictRow[] = [];
  let settings: { name: string; code: string } | null = null;

  const ownCase = (caseId: string): CaseState | null => {
    let cs = cases.get(caseId);
    if (!cs) {
      cs = { owner: me, countyVersion: 0, decision: null, data: undefined };
      cases.set(caseId, cs);
    }
    return cs.owner === me ? cs : null;
  };
  const writeCase = (id: string, patch: Omit<CaseRow, 'id'>) => caseWrites.set(id, { ...caseWrites.get(id), id, ...patch });
  const conflict = (item: Item, caseId: string, cs: CaseState, base: number, stationVersion: unknown) => {
    conflicts.push({
      caseId,
      mutationId: item.id,
      mutationName: item.name,
      stationVersion,
      baseCountyVersion: base,
      countyVersion: cs.countyVersion,
      countySnapshot: { countyVersion: cs.countyVersion, decision: cs.decision },
    });
    refuse(item, 'conflict', 'DECIDED_BY_COUNTY', CONFLICT_CODES.DECIDED_BY_COUNTY, caseId);
  };

  for (const item of items) {
    const m = item.parsed;
    if (!m) {
      refuse(item, 'rejected', 'INVALID_MUTATION', `${PERMANENT_ERROR_CODES.INVALID_MUTATION}（${item.invalid}）`, null);
      continue;
    }
    switch (m.name) {
      case 'station.settings':
        settings = m.args;
        break;
      case 'person.save':
      case 'household.save': {
        const owners = m.name === 'person.save' ? personOwners : householdOwners;
        const owner = owners.get(m.args.id);
        if (owner !== undefined && owner !== me) {
          notOwner(item, m.args.id);
          continue;
        }
        owners.set(m.args.id, me);
        (m.name === 'person.save' ? personWrites : householdWrites).set(m.args.id, m.args.data);
        break;
      }
      case 'case.save': {
        const cs = ownCase(m.args.id);
        if (!cs) {
          notOwner(item, m.args.id);
          continue;
        }
        // SP-25: only a change to a decided case made without having seen the latest county version collides.
        if (cs.decision && m.args.baseCountyVersion < cs.countyVersion && !jsonEqual(cs.data, m.args.data)) {
          conflict(item, m.args.id, cs, m.args.baseCountyVersion, m.args);
          continue;
        }
        if (cs.decision) cs.data = m.args.data;
        const state = m.args.data.state;
        writeCase(m.args.id, typeof state === 'string' ? { data: m.args.data, state } : { data: m.args.data });
        break;
      }
      case 'case.event': {
        const cs = ownCase(m.args.caseId);
        if (!cs) {
          notOwner(item, m.args.caseId);
          continue;
        }
        const eventOwner = eventOwners.get(m.args.eventId);
        if (eventOwner !== undefined) {
          // The event is already stored: the same station re-sending it changes nothing; anyone else may not.
          if (eventOwner !== me) notOwner(item, m.args.caseId);
          else outcomes.set(item.id, { status: 'applied' });
          continue;
        }
        if (cs.decision && m.args.baseCountyVersion < cs.countyVersion) {
          conflict(item, m.args.caseId, cs, m.args.baseCountyVersion, m.args);
          continue;
        }
        eventOwners.set(m.args.eventId, me);
        eventWrites.push({
          eventId: m.args.eventId,
          caseId: m.args.caseId,
          action: m.args.action,
          payload: m.args.payload,
          at: m.args.at,
          fromState: m.args.fromState,
          toState: m.args.toState,
          base: m.args.baseCountyVersion,
        });
        writeCase(m.args.caseId, { state: m.args.toState });
        break;
      }
      case 'attachment.register': {
        if (!ownCase(m.args.caseId)) {
          notOwner(item, m.args.caseId);
          continue;
        }
        writeCase(m.args.caseId, {});
        attachmentWrites.set(`${m.args.caseId}/${m.args.materialKey}/${m.args.sha256}`, m.args);
        break;
      }
      case 'payment.record': {
        // SP-16: the payment belongs to the case's station; a final payment never changes, so a repeat is a no-op.
        const known = cases.has(m.args.caseId);
        if (!ownCase(m.args.caseId)) {
          notOwner(item, m.args.caseId);
          continue;
        }
        const owner = paymentOwners.get(m.args.id);
        if (owner !== undefined) {
          if (owner !== me) notOwner(item, m.args.caseId);
          else outcomes.set(item.id, { status: 'applied' });
          continue;
        }
        paymentOwners.set(m.args.id, me);
        // A payment for a case the county has not seen claims it (SP-12), like an event does.
        if (!known) writeCase(m.args.caseId, {});
        paymentWrites.set(m.args.id, m.args);
        break;
      }
    }
    if (!outcomes.has(item.id)) outcomes.set(item.id, { status: 'applied' });
  }

  // Cases, persons and households (and the rider) go in one statement: different tables, none refers to another.
  const recordWrites: { part: WritePart; expected: number }[] = [];
  if (caseWrites.size > 0) recordWrites.push({ expected: caseWrites.size, part: caseUpsert(byId(caseWrites).map(([, w]) => w), me) });
  for (const [table, writes] of [
    ['persons', personWrites],
    ['households', householdWrites],
  ] as const) {
    if (writes.size > 0) recordWrites.push({ expected: writes.size, part: recordUpsert(table, byId(writes).map(([id, data]) => ({ id, data })), me) });
  }
  const written = await runCombined(tx, [...recordWrites.map((w) => w.part), ...(rider ? [rider] : [])]);
  // A write refused by `WHERE station_id` means another station owns that record now: re-run with owners read.
  if (recordWrites.some((w, i) => written[i] !== w.expected)) throw new OwnershipRace();
  if (eventWrites.length > 0) {
    const res = await tx.query(
      `INSERT INTO case_events (event_id, case_id, station_id, action, payload, at, from_state, to_state, base_county_version)
       SELECT (e->>'eventId')::uuid, (e->>'caseId')::uuid, $2::uuid, e->>'action', e->'payload', e->>'at',
              e->>'fromState', e->>'toState', (e->>'base')::int
         FROM jsonb_array_elements($1::jsonb) AS e
       ON CONFLICT (event_id) DO NOTHING
       RETURNING 1`,
      [JSON.stringify(eventWrites), me],
    );
    if (res.rows.length !== eventWrites.length) throw new OwnershipRace();
  }
  if (attachmentWrites.size > 0) {
    await tx.query(
      `INSERT INTO case_attachments (case_id, material_key, sha256, station_id, size, mime, file_name)
       SELECT (e->>'caseId')::uuid, e->>'materialKey', e->>'sha256', $2::uuid, (e->>'size')::bigint, e->>'mime', e->>'fileName'
         FROM jsonb_array_elements($1::jsonb) AS e
       ON CONFLICT (case_id, material_key, sha256) DO UPDATE
         SET size = EXCLUDED.size, mime = EXCLUDED.mime, file_name = EXCLUDED.file_name`,
      [JSON.stringify(byId(attachmentWrites).map(([, a]) => a)), me],
    );
  }
  if (paymentWrites.size > 0) {
    const rows = byId(paymentWrites).map(([, p]) => p);
    const res = await tx.query(
      `INSERT INTO payments (id, station_id, case_id, item_code, kind, period_month, paid_on, amount_fen, persons,
                             roster_id, source_event_id)
       SELECT (e->>'id')::uuid, $2::uuid, (e->>'caseId')::uuid, e->>'itemCode', e->>'kind', e->>'periodMonth',
              (e->>'paidOn')::date, (e->>'amountFen')::bigint, (e->>'persons')::int, (e->>'rosterId')::uuid,
              (e->>'sourceEventId')::uuid
         FROM jsonb_array_elements($1::jsonb) AS e
       ON CONFLICT (id) DO NOTHING
       RETURNING 1`,
      [JSON.stringify(rows), me],
    );
    if (res.rows.length !== rows.length) throw new OwnershipRace();
  }
  if (settings) {
    await tx.query('UPDATE stations SET reported_name = $2, reported_code = $3 WHERE id = $1', [me, settings.name, settings.code]);
  }
  if (conflicts.length > 0) {
    await tx.query(
      `INSERT INTO conflicts (case_id, station_id, client_id, mutation_id, mutation_name, station_version,
                              base_county_version, county_version, county_snapshot)
       SELECT (e->>'caseId')::uuid, $2::uuid, $3, (e->>'mutationId')::bigint, e->>'mutationName', e->'stationVersion',
              (e->>'baseCountyVersion')::int, (e->>'countyVersion')::int, e->'countySnapshot'
         FROM jsonb_array_elements($1::jsonb) AS e`,
      [JSON.stringify(conflicts), me, who.clientId],
    );
  }
  await recordOutcomes(tx, who, refused);
  return outcomes;
}

async function readOwners(tx: Queryable, table: string, idColumn: string, ids: Set<string>): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  if (ids.size === 0) return owners;
  const { rows } = await tx.query<{ id: string; station_id: string }>(
    `SELECT ${idColumn}::text AS id, station_id::text AS station_id FROM ${table} WHERE ${idColumn} = ANY($1::uuid[])`,
    [[...ids]],
  );
  for (const r of rows) owners.set(r.id, r.station_id);
  return owners;
}

/** SP-24/26: permanent outcomes are stored and put on the client's pull feed in the same transaction. */
async function recordOutcomes(tx: Queryable, who: SyncPrincipal, list: readonly [Item, Exclude<Outcome, { status: 'applied' }>][]): Promise<void> {
  if (list.length === 0) return;
  const outcomes: MutationOutcome[] = list.map(([item, o]) => ({
    id: item.id,
    name: item.name,
    status: o.status,
    code: o.code,
    message: o.message,
    recordId: o.recordId,
  }));
  await tx.query(
    `INSERT INTO mutation_results (client_id, mutation_id, station_id, name, status, code, message, record_id)
     SELECT $2, (e->>'id')::bigint, $3::uuid, e->>'name', e->>'status', e->>'code', e->>'message', e->>'recordId'
       FROM jsonb_array_elements($1::jsonb) AS e`,
    [JSON.stringify(outcomes), who.clientId, who.stationId],
  );
  await appendChanges(
    tx,
    outcomes.map((o) => ({ tbl: MUTATION_RESULT_TABLE, key: `${who.clientId}/${o.id}`, scope: scopes.client(who.clientId), op: 'upsert', data: o })),
  );
}
