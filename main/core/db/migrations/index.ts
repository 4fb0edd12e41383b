import m0001 from './0001_foundation';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every migration, one per file, in ascending order. Files are never edited once released: a change is a new file.
 * tests/unit/store/migrations.test.ts checks this list against the folder.
 */
export const MIGRATIONS: readonly Migration[] = [m0001];
