import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface RunningWebHost {
  url: string;
  openUrl: string;
  process: ChildProcess;
  /** SIGTERM (graceful) by default; SIGKILL to simulate a crash or power cut. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const ENTRY = 'dist/main/web-host.mjs';

/** Starts the real browser host (built by `npm run build`) as its own process on a random loopback port. */
export async function startWebHost(dataDir: string, keyHex: string, extraEnv: Record<string, string> = {}): Promise<RunningWebHost> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} missing: run "npm run build" before the end-to-end tests`);
  const child = spawn(process.execPath, [ENTRY], {
    env: { ...process.env, STATION_DATA_DIR: dataDir, STATION_DB_KEY: keyHex, STATION_LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<{ url: string; openUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start in 30 s: ${stderr}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const msg = JSON.parse(line) as { event: string; url: string; openUrl: string };
      if (msg.event === 'station-web-host-ready') {
        clearTimeout(timer);
        resolve(msg);
      }
    });
  });
  return {
    ...ready,
    process: child,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
