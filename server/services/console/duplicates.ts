import { CASE_STATES, isActive, isOpen } from '../../../shared/domain/caseMachine';
import { maskIdNumber } from '../../../shared/domain/idNumber';
import type { DuplicateFlag } from '../../../shared/sync/protocol';
import type { CountyDb, Queryable } from '../../db/types';
import { appendChanges, scopes, type ChangeEntry } from '../changeLog';
import { sha256Hex } from '../secrets';
import type { DuplicateGroup, DuplicateOther } from './model';

/**
 * County-wide duplicate check (不重复救助, docs/sync-protocol.md SP-38). A case is flagged when its applicant's ID
 * number has an open or active case of the same item at another station. Flags are kept in duplicate_flags and
 * published on the owning station's pull feed (table duplicate_flag), so both stations learn of it; a flag that no
 * longer holds is withdrawn with a delete.
 */

/** Open or active (caseMachine SM-26); a county rejection ends a case even before the station has pulled it. */
export const DUPLICATE_STATES: readonly string[] = CASE_STATES.filter((s) => isOpen(s) || isActive(s));

const DUPLICATE_LOCK = 7_312_101;

interface Computed {
  caseId: string;
  stationId: string;
  itemCode: string;
  idNumber: string;
  others: DuplicateOther[];
}

// The applicant is joined by its id as text, which the expression index cases_applicant serves, so that a check
// limited to a few ID numbers (below) reads only their persons and cases.
const candidates = (limited: boolean) => /* sql */ `
  WITH open_cases AS (
    SELECT c.id, c.station_id, c.data->>'itemCode' AS item, upper(p.data->>'idNumber') AS idn,
           c.data->>'caseNumber' AS case_number, c.station_state
      FROM cases c
      JOIN persons p ON c.data->>'applicantId' = p.id::text
     WHERE c.station_state = ANY($1::text[])
       AND (c.decision IS NULL OR c.decision = 'approved')
       AND c.data->>'itemCode' IS NOT NULL
       AND coalesce(p.data->>'idNumber', '') <> ''
       ${limited ? `AND upper(p.data->>'idNumber') = ANY($2::text[])` : ''}
  )
  SELECT a.id::text AS case_id, a.station_id::text AS station_id, a.item, a.idn,
         jsonb_agg(jsonb_build_object('caseId', b.id::text, 'stationCode', s.code, 'township', s.township,
                                      'caseNumber', b.case_number, 'state', b.station_state)
                   ORDER BY s.code, b.id) AS others
    FROM open_cases a
    JOIN open_cases b ON b.idn = a.idn AND b.item = a.item AND b.station_id <> a.station_id
    JOIN stations s ON s.id = b.station_id
   GROUP BY a.id, a.station_id, a.item, a.idn`;

/** What a push touched: the cases it saved or moved, and the persons it saved. */
export interface DuplicateScope {
  caseIds: readonly string[];
  personIds: readonly string[];
}

/**
 * The ID numbers whose flags may have changed: those of the touched cases' applicants, of the touched persons, and of
 * every case flagged now (so that a flag whose partner changed its ID number, item or state is withdrawn).
 */
// From a case to its applicant by the persons primary key. `p.id::text = …` could not use it: with 300k persons each
// limited check scanned them all (150 ms for 500 cases, against 6 ms; EXPLAIN ANALYZE). applicantId is only checked
// to be a string (SP-13), so anything that is not a lower-case UUID joins nothing (as before) instead of failing the cast.
const APPLICANT = `p.id = CASE WHEN c.data->>'applicantId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                           THEN (c.data->>'applicantId')::uuid END`;

async function affectedIdNumbers(tx: Queryable, scope: DuplicateScope): Promise<string[]> {
  const { rows } = await tx.query<{ idn: string }>(
    `SELECT upper(p.data->>'idNumber') AS idn FROM cases c JOIN persons p ON ${APPLICANT}
      WHERE c.id = ANY($1::uuid[])
     UNION
     SELECT upper(p.data->>'idNumber') FROM persons p WHERE p.id = ANY($2::uuid[])
     UNION
     SELECT upper(p.data->>'idNumber') FROM duplicate_flags f JOIN cases c ON c.id = f.case_id
       JOIN persons p ON ${APPLICANT}`,
    [scope.caseIds, scope.personIds],
  );
  return rows.map((r) => r.idn).filter((idn): idn is string => !!idn);
}

