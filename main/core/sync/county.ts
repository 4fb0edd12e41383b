import { STANDARD_KINDS, type StandardKind } from '../../../shared/domain/income';
import type { CaseAction } from '../../../shared/domain/caseMachine';
import type { StaffRole } from '../../../shared/domain/roles';
import type { CaseCountyData, Change, PolicyStandard, TownshipLimit, VillageList } from '../../../shared/sync/protocol';
import type { Actor } from '../services/audit';
import { actOnCase } from '../services/cases';
import { localDateOf, localIso } from '../services/cases/clock';
import { caseRow } from '../services/cases/rows';
import type { WriteTx } from '../services/unitOfWork';
import type { Db } from '../db/open';
import { readCountyRow } from './countyRows';

/**
 * Applies county-owned data as pulled (docs/sync-protocol.md SP-15, SP-33): keeps the replica in county_rows and
 * projects it into the station's own tables — decisions and economic-check results move the local case through the
 * shared state machine as actor 'county'; standards and the township limit go into policy_standards.
 */

/** Who the audit log and the case timeline name for effects of county data. */
export const COUNTY_ACTOR: Actor = { id: null, name: '县民政局' };
// actOnCase is typed for signed-in staff; the machine itself admits the pseudo-actor 'county' (roles.ts ACTORS), and
// case_events stores the role as text, so the county is passed through it rather than duplicating the service.
const COUNTY_STAFF = { id: null as unknown as string, role: 'county' as unknown as StaffRole };

const isKnownKind = (k: string): k is StandardKind => (STANDARD_KINDS as readonly string[]).includes(k);

export { readCountyRow };

/** SP-34: a reset drops every county-owned row the station holds before the snapshot's first page is applied. */
export function dropCountyRows(tx: WriteTx): void {
  tx.db.prepare('DELETE FROM county_rows').run();
  tx.db.prepare('DELETE FROM policy_standards WHERE demo = 0').run();
}

export function applyChange(tx: WriteTx, change: Change): void {
  if (change.op === 'delete') {
    tx.db.prepare('DELETE FROM county_rows WHERE tbl = ? AND key = ?').run(change.table, change.key);
    if (change.table === 'policy_standard') {
      const [kind, areaClass, effectiveFrom] = change.key.split('/');
      tx.db.prepare('DELETE FROM policy_standards WHERE kind = ? AND area_class = ? AND effective_from = ? AND demo = 0').run(kind, areaClass, effectiveFrom);
    } else if (change.table === 'township_limit') {
      const effectiveFrom = change.key.split('/').at(-1);
      tx.db.prepare(`DELETE FROM policy_standards WHERE kind = 'temporaryLimit' AND area_class = 'all' AND effective_from = ? AND demo = 0`).run(effectiveFrom);
    }
    return;
  }
  tx.db
    .prepare(
      `INSERT INTO county_rows (tbl, key, data, pulled_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (tbl, key) DO UPDATE SET data = excluded.data, pulled_at = excluded.pulled_at`,
    )
    .run(change.table, change.key, JSON.stringify(change.data), tx.now);
  switch (change.table) {
    case 'case_county':
      applyCaseCounty(tx, change.data);
      break;
    case 'policy_standard':
      projectStandard(tx, change.data);
      break;
    case 'township_limit':
      projectTownshipLimit(tx, change.data);
      break;
    case 'village_list':
      // Kept in county_rows; countyVillages() reads it for the forms.
      void (change.data satisfies VillageList);
      break;
  }
}

function writeStandard(tx: WriteTx, kind: StandardKind, areaClass: string, effectiveFrom: string, amountFen: number): void {
  const before = tx.db
    .prepare('SELECT amount_fen, demo FROM policy_standards WHERE kind = ? AND area_class = ? AND effective_from = ?')
    .get(kind, areaClass, effectiveFrom) as { amount_fen: number; demo: number } | undefined;
  if (before && before.demo === 0 && before.amount_fen === amountFen) return;
  tx.db
    .prepare(
      `INSERT INTO policy_standards (kind, area_class, effective_from, amount_fen, demo, updated_at) VALUES (?, ?, ?, ?, 0, ?)
       ON CONFLICT (kind, area_class, effective_from) DO UPDATE SET amount_fen = excluded.amount_fen, demo = 0, updated_at = excluded.updated_at`,
    )
    .run(kind, areaClass, effectiveFrom, amountFen, tx.now);
  // The county's figure replaces the demo figures of that kind (same rule as upsertStandard in services/standards.ts).
  tx.db.prepare('DELETE FROM policy_standards WHERE kind = ? AND demo = 1').run(kind);
  tx.audit({
    action: 'standard.pulled',
    entity: 'policy_standard',
    entityId: `${kind}/${areaClass}/${effectiveFrom}`,
    changes: { amountFen: [before?.amount_fen ?? null, amountFen], demo: [before ? before.demo === 1 : null, false] },
  });
}

