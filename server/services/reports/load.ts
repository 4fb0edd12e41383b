import { CASE_STATES, isOpen, type CaseState } from '../../../shared/domain/caseMachine';
import type { AreaClass, PaymentAggregate, ReportCase } from '../../../shared/reports/model';
import type { Period } from '../../../shared/reports/period';
import type { Queryable } from '../../db/types';

/**
 * Reads the county's copy of the stations' data into the shared report inputs (shared/reports/model.ts), so the
 * county's figures are computed by the very function the stations use. Set-based: three statements per report,
 * everything else (the snapshot's few fields, the household's village) is picked out by PostgreSQL, so only the
 * columns the report needs cross the wire. Names and ID numbers are read only for the rows a list shows.
 */

/** Which stations the report covers, and how 分村 groups: by the township or by the village. */
export interface CountyScope {
  township?: string | undefined;
  stationId?: string | undefined;
  groupBy: 'village' | 'township';
}

export const NO_VILLAGE = '（未登记村社区）';


function scopeWhere(scope: CountyScope, params: unknown[], alias: string): string {
  const parts: string[] = [];
  if (scope.stationId) {
    params.push(scope.stationId);
    parts.push(`${alias}.station_id = $${params.length}::uuid`);
  }
  if (scope.township) {
    params.push(scope.township);
    parts.push(`${alias}.station_id IN (SELECT id FROM stations WHERE township = $${params.length})`);
  }
  return parts.length ? ` AND ${parts.join(' AND ')}` : '';
}

// Like the station's load (main/core/reports/load.ts): open applications and every case approved or given urgent
// aid. A case the station never described (claimed by an event before its case.save arrived) has no data yet.
const CASES_SQL = /* sql */ `
  SELECT c.id::text AS id, c.data->>'caseNumber' AS case_number, c.data->>'itemCode' AS item_code,
         c.data->>'subKind' AS sub_kind, c.data->>'householdId' AS household_id, c.data->>'applicantId' AS applicant_id,
         coalesce(c.station_state, c.data->>'state') AS state, c.data->>'dueDate' AS due_date,
         c.data->'snapshot'->>'amountFen' AS amount_fen, c.data->'snapshot'->>'endedOn' AS ended_on,
         c.data->'snapshot'->>'paymentStartMonth' AS start_month, c.data->'snapshot'->>'decidedOn' AS decided_on,
         c.data->'snapshot'->>'reason' AS reason, c.data->'snapshot'->>'recheckDue' AS recheck_due,
         h.data->>'village' AS village, s.township, coalesce(h.data->>'hukou', p.data->>'hukou') AS hukou,
         h.data->>'memberCount' AS member_count, fp.first_paid_on
  FROM cases c
  JOIN stations s ON s.id = c.station_id
  LEFT JOIN households h ON h.id = CASE WHEN c.data->>'householdId' ~ '^[0-9a-f-]{36}$' THEN (c.data->>'householdId')::uuid END
  LEFT JOIN persons p ON c.data->>'householdId' IS NULL AND p.id = CASE WHEN c.data->>'applicantId' ~ '^[0-9a-f-]{36}$' THEN (c.data->>'applicantId')::uuid END
  LEFT JOIN (SELECT case_id, to_char(min(paid_on), 'YYYY-MM-DD') AS first_paid_on FROM payments WHERE kind <> 'monthly' GROUP BY case_id) fp
    ON fp.case_id = c.id
  WHERE c.data IS NOT NULL
    AND (coalesce(c.station_state, c.data->>'state') = ANY($1::text[])
         OR jsonb_typeof(c.data->'snapshot'->'amountFen') = 'number'
         OR jsonb_typeof(c.data->'snapshot'->'urgentAidFen') = 'number')`;

const OPEN = CASE_STATES.filter((s) => isOpen(s));

/**
 * The inputs travel as JSON text built by PostgreSQL (one array per row): the main thread receives one string
 * instead of building hundreds of thousands of row objects, and hands it to the report worker as cheaply as a
 * string can be copied. parseCases / parsePayments turn it into report rows there.
 */
export interface InputTexts {
  cases: string;
  payments: string;
}

