import type { StationEventPayload } from '../../../../shared/ipc/events';
import type { ConnectionState } from '../../station';
import type { SyncEngineOptions, SyncRunResult } from '../engine';

/** What the main thread and the sync engine thread say to each other (structured-clone plain data only). */

/** The engine options that can cross a thread: no functions (fetchImpl, random stay in-thread only). */
export type ThreadEngineOptions = Omit<SyncEngineOptions, 'fetchImpl' | 'random'>;

export interface SyncThreadConfig {
  dbFile: string;
  dataDir: string;
  keyHex: string;
  nativeBinding?: string | undefined;
  logLevel: string;
  engine: ThreadEngineOptions;
}

/** The engine's state as the main thread mirrors it for sync.status. */
export interface EngineSnapshot {
  running: boolean;
  progress: StationEventPayload<'sync.progress'>;
  nextRunAt: number | null;
  connection: ConnectionState;
}

export type ToThread =
  | { type: 'start'; firstDelayMs: number }
  | { type: 'syncNow'; callId: number }
  | { type: 'stop'; callId: number }
  | { type: 'close'; callId: number };

export type FromThread =
  | { type: 'ready'; snapshot: EngineSnapshot }
  | { type: 'snapshot'; snapshot: EngineSnapshot }
  | { type: 'event'; name: 'sync.progress'; payload: StationEventPayload<'sync.progress'>; snapshot: EngineSnapshot }
  | { type: 'event'; name: 'status.changed'; payload: StationEventPayload<'status.changed'>; snapshot: EngineSnapshot }
  | { type: 'result'; callId: number; value: SyncRunResult; snapshot: EngineSnapshot }
  | { type: 'done'; callId: number }
  | { type: 'error'; callId: number; message: string }
  /** One pino line of the thread's log, re-logged by the main thread's logger. */
  | { type: 'log'; line: string };
