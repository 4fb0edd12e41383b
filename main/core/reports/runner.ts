import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, ERROR_CODES } from '../../../shared/ipc/errors';
import type { FromWorker, Job, ToWorker, WorkerConfig } from './jobs';

/**
 * Runs report jobs in worker threads so the main thread (Electron main process / browser host) never waits on a
 * report query or an export. Each job has its own worker for its duration; up to MAX_IDLE finished workers are kept
 * warm for the next job. Cancelling terminates the job's worker, which stops even a long synchronous query at once.
 */

export interface Progress {
  phase: string;
  done: number;
  total: number;
}

export class JobCancelled extends Error {
  constructor() {
    super('job cancelled');
    this.name = 'JobCancelled';
  }
}

const MAX_IDLE = 1;

interface Running {
  worker: Worker;
  reject(err: Error): void;
}

/** The bundled worker next to the bundle (dist/main), else the TypeScript source through the tsx bootstrap. */
function workerEntry(): { url: URL; data: Record<string, unknown> } {
  const bundled = new URL('./reports-worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return { url: bundled, data: {} };
  return {
    url: new URL('./devWorker.mjs', import.meta.url),
    data: { entry: new URL('./worker.ts', import.meta.url).href },
  };
}

export class ReportRunner {
  private readonly idle: Worker[] = [];
  private readonly running = new Map<string, Running>();
  private readonly starting = new Map<string, { cancelled: boolean }>();
  private closed = false;

  /** `workerUrl`: a worker bundle to use instead of the default (benchmarks build one up front). */
  constructor(
    private readonly config: WorkerConfig,
    private readonly opts: { workerUrl?: URL } = {},
  ) {}

  private spawn(): Promise<Worker> {
    const entry = this.opts.workerUrl ? { url: this.opts.workerUrl, data: {} } : workerEntry();
    const worker = new Worker(entry.url, { workerData: { ...entry.data, config: this.config } });
    worker.unref();
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type !== 'ready') return;
        worker.off('error', onError);
        worker.off('message', onMessage);
        resolve(worker);
      };
      const onError = (err: Error) => reject(err);
      worker.on('message', onMessage);
      worker.once('error', onError);
    });
  }

  /** Runs one job; rejects with JobCancelled after cancel(jobId), with AppError for refusals, Error otherwise. */
  async run<T>(jobId: string, job: Job, onProgress?: (p: Progress) => void): Promise<T> {
    if (this.closed) throw new AppError('STORE_UNAVAILABLE');
    if (this.running.has(jobId) || this.starting.has(jobId)) throw new AppError('CONFLICT', '该任务已在进行中');
    // Registered before the (asynchronous) worker start, so a cancel that arrives meanwhile is not lost.
    const start = { cancelled: false };
    this.starting.set(jobId, start);
    let worker: Worker;
    try {
      worker = this.idle.pop() ?? (await this.spawn());
    } finally {
      this.starting.delete(jobId);
    }
    if (start.cancelled || this.closed) {
      if (!this.closed && this.idle.length < MAX_IDLE) this.idle.push(worker);
      else void worker.terminate();
      throw new JobCancelled();
    }
    return new Promise<T>((resolve, reject) => {
      const finish = (keep: boolean) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        this.running.delete(jobId);
        if (keep && !this.closed && this.idle.length < MAX_IDLE) this.idle.push(worker);
        else void worker.terminate();
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'progress' && m.jobId === jobId) onProgress?.({ phase: m.phase, done: m.done, total: m.total });
        else if (m.type === 'result' && m.jobId === jobId) {
          finish(true);
          resolve(m.value as T);
        } else if (m.type === 'error' && m.jobId === jobId) {
          finish(true);
          reject(m.code in ERROR_CODES && m.code !== 'INTERNAL' ? new AppError(m.code as ErrorCode, m.message) : new Error(m.message));
        }
      };
      const onError = (err: Error) => {
        finish(false);
        reject(err);
      };
      const onExit = () => {
        finish(false);
        reject(new JobCancelled());
      };
      this.running.set(jobId, {
        worker,
        reject: (err) => {
          finish(false);
          reject(err);
        },
      });
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ type: 'job', jobId, job } satisfies ToWorker);
    });
  }

  /** Stops a running job; false when there is none with that id (already finished, or never started). */
  cancel(jobId: string): boolean {
    const s = this.starting.get(jobId);
    if (s) {
      s.cancelled = true;
      return true;
    }
    const r = this.running.get(jobId);
    if (!r) return false;
    r.reject(new JobCancelled());
    return true;
  }

  get activeJobs(): number {
    return this.running.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.running.keys(), ...this.starting.keys()]) this.cancel(id);
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }
}
