import Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../../db/open';

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
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
