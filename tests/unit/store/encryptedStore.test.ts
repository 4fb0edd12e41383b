import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { openStore, StoreOpenError } from '../../../main/core/db/open';
import { envOrFileKeyProvider } from '../../../main/core/db/key';
import { SCHEMA_VERSION } from '../../../main/core/db/migrate';
import { trimOutbox } from '../../../main/core/services/outbox';
import { makeTempDir, randomKeyHex } from '../../support/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
function temp() {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}
const keyed = (dir: string, key: string) => ({ file: join(dir, 'station.db'), keys: envOrFileKeyProvider(dir, { STATION_DB_KEY: key }) });

describe('encrypted station store', () => {
  it('writes a file that is not readable as plain SQLite', () => {
    const dir = temp();
    const db = openStore(keyed(dir, randomKeyHex()));
    db.exec(`INSERT INTO meta (key, value) VALUES ('probe', '张三丰 430102199001011234')`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(join(dir, 'station.db'));
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
    expect(bytes.includes(Buffer.from('430102199001011234'))).toBe(false);
    expect(bytes.includes(Buffer.from('张三丰'))).toBe(false);
    // And a plain SQLite reader (no key) cannot make sense of it.
    const plain = new Database(join(dir, 'station.db'));
    expect(() => plain.prepare('SELECT * FROM sqlite_master').all()).toThrow();
    plain.close();
  });

  it('overwrites deleted content, except in outbox trims, which leave that setting as they found it', () => {
    const db = openStore(keyed(temp(), randomKeyHex()));
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    const insert = db.prepare(`INSERT INTO outbox (id, name, args, created_at) VALUES (?, 'person.save', '{}', '2026-11-24')`);
    for (let id = 1; id <= 5; id++) insert.run(id);
    expect(db.transaction(() => trimOutbox(db, 3)).immediate()).toBe(3);
    expect(db.prepare('SELECT id FROM outbox ORDER BY id').pluck().all()).toEqual([4, 5]);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
    db.close();
  });

  it('sets WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const db = openStore(keyed(temp(), randomKeyHex()));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses the wrong key with WRONG_KEY and leaves the file untouched', () => {
    const dir = temp();
    openStore(keyed(dir, randomKeyHex())).close();
    const before = readFileSync(join(dir, 'station.db'));
    const err = (() => {
      try {
        openStore(keyed(dir, randomKeyHex()));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(StoreOpenError);
    expect((err as StoreOpenError).reason).toBe('WRONG_KEY');
    expect(readFileSync(join(dir, 'station.db')).equals(before)).toBe(true);
  });

  it('refuses a store written by a newer version of the application', () => {
    const dir = temp();
    const key = randomKeyHex();
    const db = openStore(keyed(dir, key));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openStore(keyed(dir, key))).toThrow(/newer than this application supports/);
  });

  it('reports a damaged store at open and performs no writes', () => {
    const dir = temp();
    const key = randomKeyHex();
    const db = openStore(keyed(dir, key));
    db.exec('CREATE TABLE filler (x TEXT)');
    const ins = db.prepare('INSERT INTO filler VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) ins.run('x'.repeat(200) + i);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Damage a page in the middle (not the header page, so the key still opens the file).
    const file = join(dir, 'station.db');
    const fd = openSync(file, 'r+');
    const page = 4096;
    const garbage = Buffer.alloc(page, 0xab);
    writeSync(fd, garbage, 0, page, page * 20);
    closeSync(fd);
    const size = statSync(file).size;
    let error: unknown;
    try {
      openStore({ file, keys: envOrFileKeyProvider(dir, { STATION_DB_KEY: key }) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(['CORRUPT', 'WRONG_KEY']).toContain((error as StoreOpenError).reason);
    expect(statSync(file).size).toBe(size);
  });

  it('creates the key file with owner-only permissions and reuses it', () => {
    const dir = temp();
    const provider = envOrFileKeyProvider(dir, {});
    const k1 = provider.getKey();
    const k2 = envOrFileKeyProvider(dir, {}).getKey();
    expect(k1.equals(k2)).toBe(true);
    expect(k1.length).toBe(32);
    if (process.platform !== 'win32') expect(statSync(join(dir, 'station.key')).mode & 0o777).toBe(0o600);
  });

  it('rejects a malformed key from the environment with a precise message', () => {
    expect(() => envOrFileKeyProvider(temp(), { STATION_DB_KEY: 'abc' })).toThrow(/64 hexadecimal/);
  });
});

