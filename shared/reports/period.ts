import { z } from 'zod';
import { addDays, addMonths, daysInMonth, IsoDateSchema, monthOf, type IsoDate, type IsoMonth } from '../domain/calendar';

/**
 * Report periods: any inclusive date range [start, end]. The presets are the ones work summaries use (month,
 * quarter, half-year, year); a custom range is allowed for ad-hoc questions ("since the flood on 12 July").
 */
export const PERIOD_PRESETS = ['month', 'quarter', 'halfYear', 'year'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export const PERIOD_PRESET_LABELS: Readonly<Record<PeriodPreset, string>> = {
  month: '月度',
  quarter: '季度',
  halfYear: '半年',
  year: '年度',
};

/** How many parts each preset divides a year into (month 1-12, quarter 1-4, half 1-2, year 1). */
export const PRESET_PARTS: Readonly<Record<PeriodPreset, number>> = { month: 12, quarter: 4, halfYear: 2, year: 1 };

export interface Period {
  start: IsoDate;
  end: IsoDate;
}

/** Longest period a report accepts: the monthly trend has one column per month, and ten years is already a lot. */
export const MAX_PERIOD_MONTHS = 120;

export const PeriodSchema = z
  .object({ start: IsoDateSchema, end: IsoDateSchema })
  .strict()
  .refine((p) => p.start <= p.end, { message: '统计期间的结束日期不能早于开始日期', path: ['end'] })
  .refine((p) => monthsIn(p).length <= MAX_PERIOD_MONTHS, { message: '统计期间不能超过十年', path: ['end'] });

const QUARTER_NAMES = ['一', '二', '三', '四'];

/** The period of a preset: presetPeriod('halfYear', 2025, 1) → 2025-01-01 … 2025-06-30. Throws RangeError on a bad part. */
export function presetPeriod(preset: PeriodPreset, year: number, part = 1): Period & { label: string } {
  const parts = PRESET_PARTS[preset];
  if (!Number.isInteger(year) || year < 1900 || year > 9999) throw new RangeError(`年份不正确：${year}`);
  if (!Number.isInteger(part) || part < 1 || part > parts) throw new RangeError(`期间序号应为 1 至 ${parts}：${part}`);
  const months = 12 / parts;
  const firstMonth = (part - 1) * months + 1;
  const lastMonth = firstMonth + months - 1;
  const y = String(year).padStart(4, '0');
  const start = `${y}-${String(firstMonth).padStart(2, '0')}-01`;
  const end = `${y}-${String(lastMonth).padStart(2, '0')}-${String(daysInMonth(year, lastMonth)).padStart(2, '0')}`;
  const label =
    preset === 'year'
      ? `${year}年`
      : preset === 'halfYear'
        ? `${year}年${part === 1 ? '上' : '下'}半年`
        : preset === 'quarter'
          ? `${year}年第${QUARTER_NAMES[part - 1]}季度`
          : `${year}年${part}月`;
  return { start, end, label };
}

/** A human label: the preset's name when the range is exactly one, otherwise "start至end". */
export function periodLabel(p: Period): string {
  const year = Number(p.start.slice(0, 4));
  for (const preset of [...PERIOD_PRESETS].reverse()) {
    for (let part = 1; part <= PRESET_PARTS[preset]; part++) {
      const candidate = presetPeriod(preset, year, part);
      if (candidate.start === p.start && candidate.end === p.end) return candidate.label;
    }
  }
  return `${p.start}至${p.end}`;
}

/** Every calendar month the period touches, in order. */
export function monthsIn(p: Period): IsoMonth[] {
  const out: IsoMonth[] = [];
  const last = monthOf(p.end);
  for (let m = monthOf(p.start); m <= last && out.length <= MAX_PERIOD_MONTHS; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** Last day of a month ('2025-02' → '2025-02-28'). */
export function lastDayOf(month: IsoMonth): IsoDate {
  return addDays(`${addMonths(month, 1)}-01`, -1);
}

/** "6月30日" for the summary paragraph. */
export function shortDate(date: IsoDate): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}
