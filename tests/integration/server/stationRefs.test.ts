import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlState } from '../../../server/db/errors';
import { openCountyDb } from '../../../server/db/open';
import type { CountyDb } from '../../../server/db/types';
import { reportPostgresSkip, startPostgres, type PostgresCluster } from '../../support/postgres';
import { describeEachBackend, uniqueCode, uuid } from './harness';

// Migration 0006: persons, households and cases name their station through triggers that check once per statement,
// with the foreign key's guarantee (see the migration's comment). These tests hold the triggers to that guarantee.

const RECORD_TABLES = ['persons', 'households', 'cases'] as const;

async function newStation(db: CountyDb): Promise<string> {
  const id = uuid();
  await db.query('INSERT INTO stations (id, code, township) VALUES ($1, $2, $3)', [id, uniqueCode('REF'), '城关镇']);
  return id;
}

async function refusal(run: Promise<unknown>): Promise<string | undefined> {
  try {
    await run;
  } catch (err) {
    return sqlState(err) ?? `no SQLSTATE: ${String(err)}`;
  }
  return undefined;
}

async function countIds(db: CountyDb, table: string, ids: string[]): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
  return Number(rows[0]!.n);
}

describeEachBackend('station references of records (migration 0006)', (county) => {
  it('a statement whose rows name a station that does not exist is refused whole (23503)', async () => {
    const db = county().server.db;
    const station = await newStation(db);
    for (const table of RECORD_TABLES) {
      const ids = [uuid(), uuid(), uuid()];
      const insert = db.query(
        `INSERT INTO ${table} (id, station_id, data) VALUES ($1, $4, '{}'), ($2, $5, '{}'), ($3, $4, '{}')`,
        [...ids, station, uuid()],
      );
      expect(await refusal(insert), table).toBe('23503');
      expect(await countIds(db, table, ids), table).toBe(0);

      await db.query(`INSERT INTO ${table} (id, station_id, data) VALUES ($1, $3, '{}'), ($2, $3, '{}')`, [ids[0], ids[1], station]);
      expect(await countIds(db, table, ids), table).toBe(2);
    }
  });

  it("moving a record to a station that does not exist is refused; to one that does, it is allowed", async () => {
    const db = county().server.db;
    const [a, b] = [await newStation(db), await newStation(db)];
    for (const table of RECORD_TABLES) {
      const id = uuid();
      await db.query(`INSERT INTO ${table} (id, station_id, data) VALUES ($1, $2, '{}')`, [id, a]);
      expect(await refusal(db.query(`UPDATE ${table} SET station_id = $2 WHERE id = $1`, [id, uuid()])), table).toBe('23503');
      await db.query(`UPDATE ${table} SET station_id = $2 WHERE id = $1`, [id, b]);
      const { rows } = await db.query<{ station_id: string }>(`SELECT station_id FROM ${table} WHERE id = $1`, [id]);
      expect(rows[0]!.station_id, table).toBe(b);
    }
  });

  it('a station that records name cannot be deleted, re-keyed or truncated away; one that none name can be deleted', async () => {
    const db = county().server.db;
    for (const table of RECORD_TABLES) {
      const station = await newStation(db);
      await db.query(`INSERT INTO ${table} (id, station_id, data) VALUES ($1, $2, '{}')`, [uuid(), station]);
      expect(await refusal(db.query('DELETE FROM stations WHERE id = $1', [station])), table).toBe('23503');
      expect(await refusal(db.query('UPDATE stations SET id = $2 WHERE id = $1', [station, uuid()])), table).toBe('23503');
      expect(await countIds(db, 'stations', [station]), table).toBe(1);
    }
    const before = await db.query<{ n: string }>('SELECT count(*) AS n FROM stations');
    expect(await refusal(db.query('TRUNCATE stations CASCADE'))).toBe('23503');
    expect((await db.query<{ n: string }>('SELECT count(*) AS n FROM stations')).rows).toEqual(before.rows);

    const unused = await newStation(db);
    await db.query('UPDATE stations SET code = $2 WHERE id = $1', [unused, uniqueCode('RENAMED')]);
    await db.query('DELETE FROM stations WHERE id = $1', [unused]);
    expect(await countIds(db, 'stations', [unused])).toBe(0);
  });
});

// Two transactions at once need two connections: PostgreSQL only (PGlite has one).
const skip = reportPostgresSkip('station references under concurrency (migration 0006)');
describe.skipIf(skip !== null)('station references under concurrency (migration 0006) [postgres]', () => {
  let cluster: PostgresCluster;
  let db: CountyDb;
  let url: string;
  beforeAll(async () => {
    cluster = await startPostgres({ fast: true });
    url = await cluster.createDatabase('station_refs');
    db = await openCountyDb({ databaseUrl: url });
  });
  afterAll(async () => {
    await db?.close();
    await cluster?.stop();
  });

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  }

  /** Resolves once `pid`'s statement is waiting for a lock. */
  async function blockedOnLock(observer: pg.Client, pid: number): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const { rows } = await observer.query<{ w: string | null }>('SELECT wait_event_type AS w FROM pg_stat_activity WHERE pid = $1', [pid]);
      if (rows[0]?.w === 'Lock') return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`backend ${pid} never waited for a lock`);
  }

  it('a station cannot be deleted while a transaction that inserted its first record is still open', async () => {
    const station = await newStation(db);
    const [writer, remover, observer] = [await connect(), await connect(), await connect()];
    try {
      const caseId = uuid();
      await writer.query('BEGIN');
      await writer.query(`INSERT INTO cases (id, station_id, data) VALUES ($1, $2, '{}')`, [caseId, station]);
      const removerPid = (await remover.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const removal = refusal(remover.query('DELETE FROM stations WHERE id = $1', [station]));
      await blockedOnLock(observer, removerPid);
      await writer.query('COMMIT');
      expect(await removal).toBe('23503');
      expect(await countIds(db, 'stations', [station])).toBe(1);
      expect(await countIds(db, 'cases', [caseId])).toBe(1);
    } finally {
      await Promise.all([writer.end(), remover.end(), observer.end()]);
    }
  });

  it('a record cannot be inserted for a station whose deletion commits first', async () => {
    const station = await newStation(db);
    const [remover, writer, observer] = [await connect(), await connect(), await connect()];
    try {
      await remover.query('BEGIN');
      await remover.query('DELETE FROM stations WHERE id = $1', [station]);
      const writerPid = (await writer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const caseId = uuid();
      const insert = refusal(writer.query(`INSERT INTO cases (id, station_id, data) VALUES ($1, $2, '{}')`, [caseId, station]));
      await blockedOnLock(observer, writerPid);
      await remover.query('COMMIT');
      expect(await insert).toBe('23503');
      expect(await countIds(db, 'cases', [caseId])).toBe(0);
    } finally {
      await Promise.all([remover.end(), writer.end(), observer.end()]);
    }
  });
});
