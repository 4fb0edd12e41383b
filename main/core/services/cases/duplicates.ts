import { STATE_LABELS, type CaseState } from '../../../../shared/domain/caseMachine';
import type { ItemDefinition } from '../../../../shared/domain/items';
import type { DuplicateWarning } from '../../../../shared/schemas/cases';
import type { Db } from '../../db/open';

/**
 * 不重复救助 (DOMAIN.md, issue 3 item 7). A person "already has" a case of an item when they applied for it or when
 * their household did (dibao and similar are granted to the household, whoever signed the form). Temporary
 * assistance adds: one case per cause per calendar year, unless the earlier one came to nothing.
 */
export function findDuplicates(
  db: Db,
  q: { item: ItemDefinition; applicantId: string; householdId: string | null; cause: string | null; localYear: number },
): DuplicateWarning['existing'] {
  const out: DuplicateWarning['existing'] = [];
  const open = db
    .prepare(
      `SELECT id, case_number, state FROM cases
       WHERE item_code = ? AND (is_open = 1 OR is_active = 1)
         AND (applicant_id = ? OR (? IS NOT NULL AND household_id = ?))
       ORDER BY created_at`,
    )
    .all(q.item.code, q.applicantId, q.householdId, q.householdId) as { id: string; case_number: string; state: CaseState }[];
  for (const r of open) {
    out.push({ caseId: r.id, caseNumber: r.case_number, state: r.state, stateLabel: STATE_LABELS[r.state], why: 'openOrActive' });
  }
  if (q.item.oncePerCausePerYear && q.cause) {
    // Year bounds in the station's local time, compared with the UTC stamps the rows carry.
    const from = new Date(q.localYear, 0, 1).toISOString();
    const to = new Date(q.localYear + 1, 0, 1).toISOString();
    const sameCause = db
      .prepare(
        `SELECT id, case_number, state FROM cases
         WHERE item_code = ? AND applicant_id = ? AND cause = ? AND created_at >= ? AND created_at < ?
           AND state NOT IN ('notAccepted', 'withdrawn', 'rejected')
         ORDER BY created_at`,
      )
      .all(q.item.code, q.applicantId, q.cause, from, to) as { id: string; case_number: string; state: CaseState }[];
    for (const r of sameCause) {
      if (out.some((o) => o.caseId === r.id)) continue;
      out.push({ caseId: r.id, caseNumber: r.case_number, state: r.state, stateLabel: STATE_LABELS[r.state], why: 'sameCauseThisYear' });
    }
  }
  return out;
}
