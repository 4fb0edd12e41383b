import m0001 from './0001_foundation';
import m0002 from './0002_people';
import m0003 from './0003_cases';
import m0004 from './0004_sync';
import m0005 from './0005_payments';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Every migration, one per file, in ascending order. Files are never edited once released: a change is a new file.
 * tests/unit/store/migrations.test.ts checks this list against the folder.
 */
export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005];