function projectStandard(tx: WriteTx, s: PolicyStandard): void {
  // SP-2: a standard of a kind this station build does not know stays in county_rows only.
  if (!isKnownKind(s.kind) || s.amountFen <= 0) return;
  writeStandard(tx, s.kind, s.areaClass, s.effectiveFrom, s.amountFen);
}

function projectTownshipLimit(tx: WriteTx, l: TownshipLimit): void {
  if (l.amountFen <= 0) return;
  writeStandard(tx, 'temporaryLimit', 'all', l.effectiveFrom, l.amountFen);
}

/** The village list of the station's township as the county publishes it (empty until the first pull). */
export function countyVillages(db: Db): VillageList['villages'] {
  const rows = db.prepare(`SELECT data FROM county_rows WHERE tbl = 'village_list'`).all() as { data: string }[];
  return rows.flatMap((r) => (JSON.parse(r.data) as VillageList).villages);
}

function applyCaseCounty(tx: WriteTx, data: CaseCountyData): void {
  const row = caseRow(tx.db, data.caseId);
  if (!row) return;
  if (data.countyVersion > row.county_version) {
    // Later station edits carry this as baseCountyVersion (SP-25); the station's own version does not change.
    tx.db.prepare('UPDATE cases SET county_version = ? WHERE id = ?').run(data.countyVersion, data.caseId);
  }
  applyCountyEffects(tx, data.caseId);
}

interface Effect {
  key: string;
  action: CaseAction;
  payload: Record<string, unknown>;
}

function effectsOf(data: CaseCountyData, today: string): Effect[] {
  const out: Effect[] = [];
  const day = (iso: string) => {
    const d = localDateOf(iso);
    return d > today ? today : d;
  };
  for (const c of data.economicChecks) {
    out.push({
      key: `check:${c.id}`,
      action: 'recordEconomicCheckResult',
      payload: {
        finding: c.result === 'pass' ? 'withinLimits' : 'exceedsLimits',
        summary: `${c.findings.trim() || (c.result === 'pass' ? '县级核对通过' : '县级核对未通过')}（县级核对：${c.checkedBy}，${day(c.checkedAt)}）`.slice(0, 2000),
      },
    });
  }
  const d = data.decision;
  if (d) {
    out.push(
      d.outcome === 'approved'
        ? {
            key: `decision:${d.decidedAt}`,
            action: 'countyApprove',
            payload: {
              amountFen: d.amountFen ?? 0,
              ...(d.paymentStartMonth ? { paymentStartMonth: d.paymentStartMonth } : {}),
              decidedOn: day(d.decidedAt),
            },
          }
        : { key: `decision:${d.decidedAt}`, action: 'countyReject', payload: { reason: d.reason ?? '县级不予批准', decidedOn: day(d.decidedAt) } },
    );
  }
  return out;
}

/**
 * Moves the case through the machine for every county effect not yet applied. One the machine refuses now (the
 * case is not yet handed to the county, a result was already entered by hand) stays 'pending' with the machine's
 * reason, is shown on the 同步 page, and is tried again after every sync — never forced past the machine.
 */
export function applyCountyEffects(tx: WriteTx, caseId: string): void {
  const data = readCountyRow<CaseCountyData>(tx.db, 'case_county', caseId);
  if (!data || !caseRow(tx.db, caseId)) return;
  const today = localIso(new Date(tx.now)).slice(0, 10);
  const done = new Set(
    (tx.db.prepare(`SELECT effect FROM county_effects WHERE case_id = ? AND status = 'applied'`).all(caseId) as { effect: string }[]).map((r) => r.effect),
  );
  const mark = tx.db.prepare(
    `INSERT INTO county_effects (case_id, effect, status, note, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (case_id, effect) DO UPDATE SET status = excluded.status, note = excluded.note, updated_at = excluded.updated_at`,
  );
  for (const e of effectsOf(data, today)) {
    if (done.has(e.key)) continue;
    try {
      // A savepoint per effect: a refusal leaves nothing of the attempt behind.
      tx.db.transaction(() => actOnCase(tx, { caseId, action: e.action, payload: e.payload }, COUNTY_STAFF))();
      mark.run(caseId, e.key, 'applied', null, tx.now);
    } catch (err) {
      const note = err instanceof Error ? err.message : String(err);
      mark.run(caseId, e.key, 'pending', note.slice(0, 500), tx.now);
    }
  }
}

/** Re-tries pending effects (a case may have reached 已报县级审批 since). */
export function retryPendingEffects(tx: WriteTx): number {
  const ids = (tx.db.prepare(`SELECT DISTINCT case_id FROM county_effects WHERE status = 'pending'`).all() as { case_id: string }[]).map((r) => r.case_id);
  for (const id of ids) applyCountyEffects(tx, id);
  return ids.length;
}
