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

const CANDIDATES = /* sql */ `
  WITH open_cases AS (
    SELECT c.id, c.station_id, c.data->>'itemCode' AS item, upper(p.data->>'idNumber') AS idn,
           c.data->>'caseNumber' AS case_number, c.station_state
      FROM cases c
      JOIN persons p ON p.id = CASE WHEN c.data->>'applicantId' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                    THEN (c.data->>'applicantId')::uuid END
     WHERE c.station_state = ANY($1::text[])
       AND (c.decision IS NULL OR c.decision = 'approved')
       AND c.data->>'itemCode' IS NOT NULL
       AND coalesce(p.data->>'idNumber', '') <> ''
  )
  SELECT a.id::text AS case_id, a.station_id::text AS station_id, a.item, a.idn,
         jsonb_agg(jsonb_build_object('caseId', b.id::text, 'stationCode', s.code, 'township', s.township,
                                      'caseNumber', b.case_number, 'state', b.station_state)
                   ORDER BY s.code, b.id) AS others
    FROM open_cases a
    JOIN open_cases b ON b.idn = a.idn AND b.item = a.item AND b.station_id <> a.station_id
    JOIN stations s ON s.id = b.station_id
   GROUP BY a.id, a.station_id, a.item, a.idn`;

async function compute(tx: Queryable): Promise<Computed[]> {
  const { rows } = await tx.query<{ case_id: string; station_id: string; item: string; idn: string; others: DuplicateOther[] }>(CANDIDATES, [
    DUPLICATE_STATES,
  ]);
  return rows.map((r) => ({ caseId: r.case_id, stationId: r.station_id, itemCode: r.item, idNumber: r.idn, others: r.others }));
}

/**
 * Recomputes every flag and publishes what changed, in one transaction. Returns how many flags were raised,
 * changed and withdrawn.
 */
export async function refreshDuplicateFlags(db: CountyDb): Promise<{ raised: number; changed: number; withdrawn: number }> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DUPLICATE_LOCK]);
    const now = await compute(tx);
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
 */
export function duplicateCheckScheduler(db: CountyDb, onError: (err: unknown) => void, delayMs = 500) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let again = false;
  let closed = false;
  // Under a sustained push load (hundreds of stations, a benchmark) the check must not eat the CPU the pushes
  // need: the pause between runs grows with how long a run takes, so it never uses more than ~20% of the time.
  let lastRunMs = 0;
  const run = () => {
    timer = null;
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    const started = Date.now();
    running = refreshDuplicateFlags(db)
      .catch(onError)
      .finally(() => {
        lastRunMs = Date.now() - started;
        running = null;
        if (again && !closed) {
          again = false;
          schedule();
        }
      });
  };
  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(run, Math.max(delayMs, lastRunMs * 4));
    timer.unref();
  };
  return {
    schedule,
    /** Waits for a run in progress; no new run starts afterwards. */
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
