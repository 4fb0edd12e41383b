/**
 * The results table of `npm run bench`: one row per figure — ours, the peer's, their ratio (always "how many times
 * better ours is", so > 1 means ours wins), the goal of issue 7 and whether it is met. Pure functions, unit-tested
 * in tests/unit/bench.
 */
import { median } from './medians';

export interface ResultRow {
  figure: string;
  unit: string;
  ours: number | null;
  peer: number | null;
  /** ours ÷ peer when higher is better, peer ÷ ours when lower is better; null without both. */
  ratio: number | null;
  goal: string;
  /** null: no goal, or not measured. */
  met: boolean | null;
  note?: string;
}

/** How many times better `ours` is than `peer`, for a figure where `better` says which direction wins. */
export function advantage(ours: number | null, peer: number | null, better: 'higher' | 'lower'): number | null {
  if (ours === null || peer === null || !Number.isFinite(ours) || !Number.isFinite(peer) || ours <= 0 || peer <= 0)
    return null;
  return better === 'higher' ? ours / peer : peer / ours;
}

/** The values at `path` (dot separated) in each run's JSON, medianed; null when no run has a number there. */
export function medianAt(runs: readonly Record<string, unknown>[], path: string): number | null {
  const values = runs
    .map((r) =>
      path
        .split('.')
        .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), r),
    )
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length ? median(values) : null;
}

/** Numbers for people: 3 significant digits, thousands separated; '—' for missing. */
export function formatNumber(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(rows: readonly ResultRow[]): string {
  const head = '| figure | ours | peer | ratio (ours better by) | goal | met? |\n|---|---:|---:|---:|---|---|';
  const body = rows.map((r) => {
    const unit = r.unit ? ` ${r.unit}` : '';
    const ours = r.ours === null ? '—' : `${formatNumber(r.ours)}${unit}`;
    const peer = r.peer === null ? '—' : `${formatNumber(r.peer)}${unit}`;
    const ratio = r.ratio === null ? '—' : `${formatNumber(r.ratio)}×`;
    const met = r.met === null ? 'n/a' : r.met ? 'yes' : '**no**';
    return `| ${cell(r.figure)} | ${ours} | ${peer} | ${ratio} | ${cell(r.goal)} | ${met}${r.note ? ` — ${cell(r.note)}` : ''} |`;
  });
  return [head, ...body].join('\n');
}
