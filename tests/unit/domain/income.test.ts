import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  currentStandard,
  DEMO_STANDARDS,
  eligibilityHint,
  formatYuan,
  IncomeItemSchema,
  parseYuanToFen,
  perCapitaMonthlyIncomeFen,
  PolicyStandardSchema,
  type PolicyStandard,
} from '../../../shared/domain';

describe('perCapitaMonthlyIncomeFen', () => {
  it('divides household income by members, rounding down to the fen', () => {
    expect(perCapitaMonthlyIncomeFen([120_000, 30_000, 50_000], 4)).toBe(50_000);
    expect(perCapitaMonthlyIncomeFen([100_000], 3)).toBe(33_333);
    expect(perCapitaMonthlyIncomeFen([], 2)).toBe(0);
  });
  it('refuses a household without members or a non-integer amount', () => {
    expect(() => perCapitaMonthlyIncomeFen([100], 0)).toThrow(RangeError);
    expect(() => perCapitaMonthlyIncomeFen([100.5], 1)).toThrow(RangeError);
    expect(() => perCapitaMonthlyIncomeFen([-1], 1)).toThrow(RangeError);
  });
  it('property: rounding down never changes whether the household is below a whole-fen standard', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        (items, members, standard) => {
          const exact = items.reduce((a, b) => a + b, 0) / members;
          return perCapitaMonthlyIncomeFen(items, members) < standard === exact < standard;
        },
      ),
    );
  });
});

describe('currentStandard', () => {
  const rows: PolicyStandard[] = [
    { kind: 'dibao', areaClass: 'rural', amountFen: 50_000, effectiveFrom: '2024-01-01', demo: false },
    { kind: 'dibao', areaClass: 'rural', amountFen: 56_000, effectiveFrom: '2025-07-01', demo: false },
    { kind: 'dibao', areaClass: 'all', amountFen: 60_000, effectiveFrom: '2025-01-01', demo: false },
    { kind: 'dibao', areaClass: 'urban', amountFen: 75_000, effectiveFrom: '2025-01-01', demo: false },
    { kind: 'temporaryLimit', areaClass: 'all', amountFen: 300_000, effectiveFrom: '2025-01-01', demo: false },
  ];
  it('takes the latest row in force on the date', () => {
    expect(currentStandard(rows, 'dibao', 'rural', '2025-06-30')?.amountFen).toBe(60_000);
    expect(currentStandard(rows, 'dibao', 'rural', '2025-07-01')?.amountFen).toBe(56_000);
    expect(currentStandard(rows, 'dibao', 'rural', '2024-12-31')?.amountFen).toBe(50_000);
  });
  it('prefers the exact area class over a unified row of the same date, and lets a unified row answer both', () => {
    expect(currentStandard(rows, 'dibao', 'urban', '2025-03-01')?.amountFen).toBe(75_000);
    expect(currentStandard(rows, 'temporaryLimit', 'rural', '2025-03-01')?.amountFen).toBe(300_000);
  });
  it('has nothing before the first row or for a kind without rows', () => {
    expect(currentStandard(rows, 'dibao', 'rural', '2023-12-31')).toBeUndefined();
    expect(currentStandard(rows, 'destitute', 'rural', '2025-03-01')).toBeUndefined();
  });
});

describe('eligibilityHint', () => {
  const rural = currentStandard(DEMO_STANDARDS, 'dibao', 'rural', '2025-03-01');
  it('says how far below the standard the household is, and that the standard is demo data', () => {
    const hint = eligibilityHint(41_000, rural);
    expect(hint).toMatchObject({ status: 'below', gapFen: 15_000, demo: true });
    expect(hint.message).toBe(
      '家庭月人均收入410.00元，低于农村低保标准560.00元（演示数据，非县级公布标准），差额150.00元。',
    );
  });
  it('at the standard is not below it', () => {
    expect(eligibilityHint(56_000, rural)).toMatchObject({ status: 'atOrAbove', gapFen: 0 });
  });
  it('says so when there is no standard to compare with', () => {
    expect(eligibilityHint(41_000, undefined)).toMatchObject({
      status: 'noStandard',
      message: expect.stringContaining('尚无适用的标准'),
    });
  });
});

describe('DEMO_STANDARDS', () => {
  it('are valid rows, every one labelled demo, covering dibao, destitute and the township limit', () => {
    for (const row of DEMO_STANDARDS) expect(PolicyStandardSchema.parse(row)).toEqual({ ...row, demo: true });
    expect(new Set(DEMO_STANDARDS.map((s) => s.kind))).toEqual(new Set(['dibao', 'destitute', 'temporaryLimit']));
  });
});

describe('money formatting and parsing', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [123_456, '1,234.56'],
    [100_000_000, '1,000,000.00'],
    [-2_550, '-25.50'],
  ])('formatYuan(%i) = %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });
  it.each([
    ['1234', 123_400],
    ['1,234.5', 123_450],
    ['0.29', 29],
    ['１２３．４５', 12_345],
    [' 80 ', 8_000],
    ['1.234', undefined],
    ['-5', undefined],
    ['abc', undefined],
    ['', undefined],
  ])('parseYuanToFen(%j) = %s', (text, fen) => {
    expect(parseYuanToFen(text)).toBe(fen);
  });
  it('property: parse(format(x)) = x', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e12 }), (fen) => parseYuanToFen(formatYuan(fen)) === fen));
  });
  it('income items take whole fen only, with Chinese messages', () => {
    expect(IncomeItemSchema.safeParse({ kind: 'wages', monthlyFen: 10.5 }).error?.issues[0]?.message).toBe(
      '金额必须精确到分',
    );
    expect(IncomeItemSchema.safeParse({ kind: 'salary', monthlyFen: 10 }).error?.issues[0]?.message).toBe(
      '请选择收入类别',
    );
  });
});
