import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL 15 cluster for tests, benchmarks and the fault harness: initdb into a temp folder, pg_ctl
 * start on a free loopback port, stop() removes it all. PostgreSQL refuses to run as root, so as root every binary
 * runs through `runuser -u postgres`. When the binaries are missing, `postgresSkipReason()` says why and tests skip
 * with that reason printed instead of failing.
 */

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresCluster {
  /** Connection string of the database created at start ('county_test'). */
  url: string;
  port: number;
  dataDir: string;
  /** Creates another empty database in this cluster (one per test suite keeps suites independent). */
  createDatabase(name: string): Promise<string>;
  /** Immediate shutdown and removal of the cluster folder. Idempotent. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** fsync/synchronous_commit off: for tests that do not measure or crash PostgreSQL itself. Default false. */
  fast?: boolean;
  database?: string;
}

/** Why a real PostgreSQL cannot run here, or null when it can. */
export function postgresSkipReason(): string | null {
  for (const bin of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(PG_BIN, bin))) return `PostgreSQL binaries not found (${join(PG_BIN, bin)} missing; apt may still be installing postgresql-15)`;
  }
  if (isRoot()) {
    const probe = spawnSync('runuser', ['-u', 'postgres', '--', 'true']);
    if (probe.status !== 0) return 'running as root but `runuser -u postgres` failed (no postgres system user?)';
  }
  return null;
}

/** Prints the skip reason once per process so a skipped real-PostgreSQL run is visible in the test output. */
export function reportPostgresSkip(context: string): string | null {
  const reason = postgresSkipReason();
  if (reason) console.warn(`[postgres] ${context}: skipped — ${reason}`);
  return reason;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function run(bin: string, args: string[]): string {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]] : [join(PG_BIN, bin), args];
  return execFileSync(cmd as string, argv as string[], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const reason = postgresSkipReason();
  if (reason) throw new Error(reason);
  const dataDir = mkdtempSync(join(tmpdir(), 'county-pg-'));
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
  }
  const pgdata = join(dataDir, 'data');
  run('initdb', ['-D', pgdata, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const settings = [
    `-c listen_addresses=127.0.0.1`,
    `-c unix_socket_directories=${dataDir}`,
    `-c max_connections=200`,
    `-c shared_buffers=128MB`,
    ...(options.fast ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
  ];
  let port: number;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      run('pg_ctl', ['-D', pgdata, '-l', join(dataDir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} ${settings.join(' ')}`, 'start']);
      break;
    } catch (err) {
      // Another process may have taken the port between probing and binding.
      if (attempt >= 3) {
        rmSync(dataDir, { recursive: true, force: true });
        throw err;
      }
    }
  }
  const base = `postgres://postgres@127.0.0.1:${port}`;
  let stopped = false;
  const cluster: PostgresCluster = {
    url: '',
    port,
    dataDir,
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `${base}/${name}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', pgdata, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already gone (killed by a fault test): nothing to stop.
      }
      if (!process.env.KEEP_TEST_DATA) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    cluster.url = await cluster.createDatabase(options.database ?? 'county_test');
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/** A throwaway cluster for a county under test, or undefined (with the reason printed) where PostgreSQL is absent. */
export async function startPostgresOrPglite(context: string): Promise<PostgresCluster | undefined> {
  const skip = postgresSkipReason();
  if (skip) {
    console.warn(`[${context}] real PostgreSQL unavailable (${skip}); the county runs on embedded PGlite`);
    return undefined;
  }
  return startPostgres({ fast: true });
}
