import { PGlite } from '@electric-sql/pglite';
import { textParams } from './jsonbElements';
import { beginStatement, type CountyDb, type Queryable, type TransactionOptions } from './types';

/**
 * Embedded PostgreSQL (PGlite) in a data folder: the zero-set-up default. One session, so transactions run one at a
 * time; a local mutex keeps plain queries from interleaving with an open transaction.
 */
export async function openPglite(dataDir: string | undefined, template?: Blob): Promise<CountyDb & { dump(): Promise<Blob> }> {
  const pg = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...(template ? { loadDataDir: template } : {}) });
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };

  const direct: Queryable = {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await pg.query<R>(sql, textParams(params));
      return { rows: res.rows, rowCount: res.rows.length > 0 ? res.rows.length : (res.affectedRows ?? 0) };
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
  };

  return {
    kind: 'pglite',
    query: (sql, params) => exclusive(() => direct.query(sql, params)),
    // One session: a lookup takes its turn like any query.
    lookup: (sql, params) => exclusive(() => direct.query(sql, params)),
    exec: (sql) => exclusive(() => direct.exec(sql)),
    transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T> {
      return exclusive(async () => {
        await pg.query(beginStatement(options));
        try {
          const result = await fn(direct);
          await pg.query('COMMIT');
          return result;
        } catch (err) {
          await pg.query('ROLLBACK');
          throw err;
        }
      });
    },
    async close() {
      await exclusive(() => pg.close());
    },
    /** The whole data folder as a tarball (to clone a freshly migrated database, see open.ts). */
    dump: () => exclusive(() => pg.dumpDataDir('none')),
  };
}
