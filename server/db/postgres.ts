import pg from 'pg';
import { beginStatement, type CountyDb, type Queryable, type TransactionOptions } from './types';

/**
 * PostgreSQL through a pg Pool. Each transaction holds one pooled connection from BEGIN to COMMIT; a connection that
 * failed mid-transaction is destroyed rather than returned, so the next caller never inherits an aborted session.
 */
export function openPostgres(connectionString: string, poolSize = 10): CountyDb {
  const pool = new pg.Pool({ connectionString, max: poolSize, idleTimeoutMillis: 30_000 });
  // An idle client whose server went away emits 'error' on the pool; without a listener that would crash the process.
  pool.on('error', () => undefined);

  const wrap = (client: pg.PoolClient | pg.Pool): Queryable => ({
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await client.query(sql, params as unknown[]);
      return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });

  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client whose server goes away emits 'error'; unheard, that would crash the county process.
      const onError = (err: Error) => {
        broken ??= err;
      };
      client.on('error', onError);
      try {
        await client.query(beginStatement(options));
        try {
          const result = await fn(wrap(client));
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch((rollbackErr: Error) => {
            broken = rollbackErr;
          });
          throw err;
        }
      } catch (err) {
        if (!isSqlError(err)) broken ??= err as Error;
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

function isSqlError(err: unknown): boolean {
  return typeof (err as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((err as { code: string }).code);
}
