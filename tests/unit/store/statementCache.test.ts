import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { openStore } from '../../../main/core/db/open';
import { envOrFileKeyProvider } from '../../../main/core/db/key';
import {
  installStatementCache,
  prepareUncached,
  statementCacheStats,
} from '../../../main/core/db/statementCache';
import { makeTempDir, randomKeyHex } from '../../support/tempDir';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function memoryDb(max?: number): Database.Database {
  const db = new Database(':memory:');
  cleanups.push(() => db.close());
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
           INSERT INTO t (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c');`);
  installStatementCache(db, max);
  return db;
}

describe('statement cache', () => {
  it('is installed on every store openStore hands out', () => {
    const t = makeTempDir();
    cleanups.push(t.cleanup);
    const db = openStore({ file: join(t.dir, 'station.db'), keys: envOrFileKeyProvider(t.dir, { STATION_DB_KEY: randomKeyHex() }) });
    cleanups.unshift(() => db.close());
    const sql = 'SELECT count(*) AS n FROM persons';
    expect(db.prepare(sql)).toBe(db.prepare(sql));
    expect(statementCacheStats(db)).toMatchObject({ hits: expect.any(Number) as number, size: expect.any(Number) as number });
  });

  it('returns the compiled statement again for the same SQL text, and counts hits and misses', () => {
    const db = memoryDb();
    const sql = 'SELECT name FROM t WHERE id = ?';
    const first = db.prepare(sql);
    expect(db.prepare(sql)).toBe(first);
    expect(db.prepare('SELECT name FROM t WHERE id = ? ')).not.toBe(first);
    expect(statementCacheStats(db)).toEqual({ hits: 1, misses: 2, busy: 0, size: 2 });
    const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
    insert.run('d');
    db.prepare('INSERT INTO t (name) VALUES (?)').run('e');
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(5);
  });

  it('gives every caller the defaults: pluck, raw, expand and safeIntegers set by one caller do not leak', () => {
    const db = memoryDb();
    const sql = 'SELECT id, name FROM t WHERE id = ?';
    expect(db.prepare(sql).pluck().get(1)).toBe(1);
    expect(db.prepare(sql).get(1)).toEqual({ id: 1, name: 'a' });
    expect(db.prepare(sql).raw().get(2)).toEqual([2, 'b']);
    expect(db.prepare(sql).get(2)).toEqual({ id: 2, name: 'b' });
    expect(db.prepare(sql).expand().get(3)).toEqual({ t: { id: 3, name: 'c' } });
    expect(db.prepare(sql).get(3)).toEqual({ id: 3, name: 'c' });
    expect(db.prepare(sql).safeIntegers().get(1)).toEqual({ id: 1n, name: 'a' });
    expect(db.prepare(sql).get(1)).toEqual({ id: 1, name: 'a' });
  });

  it('hands out a fresh statement while the cached one is being iterated, so the same query can run nested', () => {
    const db = memoryDb();
    const sql = 'SELECT id FROM t ORDER BY id';
    const pairs: [number, number][] = [];
    for (const outer of db.prepare(sql).pluck().iterate() as IterableIterator<number>) {
      // Without the busy check this would be the statement being iterated: "This statement is busy executing a query".
      for (const inner of db.prepare(sql).pluck().iterate() as IterableIterator<number>) pairs.push([outer, inner]);
    }
    expect(pairs).toHaveLength(9);
    expect(pairs.slice(0, 3)).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    expect(statementCacheStats(db)?.busy).toBe(3);
    // After the outer loop ended, the cached statement is free again and reused.
    expect(db.prepare(sql).pluck().all()).toEqual([1, 2, 3]);
    expect(statementCacheStats(db)?.busy).toBe(3);
  });

  it('keeps at most max statements, dropping the least recently used', () => {
    const db = memoryDb(2);
    const a = db.prepare('SELECT 1');
    const b = db.prepare('SELECT 2');
    expect(db.prepare('SELECT 1')).toBe(a); // a is now the most recent
    db.prepare('SELECT 3'); // evicts b
    expect(statementCacheStats(db)?.size).toBe(2);
    expect(db.prepare('SELECT 1')).toBe(a);
    expect(db.prepare('SELECT 2')).not.toBe(b);
  });

  it('prepareUncached gives a statement of its own, which may bind parameters for good', () => {
    const db = memoryDb();
    const sql = 'SELECT name FROM t WHERE id = ?';
    const own = prepareUncached(db, sql);
    expect(own).not.toBe(db.prepare(sql));
    expect(own.bind(2).pluck().get()).toBe('b');
    expect(db.prepare(sql).pluck().get(3)).toBe('c');
  });

  it('installs once per connection', () => {
    const db = memoryDb();
    installStatementCache(db);
    const s = db.prepare('SELECT 1');
    expect(db.prepare('SELECT 1')).toBe(s);
    expect(statementCacheStats(db)?.hits).toBe(1);
  });
});
