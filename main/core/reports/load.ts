import type { CaseState } from '../../../shared/domain/caseMachine';
import type { PaymentAggregate, ReportCase } from '../../../shared/reports/model';
import type { Period } from '../../../shared/reports/period';
import type { Db } from '../db/open';

/**
 * Reads the report's input rows from the station store (shared/reports/model.ts). The snapshot's few fields come out
 * with json_extract, so the whole JSON never crosses into JavaScript; rows are read raw (arrays). Names and ID
 * numbers are left empty (see attachNames): the figures never need them.
 */

/** Column order of CASES_SQL (rows are read raw: arrays, not objects, for speed on large stores). */
type Row = [
  id: string,
  caseNumber: string,
  itemCode: string,
  subKind: string | null,
  householdId: string | null,
  applicantId: string,
  state: CaseState,
  dueDate: string | null,
  amountFen: number | null,
  endedOn: string | null,
  startMonth: string | null,
  decidedOn: string | null,
  reason: string | null,
  recheckDue: string | null,
  village: string | null,
  hukou: 'urban' | 'rural' | null,
  memberCount: number | null,
];

// Open applications (overdue figures), and every case that was approved or given urgent aid. Cases that ended before
// the period come along (a roster in the period may still pay them arrears); caseFlags() leaves them out of figures.
const CASES_SQL = /* sql */ `
  SELECT c.id, c.case_number, c.item_code, c.sub_kind, c.household_id, c.applicant_id, c.state, c.due_date,
         json_extract(c.snapshot, '$.amountFen'), json_extract(c.snapshot, '$.endedOn'),
         json_extract(c.snapshot, '$.paymentStartMonth'), json_extract(c.snapshot, '$.decidedOn'),
         json_extract(c.snapshot, '$.reason'), json_extract(c.snapshot, '$.recheckDue'),
         coalesce(h.village, p.village), coalesce(h.hukou, p.hukou), h.member_count
  FROM cases c
  LEFT JOIN households h ON h.id = c.household_id
  -- The person only for cases without a household (their village and class); names come separately, for lists only.
  LEFT JOIN persons p ON c.household_id IS NULL AND p.id = c.applicant_id
  WHERE c.is_open = 1 OR json_extract(c.snapshot, '$.amountFen') IS NOT NULL OR json_extract(c.snapshot, '$.urgentAidFen') IS NOT NULL`;

export const NO_VILLAGE = '（未登记村社区）';

export function loadReportCases(db: Db, period: Period, onRow?: (n: number) => void): ReportCase[] {
  const firstPaid = new Map<string, string>();
  for (const [caseId, paidOn] of db
    .prepare(`SELECT case_id, min(paid_on) FROM payments WHERE confirmed = 1 AND kind <> 'monthly' GROUP BY case_id`)
    .raw()
    .iterate() as IterableIterator<[string, string]>) {
    firstPaid.set(caseId, paidOn);
  }
  const out: ReportCase[] = [];
  let n = 0;
  for (const r of db.prepare(CASES_SQL).raw().iterate() as IterableIterator<Row>) {
    if (onRow && ++n % 5000 === 0) onRow(n);
    const [id, caseNumber, itemCode, subKind, householdId, applicantId, state, dueDate, amountFen, endedOn] = r;
    const firstPaidOn = firstPaid.get(id) ?? null;
    out.push({
      id,
      caseNumber,
      itemCode,
      subKind,
      householdId,
      applicantId,
      applicantName: '',
      idNumber: '',
      village: r[14] ?? NO_VILLAGE,
      area: subKind === 'urban' || subKind === 'rural' ? subKind : (r[15] ?? 'rural'),
      memberCount: r[16] ?? 1,
      state,
      amountFen,
      paymentStartMonth: r[10],
      decidedOn: r[11],
      endedOn,
      reason: r[12],
      dueDate,
      recheckDue: r[13],
      firstPaidOn,
    });
  }
  return out;
}

/**
 * Applicant names and ID numbers for the rows of a list (drill-down, export): the report itself never needs them, so
 * they are read only for the cases a list shows — on a 300k-person store that is most of a report's cost saved.
 */
export function attachNames<T extends { applicantId: string; applicantName: string; idNumber: string }>(db: Db, rows: readonly T[]): T[] {
  const ids = [...new Set(rows.map((r) => r.applicantId))];
  const names = new Map<string, { name: string; id_number: string }>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const found = db.prepare(`SELECT id, name, id_number FROM persons WHERE id IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as {
      id: string;
      name: string;
      id_number: string;
    }[];
    for (const p of found) names.set(p.id, p);
  }
  return rows.map((r) => {
    const p = names.get(r.applicantId);
    return p ? { ...r, applicantName: p.name, idNumber: p.id_number } : r;
  });
}

export function loadPayments(db: Db, period: Period): PaymentAggregate[] {
  // Summed here rather than with GROUP BY: the rows come in index order and a Map is cheaper than SQLite's sorter.
  const sums = new Map<string, PaymentAggregate>();
  for (const [caseId, paidOn, amountFen] of db
    .prepare('SELECT case_id, paid_on, amount_fen FROM payments WHERE confirmed = 1 AND paid_on BETWEEN ? AND ?')
    .raw()
    .iterate(period.start, period.end) as IterableIterator<[string, string, number]>) {
    const month = paidOn.slice(0, 7);
    const key = `${caseId}|${month}`;
    const a = sums.get(key);
    if (a) {
      a.amountFen += amountFen;
      a.count++;
    } else sums.set(key, { caseId, month, amountFen, count: 1 });
  }
  return [...sums.values()];
}
