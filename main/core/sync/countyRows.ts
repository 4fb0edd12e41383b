import type { Db } from '../db/open';

/**
 * The county-owned rows a station holds as pulled (county_rows, one per feed table and key). A leaf module: screens
 * that show county data (case detail, 同步) read through it without importing the pull machinery.
 */
export function readCountyRow<T>(db: Db, tbl: string, key: string): T | null {
  const r = db.prepare('SELECT data FROM county_rows WHERE tbl = ? AND key = ?').get(tbl, key) as { data: string } | undefined;
  return r ? (JSON.parse(r.data) as T) : null;
}
