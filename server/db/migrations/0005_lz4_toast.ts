import type { Migration } from './index';

/**
 * Case records are ~2 KB of jsonb, just over the size at which PostgreSQL compresses a value before storing it
 * (TOAST). Its default method, pglz, is slow: storing 100k pushed cases spent about a fifth of PostgreSQL's CPU
 * compressing them. lz4 compresses ~8% less tightly and much faster, and reads (reports, dossiers) decompress faster
 * too (measured with bench/peers/syncFloor.ts). Only new values are written with lz4; old ones stay readable as they
 * are. A server built without lz4 (PGlite, some self-built PostgreSQL) keeps pglz: the block leaves it as it is.
 */
const migration: Migration = {
  version: 5,
  name: '0005_lz4_toast',
  sql: /* sql */ `
DO $do$
BEGIN
  ALTER TABLE cases ALTER COLUMN data SET COMPRESSION lz4;
  ALTER TABLE case_events ALTER COLUMN payload SET COMPRESSION lz4;
  ALTER TABLE persons ALTER COLUMN data SET COMPRESSION lz4;
  ALTER TABLE households ALTER COLUMN data SET COMPRESSION lz4;
  ALTER TABLE conflicts ALTER COLUMN station_version SET COMPRESSION lz4;
  ALTER TABLE conflicts ALTER COLUMN county_snapshot SET COMPRESSION lz4;
  ALTER TABLE change_log ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: jsonb values keep the default compression (pglz)';
END
$do$;
`,
};

export default migration;
