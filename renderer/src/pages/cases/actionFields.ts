import {
  ECONOMIC_CHECK_FINDING_LABELS,
  FIVE_CLEAR_LABELS,
  FIVE_CLEARS,
  REVIEW_OUTCOME_LABELS,
  type CaseAction,
} from '../../../../shared/domain/caseMachine';

/**
 * How each action's payload (ACTION_PAYLOAD_SCHEMAS in shared/domain/caseMachine.ts) is asked for on screen. The
 * machine validates the payload again in the core; this only decides the widgets. Field names are the schema's keys
 * (dotted for nested objects), so the core's error messages land next to the right field.
 */
export type FieldKind = 'text' | 'textarea' | 'date' | 'month' | 'money' | 'select' | 'names';
export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  options?: { value: string; label: string }[];
  /** 'today' fills the current date. */
  initial?: 'today';
  placeholder?: string;
}

const opts = (labels: Readonly<Record<string, string>>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
const note: FieldSpec = { name: 'note', label: '备注', kind: 'textarea' };
const reason = (label = '原因'): FieldSpec => ({ name: 'reason', label, kind: 'textarea', required: true });

export const ACTION_FIELDS: Readonly<Record<CaseAction, readonly FieldSpec[]>> = {
  accept: [note],
  requestMaterials: [note],
  notAccept: [reason('不予受理理由')],
  withdraw: [reason('撤回原因')],
  urgentAid: [
    { name: 'amountFen', label: '救助金额（元）', kind: 'money', required: true },
    reason('救助事由'),
    { name: 'givenOn', label: '救助日期', kind: 'date', initial: 'today' },
  ],
  requestEconomicCheck: [note],
  recordEconomicCheckResult: [
    { name: 'finding', label: '核对结论', kind: 'select', required: true, options: opts(ECONOMIC_CHECK_FINDING_LABELS) },
    { name: 'summary', label: '核对情况摘要', kind: 'textarea', required: true },
    { name: 'reportNo', label: '核对报告编号', kind: 'text' },
    { name: 'resultOn', label: '结果日期', kind: 'date', initial: 'today' },
  ],
  recordHomeVisit: [
    { name: 'visitedOn', label: '调查日期', kind: 'date', required: true, initial: 'today' },
    { name: 'investigators', label: '调查人员（至少两人，用顿号或空格分隔）', kind: 'names', required: true, placeholder: '例如：李审核、张村干' },
    ...FIVE_CLEARS.map((k): FieldSpec => ({ name: `fiveClears.${k}`, label: FIVE_CLEAR_LABELS[k], kind: 'textarea', required: true })),
    { name: 'summary', label: '调查结论', kind: 'textarea', required: true },
  ],
  recordDemocraticReview: [
    { name: 'heldOn', label: '评议日期', kind: 'date', required: true, initial: 'today' },
    { name: 'outcome', label: '评议结果', kind: 'select', required: true, options: opts(REVIEW_OUTCOME_LABELS) },
    { name: 'summary', label: '评议情况', kind: 'textarea', required: true },
  ],
  startNotice: [
    { name: 'startDate', label: '公示开始日期', kind: 'date', initial: 'today' },
    { name: 'endDate', label: '公示结束日期（不填按规定天数）', kind: 'date' },
    { name: 'place', label: '公示地点', kind: 'text', placeholder: '例如：村务公开栏' },
  ],
  raiseObjection: [
    { name: 'summary', label: '异议内容', kind: 'textarea', required: true },
    { name: 'receivedOn', label: '异议受理日期', kind: 'date', initial: 'today' },
  ],
  completeNotice: [note],
  townshipReview: [
    { name: 'opinion', label: '审核意见', kind: 'select', required: true, options: opts(REVIEW_OUTCOME_LABELS) },
    { name: 'proposedAmountFen', label: '建议金额（元/月）', kind: 'money' },
    { name: 'note', label: '审核意见说明', kind: 'textarea', required: true },
  ],
  townshipApprove: [
    { name: 'amountFen', label: '批准金额（元）', kind: 'money', required: true },
    { name: 'paymentStartMonth', label: '起始发放月份（YYYY-MM，不填为批准次月）', kind: 'month' },
    { name: 'decisionNo', label: '审批文号', kind: 'text' },
    note,
  ],
  handOffToCounty: [note],
  countyApprove: [
    { name: 'amountFen', label: '批准金额（元）', kind: 'money', required: true },
    { name: 'paymentStartMonth', label: '起始发放月份', kind: 'month' },
    { name: 'decisionNo', label: '批准文号', kind: 'text' },
    { name: 'decidedOn', label: '决定日期', kind: 'date' },
  ],
  countyReject: [reason('不予批准理由'), { name: 'decidedOn', label: '决定日期', kind: 'date' }],
  reject: [reason('不予批准理由')],
  startPayment: [{ name: 'startedOn', label: '开始日期', kind: 'date', initial: 'today' }, note],
  recordRecheck: [
    { name: 'checkedOn', label: '复核日期', kind: 'date', required: true, initial: 'today' },
    {
      name: 'outcome',
      label: '复核结果',
      kind: 'select',
      required: true,
      options: [
        { value: 'continue', label: '继续享受' },
        { value: 'adjust', label: '调整待遇' },
      ],
    },
    { name: 'amountFen', label: '调整后金额（元）', kind: 'money' },
    { name: 'note', label: '复核情况', kind: 'textarea', required: true },
  ],
  suspend: [reason('暂停原因')],
  resume: [reason('恢复原因')],
  terminate: [reason('终止原因')],
  completeService: [
    { name: 'summary', label: '服务完成情况', kind: 'textarea', required: true },
    { name: 'completedOn', label: '完成日期', kind: 'date', initial: 'today' },
  ],
};

/** Actions that refuse or end a case: shown as danger buttons. */
export const DANGER_ACTIONS: ReadonlySet<CaseAction> = new Set(['notAccept', 'withdraw', 'reject', 'terminate', 'suspend']);

export function todayText(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
