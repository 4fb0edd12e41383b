/**
 * The sync engine thread: the station's SyncEngine (main/core/sync/engine.ts, unchanged) on its own connection to
 * the encrypted store, so the engine's synchronous work — SQLite transactions with their fsync, gzip of a push
 * batch, JSON of a pull page, county decisions applied — never stalls the main thread (Electron main process /
 * browser host), where the counter's calls are served. Bundled as dist/main/sync-thread.mjs
 * (scripts/build-main.mjs); from source it is started through reports/devWorker.mjs.
 */
import { EventEmitter } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import type { StationEventName, StationEventPayload } from '../../../../shared/ipc/events';
import { PERSONAL_FIELDS } from '../../log';
import type { ConnectionState, StationCore } from '../../station';
import { SyncEngine } from '../engine';
import { readSyncState } from '../state';
import type { EngineSnapshot, FromThread, SyncThreadConfig, ToThread } from './protocol';
import { openWriterStore } from './writerStore';

const port = parentPort;
if (!port) throw new Error('sync thread must run in a worker thread');
const config = (workerData as { config: SyncThreadConfig }).config;
const send = (m: FromThread) => port.postMessage(m);

/**
 * The part of StationCore the engine uses, backed by this thread's connection. Events go to the main thread, which
 * re-emits them on the real core; the connection state travels with every message.
 */
class ThreadCore {
  readonly db = openWriterStore(config.dbFile, config.keyHex, config.nativeBinding);
  readonly dataDir = config.dataDir;
  readonly host = 'browser' as const;
  readonly nativeBinding = config.nativeBinding;
  readonly log = pino(
    {
      level: config.logLevel,
      base: { app: 'station', thread: 'sync' },
      redact: { paths: PERSONAL_FIELDS.flatMap((f) => [f, `*.${f}`]), censor: '[redacted]' },
    },
    { write: (line: string) => send({ type: 'log', line }) },
  );
  readonly connection: ConnectionState = { state: 'unknown', lastSuccessAt: null };
  closed = false;
  private readonly events = new EventEmitter();

  emit<E extends StationEventName>(event: E, payload: StationEventPayload<E>): void {
    this.events.emit(event, payload);
  }

  on<E extends StationEventName>(event: E, listener: (payload: StationEventPayload<E>) => void): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  onClose(): void {
    // The thread closes its engine and store itself on the main thread's 'close'.
  }
}

const core = new ThreadCore();
core.connection.lastSuccessAt = readSyncState(core.db).lastSuccessAt;
// The engine reads db, dataDir, log, connection, closed and emit only (see ThreadCore); the rest of StationCore
// (keys, report runners, closers) belongs to the main thread.
const engine = new SyncEngine(core as unknown as StationCore, config.engine);

const snapshot = (): EngineSnapshot => ({
  running: engine.isRunning,
  progress: engine.progress,
  nextRunAt: engine.nextRunAt,
  connection: { ...core.connection },
});

core.on('sync.progress', (payload) => send({ type: 'event', name: 'sync.progress', payload, snapshot: snapshot() }));
core.on('status.changed', (payload) => {
  send({ type: 'event', name: 'status.changed', payload, snapshot: snapshot() });
  // A run ends with status.changed and only then schedules the next one: tell the main thread the new nextRunAt.
  setImmediate(() => send({ type: 'snapshot', snapshot: snapshot() }));
});

async function close(): Promise<void> {
  await engine.stop();
  core.closed = true;
  core.db.close();
}

port.on('message', (msg: ToThread) => {
  switch (msg.type) {
    case 'start':
      engine.start(msg.firstDelayMs);
      send({ type: 'snapshot', snapshot: snapshot() });
      return;
    case 'syncNow': {
      const run = engine.syncNow();
      send({ type: 'snapshot', snapshot: snapshot() });
      run.then(
        (value) => send({ type: 'result', callId: msg.callId, value, snapshot: snapshot() }),
        (err: unknown) => send({ type: 'error', callId: msg.callId, message: (err as Error)?.message ?? String(err) }),
      );
      return;
    }
    case 'stop':
      void engine.stop().then(() => {
        send({ type: 'snapshot', snapshot: snapshot() });
        send({ type: 'done', callId: msg.callId });
      });
      return;
    case 'close':
      close().then(
        () => send({ type: 'done', callId: msg.callId }),
        (err: unknown) => send({ type: 'error', callId: msg.callId, message: (err as Error)?.message ?? String(err) }),
      );
      return;
  }
});
send({ type: 'ready', snapshot: snapshot() });
