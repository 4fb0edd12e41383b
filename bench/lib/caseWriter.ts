/**
 * Writes cases with a real history into a store for report fixtures and the reports benchmark: every step goes
 * through the state machine (applyAction) exactly as the counter would take it, dated as the script says, and the
 * case row, its snapshot and its timeline are inserted with the columns the case services write. No audit or
 * outbox rows: this is fixture data for measuring and checking reads, not a use case.
 */
import { uuidv7 } from 'uuidv7';
import { addDays, type IsoDate } from '../../shared/domain/calendar';
import { applyAction, newCaseSnapshot, type CaseAction, type CaseSnapshot } from '../../shared/domain/caseMachine';
import { itemByCode } from '../../shared/domain/items';
import type { Actor } from '../../shared/domain/roles';
import type { Db } from '../../main/core/db/open';
import { derivedColumns } from '../../main/core/services/cases/create';

export interface Step {
  action: CaseAction;
  on: IsoDate;
  payload?: Record<string, unknown>;
  role?: Actor;
}

export interface CaseScript {
  itemCode: string;
  subKind?: string;
  cause?: string;
  applicantId: string;
  householdId: string | null;
  createdOn: IsoDate;
  steps: Step[];
}

const at = (date: IsoDate) => `${date}T10:00:00.000+08:00`;
const TOWNSHIP_LIMIT_FEN = 300_000;
let sequence = 0;

export function materialsFor(itemCode: string): string[] {
  return (itemByCode(itemCode)?.materials ?? []).filter((m) => m.required).map((m) => m.key);
}

export const homeVisit = (on: IsoDate) => ({
  visitedOn: on,
  investigators: ['王调查', '李调查'],
  fiveClears: {
    householdMembers: '家庭成员清楚',
    income: '收入清楚',
    hardshipCause: '困难原因清楚',
    difficulties: '困难程度清楚',
    employment: '就业情况清楚',
  },
  summary: '情况属实',
});

/** Steps from application to approval (and payment start) for the item's variant, dated backwards from `decidedOn`. */
export function grantSteps(
  itemCode: string,
  g: { decidedOn: IsoDate; amountFen: number; paymentStartMonth?: string; startedOn?: IsoDate },
): Step[] {
  const item = itemByCode(itemCode);
  if (!item) throw new RangeError(`unknown item ${itemCode}`);
  const d = g.decidedOn;
  const approve: Step =
    item.approval === 'county'
      ? {
          action: 'countyApprove',
          on: d,
          role: 'county',
          payload: { amountFen: g.amountFen, decidedOn: d, ...(g.paymentStartMonth ? { paymentStartMonth: g.paymentStartMonth } : {}) },
        }
      : {
          action: 'townshipApprove',
          on: d,
          payload: { amountFen: g.amountFen, ...(g.paymentStartMonth ? { paymentStartMonth: g.paymentStartMonth } : {}) },
        };
  const handOff: Step[] = item.approval === 'county' ? [{ action: 'handOffToCounty', on: addDays(d, -1), payload: {} }] : [];
  const review: Step = { action: 'townshipReview', on: addDays(d, -2), payload: { opinion: 'agree', note: '同意' } };
  const accept: Step = { action: 'accept', on: addDays(d, -25), payload: { materialsReceived: materialsFor(itemCode) } };
  const start: Step = { action: 'startPayment', on: g.startedOn ?? addDays(d, 1), payload: g.startedOn ? { startedOn: g.startedOn } : {} };
  switch (item.variant) {
    case 'meansTested':
      return [
        accept,
        { action: 'requestEconomicCheck', on: addDays(d, -24), payload: {} },
        { action: 'recordEconomicCheckResult', on: addDays(d, -20), payload: { finding: 'withinLimits', summary: '符合', resultOn: addDays(d, -20) } },
        { action: 'recordHomeVisit', on: addDays(d, -19), payload: homeVisit(addDays(d, -19)) },
        { action: 'startNotice', on: addDays(d, -15), payload: { startDate: addDays(d, -15) } },
        { action: 'completeNotice', on: addDays(d, -8), payload: {} },
        review,
        ...handOff,
        approve,
        start,
      ];
    case 'periodicSubsidy':
    case 'service':
      return [accept, { action: 'recordHomeVisit', on: addDays(d, -10), payload: homeVisit(addDays(d, -10)) }, review, ...handOff, approve, start];
    case 'oneOffSubsidy':
      return [accept, review, ...handOff, approve, start];
    case 'temporary':
      return [accept, { action: 'recordHomeVisit', on: addDays(d, -10), payload: homeVisit(addDays(d, -10)) }, review, ...handOff, approve, start];
  }
}

