export interface QueryOptions {
  /**
   * Keep the statement prepared on its connection, so that PostgreSQL parses and plans it once per connection instead
   * of at every call. For hot statements whose text has only a few variants: every value goes in `params`, never into
   * the text. Ignored by PGlite.
   */
  prepare?: boolean;
}

/** What services need from a database: parameterised queries, inside or outside a transaction. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<{ rows: R[]; rowCount: number }>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

export interface TransactionOptions {
  isolation?: Isolation;
  readOnly?: boolean;
}

/**
 * The county database, the same over a PostgreSQL pool (DATABASE_URL) and embedded PGlite (data folder).
 * `transaction` commits when fn resolves and rolls back when it throws; fn must use the handle it is given.
 */
export interface CountyDb extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * A short read outside any transaction (authentication) on connections of its own, so that it never queues behind
   * transactions waiting for their commit's fsync. Under a burst of pushes every request's credential lookup would
   * otherwise wait as long as a whole push (issue 7, county load).
   */
  lookup<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

/** BEGIN statement for the options; READ COMMITTED is PostgreSQL's default and ours. */
export function beginStatement(options: TransactionOptions = {}): string {
  const parts = ['BEGIN ISOLATION LEVEL', (options.isolation ?? 'read committed').toUpperCase()];
  if (options.readOnly) parts.push('READ ONLY');
  return parts.join(' ');
}
