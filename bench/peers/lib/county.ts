/**
 * The county side for benchmarks: a real PostgreSQL 15 cluster (durable: fsync on, the test support's default) and
 * the county server as its own OS process (scripts/county.ts under tsx, the same entry `npm run county` builds), so
 * that the server's CPU is not the benchmark process's. Without PostgreSQL binaries it falls back to PGlite and says
 * so in `database`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../../../tests/support/postgres';
import { postmasterPid, treeCpuSeconds, type CpuSeconds } from '../../lib/cpu';
import { startCountyProcess, type CountyProcess } from '../../../tests/support/countyProcess';

export interface BenchCounty {
  url: string;
  port: number;
  adminToken: string;
  /** 'postgres (fsync on)' or 'pglite (…reason)'. */
  database: string;
  process: CountyProcess;
  /** CPU seconds so far of the county process and of PostgreSQL (postmaster + backends; 0 on PGlite). */
  cpuSeconds(): { county: CpuSeconds; postgres: CpuSeconds };
  /** A new station and its one-time enrolment code, through the admin API. */
  newStation(code: string, township?: string): Promise<{ stationId: string; enrolmentCode: string }>;
  stop(): Promise<void>;
}

export async function startBenchCounty(): Promise<BenchCounty> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-county-'));
  const skip = postgresSkipReason();
  let pg: PostgresCluster | null = null;
  if (!skip) pg = await startPostgres({ database: 'county_bench' });
  else console.log(`  PostgreSQL unavailable (${skip}): using PGlite`);
  const proc = await startCountyProcess({
    dataDir,
    ...(pg ? { databaseUrl: pg.url } : {}),
    logLevel: 'warn',
    readyTimeoutMs: 120_000,
  });
  const admin = { authorization: `Bearer ${proc.adminToken}`, 'content-type': 'application/json' };
  return {
    url: proc.url,
    port: proc.port,
    adminToken: proc.adminToken,
    database: pg ? 'PostgreSQL 15 (fsync on, synchronous_commit on)' : `PGlite (${skip})`,
    process: proc,
    cpuSeconds() {
      const pm = pg ? postmasterPid(join(pg.dataDir, 'data')) : null;
      return { county: treeCpuSeconds(proc.pid), postgres: pm ? treeCpuSeconds(pm) : { user: 0, sys: 0 } };
    },
    async newStation(code, township = '城关镇') {
      const res = await fetch(`${proc.url}/admin/stations`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ code, township }),
      });
      if (res.status !== 201) throw new Error(`create station ${code}: HTTP ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { station: { id: string }; enrolment: { code: string } };
      return { stationId: body.station.id, enrolmentCode: body.enrolment.code };
    },
    async stop() {
      await proc.stop().catch(() => undefined);
      await pg?.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
