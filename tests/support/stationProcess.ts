import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A station core in its own OS process (main/core/sync/worker.ts, built to dist/main/sync-worker.mjs), driven by
 * JSON lines: the fault harness kills it with SIGKILL at random points and starts it again on the same data.
 */

const ROOT = resolve(import.meta.dirname, '../..');
export const WORKER = join(ROOT, 'dist/main/sync-worker.mjs');

export interface StationProcess {
  pid: number;
  /** integrity_check of the store as the process opened it. */
  integrity: string;
  send<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  /** Sends without waiting for the answer (to kill the process while it works). */
  fire(op: string, args?: Record<string, unknown>): void;
  kill9(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

export async function startStationProcess(dataDir: string, keyHex: string, env: Record<string, string> = {}): Promise<StationProcess> {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} missing: run node scripts/build-main.mjs`);
  const child: ChildProcess = spawn(process.execPath, [WORKER], {
    cwd: ROOT,
    env: { ...process.env, STATION_DATA_DIR: dataDir, STATION_DB_KEY: keyHex, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  let ready: (v: { integrity: string }) => void;
  let failed: (e: Error) => void;
  const readyP = new Promise<{ integrity: string }>((res, rej) => {
    ready = res;
    failed = rej;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let msg: { event?: string; ok?: boolean; value?: unknown; error?: string; integrity?: string };
    try {
      msg = JSON.parse(line);
    } catch {
      log += `${line}\n`;
      return;
    }
    if (msg.event === 'ready') return ready({ integrity: msg.integrity ?? '' });
    if (msg.event === 'failed') return failed(new Error(`station process failed to start: ${msg.error}`));
    const w = waiting.shift();
    if (!w) return;
    if (msg.ok) w.resolve(msg.value);
    else w.reject(new Error(msg.error ?? 'station command failed'));
  });
  void exited.then(() => {
    failed?.(new Error(`station process exited before ready\n${log}`));
    for (const w of waiting.splice(0)) w.reject(new Error('station process exited'));
  });
  const { integrity } = await readyP;
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid!,
    integrity,
    send<T>(op: string, args: Record<string, unknown> = {}) {
      return new Promise<T>((res, rej) => {
        if (!alive()) return rej(new Error('station process is not running'));
        waiting.push({ resolve: res as (v: unknown) => void, reject: rej });
        child.stdin!.write(`${JSON.stringify({ op, ...args })}\n`);
      });
    },
    fire(op, args = {}) {
      if (!alive()) return;
      waiting.push({ resolve: () => undefined, reject: () => undefined });
      child.stdin!.write(`${JSON.stringify({ op, ...args })}\n`);
    },
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (alive()) child.stdin!.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    output: () => log,
  };
}
