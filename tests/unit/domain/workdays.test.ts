import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonthsToDate,
  addWorkingDays,
  dateOf,
  HOLIDAY_SCHEDULES,
  isIsoDate,
  isWorkingDay,
  workingDaysBetween,
} from '../../../shared/domain';

describe('isWorkingDay follows the State Council schedule', () => {
  it.each([
    ['2025-01-01', false, '元旦 (Wednesday)'],
    ['2025-01-26', true, '调休上班 (Sunday)'],
    ['2025-01-28', false, '除夕'],
    ['2025-02-04', false, '春节 last day (Tuesday)'],
    ['2025-02-05', true, 'first day back'],
    ['2025-02-08', true, '调休上班 (Saturday)'],
    ['2025-04-04', false, '清明 (Friday)'],
    ['2025-04-27', true, '调休上班 (Sunday)'],
    ['2025-05-05', false, '劳动节 (Monday)'],
    ['2025-06-02', false, '端午 (Monday)'],
    ['2025-09-28', true, '调休上班 (Sunday)'],
    ['2025-10-08', false, '国庆中秋 (Wednesday)'],
    ['2025-10-11', true, '调休上班 (Saturday)'],
    ['2026-01-02', false, '元旦 (Friday)'],
    ['2026-01-04', true, '调休上班 (Sunday)'],
    ['2026-02-14', true, '调休上班 (Saturday)'],
    ['2026-02-23', false, '春节 (Monday)'],
    ['2026-02-28', true, '调休上班 (Saturday)'],
    ['2026-05-09', true, '调休上班 (Saturday)'],
    ['2026-06-19', false, '端午 (Friday)'],
    ['2026-09-20', true, '调休上班 (Sunday)'],
    ['2026-09-25', false, '中秋 (Friday)'],
    ['2026-10-07', false, '国庆 (Wednesday)'],
    ['2026-10-10', true, '调休上班 (Saturday)'],
    ['2025-03-08', false, 'ordinary Saturday'],
    ['2025-03-10', true, 'ordinary Monday'],
  ])('%s → %s (%s)', (date, working) => {
    expect(isWorkingDay(date)).toBe(working);
  });

  it('outside the published years only weekends are off (documented limitation)', () => {
    expect(isWorkingDay('2027-01-01')).toBe(true); // a Friday; 2027's schedule is not published yet
    expect(isWorkingDay('2027-01-02')).toBe(false);
    expect(Object.keys(HOLIDAY_SCHEDULES)).toEqual(['2025', '2026']);
  });

  it('every adjusted working day is a weekend day and every holiday range is in its own year', () => {
    for (const [year, schedule] of Object.entries(HOLIDAY_SCHEDULES)) {
      for (const d of schedule.workingWeekends) expect([0, 6]).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
      for (const [from, to] of schedule.holidays) {
        expect(from <= to && from.startsWith(year) && to.startsWith(year)).toBe(true);
      }
    }
  });

  it('refuses malformed dates', () => {
    expect(() => isWorkingDay('2025-02-29')).toThrow(RangeError);
    expect(() => addWorkingDays('2025/03/01', 1)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-03-03', 1.5)).toThrow(RangeError);
  });
});

describe('addWorkingDays / workingDaysBetween', () => {
  it.each([
    ['2025-03-07', 1, '2025-03-10', 'Friday + 1 → Monday'],
    ['2025-01-24', 1, '2025-01-26', 'into a 调休 Sunday'],
    ['2025-01-27', 1, '2025-02-05', 'over the Spring Festival'],
    ['2025-09-26', 5, '2025-10-10', 'over National Day'],
    ['2026-02-13', 1, '2026-02-14', 'into a 调休 Saturday'],
    ['2025-03-08', 0, '2025-03-08', 'zero days keeps the date, even a weekend'],
    ['2025-03-10', -1, '2025-03-07', 'backwards over a weekend'],
    ['2025-02-05', -1, '2025-01-27', 'backwards over the Spring Festival'],
  ])('%s %+i → %s (%s)', (from, n, to) => {
    expect(addWorkingDays(from, n)).toBe(to);
  });

  it('counts the working days between two dates', () => {
    expect(workingDaysBetween('2025-09-30', '2025-10-09')).toBe(1);
    expect(workingDaysBetween('2025-03-03', '2025-03-03')).toBe(0);
    expect(workingDaysBetween('2025-03-07', '2025-03-09')).toBe(0);
    expect(workingDaysBetween('2025-03-10', '2025-03-07')).toBe(-1);
  });

  const dates = fc.integer({ min: 0, max: 1460 }).map((n) => addDays('2024-06-01', n)); // spans the table and beyond

  it('property: workingDaysBetween undoes addWorkingDays', () => {
    fc.assert(
      fc.property(
        dates,
        fc.integer({ min: -300, max: 300 }),
        (d, n) => workingDaysBetween(d, addWorkingDays(d, n)) === n,
      ),
    );
  });

  it('property: addWorkingDays lands on a working day and undoes workingDaysBetween when the target is one', () => {
    fc.assert(
      fc.property(dates, dates, (a, b) => {
        const n = workingDaysBetween(a, b);
        if (n !== 0) expect(isWorkingDay(addWorkingDays(a, n))).toBe(true);
        if (isWorkingDay(b) && b !== a) expect(addWorkingDays(a, n)).toBe(b);
        return true;
      }),
    );
  });

  it('property: n working days later is at least n calendar days later and is monotone in n', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 200 }), (d, n) => {
        const later = addWorkingDays(d, n);
        return later >= addDays(d, n) && addWorkingDays(d, n + 1) > later;
      }),
    );
  });
});

describe('calendar helpers', () => {
  it('dateOf reads the date a timestamp was written in, in its own offset', () => {
    expect(dateOf('2025-03-03T23:30:00+08:00')).toBe('2025-03-03');
    expect(dateOf('2025-03-03')).toBe('2025-03-03');
    expect(dateOf('2025-02-30T10:00:00Z')).toBeUndefined();
    expect(dateOf('March 3')).toBeUndefined();
  });
  it('isIsoDate knows leap years', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
  });
  it('addMonthsToDate clamps to the month end', () => {
    expect(addMonthsToDate('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonthsToDate('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonthsToDate('2025-11-15', 3)).toBe('2026-02-15');
  });
});
