import type { Migration } from './index';

/**
 * persons, households and cases: which station a record belongs to is checked once per statement, not once per row.
 *
 * Why: these are the tables a push writes a thousand rows at a time, all of one station (docs/sync-protocol.md SP-29).
 * PostgreSQL checks a foreign key with one query per inserted row (`SELECT … FROM stations … FOR KEY SHARE`), which
 * was about a tenth of the database's CPU for 100k pushed cases (issue 7; bench/peers/sync.ts, alternated runs).
 *
 * The guarantee stays the foreign key's, enforced by triggers instead:
 *   - rows inserted into the three tables: after each statement, every station they name must exist, and those
 *     stations are locked FOR KEY SHARE until commit, as the foreign key locked them row by row;
 *   - an update that changes a row's station_id: checked and locked the same way, row by row (the county never
 *     does it; the pushes' upserts leave station_id alone, so this trigger does not fire for them);
 *   - deleting a station, or changing its id, while any of the three tables names it is refused. This check runs
 *     after the row is changed, as the foreign key's did: by then a concurrent insert holding the lock has
 *     committed and is seen;
 *   - TRUNCATE of stations is refused while the three tables name any station (the foreign key refused it
 *     without CASCADE, and CASCADE no longer reaches these tables).
 * Violations raise SQLSTATE 23503 (foreign_key_violation), as before.
 */
const migration: Migration = {
  version: 6,
  name: '0006_station_refs_per_statement',
  sql: /* sql */ `
ALTER TABLE persons DROP CONSTRAINT persons_station_id_fkey;
ALTER TABLE households DROP CONSTRAINT households_station_id_fkey;
ALTER TABLE cases DROP CONSTRAINT cases_station_id_fkey;

CREATE FUNCTION county_station_refs_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  missing uuid;
BEGIN
  PERFORM 1 FROM stations WHERE id IN (SELECT station_id FROM new_rows) FOR KEY SHARE;
  SELECT n.station_id INTO missing FROM new_rows n
   WHERE NOT EXISTS (SELECT 1 FROM stations s WHERE s.id = n.station_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'insert into "%" names station %, which does not exist', TG_TABLE_NAME, missing
      USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, COLUMN = 'station_id';
  END IF;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION county_station_ref_updated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM 1 FROM stations WHERE id = NEW.station_id FOR KEY SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'update of "%" names station %, which does not exist', TG_TABLE_NAME, NEW.station_id
      USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, COLUMN = 'station_id';
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER persons_station_inserted AFTER INSERT ON persons
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION county_station_refs_inserted();
CREATE TRIGGER households_station_inserted AFTER INSERT ON households
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION county_station_refs_inserted();
CREATE TRIGGER cases_station_inserted AFTER INSERT ON cases
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION county_station_refs_inserted();

CREATE TRIGGER persons_station_updated AFTER UPDATE OF station_id ON persons
  FOR EACH ROW WHEN (OLD.station_id IS DISTINCT FROM NEW.station_id) EXECUTE FUNCTION county_station_ref_updated();
CREATE TRIGGER households_station_updated AFTER UPDATE OF station_id ON households
  FOR EACH ROW WHEN (OLD.station_id IS DISTINCT FROM NEW.station_id) EXECUTE FUNCTION county_station_ref_updated();
CREATE TRIGGER cases_station_updated AFTER UPDATE OF station_id ON cases
  FOR EACH ROW WHEN (OLD.station_id IS DISTINCT FROM NEW.station_id) EXECUTE FUNCTION county_station_ref_updated();

CREATE FUNCTION county_station_still_named(station uuid) RETURNS boolean LANGUAGE sql STABLE AS $fn$
  SELECT EXISTS (SELECT 1 FROM persons WHERE station_id = station)
      OR EXISTS (SELECT 1 FROM households WHERE station_id = station)
      OR EXISTS (SELECT 1 FROM cases WHERE station_id = station)
$fn$;

CREATE FUNCTION county_station_removed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF county_station_still_named(OLD.id) THEN
    RAISE EXCEPTION 'station % still has records (persons, households or cases)', OLD.id
      USING ERRCODE = 'foreign_key_violation', TABLE = 'stations';
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER stations_deleted AFTER DELETE ON stations
  FOR EACH ROW EXECUTE FUNCTION county_station_removed();
CREATE TRIGGER stations_rekeyed AFTER UPDATE OF id ON stations
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION county_station_removed();

CREATE FUNCTION county_stations_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF EXISTS (SELECT 1 FROM persons) OR EXISTS (SELECT 1 FROM households) OR EXISTS (SELECT 1 FROM cases) THEN
    RAISE EXCEPTION 'stations cannot be truncated while persons, households or cases name them'
      USING ERRCODE = 'foreign_key_violation', TABLE = 'stations';
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER stations_truncated BEFORE TRUNCATE ON stations
  FOR EACH STATEMENT EXECUTE FUNCTION county_stations_truncated();
`,
};

export default migration;
