import type { StationCore } from '../station';
import { syncEngineFor, type SyncEngine } from './engine';

/** The one place both hosts (Electron, browser) start background sync, so they cannot drift apart. */
export function startSyncFromEnv(core: StationCore, env: NodeJS.ProcessEnv = process.env): SyncEngine {
  const engine = syncEngineFor(core, {
    intervalMs: Number(env.STATION_SYNC_INTERVAL_MS ?? 60_000),
    defaultCountyUrl: env.STATION_COUNTY_URL ?? null,
  });
  engine.start();
  return engine;
}
