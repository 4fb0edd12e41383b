// Starts the TypeScript report worker from source (tests, benchmarks, `tsx` runs): registers tsx in this thread,
// then loads worker.ts. The built app uses the bundled dist/main/reports-worker.mjs instead.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
