import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../../shared/ipc/errors';
import type { StationEventPayload } from '../../../../shared/ipc/events';
import type { StationCore } from '../../station';
import type { SyncRunResult } from '../engine';
import { readSyncState } from '../state';
import { attachSyncControl, type SyncControl } from './control';
import type { EngineSnapshot, FromThread, SyncThreadConfig, ThreadEngineOptions, ToThread } from './protocol';

/**
 * The station's sync engine on a worker thread (issue 7: "sync never freezes the counter"). The main thread keeps
 * only a mirror of the engine's state for sync.status, re-emits its events on the core, and forwards 立即同步,
 * start and stop. The thread has its own connection to the same encrypted store: WAL lets both read at once, and
 * each side's writer waits (busy_timeout) for the other's short transaction.
 */

/**
 * The sync thread's heap. Its JS objects are few and small (a batch is ~1,000 rows), its garbage mostly Buffers
 * (the rows' bytes, the request bodies). With V8's default young generation (16 MB semi-spaces) the old generation's
 * headroom after each full collection (~23 MB on a ~15 MB heap) was below the young generation's capacity, which V8
 * takes as "start marking now": a 100k-record push ran 21–29 full collections back to back. With 8 MB it ran 10, and
 * the station process used 0.1–0.6 s less CPU per 100k records (5 alternated runs, bench/peers/sync.ts; issue 7).
 */
const SYNC_THREAD_HEAP = { maxYoungGenerationSizeMb: 8 };

/** How long close() waits for a run in progress to finish its batch before it terminates the thread. */
const CLOSE_GRACE_MS = 10_000;
/** After the thread died unexpectedly, how long before a started engine is brought back. */
const RESPAWN_DELAY_MS = 5_000;

const LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** The bundled thread next to the bundle (dist/main), else the TypeScript source through the tsx bootstrap. */
function threadEntry(): { url: URL; data: Record<string, unknown> } {
  const bundled = new URL('./sync-thread.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return { url: bundled, data: {} };
  return {
    url: new URL('../../reports/devWorker.mjs', import.meta.url),
    data: { entry: new URL('./worker.ts', import.meta.url).href },
  };
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export interface SyncThreadOptions extends ThreadEngineOptions {
  /** A thread bundle to use instead of the default (benchmarks, tests of the built app). */
  workerUrl?: URL;
}

export class SyncThread implements SyncControl {
  readonly options: { readonly defaultCountyUrl: string | null; readonly fetchImpl?: undefined };
  private worker: Worker | null = null;
  private readyPromise: Promise<void> | null = null;
  private snap: EngineSnapshot;
  private readonly pending = new Map<number, Pending>();
  private nextCallId = 1;
  private started = false;
  private startDelayMs = 1_000;
  private closed = false;
  private respawnTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly core: StationCore,
    private readonly opts: SyncThreadOptions = {},
  ) {
    this.options = { defaultCountyUrl: opts.defaultCountyUrl ?? null };
    // The status bar shows the last success from before this start, not "never" (as syncEngineFor does).
    core.connection.lastSuccessAt = readSyncState(core.db).lastSuccessAt;
    this.snap = { running: false, progress: { phase: 'idle', done: 0, total: 0 }, nextRunAt: null, connection: { ...core.connection } };
  }

  get isRunning(): boolean {
    return this.snap.running;
  }

  get progress(): StationEventPayload<'sync.progress'> {
    return this.snap.progress;
  }

  get nextRunAt(): number | null {
    return this.snap.nextRunAt;
  }

  /** Whether the thread is up (it is spawned on first use and gone after close). */
  get alive(): boolean {
    return this.worker !== null;
  }

  /** Resolves once the thread has opened its connection (spawning it if needed); rejects if it cannot. */
  ready(): Promise<void> {
    if (this.closed) return Promise.reject(new AppError('STORE_UNAVAILABLE'));
    if (!this.readyPromise) this.readyPromise = this.spawn();
    return this.readyPromise;
  }

  private spawn(): Promise<void> {
    const entry = this.opts.workerUrl ? { url: this.opts.workerUrl, data: {} } : threadEntry();
    const { workerUrl: _url, ...engine } = this.opts;
    const config: SyncThreadConfig = {
      dbFile: join(this.core.dataDir, 'station.db'),
      dataDir: this.core.dataDir,
      keyHex: this.core.keys.getKey().toString('hex'),
      nativeBinding: this.core.nativeBinding,
      logLevel: this.core.log.level,
      engine,
    };
    const worker = new Worker(entry.url, { workerData: { ...entry.data, config }, resourceLimits: SYNC_THREAD_HEAP });
    // The host's own servers and windows keep the process alive; a forgotten thread must not.
    worker.unref();
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let isReady = false;
      worker.on('message', (m: FromThread) => {
        if (m.type === 'ready') {
          isReady = true;
          this.apply(m.snapshot);
          resolve();
        } else this.onMessage(m);
      });
      worker.on('error', (err) => {
        this.core.log.error({ err: err.message }, 'sync thread failed');
        if (!isReady) reject(err);
      });
      worker.on('exit', (code) => {
        if (!isReady) reject(new Error(`sync thread exited before it was ready (code ${code})`));
        this.onExit(worker);
      });
    });
  }

  private onExit(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.readyPromise = null;
    for (const p of this.pending.values()) p.reject(new Error('sync thread stopped'));
    this.pending.clear();
    this.snap = { ...this.snap, running: false, nextRunAt: null };
    if (this.closed || !this.started) return;
    // Died on its own (it never should): bring periodic sync back after a pause, without a tight restart loop.
    this.core.log.error('sync thread exited unexpectedly; restarting it shortly');
    this.respawnTimer = setTimeout(() => {
      this.respawnTimer = null;
      if (this.closed || !this.started) return;
      this.post({ type: 'start', firstDelayMs: 0 });
    }, RESPAWN_DELAY_MS);
    this.respawnTimer.unref();
  }

  private apply(s: EngineSnapshot): void {
    this.snap = s;
    // Listeners of status.changed read core.connection (sync.status), so it is updated before any re-emit.
    this.core.connection.state = s.connection.state;
    this.core.connection.lastSuccessAt = s.connection.lastSuccessAt;
  }

  private onMessage(m: FromThread): void {
    switch (m.type) {
      case 'snapshot':
        this.apply(m.snapshot);
        return;
      case 'event':
        this.apply(m.snapshot);
        if (this.core.closed) return;
        if (m.name === 'sync.progress') this.core.emit('sync.progress', m.payload);
        else this.core.emit('status.changed', m.payload);
        return;
      case 'result':
        this.apply(m.snapshot);
        this.settle(m.callId, (p) => p.resolve(m.value));
        return;
      case 'done':
        this.settle(m.callId, (p) => p.resolve(undefined));
        return;
      case 'error':
        this.settle(m.callId, (p) => p.reject(new Error(m.message)));
        return;
      case 'log':
        this.relog(m.line);
        return;
      case 'ready':
        return;
    }
  }

  private settle(callId: number, fn: (p: Pending) => void): void {
    const p = this.pending.get(callId);
    if (!p) return;
    this.pending.delete(callId);
    if (this.pending.size === 0) this.worker?.unref();
    fn(p);
  }

  /** The thread's log line through the host's logger, so both threads' entries land in one place. */
  private relog(line: string): void {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const { level, msg, time: _time, pid: _pid, hostname: _hostname, app: _app, ...rest } = entry;
    const name = LEVELS[Number(level)] ?? 'info';
    this.core.log[name](rest, typeof msg === 'string' ? msg : '');
  }

  /** Sends a message, spawning the thread first when there is none (after close: none is spawned). */
  private post(msg: ToThread): void {
    if (this.closed) return;
    void this.ready().catch(() => undefined);
    this.worker?.postMessage(msg);
  }

  private call<T>(make: (callId: number) => ToThread): Promise<T> {
    if (this.closed) return Promise.reject(new AppError('STORE_UNAVAILABLE'));
    const callId = this.nextCallId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(callId, { resolve: resolve as (v: unknown) => void, reject });
      this.ready().then(
        () => {
          // A caller awaits the answer: the thread keeps the process alive until it comes.
          this.worker?.ref();
          if (this.worker) this.worker.postMessage(make(callId));
          else this.settle(callId, (p) => p.reject(new Error('sync thread stopped')));
        },
        (err: Error) => this.settle(callId, (p) => p.reject(err)),
      );
    });
  }

  /** Starts periodic runs in the thread (the first one soon after start). */
  start(firstDelayMs = 1_000): void {
    if (this.closed) return;
    this.started = true;
    this.startDelayMs = firstDelayMs;
    this.post({ type: 'start', firstDelayMs: this.startDelayMs });
  }

  /** 立即同步: joins a run in progress rather than starting a second one (the engine's rule, in the thread). */
  syncNow(): Promise<SyncRunResult> {
    return this.call<SyncRunResult>((callId) => ({ type: 'syncNow', callId }));
  }

  /** Stops periodic runs and waits for a run in progress; the thread stays up for 立即同步. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    this.respawnTimer = null;
    if (!this.worker || this.closed) return;
    await this.call<void>((callId) => ({ type: 'stop', callId }));
  }

  /**
   * Stops the engine, closes the thread's connection and ends the thread. A run in progress finishes its current
   * batch (each batch commits on its own, SP-22); past CLOSE_GRACE_MS the thread is terminated, which is as safe as
   * a power cut: an unconfirmed batch is sent again and the county skips what it already has.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.started = false;
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    this.respawnTimer = null;
    const worker = this.worker;
    if (!worker) {
      this.closed = true;
      return;
    }
    const closing = this.call<void>((callId) => ({ type: 'close', callId })).catch((err: Error) => {
      this.core.log.warn({ err: err.message }, 'sync thread did not close cleanly');
    });
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
    await Promise.race([closing, grace]);
    clearTimeout(timer);
    await worker.terminate();
  }
}

/**
 * Starts the core's sync thread and makes it the engine of the 同步 calls; the thread is closed with the core
 * (core.onClose), before the core's own connection.
 */
export function startSyncThread(core: StationCore, opts: SyncThreadOptions = {}): SyncThread {
  const thread = new SyncThread(core, opts);
  attachSyncControl(core, thread);
  core.onClose(() => thread.close());
  return thread;
}
