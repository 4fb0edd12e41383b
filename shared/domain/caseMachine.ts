import { z } from 'zod';
import {
  addDays,
  addMonths,
  addMonthsToDate,
  dateOf,
  IsoDateSchema,
  IsoMonthSchema,
  monthOf,
  type IsoDate,
} from './calendar';
import { FenSchema, formatYuan } from './income';
import {
  APPROVAL_AUTHORITIES,
  ITEM_CATALOGUE,
  itemByCode,
  PAYMENT_KINDS,
  WORKFLOW_VARIANTS,
  type ItemDefinition,
  type WorkflowVariant,
} from './items';
import { isActor, ROLE_LABELS, rolesAtLeast, type Actor } from './roles';
import { addWorkingDays } from './workdays';

export type { WorkflowVariant } from './items';

/**
 * THE case state machine: one table of legal transitions per workflow variant, one definition per action (who may
 * take it, its payload schema, the case facts it needs, what it records). Written down with its rule ids (SM-n) in
 * docs/case-state-machine.md; tests cite the same ids. Pure: no clock, no I/O — the caller passes `now`.
 */

// ─── States and actions ─────────────────────────────────────────────────────────────────────────────────────────

export const CASE_STATES = [
  'submitted',
  'awaitingMaterials',
  'accepted',
  'notAccepted',
  'withdrawn',
  'urgentAided',
  'investigating',
  'inNotice',
  'objectionReview',
  'noticeCompleted',
  'townshipReviewed',
  'awaitingCounty',
  'approved',
  'rejected',
  'active',
  'suspended',
  'terminated',
  'closed',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const STATE_LABELS: Readonly<Record<CaseState, string>> = {
  submitted: '已登记，待受理',
  awaitingMaterials: '待补齐材料（已一次性告知）',
  accepted: '已受理',
  notAccepted: '不予受理',
  withdrawn: '申请已撤回',
  urgentAided: '已先行救助，待补办手续',
  investigating: '调查核实中',
  inNotice: '公示中',
  objectionReview: '公示有异议，待复核',
  noticeCompleted: '公示期满无异议',
  townshipReviewed: '乡镇已审核',
  awaitingCounty: '已报县级审批',
  approved: '已批准，待发放',
  rejected: '不予批准',
  active: '享受中',
  suspended: '已暂停',
  terminated: '已终止',
  closed: '已办结',
};

/** SM-26: an application still in progress (counts for the no-double-benefit warning). */
const OPEN_STATES: ReadonlySet<CaseState> = new Set([
  'submitted',
  'awaitingMaterials',
  'accepted',
  'urgentAided',
  'investigating',
  'inNotice',
  'objectionReview',
  'noticeCompleted',
  'townshipReviewed',
  'awaitingCounty',
]);
/** SM-26: benefit granted and not ended (approved awaiting first payment, paying, or suspended). */
const ACTIVE_STATES: ReadonlySet<CaseState> = new Set(['approved', 'active', 'suspended']);

export function isOpen(state: CaseState): boolean {
  return OPEN_STATES.has(state);
}
export function isActive(state: CaseState): boolean {
  return ACTIVE_STATES.has(state);
}
/** No action leads out of a terminal state. */
export function isTerminal(state: CaseState): boolean {
  return !OPEN_STATES.has(state) && !ACTIVE_STATES.has(state);
}

export const CASE_ACTIONS = [
  'accept',
  'requestMaterials',
  'notAccept',
  'withdraw',
  'urgentAid',
  'requestEconomicCheck',
  'recordEconomicCheckResult',
  'recordHomeVisit',
  'recordDemocraticReview',
  'startNotice',
  'raiseObjection',
  'completeNotice',
  'townshipReview',
  'townshipApprove',
  'handOffToCounty',
  'countyApprove',
  'countyReject',
  'reject',
  'startPayment',
  'recordRecheck',
  'suspend',
  'resume',
  'terminate',
  'completeService',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const ACTION_LABELS: Readonly<Record<CaseAction, string>> = {
  accept: '受理',
  requestMaterials: '一次性告知补齐材料',
  notAccept: '不予受理',
  withdraw: '撤回申请',
  urgentAid: '先行救助',
  requestEconomicCheck: '申请家庭经济状况核对',
  recordEconomicCheckResult: '录入经济状况核对结果',
  recordHomeVisit: '录入入户调查',
  recordDemocraticReview: '录入民主评议',
  startNotice: '开始公示',
  raiseObjection: '登记公示异议',
  completeNotice: '公示期满无异议',
  townshipReview: '乡镇审核',
  townshipApprove: '乡镇审批通过',
  handOffToCounty: '报县级审批',
  countyApprove: '县级批准',
  countyReject: '县级不予批准',
  reject: '不予批准',
  startPayment: '开始发放（服务）',
  recordRecheck: '录入定期复核',
  suspend: '暂停',
  resume: '恢复',
  terminate: '终止',
  completeService: '服务完成',
};

// ─── Transition tables (SM-2) ───────────────────────────────────────────────────────────────────────────────────

export interface Transition {
  readonly from: CaseState;
  readonly action: CaseAction;
  readonly to: CaseState;
}

function recordOf<K extends string, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
  const out = {} as Record<K, V>;
  for (const key of keys) out[key] = value(key);
  return out;
}

type Row = readonly [CaseState, CaseAction, CaseState];
const rows = (...list: Row[]): Row[] => list;
const INTAKE = rows(
  ['submitted', 'accept', 'accepted'],
  ['submitted', 'requestMaterials', 'awaitingMaterials'],
  ['submitted', 'notAccept', 'notAccepted'],
  ['awaitingMaterials', 'accept', 'accepted'],
  ['awaitingMaterials', 'notAccept', 'notAccepted'],
);
const TOWNSHIP_DECISION = rows(
  ['townshipReviewed', 'townshipReview', 'townshipReviewed'],
  ['townshipReviewed', 'townshipApprove', 'approved'],
  ['townshipReviewed', 'handOffToCounty', 'awaitingCounty'],
  ['townshipReviewed', 'reject', 'rejected'],
  ['awaitingCounty', 'countyApprove', 'approved'],
  ['awaitingCounty', 'countyReject', 'rejected'],
);
const ONGOING = rows(
  ['approved', 'startPayment', 'active'],
  ['active', 'recordRecheck', 'active'],
  ['active', 'suspend', 'suspended'],
  ['suspended', 'resume', 'active'],
  ['active', 'terminate', 'terminated'],
  ['suspended', 'terminate', 'terminated'],
);
const withdrawFrom = (...states: CaseState[]): Row[] => states.map((s) => [s, 'withdraw', 'withdrawn'] as const);

const TABLE: Record<WorkflowVariant, Row[]> = {
  meansTested: [
    ...INTAKE,
    ['accepted', 'requestEconomicCheck', 'investigating'],
    ['investigating', 'recordEconomicCheckResult', 'investigating'],
    ['investigating', 'recordHomeVisit', 'investigating'],
    ['investigating', 'recordDemocraticReview', 'investigating'],
    ['investigating', 'startNotice', 'inNotice'],
    ['investigating', 'reject', 'rejected'],
    ['inNotice', 'raiseObjection', 'objectionReview'],
    ['inNotice', 'completeNotice', 'noticeCompleted'],
    ['objectionReview', 'recordHomeVisit', 'objectionReview'],
    ['objectionReview', 'recordDemocraticReview', 'investigating'],
    ['objectionReview', 'reject', 'rejected'],
    ['noticeCompleted', 'townshipReview', 'townshipReviewed'],
    ...TOWNSHIP_DECISION,
    ...ONGOING,
    ...withdrawFrom(
      'submitted',
      'awaitingMaterials',
      'accepted',
      'investigating',
      'inNotice',
      'objectionReview',
      'noticeCompleted',
      'townshipReviewed',
    ),
  ],
  temporary: [
    ...INTAKE,
    ['submitted', 'urgentAid', 'urgentAided'],
    ['awaitingMaterials', 'urgentAid', 'urgentAided'],
    ['accepted', 'urgentAid', 'urgentAided'],
    ['accepted', 'requestEconomicCheck', 'investigating'],
    ['accepted', 'recordHomeVisit', 'investigating'],
    ['urgentAided', 'requestEconomicCheck', 'investigating'],
    ['urgentAided', 'recordHomeVisit', 'investigating'],
    ['investigating', 'requestEconomicCheck', 'investigating'],
    ['investigating', 'recordEconomicCheckResult', 'investigating'],
    ['investigating', 'recordHomeVisit', 'investigating'],
    ['investigating', 'townshipReview', 'townshipReviewed'],
    ['investigating', 'reject', 'rejected'],
    ...TOWNSHIP_DECISION,
    ['approved', 'startPayment', 'closed'],
    ...withdrawFrom('submitted', 'awaitingMaterials', 'accepted', 'investigating', 'townshipReviewed'),
  ],
  periodicSubsidy: [
    ...INTAKE,
    ['accepted', 'recordHomeVisit', 'investigating'],
    ['investigating', 'recordHomeVisit', 'investigating'],
    ['investigating', 'townshipReview', 'townshipReviewed'],
    ['investigating', 'reject', 'rejected'],
    ...TOWNSHIP_DECISION,
    ...ONGOING,
    ...withdrawFrom('submitted', 'awaitingMaterials', 'accepted', 'investigating', 'townshipReviewed'),
  ],
  oneOffSubsidy: [
    ...INTAKE,
    ['accepted', 'townshipReview', 'townshipReviewed'],
    ...TOWNSHIP_DECISION,
    ['approved', 'startPayment', 'closed'],
    ...withdrawFrom('submitted', 'awaitingMaterials', 'accepted', 'townshipReviewed'),
  ],
  service: [
    ...INTAKE,
    ['accepted', 'recordHomeVisit', 'investigating'],
    ['investigating', 'recordHomeVisit', 'investigating'],
    ['investigating', 'townshipReview', 'townshipReviewed'],
    ['investigating', 'reject', 'rejected'],
    ...TOWNSHIP_DECISION,
    ...ONGOING,
    ['active', 'completeService', 'closed'],
    ...withdrawFrom('submitted', 'awaitingMaterials', 'accepted', 'investigating', 'townshipReviewed'),
  ],
};

/** Every legal (from, action) → to of each variant. Anything not listed is refused with ILLEGAL_TRANSITION. */
export const TRANSITIONS: Readonly<Record<WorkflowVariant, readonly Transition[]>> = recordOf(WORKFLOW_VARIANTS, (v) =>
  TABLE[v].map(([from, action, to]) => ({ from, action, to })),
);

/** The states a case of each variant can be in (its initial state plus every transition's ends). */
export const VARIANT_STATES: Readonly<Record<WorkflowVariant, readonly CaseState[]>> = recordOf(
  WORKFLOW_VARIANTS,
  (v) => {
    const used = new Set<CaseState>(['submitted', ...TABLE[v].flatMap(([from, , to]) => [from, to])]);
    return CASE_STATES.filter((s) => used.has(s));
  },
);

export function findTransition(variant: WorkflowVariant, from: CaseState, action: CaseAction): Transition | undefined {
  return TRANSITIONS[variant].find((t) => t.from === from && t.action === action);
}

// ─── Snapshot ───────────────────────────────────────────────────────────────────────────────────────────────────

/** SM-1: the parts of the item definition a case runs under, copied when the case is created. */
const CaseRulesSchema = z.object({
  approval: z.enum(APPROVAL_AUTHORITIES),
  payment: z.enum(PAYMENT_KINDS),
  noticeDays: z.number().int().min(0),
  recheckMonths: z.number().int().min(0),
  decisionWorkingDays: z.number().int().min(1),
  requiredMaterials: z.array(z.object({ key: z.string(), name: z.string() })),
});
export type CaseRules = z.infer<typeof CaseRulesSchema>;

export const ECONOMIC_CHECK_FINDINGS = ['withinLimits', 'exceedsLimits', 'needsVerification'] as const;
export type EconomicCheckFinding = (typeof ECONOMIC_CHECK_FINDINGS)[number];
export const ECONOMIC_CHECK_FINDING_LABELS: Readonly<Record<EconomicCheckFinding, string>> = {
  withinLimits: '收入和财产符合规定',
  exceedsLimits: '收入或财产超过规定',
  needsVerification: '存在疑点，需进一步核实',
};

export const REVIEW_OUTCOMES = ['agree', 'disagree'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
export const REVIEW_OUTCOME_LABELS: Readonly<Record<ReviewOutcome, string>> = { agree: '同意', disagree: '不同意' };

export const CaseSnapshotSchema = z.object({
  itemCode: z.string().min(1),
  subKind: z.string().optional(),
  variant: z.enum(WORKFLOW_VARIANTS),
  rules: CaseRulesSchema,
  state: z.enum(CASE_STATES),
  /** ISO datetime of acceptance (or of urgent aid, which starts the clock for a temporary-assistance case). */
  acceptedAt: z.string().optional(),
  deadlines: z.object({ decisionDue: IsoDateSchema.optional() }),
  /** What the one-time notice (一次性告知) listed as missing. */
  missingMaterials: z.array(z.string()).optional(),
  economicCheck: z
    .object({
      requestedOn: IsoDateSchema,
      resultOn: IsoDateSchema.optional(),
      finding: z.enum(ECONOMIC_CHECK_FINDINGS).optional(),
    })
    .optional(),
  homeVisitOn: IsoDateSchema.optional(),
  democraticReview: z.object({ heldOn: IsoDateSchema, outcome: z.enum(REVIEW_OUTCOMES) }).optional(),
  noticeStart: IsoDateSchema.optional(),
  noticeEnd: IsoDateSchema.optional(),
  townshipOpinion: z.enum(REVIEW_OUTCOMES).optional(),
  urgentAidFen: FenSchema.optional(),
  amountFen: FenSchema.optional(),
  paymentStartMonth: IsoMonthSchema.optional(),
  decidedBy: z.enum(['township', 'county']).optional(),
  decidedOn: IsoDateSchema.optional(),
  paymentStartedOn: IsoDateSchema.optional(),
  recheckDue: IsoDateSchema.optional(),
  lastRecheckOn: IsoDateSchema.optional(),
  /** The reason given by the last refusal, withdrawal, suspension, resumption or termination. */
  reason: z.string().optional(),
  /** Date the case reached a terminal state. */
  endedOn: IsoDateSchema.optional(),
});
export type CaseSnapshot = z.infer<typeof CaseSnapshotSchema>;

/**
 * A new case in state `submitted`. SM-1: the item's rules are copied into the snapshot so a later catalogue change
 * never alters a case in progress. Throws RangeError for an unknown item or a missing/unknown sub-kind (validate
 * user input with ItemCodeSchema first); pass `catalogue` when the county supplied its own.
 */
export function newCaseSnapshot(
  itemCode: string,
  subKind?: string,
  catalogue: readonly ItemDefinition[] = ITEM_CATALOGUE,
): CaseSnapshot {
  const item = itemByCode(itemCode, catalogue);
  if (!item) throw new RangeError(`未知的救助事项：${itemCode}`);
  if (item.subKinds.length > 0 && !item.subKinds.some((k) => k.code === subKind)) {
    throw new RangeError(
      `事项“${item.name}”需要选择类别（${item.subKinds.map((k) => k.name).join('/')}），收到：${subKind ?? '无'}`,
    );
  }
  if (item.subKinds.length === 0 && subKind !== undefined)
    throw new RangeError(`事项“${item.name}”没有类别，收到：${subKind}`);
  const snapshot: CaseSnapshot = {
    itemCode: item.code,
    variant: item.variant,
    rules: {
      approval: item.approval,
      payment: item.payment,
      noticeDays: item.noticeDays,
      recheckMonths: item.recheckMonths,
      decisionWorkingDays: item.decisionWorkingDays,
      requiredMaterials: item.materials.filter((mat) => mat.required).map(({ key, name }) => ({ key, name })),
    },
    state: 'submitted',
    deadlines: {},
  };
  if (subKind !== undefined) snapshot.subKind = subKind;
  return snapshot;
}

// ─── Payloads ───────────────────────────────────────────────────────────────────────────────────────────────────

const reason = z
  .string({ error: '请填写原因' })
  .trim()
  .min(1, { message: '请填写原因' })
  .max(500, { message: '原因不能超过500字' });
const note = z.string().trim().max(500, { message: '备注不能超过500字' }).optional();
const requiredText = (what: string, max = 2000) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(1, { message: `请填写${what}` })
    .max(max, { message: `${what}不能超过${max}字` });
const positiveFen = FenSchema.refine((v) => v > 0, { message: '金额必须大于0' });

export const FIVE_CLEARS = ['householdMembers', 'income', 'hardshipCause', 'difficulties', 'employment'] as const;
export type FiveClear = (typeof FIVE_CLEARS)[number];
export const FIVE_CLEAR_LABELS: Readonly<Record<FiveClear, string>> = {
  householdMembers: '家庭人口清',
  income: '收入状况清',
  hardshipCause: '致困原因清',
  difficulties: '困难情况清',
  employment: '就业状况清',
};

export const ACTION_PAYLOAD_SCHEMAS = {
  /** SM-5: the checklist keys received; every required one must be among them. */
  accept: z.object({ materialsReceived: z.array(z.string().trim().min(1)).default([]), note }),
  /** SM-6: everything missing, at once. */
  requestMaterials: z.object({
    missing: z
      .array(z.string().trim().min(1, { message: '缺少的材料不能为空' }), { error: '请列出缺少的材料' })
      .min(1, { message: '请至少列出一项缺少的材料' }),
    note,
  }),
  notAccept: z.object({ reason }),
  withdraw: z.object({ reason }),
  urgentAid: z.object({
    amountFen: positiveFen,
    reason: requiredText('救助事由', 500),
    givenOn: IsoDateSchema.optional(),
  }),
  requestEconomicCheck: z.object({ note }),
  recordEconomicCheckResult: z.object({
    finding: z.enum(ECONOMIC_CHECK_FINDINGS, { error: '请选择核对结论' }),
    summary: requiredText('核对情况摘要'),
    reportNo: z.string().trim().max(100).optional(),
    resultOn: IsoDateSchema.optional(),
  }),
  /** SM-10 */
  recordHomeVisit: z.object({
    visitedOn: IsoDateSchema,
    investigators: z
      .array(z.string().trim().min(1, { message: '调查人员姓名不能为空' }), { error: '请填写调查人员' })
      .min(2, { message: '入户调查至少需要两名调查人员' })
      .refine((names) => new Set(names).size === names.length, { message: '调查人员不能重复' }),
    fiveClears: z.object(
      Object.fromEntries(FIVE_CLEARS.map((k) => [k, requiredText(`“${FIVE_CLEAR_LABELS[k]}”情况`, 1000)])) as Record<
        FiveClear,
        ReturnType<typeof requiredText>
      >,
      { error: '请填写“五清”调查情况' },
    ),
    summary: requiredText('调查结论'),
  }),
  recordDemocraticReview: z.object({
    heldOn: IsoDateSchema,
    outcome: z.enum(REVIEW_OUTCOMES, { error: '请选择评议结果' }),
    summary: requiredText('评议情况'),
  }),
  /** SM-12: defaults to today and the item's notice days. */
  startNotice: z.object({
    startDate: IsoDateSchema.optional(),
    endDate: IsoDateSchema.optional(),
    place: z.string().trim().max(200).optional(),
  }),
  raiseObjection: z.object({ summary: requiredText('异议内容'), receivedOn: IsoDateSchema.optional() }),
  completeNotice: z.object({ note }),
  townshipReview: z.object({
    opinion: z.enum(REVIEW_OUTCOMES, { error: '请选择审核意见' }),
    proposedAmountFen: FenSchema.optional(),
    note: requiredText('审核意见说明'),
  }),
  /** SM-16, SM-17, SM-21 */
  townshipApprove: z.object({
    amountFen: FenSchema,
    paymentStartMonth: IsoMonthSchema.optional(),
    decisionNo: z.string().trim().max(100).optional(),
    note,
  }),
  handOffToCounty: z.object({ note }),
  /** SM-18 */
  countyApprove: z.object({
    amountFen: FenSchema,
    paymentStartMonth: IsoMonthSchema.optional(),
    decisionNo: z.string().trim().max(100).optional(),
    decidedOn: IsoDateSchema.optional(),
  }),
  countyReject: z.object({ reason, decidedOn: IsoDateSchema.optional() }),
  reject: z.object({ reason }),
  startPayment: z.object({ startedOn: IsoDateSchema.optional(), note }),
  /** SM-22 */
  recordRecheck: z.object({
    checkedOn: IsoDateSchema,
    outcome: z.enum(['continue', 'adjust'], { error: '请选择复核结果' }),
    amountFen: FenSchema.optional(),
    note: requiredText('复核情况'),
  }),
  suspend: z.object({ reason }),
  resume: z.object({ reason }),
  terminate: z.object({ reason }),
  completeService: z.object({ summary: requiredText('服务完成情况'), completedOn: IsoDateSchema.optional() }),
} as const satisfies Record<CaseAction, z.ZodType>;

/** What a caller sends for an action (before defaults). */
export type ActionPayloadInput<A extends CaseAction> = z.input<(typeof ACTION_PAYLOAD_SCHEMAS)[A]>;
/** What the event records (after trimming and defaults). */
export type ActionPayload<A extends CaseAction> = z.output<(typeof ACTION_PAYLOAD_SCHEMAS)[A]>;

const FIELD_LABELS: Readonly<Record<string, string>> = {
  reason: '原因',
  note: '备注',
  materialsReceived: '已收材料',
  missing: '缺少的材料',
  amountFen: '金额',
  givenOn: '救助日期',
  finding: '核对结论',
  summary: '情况说明',
  reportNo: '核对报告编号',
  resultOn: '核对结果日期',
  visitedOn: '调查日期',
  investigators: '调查人员',
  fiveClears: '五清',
  ...FIVE_CLEAR_LABELS,
  heldOn: '评议日期',
  outcome: '结果',
  startDate: '公示开始日期',
  endDate: '公示结束日期',
  place: '公示地点',
  receivedOn: '异议受理日期',
  opinion: '审核意见',
  proposedAmountFen: '建议金额',
  paymentStartMonth: '起始发放月份',
  decisionNo: '批准文号',
  decidedOn: '决定日期',
  startedOn: '开始日期',
  checkedOn: '复核日期',
  completedOn: '完成日期',
};

const zhCN = z.locales.zhCN().localeError;

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = [...issue.path].reverse().find((p): p is string => typeof p === 'string');
  const label = key === undefined ? '操作内容' : (FIELD_LABELS[key] ?? key);
  if (issue.code === 'invalid_type' && issue.input === undefined) return `请填写${label}`;
  return issue.message.startsWith('请') || issue.message.includes(label) ? issue.message : `${label}：${issue.message}`;
}

// ─── Actions ────────────────────────────────────────────────────────────────────────────────────────────────────

export type RuleId = `SM-${number}`;

export interface ActionContext {
  role: Actor;
  /** ISO datetime, written with the station's local offset: its date part is the counter day. */
  now: string;
  /** The county-set limit for township approval / urgent aid (temporaryLimit standard), in fen. */
  townshipLimitFen?: number;
}

interface Ctx extends ActionContext {
  today: IsoDate;
}

type Changes = Partial<CaseSnapshot>;

/** Method syntax on purpose: it lets every action's specific payload type sit in one Record. */
interface ActionDef<S extends z.ZodType> {
  rule: RuleId;
  actors: readonly Actor[];
  schema: S;
  /** Case facts that must hold (refused with ILLEGAL_TRANSITION). `today` is undefined when asked without a clock. */
  guard?(s: CaseSnapshot, today: IsoDate | undefined): string | undefined;
  /** The payload measured against the case and context (refused with INVALID_INPUT). */
  check?(p: z.output<S>, s: CaseSnapshot, ctx: Ctx): string | undefined;
  /** Fields to record; undefined deletes a field. The state itself comes from the transition table. */
  apply(p: z.output<S>, s: CaseSnapshot, ctx: Ctx): Changes;
}

const CLERK_UP = rolesAtLeast('clerk');
const REVIEWER_UP = rolesAtLeast('reviewer');
const REVIEWER_OR_COUNTY: readonly Actor[] = [...REVIEWER_UP, 'county'];
const COUNTY: readonly Actor[] = ['county'];

const notFuture = (date: IsoDate | undefined, ctx: Ctx, what: string) =>
  date !== undefined && date > ctx.today ? `${what}不能晚于今天` : undefined;

function approvalCheck(
  p: { amountFen: number; paymentStartMonth?: string | undefined },
  s: CaseSnapshot,
  decidedOn: IsoDate,
) {
  if (s.rules.payment === 'none' && p.amountFen !== 0) return '该事项为资格认定，不直接发放资金，金额应为0';
  if (s.rules.payment !== 'none' && p.amountFen <= 0) return '批准金额必须大于0';
  if (s.urgentAidFen !== undefined && p.amountFen < s.urgentAidFen) {
    return `批准金额不能少于已先行救助的${formatYuan(s.urgentAidFen)}元`;
  }
  if (s.rules.payment !== 'oneOff' && p.paymentStartMonth !== undefined && p.paymentStartMonth < monthOf(decidedOn)) {
    return '起始发放月份不能早于批准当月';
  }
  return undefined;
}

/** SM-21, SM-22: what an approval records, whoever decides. */
function approvalChanges(
  p: { amountFen: number; paymentStartMonth?: string | undefined },
  s: CaseSnapshot,
  decidedBy: 'township' | 'county',
  decidedOn: IsoDate,
): Changes {
  const changes: Changes = { amountFen: p.amountFen, decidedBy, decidedOn };
  if (s.rules.payment !== 'oneOff') {
    // Payment runs from the month after approval unless the decision names a month.
    const start = p.paymentStartMonth ?? addMonths(monthOf(decidedOn), 1);
    changes.paymentStartMonth = start;
    if (s.rules.recheckMonths > 0) changes.recheckDue = addMonthsToDate(`${start}-01`, s.rules.recheckMonths);
  }
  return changes;
}

const def = <S extends z.ZodType>(d: ActionDef<S>): ActionDef<S> => d;
const S = ACTION_PAYLOAD_SCHEMAS;

const ACTIONS: { [A in CaseAction]: ActionDef<(typeof ACTION_PAYLOAD_SCHEMAS)[A]> } = {
  accept: def({
    rule: 'SM-5',
    actors: CLERK_UP,
    schema: S.accept,
    check(p, s) {
      const missing = s.rules.requiredMaterials.filter((mat) => !p.materialsReceived.includes(mat.key));
      if (missing.length === 0) return undefined;
      return `以下必备材料尚未收齐：${missing.map((mat) => mat.name).join('、')}。请收齐后受理，或向申请人一次性告知需补齐的材料`;
    },
    apply: (_p, s, ctx) => ({
      acceptedAt: ctx.now,
      deadlines: { ...s.deadlines, decisionDue: addWorkingDays(ctx.today, s.rules.decisionWorkingDays) },
      missingMaterials: undefined,
    }),
  }),
  requestMaterials: def({
    rule: 'SM-6',
    actors: CLERK_UP,
    schema: S.requestMaterials,
    apply: (p) => ({ missingMaterials: p.missing }),
  }),
  notAccept: def({
    rule: 'SM-7',
    actors: CLERK_UP,
    schema: S.notAccept,
    apply: (p) => ({ reason: p.reason }),
  }),
  withdraw: def({
    rule: 'SM-8',
    actors: CLERK_UP,
    schema: S.withdraw,
    apply: (p) => ({ reason: p.reason }),
  }),
  urgentAid: def({
    rule: 'SM-20',
    actors: REVIEWER_UP,
    schema: S.urgentAid,
    guard: (s) => (s.subKind === 'urgent' ? undefined : '只有急难型临时救助可以先行救助'),
    check(p, _s, ctx) {
      if (ctx.townshipLimitFen === undefined) return '尚未设置乡镇临时救助审批限额，不能先行救助，请报县级审批';
      if (p.amountFen > ctx.townshipLimitFen) {
        return `先行救助金额超过乡镇审批限额${formatYuan(ctx.townshipLimitFen)}元`;
      }
      return notFuture(p.givenOn, ctx, '救助日期');
    },
    apply: (p, s, ctx) => ({
      urgentAidFen: p.amountFen,
      acceptedAt: s.acceptedAt ?? ctx.now,
      deadlines: {
        ...s.deadlines,
        decisionDue: s.deadlines.decisionDue ?? addWorkingDays(ctx.today, s.rules.decisionWorkingDays),
      },
    }),
  }),
  requestEconomicCheck: def({
    rule: 'SM-9',
    actors: CLERK_UP,
    schema: S.requestEconomicCheck,
    guard: (s) => (s.economicCheck ? '已申请家庭经济状况核对，不能重复申请' : undefined),
    apply: (_p, _s, ctx) => ({ economicCheck: { requestedOn: ctx.today } }),
  }),
  recordEconomicCheckResult: def({
    rule: 'SM-9',
    actors: REVIEWER_OR_COUNTY,
    schema: S.recordEconomicCheckResult,
    guard(s) {
      if (!s.economicCheck) return '尚未申请家庭经济状况核对';
      return s.economicCheck.resultOn ? '已录入核对结果，不能重复录入' : undefined;
    },
    check(p, s, ctx) {
      const on = p.resultOn ?? ctx.today;
      if (s.economicCheck && on < s.economicCheck.requestedOn) return '核对结果日期不能早于申请核对的日期';
      return notFuture(on, ctx, '核对结果日期');
    },
    apply: (p, s, ctx) => ({
      economicCheck: {
        requestedOn: s.economicCheck?.requestedOn ?? ctx.today,
        resultOn: p.resultOn ?? ctx.today,
        finding: p.finding,
      },
    }),
  }),
  recordHomeVisit: def({
    rule: 'SM-10',
    actors: REVIEWER_UP,
    schema: S.recordHomeVisit,
    check: (p, _s, ctx) => notFuture(p.visitedOn, ctx, '调查日期'),
    apply: (p) => ({ homeVisitOn: p.visitedOn }),
  }),
  recordDemocraticReview: def({
    rule: 'SM-11',
    actors: REVIEWER_UP,
    schema: S.recordDemocraticReview,
    check: (p, _s, ctx) => notFuture(p.heldOn, ctx, '评议日期'),
    apply: (p) => ({ democraticReview: { heldOn: p.heldOn, outcome: p.outcome } }),
  }),
  startNotice: def({
    rule: 'SM-12',
    actors: REVIEWER_UP,
    schema: S.startNotice,
    guard(s) {
      if (!s.economicCheck?.resultOn) return '尚未录入家庭经济状况核对结果，不能开始公示';
      return s.homeVisitOn ? undefined : '尚未录入入户调查，不能开始公示';
    },
    check(p, s, ctx) {
      const start = p.startDate ?? ctx.today;
      const minEnd = addDays(start, s.rules.noticeDays - 1);
      const accepted = s.acceptedAt ? dateOf(s.acceptedAt) : undefined;
      if (accepted && start < accepted) return '公示开始日期不能早于受理日期';
      if (p.endDate !== undefined && p.endDate < minEnd)
        return `公示期不得少于${s.rules.noticeDays}天（至少到${minEnd}）`;
      return undefined;
    },
    apply(p, s, ctx) {
      const start = p.startDate ?? ctx.today;
      return { noticeStart: start, noticeEnd: p.endDate ?? addDays(start, s.rules.noticeDays - 1) };
    },
  }),
  raiseObjection: def({
    rule: 'SM-13',
    actors: CLERK_UP,
    schema: S.raiseObjection,
    check: (p, _s, ctx) => notFuture(p.receivedOn, ctx, '异议受理日期'),
    // The notice is void: a new one, for the full period, follows the democratic review.
    apply: () => ({ noticeStart: undefined, noticeEnd: undefined }),
  }),
  completeNotice: def({
    rule: 'SM-14',
    actors: REVIEWER_UP,
    schema: S.completeNotice,
    guard: (s, today) =>
      today !== undefined && s.noticeEnd !== undefined && today <= s.noticeEnd
        ? `公示期至${s.noticeEnd}结束，期满后才能确认公示无异议`
        : undefined,
    apply: () => ({}),
  }),
  townshipReview: def({
    rule: 'SM-15',
    actors: REVIEWER_UP,
    schema: S.townshipReview,
    guard(s) {
      if (s.variant === 'oneOffSubsidy' || s.variant === 'meansTested') return undefined;
      if (s.economicCheck && !s.economicCheck.resultOn) return '已申请的家庭经济状况核对尚无结果，不能审核';
      return s.homeVisitOn ? undefined : '尚未录入入户调查，不能审核';
    },
    apply: (p) => ({ townshipOpinion: p.opinion }),
  }),
  townshipApprove: def({
    rule: 'SM-16',
    actors: REVIEWER_UP,
    schema: S.townshipApprove,
    guard(s) {
      if (s.rules.approval === 'county') return '该事项由县级民政部门审批，请报县级审批';
      return s.townshipOpinion === 'agree' ? undefined : '乡镇审核意见为不同意，不能审批通过；如需改变意见，请重新审核';
    },
    check(p, s, ctx) {
      if (s.rules.approval === 'townshipUpToLimit') {
        if (ctx.townshipLimitFen === undefined) return '尚未设置乡镇审批限额，请报县级审批';
        if (p.amountFen > ctx.townshipLimitFen) {
          return `金额${formatYuan(p.amountFen)}元超过乡镇审批限额${formatYuan(ctx.townshipLimitFen)}元，请报县级审批`;
        }
      }
      return approvalCheck(p, s, ctx.today);
    },
    apply: (p, s, ctx) => approvalChanges(p, s, 'township', ctx.today),
  }),
  handOffToCounty: def({
    rule: 'SM-16',
    actors: REVIEWER_UP,
    schema: S.handOffToCounty,
    guard: (s) => (s.rules.approval === 'township' ? '该事项已委托乡镇审批，无需报县级' : undefined),
    apply: () => ({}),
  }),
  countyApprove: def({
    rule: 'SM-18',
    actors: COUNTY,
    schema: S.countyApprove,
    check: (p, s, ctx) => notFuture(p.decidedOn, ctx, '决定日期') ?? approvalCheck(p, s, p.decidedOn ?? ctx.today),
    apply: (p, s, ctx) => approvalChanges(p, s, 'county', p.decidedOn ?? ctx.today),
  }),
  countyReject: def({
    rule: 'SM-18',
    actors: COUNTY,
    schema: S.countyReject,
    check: (p, _s, ctx) => notFuture(p.decidedOn, ctx, '决定日期'),
    apply: (p, _s, ctx) => ({ reason: p.reason, decidedBy: 'county', decidedOn: p.decidedOn ?? ctx.today }),
  }),
  reject: def({
    rule: 'SM-19',
    actors: REVIEWER_UP,
    schema: S.reject,
    apply: (p, _s, ctx) => ({ reason: p.reason, decidedBy: 'township', decidedOn: ctx.today }),
  }),
  startPayment: def({
    rule: 'SM-21',
    actors: REVIEWER_OR_COUNTY,
    schema: S.startPayment,
    check: (p, _s, ctx) => notFuture(p.startedOn, ctx, '开始日期'),
    apply: (p, _s, ctx) => ({ paymentStartedOn: p.startedOn ?? ctx.today }),
  }),
  recordRecheck: def({
    rule: 'SM-22',
    actors: REVIEWER_OR_COUNTY,
    schema: S.recordRecheck,
    check(p, s, ctx) {
      if (p.outcome === 'adjust' && p.amountFen === undefined) return '调整待遇时请填写调整后的金额';
      if (p.outcome === 'adjust' && s.rules.payment === 'none') return '该事项为资格认定，没有可调整的金额';
      return notFuture(p.checkedOn, ctx, '复核日期');
    },
    apply(p, s) {
      const changes: Changes = { lastRecheckOn: p.checkedOn };
      if (s.rules.recheckMonths > 0) changes.recheckDue = addMonthsToDate(p.checkedOn, s.rules.recheckMonths);
      if (p.outcome === 'adjust') changes.amountFen = p.amountFen;
      return changes;
    },
  }),
  suspend: def({ rule: 'SM-23', actors: REVIEWER_OR_COUNTY, schema: S.suspend, apply: (p) => ({ reason: p.reason }) }),
  resume: def({ rule: 'SM-23', actors: REVIEWER_OR_COUNTY, schema: S.resume, apply: (p) => ({ reason: p.reason }) }),
  terminate: def({
    rule: 'SM-23',
    actors: REVIEWER_OR_COUNTY,
    schema: S.terminate,
    apply: (p) => ({ reason: p.reason }),
  }),
  completeService: def({
    rule: 'SM-24',
    actors: REVIEWER_UP,
    schema: S.completeService,
    check: (p, _s, ctx) => notFuture(p.completedOn, ctx, '完成日期'),
    apply: (p, _s, ctx) => ({ endedOn: p.completedOn ?? ctx.today }),
  }),
};

/** SM-3: who may take each action. Station roles are ranked (admin ⊇ reviewer ⊇ clerk); 'county' is separate. */
export const ACTION_ACTORS: Readonly<Record<CaseAction, readonly Actor[]>> = recordOf(
  CASE_ACTIONS,
  (a) => ACTIONS[a].actors,
);

/** The rule of docs/case-state-machine.md each action implements. */
export const ACTION_RULES: Readonly<Record<CaseAction, RuleId>> = recordOf(CASE_ACTIONS, (a) => ACTIONS[a].rule);

// ─── Applying actions ───────────────────────────────────────────────────────────────────────────────────────────

export interface CaseEvent {
  action: CaseAction;
  actor: Actor;
  at: string;
  /** The payload as parsed (trimmed, defaults filled): what the audit log and the outbox record. */
  payload: unknown;
  fromState: CaseState;
  toState: CaseState;
}

export type ApplyErrorCode = 'ILLEGAL_TRANSITION' | 'FORBIDDEN' | 'INVALID_INPUT';
export type ApplyResult =
  { ok: true; snapshot: CaseSnapshot; event: CaseEvent } | { ok: false; code: ApplyErrorCode; message: string };

const refuse = (code: ApplyErrorCode, message: string): ApplyResult => ({ ok: false, code, message });

function isCaseAction(value: unknown): value is CaseAction {
  return typeof value === 'string' && (CASE_ACTIONS as readonly string[]).includes(value);
}

/**
 * Applies one action. Pure and total: never throws, never mutates its arguments. Checks in this order (SM-4):
 * context and snapshot well-formed → the (state, action) pair is in the variant's table (ILLEGAL_TRANSITION) → the
 * actor may take it (FORBIDDEN) → the case facts the action needs (ILLEGAL_TRANSITION) → the payload
 * (INVALID_INPUT). The first failure is returned and nothing changes.
 */
export function applyAction(
  snapshot: CaseSnapshot,
  action: CaseAction,
  payload: unknown,
  ctx: ActionContext,
): ApplyResult {
  if (!isActor(ctx?.role)) return refuse('FORBIDDEN', '未知的操作角色，不能办理');
  const today = typeof ctx.now === 'string' ? dateOf(ctx.now) : undefined;
  if (today === undefined) return refuse('INVALID_INPUT', '系统时间格式不正确，操作未生效');
  const limit = ctx.townshipLimitFen;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    return refuse('INVALID_INPUT', '乡镇审批限额设置不正确，操作未生效');
  }
  if (!isCaseAction(action)) return refuse('INVALID_INPUT', '不支持的案件操作');
  const parsedSnapshot = CaseSnapshotSchema.safeParse(snapshot);
  if (!parsedSnapshot.success) return refuse('INVALID_INPUT', '案件数据不完整或已损坏，操作未生效');
  const s = parsedSnapshot.data;

  const transition = findTransition(s.variant, s.state, action);
  if (!transition) {
    return refuse('ILLEGAL_TRANSITION', `案件当前状态为“${STATE_LABELS[s.state]}”，不能办理“${ACTION_LABELS[action]}”`);
  }
  const def = ACTIONS[action] as ActionDef<z.ZodType>;
  if (!def.actors.includes(ctx.role)) {
    const who = def.actors.map((a) => ROLE_LABELS[a]).join('、');
    return refuse('FORBIDDEN', `“${ACTION_LABELS[action]}”只能由${who}办理，当前身份为${ROLE_LABELS[ctx.role]}`);
  }
  const blocked = def.guard?.(s, today);
  if (blocked) return refuse('ILLEGAL_TRANSITION', blocked);

  const parsed = def.schema.safeParse(payload === undefined ? {} : payload, { error: zhCN, reportInput: true });
  if (!parsed.success) {
    return refuse('INVALID_INPUT', parsed.error.issues.map(describeIssue).slice(0, 3).join('；'));
  }
  const c: Ctx = { role: ctx.role, now: ctx.now, today, ...(limit === undefined ? {} : { townshipLimitFen: limit }) };
  const invalid = def.check?.(parsed.data, s, c);
  if (invalid) return refuse('INVALID_INPUT', invalid);

  const changes = def.apply(parsed.data, s, c);
  // SM-26: every way into a terminal state dates the end of the case.
  if (isTerminal(transition.to) && changes.endedOn === undefined) changes.endedOn = today;
  const next: Record<string, unknown> = { ...s, ...changes, state: transition.to };
  for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
  return {
    ok: true,
    snapshot: next as CaseSnapshot,
    event: { action, actor: ctx.role, at: ctx.now, payload: parsed.data, fromState: s.state, toState: transition.to },
  };
}