export interface WrittenCase {
  id: string;
  caseNumber: string;
  snapshot: CaseSnapshot;
}

/** Runs the script through the machine and inserts the result; throws (with the machine's message) on a bad script. */
export function writeCase(db: Db, script: CaseScript): WrittenCase {
  let snapshot = newCaseSnapshot(script.itemCode, script.subKind);
  const id = uuidv7();
  // Station code + day + 4 digits; the code's last 3 digits roll over every 10,000 cases so numbers stay unique.
  sequence++;
  const block = String(Math.floor(sequence / 10_000) % 1000).padStart(3, '0');
  const caseNumber = `430102${block}${script.createdOn.replaceAll('-', '')}${String(sequence % 10_000).padStart(4, '0')}`;
  const events: { action: string; from: string | null; to: string; payload: unknown; at: string; role: string }[] = [
    { action: 'create', from: null, to: 'submitted', payload: { itemCode: script.itemCode, subKind: script.subKind ?? null }, at: at(script.createdOn), role: 'clerk' },
  ];
  for (const step of script.steps) {
    const role = step.role ?? (step.action === 'countyApprove' || step.action === 'countyReject' ? 'county' : 'reviewer');
    const r = applyAction(snapshot, step.action, step.payload ?? {}, { role, now: at(step.on), townshipLimitFen: TOWNSHIP_LIMIT_FEN });
    if (!r.ok) throw new Error(`${script.itemCode} ${step.action} on ${step.on}: ${r.message}`);
    snapshot = r.snapshot;
    events.push({ action: step.action, from: r.event.fromState, to: r.event.toState, payload: r.event.payload, at: r.event.at, role });
  }
  const created = `${script.createdOn}T02:00:00.000Z`;
  const updated = `${script.steps.at(-1)?.on ?? script.createdOn}T02:00:00.000Z`;
  db.prepare(
    `INSERT INTO cases (id, case_number, item_code, sub_kind, cause, applicant_id, household_id, state, is_open, is_active,
       due_date, snapshot, duplicate_reason, county_version, version, created_by, created_at, updated_at)
     VALUES (@id, @case_number, @item_code, @sub_kind, @cause, @applicant_id, @household_id, @state, @is_open, @is_active,
       @due_date, @snapshot, NULL, 0, @version, NULL, @created, @updated)`,
  ).run({
    id,
    case_number: caseNumber,
    item_code: script.itemCode,
    sub_kind: script.subKind ?? null,
    cause: script.cause ?? null,
    applicant_id: script.applicantId,
    household_id: script.householdId,
    ...derivedColumns(snapshot),
    snapshot: JSON.stringify(snapshot),
    version: events.length,
    created,
    updated,
  });
  const insertEvent = db.prepare(
    `INSERT INTO case_events (id, case_id, seq, action, from_state, to_state, payload, actor_id, actor_name, actor_role, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  );
  events.forEach((e, i) =>
    insertEvent.run(uuidv7(), id, i + 1, e.action, e.from, e.to, JSON.stringify(e.payload), e.role === 'county' ? '县民政局' : '测试人员', e.role, e.at),
  );
  return { id, caseNumber, snapshot };
}
