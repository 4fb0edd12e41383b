import type { StationCore } from '../station';
import { startSyncThread, type SyncThread } from './thread/engineThread';

/**
 * The one place both hosts (Electron, browser) start background sync, so they cannot drift apart. The engine runs
 * on its own thread: its SQLite transactions (with fsync) and gzip work must never freeze the counter's calls.
 */
export function startSyncFromEnv(core: StationCore, env: NodeJS.ProcessEnv = process.env): SyncThread {
  const thread = startSyncThread(core, {
    intervalMs: Number(env.STATION_SYNC_INTERVAL_MS ?? 60_000),
    defaultCountyUrl: env.STATION_COUNTY_URL ?? null,
  });
  thread.start();
  return thread;
}
