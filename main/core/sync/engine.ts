import type { StationEventPayload } from '../../../shared/ipc/events';
import type { StationCore } from '../station';
import { write } from '../services/unitOfWork';
import { uploadPending } from './attachments';
import { COUNTY_ACTOR, retryPendingEffects } from './county';
import { DEFAULT_PUSH_LIMITS, pushOutbox, type PushLimits } from './push';
import { pullPage } from './pull';
import { markRevoked, readEnrolment, readSyncState, recordAttempt, outboxSize } from './state';
import { CountyTransport, SyncFailure } from './transport';

/**
 * The sync engine of one station core (issue 4, item 8). Runs in the core, never in the renderer: periodic and on
 * demand (立即同步), one run at a time; a run pushes the outbox front in bounded batches, pulls until up to date,
 * applies pending county effects and uploads confirmed scans. Failures back off exponentially with full jitter
 * (SP-51); progress goes out as `sync.progress` events and the connection state as `status.changed`.
 */

export interface SyncEngineOptions {
  /** Pause between successful runs. */
  intervalMs?: number;
  /** First retry delay after a failure, doubled per consecutive failure, capped at maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  push?: PushLimits;
  pullLimit?: number;
  timeoutMs?: number;
  /** Pre-filled in the enrolment form (env STATION_COUNTY_URL in the hosts). */
  defaultCountyUrl?: string | null;
  fetchImpl?: typeof fetch;
  /** For the jitter; tests pass a seeded one. */
  random?: () => number;
}

export interface SyncRunResult {
  ok: boolean;
  skipped?: 'notEnrolled' | 'revoked';
  pushed: number;
  refused: number;
  pulled: number;
  uploaded: number;
  error: { code: string; message: string } | null;
  bytesSent: number;
}

type Progress = StationEventPayload<'sync.progress'>;

export class SyncEngine {
  readonly options: Required<Omit<SyncEngineOptions, 'fetchImpl' | 'defaultCountyUrl'>> & Pick<SyncEngineOptions, 'fetchImpl' | 'defaultCountyUrl'>;
  private running: Promise<SyncRunResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = true;
  progress: Progress = { phase: 'idle', done: 0, total: 0 };
  nextRunAt: number | null = null;

  constructor(private readonly core: StationCore, opts: SyncEngineOptions = {}) {
    this.options = {
      intervalMs: opts.intervalMs ?? 60_000,
      baseBackoffMs: opts.baseBackoffMs ?? 1_000,
      maxBackoffMs: opts.maxBackoffMs ?? 5 * 60_000,
      push: opts.push ?? DEFAULT_PUSH_LIMITS,
      pullLimit: opts.pullLimit ?? 500,
      timeoutMs: opts.timeoutMs ?? 60_000,
      random: opts.random ?? Math.random,
      fetchImpl: opts.fetchImpl,
      defaultCountyUrl: opts.defaultCountyUrl ?? null,
    };
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Starts periodic runs (the first one soon after start). */
  start(firstDelayMs = 1_000): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextRunAt = null;
    await this.running?.catch(() => undefined);
  }

  /** 立即同步: joins a run in progress rather than starting a second one; resets the backoff. */
  syncNow(): Promise<SyncRunResult> {
    if (this.running) return this.running;
    this.failures = 0;
    return this.run();
  }

