import type Database from 'better-sqlite3-multiple-ciphers';
import { MIGRATIONS, type Migration } from './migrations';
import { StoreOpenError } from './errors';

/** Latest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export function checkMigrationList(list: readonly Migration[]): void {
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.version <= list[i - 1]!.version) {
      throw new Error(`migrations out of order: ${list[i - 1]!.name} then ${list[i]!.name}`);
    }
  }
}

/**
 * Applies pending migrations, each in its own transaction together with the version bump, so a crash leaves the
 * store at a whole version. A store written by a newer app is refused rather than guessed at.
 */
export function migrate(db: Database.Database, list: readonly Migration[] = MIGRATIONS): number {
  checkMigrationList(list);
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = list.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new StoreOpenError(
      'TOO_NEW',
      `store schema version ${current} is newer than this application supports (${latest}); install the newer version`,
    );
  }
  for (const m of list) {
    if (m.version <= current) continue;
    try {
      db.transaction(() => {
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } catch (err) {
      throw new StoreOpenError('MIGRATION_FAILED', `migration ${m.name} failed: ${(err as Error).message}`);
    }
  }
  return db.pragma('user_version', { simple: true }) as number;
}
