import { z } from 'zod';
import { ITEM_CODES } from '../../../shared/domain/items';
import { METRICS } from '../../../shared/reports/model';
import { PeriodSchema } from '../../../shared/reports/period';
import { uuidText } from '../../../shared/sync/mutations';

/**
 * The console's report questions, read from a GET query string (every value arrives as text; lists are
 * comma-separated). The period, filter and metric rules themselves are shared/reports' (PeriodSchema, METRICS).
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为“年-月-日”');
const list = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .string()
    .max(400)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values, { error: message })).max(values.length));

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((s) => (s ? s : undefined));

const base = z.object({
  start: day,
  end: day,
  asOf: day.optional(),
  items: list(ITEM_CODES, '未知的救助事项').optional(),
  area: z.enum(['urban', 'rural'], { error: '城乡类别应为城市或农村' }).optional(),
  village: optionalText(80),
  township: optionalText(64),
  stationId: uuidText.optional(),
  groupBy: z.enum(['village', 'township'], { error: '分组方式应为村（社区）或乡镇' }).default('township'),
});

function validPeriod(q: { start: string; end: string }, ctx: z.RefinementCtx): void {
  const p = PeriodSchema.safeParse({ start: q.start, end: q.end });
  if (!p.success) ctx.addIssue({ code: 'custom', path: ['end'], message: p.error.issues[0]?.message ?? '统计期间不正确' });
}

const metric = z.enum(METRICS, { error: '未知的统计指标' });

export const countyReportQuery = base.superRefine(validPeriod);
export type CountyReportQuery = z.infer<typeof countyReportQuery>;

export const countyDrillQuery = base
  .extend({
    metric,
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .superRefine(validPeriod);
export type CountyDrillQuery = z.infer<typeof countyDrillQuery>;

export const countyExportQuery = base
  .extend({ what: z.enum(['report', 'list'], { error: '导出内容应为统计表或名单' }), metric: metric.optional() })
  .superRefine((q, ctx) => {
    validPeriod(q, ctx);
    if (q.what === 'list' && !q.metric) ctx.addIssue({ code: 'custom', path: ['metric'], message: '导出名单须指明统计指标' });
  });
export type CountyExportQuery = z.infer<typeof countyExportQuery>;