/**
 * The actions `role` may take now: in the table for the current state, allowed for the role, and the case facts
 * they need hold. Payload-dependent checks (amount within the limit, dates) are not foreseen here. Without `now`,
 * date-bound guards (end of the notice period) are assumed met.
 */
export function availableActions(snapshot: CaseSnapshot, role: Actor, now?: string): CaseAction[] {
  const today = now === undefined ? undefined : dateOf(now);
  return TRANSITIONS[snapshot.variant]
    .filter((t) => t.from === snapshot.state)
    .map((t) => t.action)
    .filter((a) => ACTIONS[a].actors.includes(role) && !(ACTIONS[a] as ActionDef<z.ZodType>).guard?.(snapshot, today));
}

// ─── Deadlines (SM-25) ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * The date the case is next due: the decision deadline (working days from acceptance) while an accepted application
 * is in progress, the re-check date while the benefit is paid. Undefined otherwise (not yet accepted, or ended).
 */
export function dueDate(snapshot: CaseSnapshot): IsoDate | undefined {
  if (snapshot.state === 'active') return snapshot.recheckDue;
  if (isOpen(snapshot.state)) return snapshot.deadlines.decisionDue;
  return undefined;
}

/** True when `now` (ISO date or datetime) is past the due date. Throws RangeError on a malformed `now`. */
export function isOverdue(snapshot: CaseSnapshot, now: string): boolean {
  const today = dateOf(now);
  if (today === undefined) throw new RangeError(`时间格式不正确：${now}`);
  const due = dueDate(snapshot);
  return due !== undefined && today > due;
}
