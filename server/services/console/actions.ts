import type { z } from 'zod';
import { ECONOMIC_CHECK_FINDING_LABELS } from '../../../shared/domain/caseMachine';
import { uuidText } from '../../../shared/sync/mutations';
import type { CaseCountyData, PolicyStandard, TownshipLimit } from '../../../shared/sync/protocol';
import type { CountyDb } from '../../db/types';
import { deletePolicyStandard, recordDecision, recordEconomicCheck, setPolicyStandard, setTownshipLimit } from '../countyData';
import { describeIssue, ServiceError } from '../errors';
import { createStation, issueEnrolmentCode, revokeStation, type CreateStationInput, type EnrolmentCode, type Station } from '../stations';
import { appendAudit, type Actor } from './audit';
import { inTransaction } from './inTransaction';
import { checkInput, decisionInput, standardInput, townshipLimitInput, type CheckInput, type DecisionInput } from './model';

/**
 * Console writes. Each calls the county service that owns the data (server/services/countyData.ts, stations.ts) and
 * appends the audit entry in the same transaction: a decision without its audit entry cannot exist, nor the reverse.
 */

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const res = schema.safeParse(input);
  if (!res.success) throw new ServiceError('INVALID_INPUT', describeIssue(res.error.issues));
  return res.data;
}

function caseIdOf(id: string): string {
  return parse(uuidText, id);
}

/** Who the decision names at the station: the officer's display name, not the login. */
const decidedBy = (actor: Actor & { displayName: string }) => actor.displayName;

/**
 * Approves or rejects a case waiting for the county. The decision reaches the station through pull (case_county,
 * SP-33). Refused when the case is not (or no longer) waiting: decided already, or not handed over by the station.
 */
export async function decideCase(db: CountyDb, caseId: string, input: DecisionInput, actor: Actor & { displayName: string }): Promise<CaseCountyData> {
  const id = caseIdOf(caseId);
  const d = parse(decisionInput, input);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ station_id: string; station_state: string | null; decision: string | null }>(
      'SELECT station_id::text AS station_id, station_state, decision FROM cases WHERE id = $1 FOR UPDATE',
      [id],
    );
    const row = rows[0];
    if (!row) throw new ServiceError('NOT_FOUND', '未找到该案件（工作站尚未同步上来？）。');
    if (row.decision) throw new ServiceError('INVALID_INPUT', '该案件已作出县级决定，不能重复审批。');
    if (row.station_state !== 'awaitingCounty') throw new ServiceError('INVALID_INPUT', '该案件尚未由乡镇报县级审批，不能审批。');
    const res = await recordDecision(
      inTransaction(tx, db.kind),
      d.outcome === 'approved'
        ? { caseId: id, outcome: 'approved', amountFen: d.amountFen, paymentStartMonth: d.paymentStartMonth, reason: d.note ?? '', decidedBy: decidedBy(actor) }
        : { caseId: id, outcome: 'rejected', reason: d.reason, decidedBy: decidedBy(actor) },
    );
    await appendAudit(tx, actor, {
      action: 'case.decide',
      entity: 'case',
      entityId: id,
      stationId: row.station_id,
      detail:
        d.outcome === 'approved'
          ? { outcome: 'approved', amountFen: d.amountFen, paymentStartMonth: d.paymentStartMonth, countyVersion: res.countyVersion }
          : { outcome: 'rejected', countyVersion: res.countyVersion },
    });
    return res;
  });
}

/**
 * Records the result of an economic check. The county protocol carries pass/fail plus findings text; the finding
 * (one of the station machine's ECONOMIC_CHECK_FINDINGS) leads the text as 【label】 so the station can show it and
 * map it back: withinLimits ⇔ pass; exceedsLimits and needsVerification ⇔ fail.
 */
