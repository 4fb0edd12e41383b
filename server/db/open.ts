import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { CountyDb } from './types';

export interface OpenCountyDbOptions {
  /** PostgreSQL connection string; when absent, embedded PGlite in `<dataDir>/pgdata` (in memory without dataDir). */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
}

// Creating an embedded database runs initdb (seconds); loading a tarball of one takes a fraction of that. In-memory
// databases (tests, tools) are therefore cloned from the first one this process migrated, each with a fresh epoch.
let memoryTemplate: Promise<Blob> | null = null;

/** Opens and migrates the county database. */
export async function openCountyDb(options: OpenCountyDbOptions): Promise<CountyDb> {
  if (options.databaseUrl) return migrated(openPostgres(options.databaseUrl));
  if (options.dataDir) {
    const dir = join(options.dataDir, 'pgdata');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return migrated(await openPglite(dir));
  }
  const template = await memoryTemplate?.catch(() => null);
  if (template) {
    const db = await migrated(await openPglite(undefined, template));
    // A clone must not share the epoch of its template, or cursors of one database would be honoured by another.
    await db.query(`UPDATE county_meta SET value = replace(gen_random_uuid()::text, '-', '') WHERE key = 'epoch'`);
    return db;
  }
  const db = await openPglite(undefined);
  await migrated(db);
  memoryTemplate ??= db.dump();
  await memoryTemplate.catch(() => undefined);
  return db;
}

async function migrated(db: CountyDb): Promise<CountyDb> {
  try {
    await migrate(db);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
