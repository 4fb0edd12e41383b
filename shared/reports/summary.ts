import type { ItemCode } from '../domain/items';
import type { AreaClass, Metric, MetricValue, Report, ReportFilter } from './model';
import { shortDate } from './period';

/**
 * 工作总结数据: the statistics paragraph of a half-year or yearly work summary, written from a Report. Every number
 * is a segment carrying the drill-down that produced it (metric + filter), so the screen can link it to its list
 * and a reader can check any figure; the .txt/.docx exports use the plain text.
 */

export interface DrillRef {
  metric: Metric;
  filter: ReportFilter;
  /** Which measure of the figure the number shows. */
  measure: keyof MetricValue;
}

export type SummarySegment = { text: string } | { text: string; ref: DrillRef };

export interface WorkSummary {
  title: string;
  segments: SummarySegment[];
  text: string;
}

/** fen → 万元 with two decimals, in integer arithmetic (1,234,567 fen = 12,345.67 元 → "1.23"). */
export function formatWan(fen: number): string {
  const hundredYuan = Math.round(fen / 10_000);
  const sign = hundredYuan < 0 ? '-' : '';
  const abs = Math.abs(hundredYuan);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function valueOf(report: Report, items: readonly ItemCode[], metric: Metric, area?: AreaClass): MetricValue {
  const out: MetricValue = { cases: 0, households: 0, persons: 0, amountFen: 0 };
  for (const row of report.byItem) {
    if (!items.includes(row.itemCode)) continue;
    const v = area ? row.byArea[area][metric] : row.metrics[metric];
    out.cases += v.cases;
    out.households += v.households;
    out.persons += v.persons;
    out.amountFen += v.amountFen;
  }
  return out;
}

class Writer {
  readonly segments: SummarySegment[] = [];
  constructor(
    private readonly report: Report,
    private readonly base: ReportFilter,
  ) {}
  text(t: string): this {
    const last = this.segments.at(-1);
    if (last && !('ref' in last)) last.text += t;
    else this.segments.push({ text: t });
    return this;
  }
  /** A number with its drill-down. */
  num(items: readonly ItemCode[], metric: Metric, measure: keyof MetricValue, area?: AreaClass): this {
    const v = valueOf(this.report, items, metric, area);
    const text = measure === 'amountFen' ? formatWan(v.amountFen) : String(v[measure]);
    const filter: ReportFilter = { ...this.base, items: [...items], ...(area ? { area } : {}) };
    this.segments.push({ text, ref: { metric, filter, measure } });
    return this;
  }
  has(items: readonly ItemCode[]): boolean {
    return this.report.byItem.some((r) => items.includes(r.itemCode));
  }
}

/**
 * The paragraph, e.g. "2025年上半年，城乡低保在保 1,234 户……". `placeName` is the township (or county) the figures
 * cover. Items outside the report's filter are left out rather than reported as zero.
 */
export function workSummary(report: Report, placeName: string): WorkSummary {
  const w = new Writer(report, report.filter.village ? { village: report.filter.village } : {});
  const end = shortDate(report.period.end);
  const dibao: ItemCode[] = ['dibao'];
  w.text(`${report.period.label}，${placeName}`);
  if (w.has(dibao)) {
    w.text(`城乡低保在保（截至${end}）`)
      .num(dibao, 'activeAtEnd', 'households')
      .text('户')
      .num(dibao, 'activeAtEnd', 'persons')
      .text('人，其中城市低保')
      .num(dibao, 'activeAtEnd', 'households', 'urban')
      .text('户')
      .num(dibao, 'activeAtEnd', 'persons', 'urban')
      .text('人、农村低保')
      .num(dibao, 'activeAtEnd', 'households', 'rural')
      .text('户')
      .num(dibao, 'activeAtEnd', 'persons', 'rural')
      .text('人；期内新增')
      .num(dibao, 'new', 'households')
      .text('户')
      .num(dibao, 'new', 'persons')
      .text('人，退出')
      .num(dibao, 'exited', 'households')
      .text('户')
      .num(dibao, 'exited', 'persons')
      .text('人；支出低保金')
      .num(dibao, 'paid', 'amountFen')
      .text('万元。');
  }
  const destitute: ItemCode[] = ['destituteSupport'];
  if (w.has(destitute)) {
    w.text('特困人员救助供养在保')
      .num(destitute, 'activeAtEnd', 'persons')
      .text('人，支出供养金')
      .num(destitute, 'paid', 'amountFen')
      .text('万元。');
  }
  const temporary: ItemCode[] = ['temporaryAssistance'];
  if (w.has(temporary)) {
    w.text('实施临时救助')
      .num(temporary, 'aided', 'cases')
      .text('人次，支出临时救助金')
      .num(temporary, 'paid', 'amountFen')
      .text('万元。');
  }
  const living: ItemCode[] = ['disabilityLivingSubsidy'];
  const care: ItemCode[] = ['disabilityCareSubsidy'];
  if (w.has([...living, ...care])) {
    w.text('发放残疾人两项补贴：困难残疾人生活补贴')
      .num(living, 'active', 'persons')
      .text('人、重度残疾人护理补贴')
      .num(care, 'active', 'persons')
      .text('人，共计')
      .num([...living, ...care], 'paid', 'amountFen')
      .text('万元。');
  }
  const orphan: ItemCode[] = ['orphanAllowance'];
  const unsupported: ItemCode[] = ['unsupportedChildAllowance'];
  if (w.has([...orphan, ...unsupported])) {
    w.text('保障孤儿')
      .num(orphan, 'active', 'persons')
      .text('人、事实无人抚养儿童')
      .num(unsupported, 'active', 'persons')
      .text('人，发放基本生活费')
      .num([...orphan, ...unsupported], 'paid', 'amountFen')
      .text('万元。');
  }
  const funeral: ItemCode[] = ['funeralFeeWaiver'];
  if (w.has(funeral)) {
    w.text('落实基本殡葬费用减免')
      .num(funeral, 'aided', 'cases')
      .text('人，减免')
      .num(funeral, 'paid', 'amountFen')
      .text('万元。');
  }
  const segments = w.segments;
  return {
    title: `${report.period.label}${placeName}社会救助工作统计数据`,
    segments,
    text: segments.map((s) => s.text).join(''),
  };
}
