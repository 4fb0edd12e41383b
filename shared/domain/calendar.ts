import { z } from 'zod';

/**
 * Calendar dates as 'YYYY-MM-DD' strings and months as 'YYYY-MM'. Strings rather than Date objects because they
 * sort and compare correctly as text, survive JSON, SQLite and sync unchanged, and carry no time zone: a case
 * accepted on 3 March at a township counter was accepted on 3 March, whatever the PC's clock zone says.
 */
export type IsoDate = string;
export type IsoMonth = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const DATETIME_RE = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const MS_PER_DAY = 86_400_000;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function isIsoMonth(value: unknown): value is IsoMonth {
  if (typeof value !== 'string') return false;
  const m = MONTH_RE.exec(value);
  return m !== null && Number(m[1]) >= 1 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/** The calendar date an ISO timestamp was written in (its own offset), or undefined when it is not one. */
export function dateOf(isoDateTime: string): IsoDate | undefined {
  const m = DATETIME_RE.exec(isoDateTime);
  return m && isIsoDate(m[1]) ? m[1] : undefined;
}

function toDayNumber(date: IsoDate): number {
  const m = DATE_RE.exec(date);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3])))
    throw new RangeError(`不是有效日期（YYYY-MM-DD）：${date}`);
  // setUTCFullYear rather than Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round(d.getTime() / MS_PER_DAY);
}

function fromDayNumber(n: number): IsoDate {
  const d = new Date(n * MS_PER_DAY);
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  return `${y}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

/** Calendar arithmetic; throws RangeError for a malformed date (a programming error, not user input). */
export function addDays(date: IsoDate, n: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + n);
}

export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  // Day 0 of the epoch (1970-01-01) was a Thursday.
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function monthOf(date: IsoDate): IsoMonth {
  return date.slice(0, 7);
}

export function addMonths(month: IsoMonth, n: number): IsoMonth {
  const m = MONTH_RE.exec(month);
  if (!m) throw new RangeError(`不是有效月份（YYYY-MM）：${month}`);
  const index = Number(m[1]) * 12 + (Number(m[2]) - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Same day `n` months later, clamped to the month's end (31 Jan + 1 month → 28/29 Feb). */
export function addMonthsToDate(date: IsoDate, n: number): IsoDate {
  const month = addMonths(monthOf(date), n);
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7))));
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** Today's date on this machine's clock (local time: the station's counter day). The only clock read in the domain. */
export function localToday(): IsoDate {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export const IsoDateSchema = z
  .string({ error: '请填写日期' })
  .trim()
  .refine(isIsoDate, { message: '日期应为有效日期，格式为“年-月-日”（如 2025-03-01）' });

export const IsoMonthSchema = z
  .string({ error: '请填写月份' })
  .trim()
  .refine(isIsoMonth, { message: '月份格式应为“年-月”（如 2025-04）' });
