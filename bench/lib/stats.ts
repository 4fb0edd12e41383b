/** Percentile by nearest rank (no interpolation): p95 of 200 samples is the 190th smallest. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

export function summarise(samplesMs: readonly number[]): Summary {
  const s = [...samplesMs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(percentile(s, 50)),
    p95: round(percentile(s, 95)),
    p99: round(percentile(s, 99)),
    max: round(s.at(-1) ?? NaN),
  };
}

/** Times fn once per input (after `warmup` untimed runs), in milliseconds. */
export function timeEach<T>(inputs: readonly T[], fn: (input: T) => unknown, warmup = 20): number[] {
  for (let i = 0; i < Math.min(warmup, inputs.length); i++) fn(inputs[i]!);
  return inputs.map((input) => {
    const t0 = process.hrtime.bigint();
    fn(input);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
}