async function compute(tx: Queryable, scope: DuplicateScope | undefined): Promise<Computed[]> {
  const params: unknown[] = [DUPLICATE_STATES];
  if (scope) params.push(await affectedIdNumbers(tx, scope));
  const { rows } = await tx.query<{ case_id: string; station_id: string; item: string; idn: string; others: DuplicateOther[] }>(
    candidates(scope !== undefined),
    params,
  );
  return rows.map((r) => ({ caseId: r.case_id, stationId: r.station_id, itemCode: r.item, idNumber: r.idn, others: r.others }));
}

/**
 * Recomputes the flags and publishes what changed, in one transaction. Returns how many flags were raised, changed
 * and withdrawn. With `scope` only the ID numbers it can have affected are recomputed (see affectedIdNumbers): every
 * flag stored now belongs to one of them, so a stored flag that is not recomputed no longer holds and is withdrawn,
 * and a new flag needs at least one touched case or person. Without `scope`, everything is recomputed.
 */
export async function refreshDuplicateFlags(db: CountyDb, scope?: DuplicateScope): Promise<{ raised: number; changed: number; withdrawn: number }> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DUPLICATE_LOCK]);
    const now = await compute(tx, scope);
    const { rows: stored } = await tx.query<{ case_id: string; station_id: string; others: DuplicateOther[]; flagged_at: Date }>(
      'SELECT case_id::text AS case_id, station_id::text AS station_id, others, flagged_at FROM duplicate_flags',
    );
    const before = new Map(stored.map((r) => [r.case_id, r]));
    const changes: ChangeEntry[] = [];
    let raised = 0;
    let changed = 0;
    for (const c of now) {
      const old = before.get(c.caseId);
      before.delete(c.caseId);
      if (old && JSON.stringify(old.others) === JSON.stringify(c.others)) continue;
      const { rows } = await tx.query<{ flagged_at: Date }>(
        `INSERT INTO duplicate_flags (case_id, station_id, item_code, id_number_hash, others) VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (case_id) DO UPDATE SET others = EXCLUDED.others, item_code = EXCLUDED.item_code,
           id_number_hash = EXCLUDED.id_number_hash
         RETURNING flagged_at`,
        [c.caseId, c.stationId, c.itemCode, sha256Hex(c.idNumber), JSON.stringify(c.others)],
      );
      if (old) changed++;
      else raised++;
      const data: DuplicateFlag = { caseId: c.caseId, itemCode: c.itemCode, others: c.others, flaggedAt: rows[0]!.flagged_at.toISOString() };
      changes.push({ tbl: 'duplicate_flag', key: c.caseId, scope: scopes.station(c.stationId), op: 'upsert', data });
    }
    for (const gone of before.values()) {
      await tx.query('DELETE FROM duplicate_flags WHERE case_id = $1', [gone.case_id]);
      changes.push({ tbl: 'duplicate_flag', key: gone.case_id, scope: scopes.station(gone.station_id), op: 'delete', data: null });
    }
    await appendChanges(tx, changes);
    return { raised, changed, withdrawn: before.size };
  });
}

/** Flags of one case (for its dossier). */
export async function duplicatesOfCase(q: Queryable, caseId: string): Promise<DuplicateOther[]> {
  const { rows } = await q.query<{ others: DuplicateOther[] }>('SELECT others FROM duplicate_flags WHERE case_id = $1', [caseId]);
  return rows[0]?.others ?? [];
}

