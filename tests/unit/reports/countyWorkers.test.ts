import { describe, expect, it } from 'vitest';
import type { CountyJob } from '../../../server/services/reports/jobs';
import { runCountyJob } from '../../../server/services/reports/jobs';
import { reportWorkers } from '../../../server/services/reports/workers';

/**
 * The county computes reports in a worker thread (server/services/reports/workers.ts) so a county-wide report never
 * stalls pushes: the worker's answer equals the in-thread one, and the event loop keeps ticking while it computes.
 */

/** Case and payment rows in the JSON-text shape load.ts gets from PostgreSQL. */
function texts(n: number) {
  const cases: unknown[] = [];
  const payments: unknown[] = [];
  const items = ['dibao', 'destituteSupport', 'temporaryAssistance', 'disabilityLivingSubsidy'];
  for (let i = 0; i < n; i++) {
    const item = items[i % 4]!;
    const id = `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`;
    cases.push([id, `N${i}`, item, i % 2 ? 'urban' : 'rural', `h${i % (n / 2)}`, `p${i}`, 'active', '2026-01-01', '50000', i % 10 === 0 ? '2025-04-01' : null, '2024-03', '2024-02-10', null, '2026-01-01', `村${i % 40}`, `镇${i % 5}`, 'rural', '3', item === 'temporaryAssistance' ? '2025-02-01' : null]);
    for (const m of ['2025-01', '2025-02', '2025-03']) payments.push([id, m, 50_000, 1]);
  }
  return { cases: JSON.stringify(cases), payments: JSON.stringify(payments) };
}

const job = (n: number): Extract<CountyJob, { kind: 'report' }> => ({
  kind: 'report',
  texts: texts(n),
  scope: { groupBy: 'township' },
  period: { start: '2025-01-01', end: '2025-06-30' },
  asOf: '2025-07-10',
  filter: {},
});

describe('county report workers', () => {
  it('run from source in a worker thread and answer exactly as the in-thread computation', async () => {
    const workers = reportWorkers();
    expect(workers.threaded).toBe(true);
    const j = job(2_000);
    const [threaded, inline] = await Promise.all([workers.run<'report'>(j), runCountyJob(j)]);
    expect(threaded).toEqual(inline);
    expect(threaded.report.byVillage.map((r) => r.label).sort()).toEqual(['镇0', '镇1', '镇2', '镇3', '镇4']);
  });

  it('keep the event loop responsive while a large report computes', async () => {
    const j = job(120_000);
    const t0 = performance.now();
    await runCountyJob(j);
    const inline = performance.now() - t0;

    let last = performance.now();
    let worst = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 5);
    await reportWorkers().run<'report'>(j);
    clearInterval(tick);
    // In-thread the whole computation is one stall; in the worker only the input copy is (a string memcpy).
    expect(worst).toBeLessThan(Math.max(100, inline / 3));
  }, 60_000);
});
