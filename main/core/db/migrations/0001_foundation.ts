import type { Migration } from './index';

const migration: Migration = {
  version: 1,
  name: '0001_foundation',
  sql: /* sql */ `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE station_settings (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  township_name  TEXT NOT NULL,
  station_code   TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
  id             TEXT PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name   TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('clerk', 'reviewer', 'admin')),
  password_hash  TEXT NOT NULL,
  active         INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL
) STRICT;

-- Append-only, hash-chained: each row's hash covers the previous row's hash, so an edited or deleted row
-- breaks the chain at that point (see main/core/services/audit.ts).
CREATE TABLE audit_log (
  seq         INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  actor_id    TEXT,
  actor_name  TEXT NOT NULL,
  action      TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   TEXT,
  changes     TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Intent-level mutations for the county, written in the same transaction as the change they describe.
-- id is per-client, sequential and gapless (allocated from meta.next_mutation_id), so it survives trimming.
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  args        TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;
`,
};

export default migration;
