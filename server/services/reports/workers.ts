import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runCountyJob, type CountyJob, type JobResults } from './jobs';

/**
 * Up to two report worker threads (the county runs on small machines), started on first use, kept while idle
 * (unref'd: they never keep the process alive). Jobs beyond two wait their turn. Without a worker entry (a build
 * that did not bundle one) the job runs on this thread, which is correct but stalls the event loop while it runs.
 */

const MAX_WORKERS = 2;

function workerEntry(): { url: URL; data: Record<string, unknown> } | null {
  const here = new URL(import.meta.url);
  if (here.protocol !== 'file:') return null;
  const bundled = new URL('./reports-worker.mjs', here);
  if (existsSync(fileURLToPath(bundled))) return { url: bundled, data: {} };
  const dev = new URL('./devWorker.mjs', here);
  const source = new URL('./worker.ts', here);
  if (existsSync(fileURLToPath(dev)) && existsSync(fileURLToPath(source))) return { url: dev, data: { entry: source.href } };
  return null;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

class Slot {
  readonly pending = new Map<number, Pending>();
  private constructor(readonly worker: Worker) {}

  static start(entry: { url: URL; data: Record<string, unknown> }): Promise<Slot> {
    const worker = new Worker(entry.url, { workerData: entry.data });
    worker.unref();
    const slot = new Slot(worker);
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      worker.once('error', onError);
      worker.on('message', (m: { ready?: true; id?: number; ok?: boolean; value?: unknown; message?: string }) => {
        if (m.ready) {
          worker.off('error', onError);
          worker.on('error', (err) => slot.failAll(err));
          worker.on('exit', () => slot.failAll(new Error('统计线程意外退出')));
          resolve(slot);
          return;
        }
        const p = m.id === undefined ? undefined : slot.pending.get(m.id);
        if (!p) return;
        slot.pending.delete(m.id!);
        if (m.ok) p.resolve(m.value);
        else p.reject(new Error(m.message ?? '统计失败'));
      });
    });
  }

  failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

export class ReportWorkers {
  private readonly idle: Slot[] = [];
  private started = 0;
  private readonly waiting: ((s: Slot) => void)[] = [];
  private nextId = 1;
  private readonly entry = workerEntry();

  get threaded(): boolean {
    return this.entry !== null;
  }

  private async acquire(): Promise<Slot> {
    const s = this.idle.pop();
    if (s) return s;
    if (this.started < MAX_WORKERS && this.entry) {
      this.started++;
      try {
        return await Slot.start(this.entry);
      } catch (err) {
        this.started--;
        throw err;
      }
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot, healthy: boolean): void {
    if (!healthy) {
      this.started--;
      void slot.worker.terminate();
      // A waiter gets a fresh worker instead of the dead one.
      const next = this.waiting.shift();
      if (next) void this.acquire().then(next);
      return;
    }
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.idle.push(slot);
  }

  async run<K extends CountyJob['kind']>(job: Extract<CountyJob, { kind: K }>): Promise<JobResults[K]> {
    if (!this.entry) return (await runCountyJob(job)) as JobResults[K];
    const slot = await this.acquire();
    const id = this.nextId++;
    let healthy = true;
    try {
      return await new Promise<JobResults[K]>((resolve, reject) => {
        slot.pending.set(id, { resolve: (v) => resolve(v as JobResults[K]), reject });
        // Inputs are strings (and list rows): copied, never shared; nothing else crosses.
        slot.worker.postMessage({ id, job });
      });
    } catch (err) {
      healthy = slot.worker.threadId !== -1 && (err as Error).message !== '统计线程意外退出';
      throw err;
    } finally {
      this.release(slot, healthy);
    }
  }
}

let shared: ReportWorkers | null = null;
/** The process's report workers (one set for every county server in the process). */
export function reportWorkers(): ReportWorkers {
  shared ??= new ReportWorkers();
  return shared;
}
