import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { COUNTY_NODE_FLAGS } from '../../server/nodeFlags';

/**
 * The county server as a separate OS process (scripts/county.ts `start`), for tests that kill it (-9), restart it on
 * the same data, or put a proxy in front of it. Resolves once the process printed its ready line.
 */

const ROOT = resolve(import.meta.dirname, '../..');

export interface CountyProcessOptions {
  /** Data folder (PGlite database and server.json). Reuse it to restart on the same data. */
  dataDir: string;
  /** Real PostgreSQL instead of PGlite. */
  databaseUrl?: string;
  /** 0 (default) picks a free port; pass the previous port to come back on the same address after a kill. */
  port?: number;
  /** Admin token for /admin; default a fresh random one (returned). */
  adminToken?: string;
  /**
   * 'tsx' (default) runs scripts/county.ts from source; 'dist' runs dist/server/county.mjs, which starts faster but
   * must have been built (`node scripts/build-main.mjs`) from the current source.
   */
  entry?: 'tsx' | 'dist';
  logLevel?: string;
  /** Node flags of the process; default COUNTY_NODE_FLAGS, as `npm run county` starts it. */
  nodeFlags?: readonly string[];
  /** Milliseconds to wait for the ready line. Default 60 s. */
  readyTimeoutMs?: number;
  env?: Record<string, string>;
}

export interface CountyProcess {
  url: string;
  port: number;
  pid: number;
  adminToken: string;
  child: ChildProcess;
  /** stderr and non-JSON stdout so far, for failure messages. */
  output(): string;
  /** SIGTERM and wait: the graceful path (requests in flight finish). */
  stop(): Promise<number | null>;
  /** SIGKILL and wait: the crash path. */
  kill9(): Promise<void>;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
}

export async function startCountyProcess(options: CountyProcessOptions): Promise<CountyProcess> {
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  const entry = options.entry ?? 'tsx';
  const script = entry === 'dist' ? join(ROOT, 'dist/server/county.mjs') : join(ROOT, 'scripts/county.ts');
  if (!existsSync(script)) throw new Error(`${script} not found${entry === 'dist' ? ' (run node scripts/build-main.mjs)' : ''}`);
  const args = [
    ...(options.nodeFlags ?? COUNTY_NODE_FLAGS),
    // Diagnostics only (e.g. COUNTY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"): Node refuses --cpu-prof in NODE_OPTIONS.
    ...(process.env.COUNTY_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
    ...(entry === 'tsx' ? ['--import', 'tsx'] : []),
    script,
    'start',
    '--data',
    options.dataDir,
    '--port',
    String(options.port ?? 0),
    ...(options.databaseUrl ? ['--database-url', options.databaseUrl] : []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, COUNTY_ADMIN_TOKEN: adminToken, COUNTY_LOG_LEVEL: options.logLevel ?? 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));

  const ready = await new Promise<{ url: string; pid: number }>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`county server did not become ready within ${options.readyTimeoutMs ?? 60_000} ms\n${log}`));
    }, options.readyTimeoutMs ?? 60_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { event?: string; url?: string; pid?: number };
        if (msg.event === 'ready' && msg.url) {
          clearTimeout(timer);
          res({ url: msg.url, pid: msg.pid ?? child.pid! });
          return;
        }
      } catch {
        // not a JSON line
      }
      log += `${line}\n`;
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`county server exited with ${code} before it was ready\n${log}`));
    });
  });

  return {
    url: ready.url,
    port: Number(new URL(ready.url).port),
    pid: ready.pid,
    adminToken,
    child,
    output: () => log,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
