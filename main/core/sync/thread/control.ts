import type { StationEventPayload } from '../../../../shared/ipc/events';
import type { StationCore } from '../../station';
import { syncEngineFor, type SyncRunResult } from '../engine';

/**
 * What the 同步 calls need of "the sync engine", wherever it runs: the in-thread SyncEngine (tests, the fault
 * harness's station process) or the SyncThread that the hosts start (startSyncFromEnv). Both satisfy it.
 */
export interface SyncControl {
  readonly options: { readonly defaultCountyUrl?: string | null | undefined; readonly fetchImpl?: typeof fetch | undefined };
  readonly isRunning: boolean;
  readonly progress: StationEventPayload<'sync.progress'>;
  readonly nextRunAt: number | null;
  start(firstDelayMs?: number): void;
  stop(): Promise<void>;
  syncNow(): Promise<SyncRunResult>;
}

const threads = new WeakMap<StationCore, SyncControl>();

/** Makes `control` the core's engine for the 同步 calls (one per core; a second attach is a programming error). */
export function attachSyncControl(core: StationCore, control: SyncControl): void {
  if (threads.has(core)) throw new Error('this station core already has a sync thread');
  threads.set(core, control);
}

/** The core's sync thread if a host started one, else its in-thread engine (created on first use). */
export function syncControlFor(core: StationCore): SyncControl {
  return threads.get(core) ?? syncEngineFor(core);
}
