import Database from 'better-sqlite3-multiple-ciphers';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyProvider } from './key';
import { migrate } from './migrate';
import { StoreOpenError } from './errors';
import { installStatementCache } from './statementCache';

export { StoreOpenError };

export type Db = Database.Database;

/** Upper bound of the per-connection page cache (decrypted pages), in MiB. */
export const PAGE_CACHE_MB = 64;

export interface OpenOptions {
  file: string;
  keys: KeyProvider;
  /** Electron needs the build made for its ABI; plain Node uses the default. */
  nativeBinding?: string;
}

/**
 * Opens (or creates) the encrypted station store. Refuses to hand out a handle that could make things worse:
 * a wrong key, a failed integrity check (quick_check) or a schema from a newer app version all throw before any write.
 */
export function openStore(opts: OpenOptions): Db {
  mkdirSync(dirname(opts.file), { recursive: true });
  const db = new Database(opts.file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    // SQLCipher v4 format: a well-known, audited scheme whose files other tools can open with the key.
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma(`legacy = 4`);
    db.pragma(`key = "x'${opts.keys.getKey().toString('hex')}'"`);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch {
      throw new StoreOpenError('WRONG_KEY', `store ${opts.file} cannot be decrypted with the ${opts.keys.description}`);
    }
    // quick_check, not integrity_check: it reads every page (so SQLCipher authenticates every page: a torn, truncated
    // or altered page fails its HMAC) and checks every b-tree and record, skipping only the index-against-table
    // cross-check, which a power cut cannot break. On a 300k-person store it takes ~2 s where integrity_check took
    // 21–25 s — at every start of the counter PC. The fault harness still runs the full integrity_check after each kill.
    let check: { quick_check: string }[];
    try {
      check = db.pragma('quick_check', { simple: false }) as { quick_check: string }[];
    } catch (err) {
      throw new StoreOpenError('CORRUPT', `quick_check could not complete for ${opts.file}: ${(err as Error).message}`);
    }
    if (check.length !== 1 || check[0]?.quick_check !== 'ok') {
      throw new StoreOpenError(
        'CORRUPT',
        `quick_check failed for ${opts.file}: ${check
          .slice(0, 3)
          .map((r) => r.quick_check)
          .join('; ')}`,
      );
    }
    // WAL + FULL: a commit survives power loss; readers never block the writer.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    // Deleted personal data is overwritten, not merely unlinked (the build's default, made explicit). The outbox
    // trim is the one exception (services/outbox.ts trimOutbox).
    db.pragma('secure_delete = ON');
    // Page cache of PAGE_CACHE_MB instead of SQLite's 2 MB: every page read from disk must be decrypted and
    // authenticated (SQLCipher: AES + HMAC per page), so a search page of 50 people (≈ 100 random pages) was
    // mostly decryption. Pages are only held once read: memory grows with what is used, up to this bound.
    db.pragma(`cache_size = -${PAGE_CACHE_MB * 1024}`);
    migrate(db);
    installStatementCache(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
