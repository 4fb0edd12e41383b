import { z } from 'zod';
import { IsoMonthSchema } from '../../domain/calendar';
import { ItemCodeSchema } from '../../domain/items';
import { uuidSchema } from '../../schemas/people';
import { PrintOutputSchema } from '../../schemas/cases';
import {
  DrillRequestSchema,
  ReportFilterSchema,
  ReportRequestSchema,
  type DrillRow,
  type MetricValue,
  type Report,
} from '../../reports/model';
import { PeriodSchema } from '../../reports/period';
import type { WorkSummary } from '../../reports/summary';
import { defineCall } from '../define';

/**
 * Statistics, work-summary figures, exports and payment rosters (issue 6). Report queries and exports run in a
 * worker thread at the station; the calls resolve when it is done and long exports report `reports.progress`.
 * Full ID numbers in lists and exports only for reviewer/admin, and only when asked for (`fullIdNumbers`).
 */

/** Roles that may see and export full ID numbers (everyone else gets 430102********1234). */
export const FULL_ID_ROLES = ['reviewer', 'admin'] as const;

const fullIdNumbers = z.boolean().default(false);

export const ExportSpecSchema = z.discriminatedUnion(
  'what',
  [
    z.object({ what: z.literal('report'), period: PeriodSchema, filter: ReportFilterSchema.default({}) }).strict(),
    z
      .object({
        what: z.literal('list'),
        period: PeriodSchema,
        metric: DrillRequestSchema.shape.metric,
        filter: ReportFilterSchema.default({}),
      })
      .strict(),
    z.object({ what: z.literal('roster'), rosterId: uuidSchema }).strict(),
    z.object({ what: z.literal('summary'), period: PeriodSchema, format: z.enum(['docx', 'txt']) }).strict(),
  ],
  { error: '未知的导出类型' },
);
export type ExportSpec = z.input<typeof ExportSpecSchema>;

export const ExportResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('done'),
    fileName: z.string(),
    mime: z.string(),
    dataBase64: z.string(),
    rows: z.number().int(),
    masked: z.boolean(),
  }),
  z.object({ status: z.literal('cancelled') }),
]);
export type ExportResult = z.infer<typeof ExportResultSchema>;

export const RosterInfoSchema = z.object({
  id: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  month: z.string(),
  status: z.enum(['draft', 'confirmed']),
  rowCount: z.number().int(),
  totalFen: z.number().int(),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
});
export type RosterInfoDto = z.infer<typeof RosterInfoSchema>;

export const RosterLineSchema = z.object({
  caseNumber: z.string(),
  village: z.string(),
  area: z.enum(['urban', 'rural']),
  name: z.string(),
  idNumber: z.string(),
  persons: z.number().int(),
  periodMonth: z.string(),
  amountFen: z.number().int(),
  arrears: z.boolean(),
});

export const DrillResultSchema = z.custom<{ total: number; value: MetricValue; rows: DrillRow[]; masked: boolean }>();

export const reportCalls = {
  'reports.run': defineCall({
    summary: '统计报表：任意期间，分事项、分城乡、分村（社区），含月度趋势（后台线程计算）',
    input: ReportRequestSchema,
    output: z.custom<Report>(),
    access: 'signedIn',
  }),
  'reports.drill': defineCall({
    summary: '统计数字背后的名单（与统计同一口径；身份证号默认遮蔽；记录查看）',
    input: DrillRequestSchema.extend({ fullIdNumbers }),
    output: DrillResultSchema,
    access: 'signedIn',
  }),
  'reports.summary': defineCall({
    summary: '工作总结统计数据段落（半年或年度），每个数字可追溯到名单',
    input: z.object({ period: PeriodSchema }).strict(),
    output: z.custom<WorkSummary & { period: { start: string; end: string; label: string } }>(),
    access: 'signedIn',
  }),
  'reports.export': defineCall({
    summary: '导出 Excel（报表、名单、发放名册）或工作总结（.docx/.txt）；后台线程生成，可取消；记录导出',
    input: z.object({ jobId: uuidSchema, spec: ExportSpecSchema, fullIdNumbers }).strict(),
    output: ExportResultSchema,
    access: 'signedIn',
  }),
  'reports.cancel': defineCall({
    summary: '取消正在进行的统计或导出',
    input: z.object({ jobId: uuidSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    access: 'signedIn',
  }),
  'payments.rosters': defineCall({
    summary: '发放名册列表（按事项、年份）',
    input: z.object({ itemCode: ItemCodeSchema.optional(), year: z.number().int().min(2000).max(2100).optional() }).strict(),
    output: z.array(RosterInfoSchema),
    access: 'signedIn',
  }),
  'payments.generateRoster': defineCall({
    summary: '生成（或重新生成草稿）某事项某月的发放名册，含应补发月份',
    input: z.object({ itemCode: ItemCodeSchema, month: IsoMonthSchema }).strict(),
    output: RosterInfoSchema,
    access: ['reviewer', 'admin'],
  }),
  'payments.confirmRoster': defineCall({
    summary: '确认发放：名册计入支出统计，此后不可更改',
    input: z.object({ rosterId: uuidSchema }).strict(),
    output: RosterInfoSchema,
    access: ['reviewer', 'admin'],
  }),
  'payments.rosterLines': defineCall({
    summary: '发放名册明细（身份证号默认遮蔽；记录查看）',
    input: z.object({ rosterId: uuidSchema, fullIdNumbers }).strict(),
    output: z.object({ roster: RosterInfoSchema, lines: z.array(RosterLineSchema), masked: z.boolean() }),
    access: 'signedIn',
  }),
  'print.paymentRoster': defineCall({
    summary: '打印发放名册（HTML，由界面打印或生成 PDF；记录导出）',
    input: z.object({ rosterId: uuidSchema, fullIdNumbers }).strict(),
    output: PrintOutputSchema,
    access: 'signedIn',
  }),
};
