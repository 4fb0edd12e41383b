import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { uuidText } from '../../shared/sync/mutations';
import { areaClasses, economicCheckResults, type CaseCountyData, type PolicyStandard, type TownshipLimit, type VillageList } from '../../shared/sync/protocol';
import type { CountyDb } from '../db/types';
import { publishCaseCounty } from './caseCounty';
import { appendChanges, scopes } from './changeLog';
import { describeIssue, ServiceError } from './errors';

/**
 * County-owned writes (docs/sync-protocol.md SP-15): decisions, economic-check results, policy standards, township
 * limits and village lists. Each write and its pull-feed entry commit together; a write to a case raises the case's
 * countyVersion, which is what makes an older station edit of a decided case a conflict (SP-25).
 */

const uuid = uuidText;
const staffName = z.string().trim().min(1).max(100);
const amountFen = z.number().int().min(0).max(10_000_000_000);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, '日期不存在');
const township = z.string().trim().min(1).max(64);

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const res = schema.safeParse(input);
  if (!res.success) throw new ServiceError('INVALID_INPUT', describeIssue(res.error.issues));
  return res.data;
}

export const recordDecisionInput = z.discriminatedUnion('outcome', [
  z.object({
    caseId: uuid,
    outcome: z.literal('approved'),
    amountFen,
    paymentStartMonth: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '发放起始月份格式应为 YYYY-MM'),
    reason: z.string().trim().max(2000).optional(),
    decidedBy: staffName,
  }),
  z.object({
    caseId: uuid,
    outcome: z.literal('rejected'),
    reason: z.string().trim().min(1, '不予批准必须写明理由').max(2000),
    decidedBy: staffName,
  }),
]);
export type RecordDecisionInput = z.input<typeof recordDecisionInput>;

/** Approve (amount, payment start month) or reject (written reason). A later call replaces the decision. */
export async function recordDecision(db: CountyDb, input: RecordDecisionInput): Promise<CaseCountyData> {
  const d = parse(recordDecisionInput, input);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query(
      `UPDATE cases SET decision = $2, amount_fen = $3, reason = $4, payment_start_month = $5, decided_by = $6,
                        decided_at = now(), county_version = county_version + 1
        WHERE id = $1 RETURNING 1`,
      [
        d.caseId,
        d.outcome,
        d.outcome === 'approved' ? d.amountFen : null,
        d.reason && d.reason.length > 0 ? d.reason : null,
        d.outcome === 'approved' ? d.paymentStartMonth : null,
        d.decidedBy,
      ],
    );
    if (rows.length === 0) throw new ServiceError('NOT_FOUND', '未找到该案件（工作站尚未同步上来？）。');
    return publishCaseCounty(tx, d.caseId);
  });
}

export const recordEconomicCheckInput = z.object({
  caseId: uuid,
  result: z.enum(economicCheckResults),
  findings: z.string().trim().max(4000),
  checkedBy: staffName,
  /** When the check was made; defaults to now. */
  checkedAt: z.iso.datetime({ offset: true }).optional(),
});
export type RecordEconomicCheckInput = z.input<typeof recordEconomicCheckInput>;

export async function recordEconomicCheck(db: CountyDb, input: RecordEconomicCheckInput): Promise<CaseCountyData> {
  const c = parse(recordEconomicCheckInput, input);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ county_version: number }>(
      'UPDATE cases SET county_version = county_version + 1 WHERE id = $1 RETURNING county_version',
      [c.caseId],
    );
    if (!rows[0]) throw new ServiceError('NOT_FOUND', '未找到该案件（工作站尚未同步上来？）。');
    await tx.query(
      `INSERT INTO economic_checks (id, case_id, result, findings, checked_at, checked_by, county_version)
       VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now()), $6, $7)`,
      [randomUUID(), c.caseId, c.result, c.findings, c.checkedAt ?? null, c.checkedBy, rows[0].county_version],
    );
    return publishCaseCounty(tx, c.caseId);
  });
}

export const policyStandardKey = z.object({
  kind: z.string().regex(/^[a-z][A-Za-z0-9]{0,31}$/, '标准类别应为事项标识，如 dibao'),
  areaClass: z.enum(areaClasses),
  effectiveFrom: isoDate,
});
export const setPolicyStandardInput = policyStandardKey.extend({ amountFen, updatedBy: staffName });
export type SetPolicyStandardInput = z.input<typeof setPolicyStandardInput>;

