import type { Summary } from '../../lib/stats';

/** Median of a list (mean of the middle two for an even count); NaN for an empty list. Non-finite values are dropped. */
export function median(values: readonly number[]): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Per-field median of several runs' summaries; n is the total sample count. */
export function medianSummary(runs: readonly Summary[]): Summary {
  const pick = (k: keyof Summary) => median(runs.map((r) => r[k]));
  return {
    n: runs.reduce((sum, r) => sum + r.n, 0),
    p50: pick('p50'),
    p95: pick('p95'),
    p99: pick('p99'),
    max: pick('max'),
  };
}
