import type { Logger } from 'pino';
import type { CountyDb } from '../db/types';
import { compactChangeLog } from './changeLog';

/**
 * Runs change-log compaction (SP-35) on a timer. Without it tombstones pile up for ever; with it, a station whose
 * cursor is older than the retention resets and pulls a full snapshot — so the retention must be longer than any
 * station is expected to stay offline (default 60 days, far beyond the "offline for days" the stations are built for).
 */

export interface CompactionSchedule {
  /** How long a delete stays on the feed before it may be forgotten. */
  retentionDays: number;
  /** Time between runs; the first run follows one interval after start, never during start-up. */
  everyMs: number;
}

export const DEFAULT_COMPACTION: CompactionSchedule = { retentionDays: 60, everyMs: 6 * 60 * 60_000 };

export function compactionFromEnv(env: NodeJS.ProcessEnv): CompactionSchedule {
  const days = env.COUNTY_TOMBSTONE_RETENTION_DAYS;
  const retentionDays = days === undefined || days === '' ? DEFAULT_COMPACTION.retentionDays : Number(days);
  if (!Number.isFinite(retentionDays) || retentionDays < 1) {
    throw new Error(`COUNTY_TOMBSTONE_RETENTION_DAYS must be a number of days ≥ 1 (got "${days}")`);
  }
  return { ...DEFAULT_COMPACTION, retentionDays };
}

/** Starts the timer; the returned stop() waits for a run in progress, so the database is never closed under it. */
export function scheduleCompaction(db: CountyDb, log: Logger, schedule: CompactionSchedule): () => Promise<void> {
  let running: Promise<void> | null = null;
  const runOnce = () => {
    if (running) return;
    const olderThan = new Date(Date.now() - schedule.retentionDays * 86_400_000);
    running = compactChangeLog(db, olderThan)
      .then((removed) => {
        if (removed > 0) log.info({ removed, retentionDays: schedule.retentionDays }, 'change log compacted');
      })
      // A failed run is retried at the next interval; the feed stays correct meanwhile (only longer).
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'change log compaction failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(runOnce, schedule.everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
