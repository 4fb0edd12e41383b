// Starts the TypeScript county report worker from source (tests, `tsx` runs): registers tsx in this thread, then
// loads worker.ts. The built server uses the bundled dist/server/reports-worker.mjs instead.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
