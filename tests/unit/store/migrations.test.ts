import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { MIGRATIONS } from '../../../main/core/db/migrations';
import { checkMigrationList } from '../../../main/core/db/migrate';

describe('migrations', () => {
  it('lists every migration file exactly once, in ascending order, version matching the file name', () => {
    const files = readdirSync('main/core/db/migrations')
      .filter((f) => /^\d{4}_.+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(MIGRATIONS.map((m) => m.name)).toEqual(files);
    for (const m of MIGRATIONS) expect(m.version).toBe(Number(m.name.slice(0, 4)));
    expect(() => checkMigrationList(MIGRATIONS)).not.toThrow();
  });

  it('refuses a list that is out of order', () => {
    expect(() =>
      checkMigrationList([
        { version: 2, name: '0002_b', sql: '' },
        { version: 1, name: '0001_a', sql: '' },
      ]),
    ).toThrow(/out of order/);
  });
});
