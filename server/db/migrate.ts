import { MIGRATIONS, type Migration } from './migrations';
import type { CountyDb } from './types';

/** Latest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`county database schema version ${found} is newer than this server supports (${supported}); run the newer server`);
    this.name = 'SchemaTooNewError';
  }
}

// Several county servers may start against one PostgreSQL at once; they take turns at migrating.
const MIGRATION_LOCK = 7_312_001;

export function checkMigrationList(list: readonly Migration[]): void {
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.version <= list[i - 1]!.version) {
      throw new Error(`migrations out of order: ${list[i - 1]!.name} then ${list[i]!.name}`);
    }
  }
}

/**
 * Brings the schema up to date, each migration in its own transaction with its version row, so a crash leaves a whole
 * version. A database written by a newer server is refused rather than guessed at. Returns the version reached.
 */
export async function migrate(db: CountyDb, list: readonly Migration[] = MIGRATIONS): Promise<number> {
  checkMigrationList(list);
  const latest = list.at(-1)?.version ?? 0;
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version     integer PRIMARY KEY,
      name        text NOT NULL,
      applied_at  timestamptz NOT NULL DEFAULT now()
    )`);
  });
  for (;;) {
    const step = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const current = await currentVersion(tx);
      if (current > latest) throw new SchemaTooNewError(current, latest);
      const next = list.find((m) => m.version > current);
      if (!next) return null;
      await tx.exec(next.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [next.version, next.name]);
      return next.version;
    });
    if (step === null) return currentVersion(db);
  }
}

async function currentVersion(q: Pick<CountyDb, 'query'>): Promise<number> {
  const { rows } = await q.query<{ v: number | string | null }>('SELECT max(version) AS v FROM schema_migrations');
  return Number(rows[0]?.v ?? 0);
}
