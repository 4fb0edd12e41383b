/**
 * The county report worker thread: runs the jobs of jobs.ts off the server's event loop, one at a time. Bundled as
 * dist/server/reports-worker.mjs (scripts/build-main.mjs); from source it is started through devWorker.mjs.
 */
import { parentPort } from 'node:worker_threads';
import { runCountyJob, type CountyJob } from './jobs';

const port = parentPort;
if (!port) throw new Error('county reports worker must run in a worker thread');

port.on('message', (msg: { id: number; job: CountyJob }) => {
  runCountyJob(msg.job).then(
    (value) => {
      const bytes = (value as { bytes?: unknown }).bytes;
      port.postMessage({ id: msg.id, ok: true, value }, bytes instanceof Uint8Array ? [bytes.buffer as ArrayBuffer] : []);
    },
    (err: unknown) => port.postMessage({ id: msg.id, ok: false, message: err instanceof Error ? err.message : String(err) }),
  );
});
port.postMessage({ ready: true });
