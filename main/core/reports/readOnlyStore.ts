import Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../db/open';

/**
 * A second, read-only connection to the encrypted station store for the report worker: same cipher settings and key
 * as openStore (main/core/db/open.ts), no migration, no writes (query_only). WAL lets it read a consistent snapshot
 * while the main connection keeps writing.
 */
export function openReadOnlyStore(file: string, keyHex: string, nativeBinding?: string): Db {
  if (!/^[0-9a-f]{64}$/i.test(keyHex)) throw new Error('report worker: malformed store key');
  const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma(`legacy = 4`);
    db.pragma(`key = "x'${keyHex}'"`);
    db.pragma('query_only = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    // Decrypted pages stay cached between jobs (the worker is kept warm): 64 MB holds a 300k-person township's cases,
    // households and payments, so a second report reads no page twice through the cipher.
    db.pragma('cache_size = -65536');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
