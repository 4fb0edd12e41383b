import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMigrationList, migrate, SchemaTooNewError, SCHEMA_VERSION } from '../../../server/db/migrate';
import { openCountyDb } from '../../../server/db/open';
import { MAX_PREPARED_TEXTS, preparedName } from '../../../server/db/postgres';
import type { CountyDb } from '../../../server/db/types';
import { readFeedPosition } from '../../../server/services/changeLog';
import { caseUpsert } from '../../../server/services/recordWrites';
import { createStation, listStations } from '../../../server/services/stations';
import { reportPostgresSkip, startPostgres, type PostgresCluster } from '../../support/postgres';
import { makeTempDir } from '../../support/tempDir';

// server/db: one abstraction over PGlite and PostgreSQL, migrations in order, newer schemas refused.

async function refusesNewerSchema(db: CountyDb) {
  await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [SCHEMA_VERSION + 1, '9999_from_the_future']);
  await expect(migrate(db)).rejects.toBeInstanceOf(SchemaTooNewError);
  await expect(migrate(db)).rejects.toThrow(/newer than this server supports/);
}

/** Stores a ~6 KB case record (over the TOAST threshold) and answers how PostgreSQL compressed it, checking it reads back whole. */
async function storedCompression(db: CountyDb): Promise<string | null> {
  const { station } = await createStation(db, { code: `TOAST${Date.now() % 100000}`, township: '城关镇' });
  const id = '0193b9c4-0000-7000-8000-00000000a001';
  const data = { id, state: 'accepted', notes: Array.from({ length: 60 }, (_, i) => `第${i}次入户调查：家庭收入低于当地低保标准，申请人患慢性病。`) };
  const write = caseUpsert([{ id, data, state: 'accepted' }], station.id);
  await db.query(write.sql, write.params);
  const { rows } = await db.query<{ method: string | null; data: unknown }>('SELECT pg_column_compression(data) AS method, data FROM cases WHERE id = $1', [id]);
  expect(rows[0]!.data).toEqual(data);
  return rows[0]!.method;
}

describe('county database (PGlite)', () => {
  it('in-memory databases are independent and each has its own epoch', async () => {
    const a = await openCountyDb({});
    const b = await openCountyDb({});
    const c = await openCountyDb({});
    try {
      await createStation(a, { code: 'ONLY-A', township: '城关镇' });
      expect((await listStations(b)).map((s) => s.code)).toEqual([]);
      const epochs = new Set([(await readFeedPosition(a)).epoch, (await readFeedPosition(b)).epoch, (await readFeedPosition(c)).epoch]);
      expect(epochs.size).toBe(3);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('a data folder keeps its data across opens and refuses a schema from a newer server', async () => {
    const tmp = makeTempDir('county-db-');
    try {
      const first = await openCountyDb({ dataDir: tmp.dir });
      await createStation(first, { code: 'KEEP', township: '城关镇' });
      const epoch = (await readFeedPosition(first)).epoch;
      await first.close();
      const second = await openCountyDb({ dataDir: tmp.dir });
      expect((await listStations(second)).map((s) => s.code)).toEqual(['KEEP']);
      expect((await readFeedPosition(second)).epoch).toBe(epoch);
      await refusesNewerSchema(second);
      await second.close();
    } finally {
      tmp.cleanup();
    }
  });

  it('rolls a failed transaction back completely', async () => {
    const db = await openCountyDb({});
    try {
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO stations (id, code, township) VALUES (gen_random_uuid(), 'GONE', '城关镇')`);
          await tx.query('SELECT 1/0');
        }),
      ).rejects.toThrow();
      expect(await listStations(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('a server without lz4 keeps the default TOAST compression (migration 0005 leaves it as it is)', async () => {
    const db = await openCountyDb({});
    try {
      expect(await storedCompression(db)).toBe('pglz');
    } finally {
      await db.close();
    }
  });

  it('a migration list out of order is refused', () => {
    expect(() => checkMigrationList([{ version: 2, name: 'b', sql: '' }, { version: 1, name: 'a', sql: '' }])).toThrow(/out of order/);
  });
});

const skip = reportPostgresSkip('county database (PostgreSQL)');
describe.skipIf(skip !== null)('county database (PostgreSQL)', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres({ fast: true });
  });
  afterAll(async () => cluster?.stop());

  it('servers starting at once migrate once; a newer schema is refused', async () => {
    const url = await cluster.createDatabase('migrate_race');
    const dbs = await Promise.all([1, 2, 3].map(() => openCountyDb({ databaseUrl: url })));
    try {
      const { rows } = await dbs[0]!.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
      expect(Number(rows[0]!.n)).toBe(SCHEMA_VERSION);
      await refusesNewerSchema(dbs[0]!);
    } finally {
      await Promise.all(dbs.map((d) => d.close()));
    }
  });

  it('large case records are compressed with lz4 (migration 0005) and read back whole', async () => {
    const db = await openCountyDb({ databaseUrl: await cluster.createDatabase('lz4_toast') });
    try {
      expect(await storedCompression(db)).toBe('lz4');
    } finally {
      await db.close();
    }
  });

  it('a statement run with prepare is prepared on its connection once and answers as an unprepared one', async () => {
    const db = await openCountyDb({ databaseUrl: await cluster.createDatabase('prepared') });
    try {
      const sql = 'SELECT $1::int + 1 AS n, (SELECT count(*)::int FROM pg_prepared_statements WHERE name = $2) AS prepared';
      const name = preparedName(sql)!;
      // One transaction, so that every call uses the same connection.
      await db.transaction(async (tx) => {
        expect((await tx.query(sql, [1, name])).rows[0]).toEqual({ n: 2, prepared: 0 });
        expect((await tx.query(sql, [1, name], { prepare: true })).rows[0]).toEqual({ n: 2, prepared: 1 });
        expect((await tx.query(sql, [41, name], { prepare: true })).rows[0]).toEqual({ n: 42, prepared: 1 });
      });
    } finally {
      await db.close();
    }
  });

  it('an unreachable database fails the transaction and frees the connection', async () => {
    const url = await cluster.createDatabase('broken_conn');
    const db = await openCountyDb({ databaseUrl: url });
    try {
      await expect(
        db.transaction(async (tx) => {
          await tx.query('SELECT pg_terminate_backend(pg_backend_pid())');
        }),
      ).rejects.toThrow();
      // The pool hands out a healthy connection afterwards.
      expect((await db.query<{ x: number }>('SELECT 1 AS x')).rows[0]!.x).toBe(1);
    } finally {
      await db.close();
    }
  });
});

describe('prepared statement names', () => {
  // Last in this file: it fills the table of names.
  it('one name per text, never shared; texts past the bound run unprepared', () => {
    const a = preparedName('SELECT 1 AS bound_a');
    expect(a).toMatch(/^county_[0-9a-f]{24}$/);
    expect(preparedName('SELECT 1 AS bound_a')).toBe(a);
    expect(preparedName('SELECT 1 AS bound_b')).not.toBe(a);
    for (let i = 0; i < MAX_PREPARED_TEXTS; i++) preparedName(`SELECT ${i} AS bound_fill`);
    expect(preparedName('SELECT 1 AS bound_late')).toBeUndefined();
    expect(preparedName('SELECT 1 AS bound_a')).toBe(a);
  });
});
