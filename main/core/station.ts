import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type pino from 'pino';
import type { StationEventName, StationEventPayload } from '../../shared/ipc/events';
import { openStore, type Db } from './db/open';
import type { KeyProvider } from './db/key';
import { createLogger } from './log';

export interface ConnectionState {
  state: 'online' | 'offline' | 'unknown';
  lastSuccessAt: string | null;
}

export interface StationCoreOptions {
  dataDir: string;
  keys: KeyProvider;
  host: 'electron' | 'browser';
  nativeBinding?: string;
  log?: pino.Logger;
}

/**
 * The station core: everything the app does that is not window chrome. It runs under plain Node (tests, benchmarks,
 * browser host) and inside Electron's main process alike, and never imports electron.
 */
export class StationCore {
  readonly db: Db;
  readonly dataDir: string;
  readonly host: 'electron' | 'browser';
  readonly log: pino.Logger;
  /** Kept for second connections to the same store (the report worker opens its own, read-only). */
  readonly keys: KeyProvider;
  readonly nativeBinding: string | undefined;
  readonly connection: ConnectionState = { state: 'unknown', lastSuccessAt: null };
  closed = false;
  private readonly events = new EventEmitter();
  private readonly closers: (() => void | Promise<void>)[] = [];

  constructor(opts: StationCoreOptions) {
    this.dataDir = opts.dataDir;
    this.host = opts.host;
    this.log = opts.log ?? createLogger();
    this.keys = opts.keys;
    this.nativeBinding = opts.nativeBinding;
    this.db = openStore({
      file: join(opts.dataDir, 'station.db'),
      keys: opts.keys,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
    this.events.setMaxListeners(100);
  }

  emit<E extends StationEventName>(event: E, payload: StationEventPayload<E>): void {
    this.events.emit(event, payload);
  }

  on<E extends StationEventName>(event: E, listener: (payload: StationEventPayload<E>) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  /** Registers something (sync timer, file watcher) to stop before the store closes. */
  onClose(fn: () => void | Promise<void>): void {
    this.closers.push(fn);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.closers.reverse()) await fn();
    this.db.close();
  }
}

export function openStationCore(opts: StationCoreOptions): StationCore {
  return new StationCore(opts);
}
