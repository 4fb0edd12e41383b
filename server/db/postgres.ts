import { availableParallelism } from 'node:os';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { beginStatement, type CountyDb, type Queryable, type QueryOptions, type TransactionOptions } from './types';

/**
 * PostgreSQL through a pg Pool. Each transaction holds one pooled connection from BEGIN to COMMIT; a connection that
 * failed mid-transaction is destroyed rather than returned, so the next caller never inherits an aborted session.
 */
/**
 * Connections for transactions: COUNTY_DB_POOL_SIZE, default twice the cores plus two (PostgreSQL's usual rule of
 * thumb). More connections than that only make the server's backends take turns on the same cores: on the 2-core
 * bench machine 6 connections carried ~10% more pushes per second than 10 or 16 (issue 7, bench:countyLoad).
 */
export function defaultPoolSize(): number {
  const configured = Number(process.env.COUNTY_DB_POOL_SIZE);
  return Number.isInteger(configured) && configured > 0 ? configured : 2 * availableParallelism() + 2;
}

export function openPostgres(connectionString: string, poolSize = defaultPoolSize(), lookupPoolSize = 2): CountyDb {
  const pool = new pg.Pool({ connectionString, max: poolSize, idleTimeoutMillis: 30_000 });
  const lookups = new pg.Pool({ connectionString, max: lookupPoolSize, idleTimeoutMillis: 30_000 });
  // An idle client whose server went away emits 'error' on the pool; without a listener that would crash the process.
  pool.on('error', () => undefined);
  lookups.on('error', () => undefined);

  const wrap = (client: pg.PoolClient | pg.Pool): Queryable => ({
    async query<R>(sql: string, params: readonly unknown[] = [], options?: QueryOptions) {
      const name = options?.prepare ? preparedName(sql) : undefined;
      const res = name ? await client.query({ name, text: sql, values: params as unknown[] }) : await client.query(sql, params as unknown[]);
      return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });

  return {
    kind: 'postgres',
    ...wrap(pool),
    lookup: wrap(lookups).query,
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
      await Promise.all([pool.end(), lookups.end()]);
    },
  };
}

/** Distinct statement texts kept prepared; past this, a text runs unprepared (a caller put values into its text). */
export const MAX_PREPARED_TEXTS = 64;
const preparedNames = new Map<string, string>();

/**
 * The name a statement text is prepared under on every connection: derived from the text, so two texts can never
 * share a name (node-postgres refuses that). Undefined once MAX_PREPARED_TEXTS texts have names: each prepared text
 * costs memory in every server backend for the life of its connection, so a text that keeps changing must not be.
 */
export function preparedName(sql: string): string | undefined {
  const known = preparedNames.get(sql);
  if (known || preparedNames.size >= MAX_PREPARED_TEXTS) return known;
  const name = `county_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
  preparedNames.set(sql, name);
  return name;
}

function isSqlError(err: unknown): boolean {
  return typeof (err as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((err as { code: string }).code);
}
