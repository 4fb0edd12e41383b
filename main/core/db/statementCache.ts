import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * Per-connection prepared-statement cache. Services call `db.prepare(sql)` inline at every use (simple to read, one
 * place per query); compiling the SQL each time was ~16% of an intake's CPU. Installing the cache makes `prepare`
 * return the already compiled statement for the same SQL text, so call sites stay as they are.
 *
 * Rules that keep a shared statement indistinguishable from a fresh one:
 * - A statement that is being iterated (`stmt.busy`: an open `.iterate()`) cannot be run again — better-sqlite3
 *   throws "This statement is busy executing a query". So a `prepare` of the same SQL during that iteration (a
 *   nested or re-entrant use) gets a fresh, uncached statement instead.
 * - `.pluck()`, `.raw()`, `.expand()` and `.safeIntegers()` change a statement for good; a cache hit switches them
 *   back off, so every caller starts from the defaults a fresh statement has. (`db.defaultSafeIntegers(true)` is not
 *   supported together with the cache: a hit resets safeIntegers to false.)
 * - `.bind()` fixes parameters for good and may be called once per statement: callers that bind must prepare with
 *   `prepareUncached`. No code in the station core binds.
 * - A statement kept in a variable is shared with every other caller of the same SQL: keep it for the duration of
 *   one call (as the services do), and re-apply `.pluck()`/`.raw()` where it is used rather than once up front.
 * The cache holds at most `max` statements (least recently used out), because some SQL is built per call (an
 * `IN (?, ?, …)` list of varying length) and would otherwise grow it without bound.
 */
export interface StatementCacheStats {
  hits: number;
  misses: number;
  /** Hits refused because the cached statement was being iterated. */
  busy: number;
  size: number;
}

type Prepare = Database.Database['prepare'];

const installed = new WeakMap<Database.Database, { stats: () => StatementCacheStats; uncached: Prepare }>();

export const DEFAULT_STATEMENT_CACHE_SIZE = 256;

export function installStatementCache(db: Database.Database, max = DEFAULT_STATEMENT_CACHE_SIZE): void {
  if (installed.has(db)) return;
  const uncached = db.prepare.bind(db) as Prepare;
  const cache = new Map<string, Database.Statement>();
  let hits = 0;
  let misses = 0;
  let busy = 0;
  const cached = (sql: string): Database.Statement => {
    const hit = cache.get(sql);
    if (hit) {
      if (hit.busy) {
        busy++;
        return uncached(sql);
      }
      hits++;
      // Most recently used last: Map iteration order is insertion order, so the first key is the eviction candidate.
      cache.delete(sql);
      cache.set(sql, hit);
      if (hit.reader) hit.pluck(false).raw(false).expand(false);
      hit.safeIntegers(false);
      return hit;
    }
    misses++;
    const stmt = uncached(sql);
    cache.set(sql, stmt);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    return stmt;
  };
  Object.defineProperty(db, 'prepare', { value: cached, configurable: true, writable: true });
  installed.set(db, { stats: () => ({ hits, misses, busy, size: cache.size }), uncached });
}

/** Hit/miss counts of the connection's cache (null when none is installed). */
export function statementCacheStats(db: Database.Database): StatementCacheStats | null {
  return installed.get(db)?.stats() ?? null;
}

/** A fresh statement that is never shared — for the rare caller that needs `.bind()` or owns the statement. */
export function prepareUncached(db: Database.Database, sql: string): Database.Statement {
  return (installed.get(db)?.uncached ?? db.prepare.bind(db))(sql);
}
