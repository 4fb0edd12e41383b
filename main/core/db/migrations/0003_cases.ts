import type { Migration } from './index';

const migration: Migration = {
  version: 3,
  name: '0003_cases',
  sql: /* sql */ `
-- One row per application. snapshot is the state machine's full snapshot (shared/domain/caseMachine.ts) as JSON;
-- state, due_date and the flags beside it are copies kept for lists, filters and the no-double-benefit check.
CREATE TABLE cases (
  id                TEXT PRIMARY KEY,
  case_number       TEXT NOT NULL UNIQUE,
  item_code         TEXT NOT NULL,
  sub_kind          TEXT,
  cause             TEXT,
  applicant_id      TEXT NOT NULL REFERENCES persons (id),
  household_id      TEXT REFERENCES households (id),
  state             TEXT NOT NULL,
  is_open           INTEGER NOT NULL CHECK (is_open IN (0, 1)),
  is_active         INTEGER NOT NULL CHECK (is_active IN (0, 1)),
  due_date          TEXT,
  snapshot          TEXT NOT NULL,
  -- Why the clerk went on despite a no-double-benefit warning; null when there was none.
  duplicate_reason  TEXT,
  county_version    INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_by        TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX cases_applicant_item ON cases (applicant_id, item_code);
CREATE INDEX cases_state ON cases (state, created_at);
CREATE INDEX cases_item ON cases (item_code, created_at);
CREATE INDEX cases_household ON cases (household_id);
CREATE INDEX cases_due ON cases (due_date) WHERE is_open = 1;

-- Daily sequence for human case numbers (station code + YYYYMMDD + 4 digits), allocated inside the write.
CREATE TABLE case_number_seq (
  day   TEXT PRIMARY KEY,
  last  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The timeline: every action the machine accepted, in order. Append-only like the audit log.
CREATE TABLE case_events (
  id          TEXT PRIMARY KEY,
  case_id     TEXT NOT NULL REFERENCES cases (id),
  seq         INTEGER NOT NULL,
  action      TEXT NOT NULL,
  from_state  TEXT,
  to_state    TEXT NOT NULL,
  payload     TEXT NOT NULL,
  actor_id    TEXT,
  actor_name  TEXT NOT NULL,
  actor_role  TEXT NOT NULL,
  at          TEXT NOT NULL,
  UNIQUE (case_id, seq)
) STRICT;
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
  BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
  BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END;

-- The item's checklist copied at creation (the catalogue may change later; the case keeps what was asked).
CREATE TABLE case_materials (
  case_id       TEXT NOT NULL REFERENCES cases (id),
  material_key  TEXT NOT NULL,
  name          TEXT NOT NULL,
  required      INTEGER NOT NULL CHECK (required IN (0, 1)),
  position      INTEGER NOT NULL,
  received      INTEGER NOT NULL DEFAULT 0 CHECK (received IN (0, 1)),
  note          TEXT,
  PRIMARY KEY (case_id, material_key)
) STRICT, WITHOUT ROWID;

-- Scans attached to a checklist line; the bytes live in <dataDir>/attachments/<sha[0:2]>/<sha> (content-addressed).
CREATE TABLE attachments (
  id            TEXT PRIMARY KEY,
  case_id       TEXT NOT NULL REFERENCES cases (id),
  material_key  TEXT NOT NULL,
  sha256        TEXT NOT NULL,
  size          INTEGER NOT NULL CHECK (size >= 0),
  mime          TEXT NOT NULL CHECK (mime IN ('application/pdf', 'image/jpeg', 'image/png')),
  file_name     TEXT NOT NULL,
  created_by    TEXT,
  created_at    TEXT NOT NULL,
  UNIQUE (case_id, material_key, sha256),
  FOREIGN KEY (case_id, material_key) REFERENCES case_materials (case_id, material_key)
) STRICT;
CREATE INDEX attachments_sha ON attachments (sha256);
`,
};

export default migration;
