import type { Migration } from './index';

const migration: Migration = {
  version: 4,
  name: '0004_sync',
  sql: /* sql */ `
-- The enrolment with the county (docs/sync-protocol.md SP-5, SP-6). The credential sits in the encrypted store
-- (SQLCipher): never in a log, never in a plain file. One row: a station is enrolled with one county at a time.
CREATE TABLE sync_enrolment (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  county_url    TEXT NOT NULL,
  station_id    TEXT NOT NULL,
  station_code  TEXT NOT NULL,
  township      TEXT NOT NULL,
  client_id     TEXT NOT NULL,
  credential    TEXT NOT NULL,
  enrolled_at   TEXT NOT NULL,
  -- Set when the county answered 401 (SP-8): syncing stops until a new enrolment.
  revoked_at    TEXT
) STRICT;

-- Progress of sync. cursor is the county's opaque pull position (SP-31); confirmed_mutation_id the highest outbox
-- id the county has confirmed, which only ever grows (SP-22).
CREATE TABLE sync_state (
  id                     INTEGER PRIMARY KEY CHECK (id = 1),
  cursor                 TEXT,
  confirmed_mutation_id  INTEGER NOT NULL DEFAULT 0,
  last_success_at        TEXT,
  last_attempt_at        TEXT,
  last_error_code        TEXT,
  last_error             TEXT
) STRICT;
INSERT INTO sync_state (id) VALUES (1);

-- Mutations the county refused (rejected) or parked beside a county decision (conflict), SP-24 … SP-26. args is the
-- station's version, copied out of the outbox before the row is trimmed, so the reviewer can see and redo it.
-- resolution records what the reviewer did; it is also in the audit log.
CREATE TABLE sync_outcomes (
  mutation_id        INTEGER PRIMARY KEY,
  name               TEXT NOT NULL,
  args               TEXT,
  record_id          TEXT,
  status             TEXT NOT NULL CHECK (status IN ('rejected', 'conflict')),
  code               TEXT NOT NULL,
  message            TEXT NOT NULL,
  received_at        TEXT NOT NULL,
  resolution         TEXT CHECK (resolution IN ('discarded', 'retried', 'keptCounty', 'resubmitted')),
  resolution_reason  TEXT,
  resolved_by        TEXT,
  resolved_at        TEXT,
  requeued_as        INTEGER
) STRICT;
CREATE INDEX sync_outcomes_open ON sync_outcomes (mutation_id) WHERE resolution IS NULL;

-- Replica of county-owned rows as pulled (SP-33), exactly as the county sent them: case_county, policy_standard,
-- township_limit, village_list. The station projects them into its own tables (policy_standards, cases) as well.
CREATE TABLE county_rows (
  tbl        TEXT NOT NULL,
  key        TEXT NOT NULL,
  data       TEXT NOT NULL,
  pulled_at  TEXT NOT NULL,
  PRIMARY KEY (tbl, key)
) STRICT, WITHOUT ROWID;

-- What became of each county decision / economic-check result at the station: applied through the case state
-- machine (actor 'county'), or pending because the case is not (yet) in a state that accepts it, with the reason.
CREATE TABLE county_effects (
  case_id     TEXT NOT NULL,
  effect      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('applied', 'pending')),
  note        TEXT,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (case_id, effect)
) STRICT, WITHOUT ROWID;
CREATE INDEX county_effects_pending ON county_effects (case_id) WHERE status = 'pending';

-- Scans whose attachment.register the county has confirmed and whose bytes still have to be uploaded (SP-41).
CREATE TABLE attachment_uploads (
  sha256       TEXT PRIMARY KEY,
  size         INTEGER NOT NULL,
  mutation_id  INTEGER NOT NULL,
  uploaded_at  TEXT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT
) STRICT, WITHOUT ROWID;
`,
};

export default migration;