/** Flagged cases grouped by person and item, for the console list (ID numbers masked). */
export async function listDuplicateGroups(db: CountyDb): Promise<DuplicateGroup[]> {
  const { rows } = await db.query<{
    case_id: string;
    station_id: string;
    code: string;
    township: string;
    item_code: string;
    id_number_hash: string;
    flagged_at: Date;
    case_number: string | null;
    station_state: string | null;
    id_number: string | null;
    name: string | null;
  }>(
    `SELECT f.case_id::text AS case_id, f.station_id::text AS station_id, s.code, s.township, f.item_code, f.id_number_hash,
            f.flagged_at, c.data->>'caseNumber' AS case_number, c.station_state, p.data->>'idNumber' AS id_number, p.data->>'name' AS name
       FROM duplicate_flags f
       JOIN stations s ON s.id = f.station_id
       JOIN cases c ON c.id = f.case_id
       LEFT JOIN persons p ON p.id::text = c.data->>'applicantId'
      ORDER BY f.item_code, f.id_number_hash, s.code`,
  );
  const groups = new Map<string, DuplicateGroup>();
  for (const r of rows) {
    const key = `${r.id_number_hash}/${r.item_code}`;
    let g = groups.get(key);
    if (!g) {
      g = { itemCode: r.item_code, idNumberMasked: r.id_number ? maskIdNumber(r.id_number) : '', applicantNames: [], cases: [] };
      groups.set(key, g);
    }
    if (r.name && !g.applicantNames.includes(r.name)) g.applicantNames.push(r.name);
    g.cases.push({
      caseId: r.case_id,
      stationId: r.station_id,
      stationCode: r.code,
      township: r.township,
      caseNumber: r.case_number,
      state: r.station_state,
      flaggedAt: r.flagged_at.toISOString(),
    });
  }
  return [...groups.values()];
}

/**
 * Runs refreshDuplicateFlags shortly after pushes, off the push's response path: a burst of pushes from many
 * stations coalesces into one run, and a push never waits for (or fails because of) the county-wide check.
 *
 * A push says which cases and persons it touched, and the run recomputes only their ID numbers: the cost follows the
 * burst, not the size of the county. `schedule()` without a scope asks for a full run; one is due at start (the
 * touched ids of the last moments before a crash or restart lived only in memory), after county-side changes (a
 * decision, a station renamed) and whenever a run failed.
 *
 * When: once pushes have paused for `quietMs`, or `maxDelayMs` after the first change it has not covered yet,
 * whichever comes first. While stations are pushing, the pushes get the CPU and the database (a sync of 100k cases
 * ran ~7% longer with the check running every half second beside it); a flag still reaches the console within
 * seconds of a pause and within 15 s under constant load, before most stations' next pull (every 60 s).
 * The pause between runs also grows with how long a run takes, so it never uses more than ~20% of the time.
 */
export function duplicateCheckScheduler(
  refresh: (scope: DuplicateScope | undefined) => Promise<unknown>,
  onError: (err: unknown) => void,
  options: { delayMs?: number; quietMs?: number; maxDelayMs?: number } = {},
) {
  const { delayMs = 500, quietMs = 500, maxDelayMs = 15_000 } = options;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let again = false;
  let closed = false;
  let full = true;
  let caseIds = new Set<string>();
  let personIds = new Set<string>();
  let lastRunMs = 0;
  /** When the oldest change no run has covered yet was scheduled; null when there is none. */
  let pendingSince: number | null = null;
  let lastScheduled = 0;
  const run = () => {
    timer = null;
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    const now = Date.now();
    const untilQuiet = lastScheduled + quietMs - now;
    const untilDue = (pendingSince ?? now) + maxDelayMs - now;
    if (untilQuiet > 0 && untilDue > 0) {
      timer = setTimeout(run, Math.min(untilQuiet, untilDue));
      timer.unref();
      return;
    }
    const scope: DuplicateScope | undefined = full ? undefined : { caseIds: [...caseIds], personIds: [...personIds] };
    full = false;
    caseIds = new Set();
    personIds = new Set();
    pendingSince = null;
    const started = Date.now();
    running = refresh(scope)
      .catch((err: unknown) => {
        // What this run should have covered is not lost: the next run is a full one.
        full = true;
        again = true;
        pendingSince ??= Date.now();
        onError(err);
      })
      .finally(() => {
        lastRunMs = Date.now() - started;
        running = null;
        if (again && !closed) {
          again = false;
          arm();
        }
      });
  };
  const arm = () => {
    if (closed || timer) return;
    timer = setTimeout(run, Math.max(delayMs, lastRunMs * 4));
    timer.unref();
  };
  return {
    /** A run soon: limited to what `touched` names, or a full one without it. */
    schedule(touched?: DuplicateScope) {
      lastScheduled = Date.now();
      pendingSince ??= lastScheduled;
      if (!touched) full = true;
      else if (!full) {
        for (const id of touched.caseIds) caseIds.add(id);
        for (const id of touched.personIds) personIds.add(id);
      }
      arm();
    },
    /** Waits for a run in progress; no new run starts afterwards. */
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