  /** SP-51: full jitter — uniformly random in [0, min(cap, base·2^n)). */
  backoffDelay(failures: number): number {
    const ceiling = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** Math.min(failures - 1, 30));
    return Math.floor(this.options.random() * ceiling);
  }

  private schedule(delay: number): void {
    if (this.stopped || this.core.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextRunAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.syncNowFromTimer();
    }, delay);
    this.timer.unref?.();
  }

  private async syncNowFromTimer(): Promise<void> {
    if (this.running) return;
    await this.run().catch(() => undefined);
  }

  private emitProgress(p: Progress): void {
    this.progress = p;
    this.core.emit('sync.progress', p);
  }

  private run(): Promise<SyncRunResult> {
    const p = this.runOnce().finally(() => {
      this.running = null;
      // Announced only now: listeners read isRunning (sync.status, the sync thread's snapshot), and a run that said it
      // ended while still counted as running left the 立即同步 button spinning until the page's next poll.
      if (!this.core.closed) this.core.emit('status.changed', {});
    });
    this.running = p;
    void p.then((r) => {
      if (r.ok || r.skipped) this.failures = 0;
      else this.failures++;
      this.schedule(r.ok || r.skipped || r.error?.code === 'UNAUTHENTICATED' ? this.options.intervalMs : this.backoffDelay(this.failures));
    });
    return p;
  }

  /**
   * Pushes the outbox front in bounded batches until it is empty (rows written meanwhile go in later batches), with
   * a short pipeline of requests in flight (SP-28).
   */
  private async pushAll(db: StationCore['db'], transport: CountyTransport, clientId: string, result: SyncRunResult): Promise<void> {
    let total = outboxSize(db);
    if (total === 0) return;
    let done = 0;
    this.emitProgress({ phase: 'push', done, total, message: '正在上传本站变更' });
    await pushOutbox(db, transport, clientId, this.options.push, (step) => {
      done += step.sent;
      result.pushed += step.sent;
      result.refused += step.refused;
      total = Math.max(total, done + step.remaining);
      this.emitProgress({ phase: 'push', done: Math.min(done, total), total, message: '正在上传本站变更' });
    });
  }

  private async runOnce(): Promise<SyncRunResult> {
    const db = this.core.db;
    const result: SyncRunResult = { ok: false, pushed: 0, refused: 0, pulled: 0, uploaded: 0, error: null, bytesSent: 0 };
    const enrolment = readEnrolment(db);
    if (!enrolment) return { ...result, skipped: 'notEnrolled' };
    if (enrolment.revokedAt) return { ...result, skipped: 'revoked' };
    const transport = new CountyTransport({
      baseUrl: enrolment.countyUrl,
      credential: enrolment.credential,
      timeoutMs: this.options.timeoutMs,
      fetchImpl: this.options.fetchImpl,
    });
    try {
      await this.pushAll(db, transport, enrolment.clientId, result);
      this.core.emit('status.changed', {});
      // Pull until up to date (SP-37).
      this.emitProgress({ phase: 'pull', done: 0, total: 0, message: '正在下载县级数据' });
      for (let pages = 0; ; pages++) {
        const step = await pullPage(db, transport, enrolment.clientId, this.options.pullLimit);
        result.pulled += step.changes;
        this.emitProgress({ phase: 'pull', done: result.pulled, total: result.pulled + (step.hasMore ? this.options.pullLimit : 0), message: '正在下载县级数据' });
        if (!step.hasMore) break;
        if (pages > 100_000) throw new SyncFailure('retry', 'NO_PROGRESS', '县级数据分页异常，稍后重试。');
      }
      write(db, COUNTY_ACTOR, (tx) => retryPendingEffects(tx));
      // County decisions applied just now queued the case's new station state: send it in the same run, so the
      // county sees 已批准 without waiting for the next interval.
      await this.pushAll(db, transport, enrolment.clientId, result);
      const up = await uploadPending(db, this.core.dataDir, transport, (done, total) =>
        this.emitProgress({ phase: 'attachments', done, total, message: '正在上传扫描件' }),
      );
      result.uploaded = up.uploaded;
      result.ok = true;
      recordAttempt(db, new Date().toISOString(), null, true);
      this.core.connection.state = 'online';
      this.core.connection.lastSuccessAt = readSyncState(db).lastSuccessAt;
      this.emitProgress({ phase: 'done', done: result.pushed, total: result.pushed, message: '同步完成' });
    } catch (err) {
      const f =
        err instanceof SyncFailure ? err : new SyncFailure('retry', 'INTERNAL', '同步时发生内部错误，稍后重试。');
      if (!(err instanceof SyncFailure)) this.core.log.error({ err: (err as Error).message }, 'sync failed unexpectedly');
      else this.core.log.warn({ code: f.code, status: f.status }, 'sync failed');
      result.error = { code: f.code, message: f.message };
      if (this.core.closed) return result;
      const at = new Date().toISOString();
      if (f.kind === 'auth') markRevoked(db, at);
      recordAttempt(db, at, result.error, false);
      this.core.connection.state = f.code === 'NETWORK' ? 'offline' : 'online';
      this.emitProgress({ phase: 'error', done: 0, total: 0, message: f.message });
    } finally {
      result.bytesSent = transport.stats.bytesSent;
    }
    return result;
  }
}

const engines = new WeakMap<StationCore, SyncEngine>();

/** The core's engine, created on first use (without periodic runs until start()). */
export function syncEngineFor(core: StationCore, opts?: SyncEngineOptions): SyncEngine {
  let e = engines.get(core);
  if (!e) {
    e = new SyncEngine(core, opts);
    engines.set(core, e);
    // The status bar shows the last success from before this start, not "never".
    core.connection.lastSuccessAt = readSyncState(core.db).lastSuccessAt;
    const engine = e;
    core.onClose(() => engine.stop());
  }
  return e;
}
