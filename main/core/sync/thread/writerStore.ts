import Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../../db/open';

/**
 * Page cache of this connection, in MB (SQLite's default is 2 MB). A push reads a batch of outbox rows (≈ 2 MB for
 * 1,000 case records), and the same pages are read again when the county confirms the batch (the trim and its
 * attachment check) — by then, with two batches in flight (SP-28), a 2 MB cache had evicted them, and every page read
 * again is decrypted and authenticated again (SQLCipher: AES + HMAC-SHA512 per page; the HMAC was 16% of the station's
 * CPU in a 100k-record sync). 16 MB holds both batches in flight; 64 MB was no faster (bench/peers/sync.ts, issue 7).
 * Pages are held only once read, so a small sync uses little of it.
 */
const SYNC_PAGE_CACHE_MB = 16;

/**
 * The sync thread's own read-write connection to the encrypted station store: the cipher settings and key of
 * openStore (main/core/db/open.ts) and the same per-connection durability (synchronous = FULL), but no integrity
 * check and no migration — the main thread's openStore did both moments before on the same file. WAL (persistent in
 * the file) lets the main thread read while this connection writes; busy_timeout makes either side's writer wait for
 * the other's short transaction instead of failing.
 */
export function openWriterStore(file: string, keyHex: string, nativeBinding?: string): Db {
  if (!/^[0-9a-f]{64}$/i.test(keyHex)) throw new Error('sync thread: malformed store key');
  const db = new Database(file, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma(`legacy = 4`);
    db.pragma(`key = "x'${keyHex}'"`);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    const mode = db.pragma('journal_mode', { simple: true }) as string;
    if (mode !== 'wal') throw new Error(`sync thread: store is not in WAL mode (${mode})`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    db.pragma(`cache_size = -${SYNC_PAGE_CACHE_MB * 1024}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