export async function loadCountyInputs(q: Queryable, scope: CountyScope, period: Period): Promise<InputTexts> {
  const cp: unknown[] = [OPEN];
  const casesSql = `${CASES_SQL}${scopeWhere(scope, cp, 'c')}`;
  const { rows: c } = await q.query<{ j: string }>(
    `SELECT coalesce(json_agg(json_build_array(x.id, x.case_number, x.item_code, x.sub_kind, x.household_id, x.applicant_id,
              x.state, x.due_date, x.amount_fen, x.ended_on, x.start_month, x.decided_on, x.reason, x.recheck_due, x.village,
              x.township, x.hukou, x.member_count, x.first_paid_on)), '[]')::text AS j
       FROM (${casesSql}) x`,
    cp,
  );
  const pp: unknown[] = [period.start, period.end];
  const { rows: p } = await q.query<{ j: string }>(
    `SELECT coalesce(json_agg(json_build_array(x.case_id, x.month, x.amount_fen, x.n)), '[]')::text AS j
       FROM (SELECT c.case_id::text AS case_id, to_char(c.paid_on, 'YYYY-MM') AS month, sum(c.amount_fen)::bigint AS amount_fen,
                    count(*)::int AS n
               FROM payments c WHERE c.paid_on BETWEEN $1::date AND $2::date${scopeWhere(scope, pp, 'c')}
              GROUP BY 1, 2) x`,
    pp,
  );
  return { cases: c[0]?.j ?? '[]', payments: p[0]?.j ?? '[]' };
}

type CaseTuple = [
  id: string,
  caseNumber: string | null,
  itemCode: string | null,
  subKind: string | null,
  householdId: string | null,
  applicantId: string | null,
  state: string | null,
  dueDate: string | null,
  amountFen: string | number | null,
  endedOn: string | null,
  startMonth: string | null,
  decidedOn: string | null,
  reason: string | null,
  recheckDue: string | null,
  village: string | null,
  township: string,
  hukou: string | null,
  memberCount: string | number | null,
  firstPaidOn: string | null,
];

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

export function parseCases(text: string, scope: CountyScope): ReportCase[] {
  const out: ReportCase[] = [];
  const prefixVillage = scope.groupBy === 'village' && !scope.township && !scope.stationId;
  for (const r of JSON.parse(text) as CaseTuple[]) {
    const [id, caseNumber, itemCode, subKind, householdId, applicantId, state, dueDate, amountFen, endedOn] = r;
    if (!itemCode || !applicantId || !state) continue;
    const hukou: AreaClass = r[16] === 'urban' ? 'urban' : 'rural';
    const village = r[14] ?? NO_VILLAGE;
    out.push({
      id,
      caseNumber: caseNumber ?? '',
      itemCode,
      subKind,
      householdId,
      applicantId,
      applicantName: '',
      idNumber: '',
      // Village names repeat across townships: county-wide they are told apart by their township.
      village: scope.groupBy === 'township' ? r[15] : prefixVillage ? `${r[15]}·${village}` : village,
      area: subKind === 'urban' || subKind === 'rural' ? subKind : hukou,
      memberCount: num(r[17]) ?? 1,
      state: state as CaseState,
      amountFen: num(amountFen),
      paymentStartMonth: r[10],
      decidedOn: r[11],
      endedOn,
      reason: r[12],
      dueDate,
      recheckDue: r[13],
      firstPaidOn: r[18],
    });
  }
  return out;
}

export function parsePayments(text: string): PaymentAggregate[] {
  return (JSON.parse(text) as [string, string, string | number, number][]).map(([caseId, month, amountFen, count]) => ({
    caseId,
    month,
    amountFen: Number(amountFen),
    count,
  }));
}

/** Names and ID numbers of the applicants of a list's rows (full numbers: masking is the caller's). */
export async function attachCountyNames<T extends { applicantId: string; applicantName: string; idNumber: string }>(
  q: Queryable,
  rows: readonly T[],
): Promise<T[]> {
  const ids = [...new Set(rows.map((r) => r.applicantId))].filter((id) => /^[0-9a-f-]{36}$/.test(id));
  if (ids.length === 0) return [...rows];
  const { rows: found } = await q.query<{ id: string; name: string | null; id_number: string | null }>(
    `SELECT id::text AS id, data->>'name' AS name, data->>'idNumber' AS id_number FROM persons WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const byId = new Map(found.map((p) => [p.id, p]));
  return rows.map((r) => {
    const p = byId.get(r.applicantId);
    return p ? { ...r, applicantName: p.name ?? '', idNumber: p.id_number ?? '' } : r;
  });
}