export async function recordCheck(db: CountyDb, caseId: string, input: CheckInput, actor: Actor & { displayName: string }): Promise<CaseCountyData> {
  const id = caseIdOf(caseId);
  const c = parse(checkInput, input);
  return db.transaction(async (tx) => {
    const res = await recordEconomicCheck(inTransaction(tx, db.kind), {
      caseId: id,
      result: c.finding === 'withinLimits' ? 'pass' : 'fail',
      findings: `【${ECONOMIC_CHECK_FINDING_LABELS[c.finding]}】${c.summary}`,
      checkedBy: actor.displayName,
    });
    const station = await tx.query<{ station_id: string }>('SELECT station_id::text AS station_id FROM cases WHERE id = $1', [id]);
    await appendAudit(tx, actor, {
      action: 'check.record',
      entity: 'case',
      entityId: id,
      stationId: station.rows[0]?.station_id ?? null,
      detail: { finding: c.finding, countyVersion: res.countyVersion },
    });
    return res;
  });
}

export async function saveStandard(db: CountyDb, input: unknown, actor: Actor & { displayName: string }): Promise<PolicyStandard> {
  const s = parse(standardInput, input);
  return db.transaction(async (tx) => {
    const res = await setPolicyStandard(inTransaction(tx, db.kind), { ...s, updatedBy: actor.displayName });
    await appendAudit(tx, actor, { action: 'standard.set', entity: 'standard', entityId: `${s.kind}/${s.areaClass}/${s.effectiveFrom}`, detail: { amountFen: s.amountFen } });
    return res;
  });
}

export async function removeStandard(db: CountyDb, input: unknown, actor: Actor): Promise<void> {
  const s = parse(standardInput.omit({ amountFen: true }), input);
  await db.transaction(async (tx) => {
    await deletePolicyStandard(inTransaction(tx, db.kind), s);
    await appendAudit(tx, actor, { action: 'standard.delete', entity: 'standard', entityId: `${s.kind}/${s.areaClass}/${s.effectiveFrom}` });
  });
}

export async function saveTownshipLimit(db: CountyDb, township: string, input: unknown, actor: Actor & { displayName: string }): Promise<TownshipLimit> {
  const l = parse(townshipLimitInput, input);
  return db.transaction(async (tx) => {
    const res = await setTownshipLimit(inTransaction(tx, db.kind), { township, ...l, updatedBy: actor.displayName });
    await appendAudit(tx, actor, { action: 'townshipLimit.set', entity: 'township', entityId: township, detail: { amountFen: l.amountFen, effectiveFrom: l.effectiveFrom } });
    return res;
  });
}

export async function listTownshipLimits(db: CountyDb): Promise<(TownshipLimit & { updatedBy: string })[]> {
  const { rows } = await db.query<{ township: string; amount_fen: string | number; effective_from: string; updated_by: string }>(
    'SELECT township, amount_fen, effective_from, updated_by FROM township_limits ORDER BY township, effective_from',
  );
  return rows.map((r) => ({ township: r.township, amountFen: Number(r.amount_fen), effectiveFrom: r.effective_from, updatedBy: r.updated_by }));
}

export async function enrolNewStation(db: CountyDb, input: CreateStationInput, actor: Actor): Promise<{ station: Station; enrolment: EnrolmentCode }> {
  return db.transaction(async (tx) => {
    const res = await createStation(inTransaction(tx, db.kind), input);
    await appendAudit(tx, actor, { action: 'station.create', entity: 'station', entityId: res.station.id, stationId: res.station.id, detail: { code: res.station.code } });
    return res;
  });
}

export async function newEnrolmentCode(db: CountyDb, stationId: string, actor: Actor): Promise<EnrolmentCode> {
  const id = parse(uuidText, stationId);
  return db.transaction(async (tx) => {
    const res = await issueEnrolmentCode(inTransaction(tx, db.kind), id);
    await appendAudit(tx, actor, { action: 'station.enrolmentCode', entity: 'station', entityId: id, stationId: id });
    return res;
  });
}

export async function revokeStationCredentials(db: CountyDb, stationId: string, actor: Actor): Promise<{ revokedCredentials: number }> {
  const id = parse(uuidText, stationId);
  return db.transaction(async (tx) => {
    const res = await revokeStation(inTransaction(tx, db.kind), id);
    await appendAudit(tx, actor, { action: 'station.revoke', entity: 'station', entityId: id, stationId: id, detail: res });
    return res;
  });
}
