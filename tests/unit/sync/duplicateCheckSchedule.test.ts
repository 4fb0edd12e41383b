import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { duplicateCheckScheduler, type DuplicateScope } from '../../../server/services/console/duplicates';

// docs/sync-protocol.md SP-38: when the county re-checks duplicates after pushes (the server's own defaults). Runs
// wait for the pushes to pause for 0.5 s, but never longer than 15 s after the first change they have not covered;
// nothing touched is dropped.

const scope = (n: number): DuplicateScope => ({ caseIds: [`case-${n}`], personIds: [`person-${n}`] });

function scheduler() {
  const runs: { at: number; scope: DuplicateScope | undefined }[] = [];
  const start = Date.now();
  const s = duplicateCheckScheduler(
    async (sc) => {
      runs.push({ at: Date.now() - start, scope: sc });
    },
    (err) => {
      throw err;
    },
  );
  return { s, runs };
}

describe('duplicate check schedule (SP-38)', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-11-24T08:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('the first run after start is a full one, half a second after it was asked for', async () => {
    const { s, runs } = scheduler();
    s.schedule();
    await vi.advanceTimersByTimeAsync(499);
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([{ at: 500, scope: undefined }]);
    await s.close();
  });

  it('while pushes keep coming it waits, but runs at the latest 15 s after the first one, covering every push', async () => {
    const { s, runs } = scheduler();
    s.schedule();
    await vi.advanceTimersByTimeAsync(500); // the full run at start
    runs.length = 0;
    // A push every 200 ms for 40 s: never a quiet half second.
    for (let i = 0; i < 200; i++) {
      s.schedule(scope(i));
      await vi.advanceTimersByTimeAsync(200);
    }
    // The first run came 15 s (plus the timer's own step) after the first change it covers, then about every 15 s.
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs[0]!.at).toBeGreaterThanOrEqual(500 + 15_000);
    expect(runs[0]!.at).toBeLessThanOrEqual(500 + 15_000 + 200);
    await vi.advanceTimersByTimeAsync(600); // quiet now: the rest goes
    const covered = new Set(runs.flatMap((r) => r.scope?.caseIds ?? []));
    expect(covered.size).toBe(200);
    expect(runs.every((r) => r.scope !== undefined)).toBe(true);
    await s.close();
  });

  it('once the pushes pause for half a second, it runs at once with what they touched', async () => {
    const { s, runs } = scheduler();
    s.schedule();
    await vi.advanceTimersByTimeAsync(500);
    runs.length = 0;
    s.schedule(scope(1));
    await vi.advanceTimersByTimeAsync(300);
    s.schedule(scope(2));
    await vi.advanceTimersByTimeAsync(499);
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.scope).toEqual({ caseIds: ['case-1', 'case-2'], personIds: ['person-1', 'person-2'] });
    await s.close();
  });

  it('a change made at the county turns the pending run into a full one', async () => {
    const { s, runs } = scheduler();
    s.schedule();
    await vi.advanceTimersByTimeAsync(500);
    runs.length = 0;
    s.schedule(scope(1));
    s.schedule();
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toEqual([expect.objectContaining({ scope: undefined })]);
    await s.close();
  });
});
