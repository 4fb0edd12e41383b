/**
 * The report worker thread: its own read-only connection to the encrypted store, one job at a time. Bundled as
 * dist/main/reports-worker.mjs (scripts/build-main.mjs); from source it is started through devWorker.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/ipc/errors';
import { executeJob } from './execute';
import type { FromWorker, ToWorker, WorkerConfig } from './jobs';
import { openReadOnlyStore } from './readOnlyStore';

const port = parentPort;
if (!port) throw new Error('reports worker must run in a worker thread');
const config = (workerData as { config: WorkerConfig }).config;
const db = openReadOnlyStore(config.dbFile, config.keyHex, config.nativeBinding);
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let lastProgress = 0;
port.on('message', (msg: ToWorker) => {
  if (msg.type !== 'job') return;
  const { jobId, job } = msg;
  executeJob(db, job, (phase, done, total) => {
    // At most ~10 progress messages a second: the main thread forwards each one to the window.
    const now = Date.now();
    if (now - lastProgress < 100 && done !== total) return;
    lastProgress = now;
    send({ type: 'progress', jobId, phase, done, total });
  })
    .then((value) => {
      const bytes = (value as { bytes?: unknown }).bytes;
      // Transfer a file's bytes instead of copying them, but only a buffer the array owns whole (never a shared pool).
      const own = bytes instanceof Uint8Array && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      send({ type: 'result', jobId, value }, own ? [bytes.buffer as ArrayBuffer] : []);
    })
    .catch((err: unknown) => {
      const e = err as Error;
      send({ type: 'error', jobId, code: err instanceof AppError ? err.code : 'INTERNAL', message: e?.message ?? String(err) });
    });
});
send({ type: 'ready' });
