import { addDays, dayOfWeek, type IsoDate } from './calendar';

/**
 * Working-day arithmetic for statutory deadlines (e.g. a dibao decision within 30 working days of acceptance).
 *
 * Inside the years of the table below, the State Council's published schedule decides: public holidays are off even
 * on weekdays, and the adjusted working weekends (调休上班) are working days. Outside those years only Saturdays and
 * Sundays are off — the schedule for a year is published each November, so a deadline running into an unpublished
 * year is computed on weekends alone and may move by a few days once the next year's table is added here.
 */
interface YearSchedule {
  /** Source notice, so the next maintainer can check the table against it. */
  source: string;
  holidays: readonly (readonly [IsoDate, IsoDate])[];
  workingWeekends: readonly IsoDate[];
}

export const HOLIDAY_SCHEDULES: Readonly<Record<number, YearSchedule>> = {
  2025: {
    source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    holidays: [
      ['2025-01-01', '2025-01-01'], // 元旦
      ['2025-01-28', '2025-02-04'], // 春节
      ['2025-04-04', '2025-04-06'], // 清明节
      ['2025-05-01', '2025-05-05'], // 劳动节
      ['2025-05-31', '2025-06-02'], // 端午节
      ['2025-10-01', '2025-10-08'], // 国庆节、中秋节
    ],
    workingWeekends: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
    holidays: [
      ['2026-01-01', '2026-01-03'], // 元旦
      ['2026-02-15', '2026-02-23'], // 春节
      ['2026-04-04', '2026-04-06'], // 清明节
      ['2026-05-01', '2026-05-05'], // 劳动节
      ['2026-06-19', '2026-06-21'], // 端午节
      ['2026-09-25', '2026-09-27'], // 中秋节
      ['2026-10-01', '2026-10-07'], // 国庆节
    ],
    workingWeekends: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

const HOLIDAYS: ReadonlySet<IsoDate> = new Set(
  Object.values(HOLIDAY_SCHEDULES).flatMap((year) =>
    year.holidays.flatMap(([from, to]) => {
      const days: IsoDate[] = [];
      for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
      return days;
    }),
  ),
);
const WORKING_WEEKENDS: ReadonlySet<IsoDate> = new Set(
  Object.values(HOLIDAY_SCHEDULES).flatMap((y) => y.workingWeekends),
);

/** Throws RangeError for a malformed date. */
export function isWorkingDay(date: IsoDate): boolean {
  if (WORKING_WEEKENDS.has(date)) return true;
  if (HOLIDAYS.has(date)) return false;
  const dow = dayOfWeek(date);
  return dow !== 0 && dow !== 6;
}

/**
 * The n-th working day after `date` (n > 0) or before it (n < 0); `date` itself is not counted, so an acceptance on
 * Friday with n = 1 is due on Monday. n = 0 returns `date` unchanged even on a holiday.
 */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`工作日数必须是整数：${n}`);
  const step = n < 0 ? -1 : 1;
  let d = date;
  isWorkingDay(d); // validates the start date even when n = 0
  for (let left = Math.abs(n); left > 0;) {
    d = addDays(d, step);
    if (isWorkingDay(d)) left -= 1;
  }
  return d;
}

/**
 * Working days from a to b: for b ≥ a, the working days in (a, b]; for b < a, minus the working days in [b, a).
 * Chosen so that workingDaysBetween(a, addWorkingDays(a, n)) === n for every n.
 */
export function workingDaysBetween(a: IsoDate, b: IsoDate): number {
  const forward = b >= a;
  const [lo, hi] = forward ? [a, b] : [b, a];
  let count = 0;
  isWorkingDay(lo);
  isWorkingDay(hi);
  // (a, b] forwards, [b, a) backwards: both are "start after lo" or "start at lo, stop before hi".
  for (let d = forward ? addDays(lo, 1) : lo; forward ? d <= hi : d < hi; d = addDays(d, 1)) {
    if (isWorkingDay(d)) count += 1;
  }
  return forward ? count : -count;
}
