import type { Migration } from './index';

/**
 * The one-statement push (docs/sync-protocol.md SP-29) must write all of its batch or nothing. When one of its writes
 * is refused (another station's record, a decided case), it calls this function, whose error aborts the whole
 * statement; the county then runs the batch the long way, which answers each mutation exactly.
 */
const migration: Migration = {
  version: 4,
  name: '0004_push_refused',
  sql: /* sql */ `
CREATE FUNCTION county_push_refused() RETURNS boolean LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'one-statement push refused: a record of the batch needs the batch path' USING ERRCODE = 'P0001';
END
$fn$;
`,
};

export default migration;
