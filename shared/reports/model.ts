import { z } from 'zod';
import type { CaseState } from '../domain/caseMachine';
import { ITEM_CODES, type ItemCode } from '../domain/items';
import type { IsoDate, IsoMonth } from '../domain/calendar';
import { PeriodSchema } from './period';

/**
 * The report's input rows and output shapes. Plain data with no database in sight: the station fills ReportCase
 * from SQLite (main/core/reports/load.ts), the county can fill it from PostgreSQL, and both get the same figures
 * from compute.ts. Definitions of every figure: docs/report-definitions.md.
 */

export type AreaClass = 'urban' | 'rural';
export const AREA_LABELS: Readonly<Record<AreaClass, string>> = { urban: '城市', rural: '农村' };

/** One case as the report sees it. Dates are YYYY-MM-DD, months YYYY-MM, money integer fen. */
export interface ReportCase {
  id: string;
  caseNumber: string;
  itemCode: string;
  subKind: string | null;
  /** The household the benefit belongs to; null for a person with no registered household. */
  householdId: string | null;
  applicantId: string;
  applicantName: string;
  /** Full number: masking is decided where rows leave the core (lists, exports), by role. */
  idNumber: string;
  village: string;
  area: AreaClass;
  /** Members of the household now (1 when there is no household). */
  memberCount: number;
  state: CaseState;
  /** Approved amount (monthly for periodic items) — present exactly when the case was approved. */
  amountFen: number | null;
  paymentStartMonth: IsoMonth | null;
  decidedOn: IsoDate | null;
  endedOn: IsoDate | null;
  /** Reason of the last refusal / suspension / termination. */
  reason: string | null;
  /** Decision deadline (open application) or re-check date (active benefit): the cases table's due_date. */
  dueDate: IsoDate | null;
  recheckDue: IsoDate | null;
  /** Date of the case's first confirmed payment ever (ledger), or null. */
  firstPaidOn: IsoDate | null;
}

/** Confirmed payments of one case in one month of the period (ledger rows summed). */
export interface PaymentAggregate {
  caseId: string;
  month: IsoMonth;
  amountFen: number;
  count: number;
}

export const METRICS = ['active', 'activeAtEnd', 'new', 'exited', 'aided', 'paid', 'overdue', 'recheckDue'] as const;
export type Metric = (typeof METRICS)[number];
export const METRIC_LABELS: Readonly<Record<Metric, string>> = {
  active: '期内享受',
  activeAtEnd: '期末在保',
  new: '新增',
  exited: '退出',
  aided: '救助人次',
  paid: '支出',
  overdue: '超期案件',
  recheckDue: '待复核',
};

export interface MetricValue {
  cases: number;
  households: number;
  persons: number;
  amountFen: number;
}

export type MetricValues = Record<Metric, MetricValue>;

/**
 * The columns of every figures table, on screen (ui/reports/FigureTables) and in the report workbook
 * (workbooks.ts), in this order: a metric, what of it is counted, and its header in each.
 */
export const FIGURE_COLUMNS: readonly { metric: Metric; measure: keyof MetricValue; title: string; sheetHeader: string }[] = [
  { metric: 'active', measure: 'households', title: '期内享受户', sheetHeader: '期内享受户数' },
  { metric: 'active', measure: 'persons', title: '期内享受人', sheetHeader: '期内享受人数' },
  { metric: 'activeAtEnd', measure: 'households', title: '期末在保户', sheetHeader: '期末在保户数' },
  { metric: 'activeAtEnd', measure: 'persons', title: '期末在保人', sheetHeader: '期末在保人数' },
  { metric: 'new', measure: 'households', title: '新增户', sheetHeader: '新增户数' },
  { metric: 'new', measure: 'persons', title: '新增人', sheetHeader: '新增人数' },
  { metric: 'exited', measure: 'households', title: '退出户', sheetHeader: '退出户数' },
  { metric: 'exited', measure: 'persons', title: '退出人', sheetHeader: '退出人数' },
  { metric: 'aided', measure: 'cases', title: '救助人次', sheetHeader: '救助人次' },
  { metric: 'paid', measure: 'amountFen', title: '支出（元）', sheetHeader: '支出金额（元）' },
  { metric: 'overdue', measure: 'cases', title: '超期', sheetHeader: '超期案件' },
  { metric: 'recheckDue', measure: 'cases', title: '待复核', sheetHeader: '待复核' },
];

export const ReportFilterSchema = z
  .object({
    items: z.array(z.enum(ITEM_CODES, { error: '未知的救助事项' })).max(ITEM_CODES.length).optional(),
    area: z.enum(['urban', 'rural'], { error: '城乡类别应为城市或农村' }).optional(),
    village: z.string().trim().min(1).max(60).optional(),
  })
  .strict();
export type ReportFilter = z.infer<typeof ReportFilterSchema>;

export const ReportRequestSchema = z
  .object({
    period: PeriodSchema,
    filter: ReportFilterSchema.default({}),
    /** The day overdue and re-check figures are judged on; defaults to today at the station. */
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为“年-月-日”' }).optional(),
  })
  .strict();
export type ReportRequest = z.input<typeof ReportRequestSchema>;

export interface ReportRow {
  key: string;
  label: string;
  metrics: MetricValues;
}

export interface ItemReportRow extends ReportRow {
  itemCode: ItemCode;
  payment: 'periodic' | 'oneOff' | 'none';
  /** Households are the unit (低保, 低保边缘) rather than persons. */
  householdBased: boolean;
  byArea: Record<AreaClass, MetricValues>;
  exitReasons: { reason: string; cases: number }[];
}

export interface TrendSeries {
  itemCode: ItemCode;
  label: string;
  /** Confirmed payments per month of the period, fen. */
  paidFen: number[];
  /** Households (household items) or persons (the rest) in force at each month's end. */
  activeAtMonthEnd: number[];
}

export interface Report {
  period: { start: IsoDate; end: IsoDate; label: string };
  asOf: IsoDate;
  filter: ReportFilter;
  byItem: ItemReportRow[];
  byArea: ReportRow[];
  byVillage: ReportRow[];
  /** Sums of the item rows: households and persons are 户次/人次 across items (a household with two benefits counts twice). */
  total: ReportRow;
  trend: { months: IsoMonth[]; series: TrendSeries[] };
}

/** What a figure's drill-down asks for: the metric, and the report filter narrowed to the figure's row. */
export const DrillRequestSchema = z
  .object({
    period: PeriodSchema,
    metric: z.enum(METRICS, { error: '未知的统计指标' }),
    filter: ReportFilterSchema.default({}),
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict();
export type DrillRequest = z.input<typeof DrillRequestSchema>;

export interface DrillRow {
  caseId: string;
  caseNumber: string;
  itemCode: string;
  itemName: string;
  subKindName: string | null;
  applicantId: string;
  applicantName: string;
  idNumber: string;
  village: string;
  area: AreaClass;
  memberCount: number;
  stateLabel: string;
  amountFen: number | null;
  paidInPeriodFen: number;
  paymentStartMonth: string | null;
  endedOn: string | null;
  reason: string | null;
  dueDate: string | null;
}
