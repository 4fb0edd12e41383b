import { describe, expect, it } from 'vitest';
import { median, medianSummary } from '../../../bench/peers/lib/medians';
import {
  advantage,
  formatNumber,
  markdownTable,
  medianAt,
  type ResultRow,
} from '../../../bench/peers/lib/resultsTable';

describe('median', () => {
  it('takes the middle of an odd count and the mean of the middle two of an even count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('ignores non-finite values and is NaN for nothing', () => {
    expect(median([NaN, 7, Infinity, 1, 3])).toBe(3);
    expect(median([])).toBeNaN();
  });
  it('medians each percentile of several runs separately and adds up the sample counts', () => {
    const runs = [
      { n: 10, p50: 1, p95: 9, p99: 10, max: 12 },
      { n: 10, p50: 3, p95: 5, p99: 30, max: 40 },
      { n: 10, p50: 2, p95: 7, p99: 20, max: 11 },
    ];
    expect(medianSummary(runs)).toEqual({ n: 30, p50: 2, p95: 7, p99: 20, max: 12 });
  });
});

describe('medianAt', () => {
  it('reads a dotted path in every run and medians the numbers found', () => {
    const runs = [{ p95: { name: 2 } }, { p95: { name: 8 } }, { p95: { name: 4 } }, { p95: {} }, { other: 1 }];
    expect(medianAt(runs, 'p95.name')).toBe(4);
  });
  it('is null when no run measured the figure', () => {
    expect(medianAt([{ export: { measured: false } }], 'export.maxMs')).toBeNull();
    expect(medianAt([], 'x')).toBeNull();
  });
});

describe('advantage', () => {
  it('says how many times better ours is, in the direction that counts', () => {
    expect(advantage(800, 80, 'higher')).toBe(10);
    expect(advantage(2, 30, 'lower')).toBe(15);
    expect(advantage(30, 2, 'lower')).toBeCloseTo(1 / 15);
  });
  it('has no ratio without two positive measurements', () => {
    expect(advantage(null, 3, 'lower')).toBeNull();
    expect(advantage(0, 3, 'lower')).toBeNull();
    expect(advantage(3, NaN, 'higher')).toBeNull();
  });
});

describe('markdownTable', () => {
  const rows: ResultRow[] = [
    { figure: 'Search p95 | name', unit: 'ms', ours: 2.8765, peer: 1234.6, ratio: 429.2, goal: '< 15 ms', met: true },
    { figure: 'Stall', unit: 'ms', ours: 256.8, peer: null, ratio: null, goal: '< 50 ms', met: false },
    {
      figure: 'Export stall',
      unit: 'ms',
      ours: null,
      peer: null,
      ratio: null,
      goal: '< 50 ms',
      met: null,
      note: 'not built yet',
    },
  ];
  const lines = markdownTable(rows).split('\n');
  it('has a header, a separator and one line per row, each with six cells', () => {
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line.split(/(?<!\\)\|/).length - 2).toBe(6);
  });
  it('shows numbers with units, ratios with ×, missing values as —, and an unmet goal in bold', () => {
    expect(lines[2]).toContain('| 2.88 ms | 1,235 ms | 429× |');
    expect(lines[3]).toContain('| 257 ms | — | — |');
    expect(lines[3]).toContain('**no**');
    expect(lines[4]).toContain('n/a — not built yet');
  });
  it('escapes a | inside a figure so the table keeps its columns', () => {
    expect(lines[2]).toContain('Search p95 \\| name');
  });
});

describe('formatNumber', () => {
  it('keeps about three significant digits', () => {
    expect(formatNumber(12345.6)).toBe('12,346');
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(1.2345)).toBe('1.23');
    expect(formatNumber(0.12345)).toBe('0.123');
    expect(formatNumber(null)).toBe('—');
  });
});
