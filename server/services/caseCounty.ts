import type { CaseCountyData, CaseDecision, DecisionOutcome, EconomicCheck, EconomicCheckResult } from '../../shared/sync/protocol';
import type { Queryable } from '../db/types';
import { appendChanges, scopes } from './changeLog';

/** The county-owned columns of a case row, as selected by the queries here and in push. */
export interface CaseCountyRow {
  id: string;
  county_version: number | string;
  decision: DecisionOutcome | null;
  amount_fen: number | string | null;
  reason: string | null;
  payment_start_month: string | null;
  decided_at: Date | null;
  decided_by: string | null;
}

export function decisionFromRow(r: CaseCountyRow): CaseDecision | null {
  if (!r.decision) return null;
  return {
    outcome: r.decision,
    amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
    reason: r.reason,
    paymentStartMonth: r.payment_start_month,
    decidedAt: r.decided_at ? r.decided_at.toISOString() : '',
    decidedBy: r.decided_by ?? '',
  };
}

/** Everything the county owns about one case, as the owning station pulls it (SP-33). */
export async function readCaseCountyData(tx: Queryable, caseId: string): Promise<{ data: CaseCountyData; stationId: string } | null> {
  const { rows } = await tx.query<CaseCountyRow & { station_id: string }>(
    `SELECT id::text AS id, station_id::text AS station_id, county_version, decision, amount_fen, reason,
            payment_start_month, decided_at, decided_by
       FROM cases WHERE id = $1`,
    [caseId],
  );
  const row = rows[0];
  if (!row) return null;
  const checks = await tx.query<{ id: string; result: EconomicCheckResult; findings: string; checked_at: Date; checked_by: string }>(
    `SELECT id::text AS id, result, findings, checked_at, checked_by FROM economic_checks WHERE case_id = $1 ORDER BY checked_at, id`,
    [caseId],
  );
  const economicChecks: EconomicCheck[] = checks.rows.map((c) => ({
    id: c.id,
    result: c.result,
    findings: c.findings,
    checkedAt: c.checked_at.toISOString(),
    checkedBy: c.checked_by,
  }));
  return {
    stationId: row.station_id,
    data: { caseId: row.id, countyVersion: Number(row.county_version), decision: decisionFromRow(row), economicChecks },
  };
}

/** Puts the case's current county-owned data on its owning station's feed. Call after every county write to a case. */
export async function publishCaseCounty(tx: Queryable, caseId: string): Promise<CaseCountyData> {
  const found = await readCaseCountyData(tx, caseId);
  if (!found) throw new Error(`case ${caseId} vanished inside its own transaction`);
  await appendChanges(tx, [{ tbl: 'case_county', key: caseId, scope: scopes.station(found.stationId), op: 'upsert', data: found.data }]);
  return found.data;
}