const standardKey = (s: { kind: string; areaClass: string; effectiveFrom: string }) => `${s.kind}/${s.areaClass}/${s.effectiveFrom}`;

/** Sets the standard of one item and urban/rural class from a date on; earlier and later dates stay as they are. */
export async function setPolicyStandard(db: CountyDb, input: SetPolicyStandardInput): Promise<PolicyStandard> {
  const s = parse(setPolicyStandardInput, input);
  const data: PolicyStandard = { kind: s.kind, areaClass: s.areaClass, amountFen: s.amountFen, effectiveFrom: s.effectiveFrom };
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO policy_standards (kind, area_class, effective_from, amount_fen, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (kind, area_class, effective_from) DO UPDATE
         SET amount_fen = EXCLUDED.amount_fen, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [s.kind, s.areaClass, s.effectiveFrom, s.amountFen, s.updatedBy],
    );
    await appendChanges(tx, [{ tbl: 'policy_standard', key: standardKey(s), scope: scopes.county, op: 'upsert', data }]);
  });
  return data;
}

export type PolicyStandardKey = z.input<typeof policyStandardKey>;

/** Withdraws a standard entered by mistake; stations receive a delete. */
export async function deletePolicyStandard(db: CountyDb, input: PolicyStandardKey): Promise<void> {
  const k = parse(policyStandardKey, input);
  await db.transaction(async (tx) => {
    const { rows } = await tx.query(
      'DELETE FROM policy_standards WHERE kind = $1 AND area_class = $2 AND effective_from = $3 RETURNING 1',
      [k.kind, k.areaClass, k.effectiveFrom],
    );
    if (rows.length === 0) throw new ServiceError('NOT_FOUND', '未找到该标准。');
    await appendChanges(tx, [{ tbl: 'policy_standard', key: standardKey(k), scope: scopes.county, op: 'delete', data: null }]);
  });
}

export async function listPolicyStandards(db: CountyDb): Promise<PolicyStandard[]> {
  const { rows } = await db.query<{ kind: string; area_class: 'urban' | 'rural'; amount_fen: string | number; effective_from: string }>(
    'SELECT kind, area_class, amount_fen, effective_from FROM policy_standards ORDER BY kind, area_class, effective_from',
  );
  return rows.map((r) => ({ kind: r.kind, areaClass: r.area_class, amountFen: Number(r.amount_fen), effectiveFrom: r.effective_from }));
}

export const setTownshipLimitInput = z.object({ township, amountFen, effectiveFrom: isoDate, updatedBy: staffName });
export type SetTownshipLimitInput = z.input<typeof setTownshipLimitInput>;

/** Temporary-assistance amount the township may approve on its own (备用金 limit), from a date on. */
export async function setTownshipLimit(db: CountyDb, input: SetTownshipLimitInput): Promise<TownshipLimit> {
  const l = parse(setTownshipLimitInput, input);
  const data: TownshipLimit = { township: l.township, amountFen: l.amountFen, effectiveFrom: l.effectiveFrom };
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO township_limits (township, effective_from, amount_fen, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (township, effective_from) DO UPDATE
         SET amount_fen = EXCLUDED.amount_fen, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [l.township, l.effectiveFrom, l.amountFen, l.updatedBy],
    );
    await appendChanges(tx, [
      { tbl: 'township_limit', key: `${l.township}/${l.effectiveFrom}`, scope: scopes.township(l.township), op: 'upsert', data },
    ]);
  });
  return data;
}

export const setVillagesInput = z.object({
  township,
  villages: z
    .array(z.object({ code: z.string().trim().min(1).max(32), name: z.string().trim().min(1).max(64), areaClass: z.enum(areaClasses) }))
    .max(2000)
    .refine((v) => new Set(v.map((x) => x.code)).size === v.length, '村（社区）编码重复'),
  updatedBy: staffName,
});
export type SetVillagesInput = z.input<typeof setVillagesInput>;

/** Replaces the village/community list of one township. */
export async function setVillages(db: CountyDb, input: SetVillagesInput): Promise<VillageList> {
  const v = parse(setVillagesInput, input);
  const data: VillageList = { township: v.township, villages: v.villages };
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO village_lists (township, villages, updated_by) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (township) DO UPDATE SET villages = EXCLUDED.villages, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [v.township, JSON.stringify(v.villages), v.updatedBy],
    );
    await appendChanges(tx, [{ tbl: 'village_list', key: v.township, scope: scopes.township(v.township), op: 'upsert', data }]);
  });
  return data;
}
