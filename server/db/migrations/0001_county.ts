import type { Migration } from './index';

const migration: Migration = {
  version: 1,
  name: '0001_county',
  sql: /* sql */ `
-- Facts about this database itself. 'epoch' is random per database: a pull cursor from another database (restored,
-- rebuilt, or a different county) never matches it and forces a reset (docs/sync-protocol.md SP-34).
CREATE TABLE county_meta (
  key    text PRIMARY KEY,
  value  text NOT NULL
);
INSERT INTO county_meta (key, value) VALUES ('epoch', replace(gen_random_uuid()::text, '-', ''));
-- Change-log sequences at or below this value were compacted away; older cursors reset.
INSERT INTO county_meta (key, value) VALUES ('compacted_through', '0');

CREATE TABLE stations (
  id             uuid PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  township       text NOT NULL,
  name           text,
  reported_name  text,
  reported_code  text,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Only hashes: a leaked table must not let anyone enrol or authenticate.
CREATE TABLE enrolment_codes (
  code_hash   text PRIMARY KEY,
  station_id  uuid NOT NULL REFERENCES stations (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  used_by     text
);

-- One row per install (clientId). last_mutation_id advances in the same transaction as the mutations' effects.
CREATE TABLE clients (
  client_id         text PRIMARY KEY,
  station_id        uuid NOT NULL REFERENCES stations (id),
  last_mutation_id  bigint NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now(),
  last_push_at      timestamptz,
  last_pull_at      timestamptz,
  pending_count     integer
);
CREATE INDEX clients_station ON clients (station_id);

CREATE TABLE credentials (
  token_hash  text PRIMARY KEY,
  client_id   text NOT NULL REFERENCES clients (client_id),
  station_id  uuid NOT NULL REFERENCES stations (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX credentials_station ON credentials (station_id);

-- Permanent outcomes of mutations that were not applied (rejected / conflict). Applied ones leave no row here:
-- their effect is the record.
CREATE TABLE mutation_results (
  client_id    text NOT NULL REFERENCES clients (client_id),
  mutation_id  bigint NOT NULL,
  station_id   uuid NOT NULL REFERENCES stations (id),
  name         text NOT NULL,
  status       text NOT NULL CHECK (status IN ('rejected', 'conflict')),
  code         text NOT NULL,
  message      text NOT NULL,
  record_id    text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, mutation_id)
);
CREATE INDEX mutation_results_station ON mutation_results (station_id);

-- Station-owned records: the station's full row as it sent it. station_id is the owner (first writer).
CREATE TABLE persons (
  id          uuid PRIMARY KEY,
  station_id  uuid NOT NULL REFERENCES stations (id),
  data        jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX persons_station ON persons (station_id);

CREATE TABLE households (
  id          uuid PRIMARY KEY,
  station_id  uuid NOT NULL REFERENCES stations (id),
  data        jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX households_station ON households (station_id);

-- A case mixes both owners in separate columns: data/station_state are the station's, everything from
-- county_version down is the county's. data is NULL while only events or attachments have arrived.
CREATE TABLE cases (
  id                   uuid PRIMARY KEY,
  station_id           uuid NOT NULL REFERENCES stations (id),
  data                 jsonb,
  station_state        text,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  county_version       integer NOT NULL DEFAULT 0,
  decision             text CHECK (decision IN ('approved', 'rejected')),
  amount_fen           bigint,
  reason               text,
  payment_start_month  text,
  decided_at           timestamptz,
  decided_by           text
);
CREATE INDEX cases_station ON cases (station_id);

CREATE TABLE case_events (
  event_id             uuid PRIMARY KEY,
  case_id              uuid NOT NULL REFERENCES cases (id),
  station_id           uuid NOT NULL REFERENCES stations (id),
  action               text NOT NULL,
  payload              jsonb NOT NULL,
  at                   text NOT NULL,
  from_state           text,
  to_state             text NOT NULL,
  base_county_version  integer NOT NULL,
  received_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case ON case_events (case_id);

CREATE TABLE case_attachments (
  case_id        uuid NOT NULL REFERENCES cases (id),
  material_key   text NOT NULL,
  sha256         text NOT NULL,
  station_id     uuid NOT NULL REFERENCES stations (id),
  size           bigint NOT NULL,
  mime           text NOT NULL,
  file_name      text NOT NULL,
  registered_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, material_key, sha256)
);
CREATE INDEX case_attachments_sha ON case_attachments (sha256);

CREATE TABLE economic_checks (
  id              uuid PRIMARY KEY,
  case_id         uuid NOT NULL REFERENCES cases (id),
  result          text NOT NULL CHECK (result IN ('pass', 'fail')),
  findings        text NOT NULL,
  checked_at      timestamptz NOT NULL,
  checked_by      text NOT NULL,
  county_version  integer NOT NULL
);
CREATE INDEX economic_checks_case ON economic_checks (case_id);

-- A station edit that collided with a county decision: the station's version beside the county's, for a reviewer.
CREATE TABLE conflicts (
  id                   bigserial PRIMARY KEY,
  case_id              uuid NOT NULL REFERENCES cases (id),
  station_id           uuid NOT NULL REFERENCES stations (id),
  client_id            text NOT NULL,
  mutation_id          bigint NOT NULL,
  mutation_name        text NOT NULL,
  station_version      jsonb NOT NULL,
  base_county_version  integer NOT NULL,
  county_version       integer NOT NULL,
  county_snapshot      jsonb NOT NULL,
  status               text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  resolution           text,
  resolved_by          text,
  resolved_at          timestamptz,
  note                 text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (client_id, mutation_id)
);
CREATE INDEX conflicts_open ON conflicts (status, created_at);

-- County-wide reference data.
CREATE TABLE policy_standards (
  kind            text NOT NULL,
  area_class      text NOT NULL CHECK (area_class IN ('urban', 'rural')),
  effective_from  text NOT NULL,
  amount_fen      bigint NOT NULL CHECK (amount_fen >= 0),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      text NOT NULL,
  PRIMARY KEY (kind, area_class, effective_from)
);

CREATE TABLE township_limits (
  township        text NOT NULL,
  effective_from  text NOT NULL,
  amount_fen      bigint NOT NULL CHECK (amount_fen >= 0),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      text NOT NULL,
  PRIMARY KEY (township, effective_from)
);

CREATE TABLE village_lists (
  township    text PRIMARY KEY,
  villages    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL
);

-- Content-addressed attachment store. Kept in the database so the server stays stateless behind a load balancer.
CREATE TABLE attachments (
  sha256        text PRIMARY KEY,
  size          bigint NOT NULL,
  received      bigint NOT NULL DEFAULT 0,
  complete      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz
);
CREATE TABLE attachment_chunks (
  sha256        text NOT NULL REFERENCES attachments (sha256) ON DELETE CASCADE,
  start_offset  bigint NOT NULL,
  data          bytea NOT NULL,
  PRIMARY KEY (sha256, start_offset)
);

-- The pull feed, compacted: one row per (tbl, key) holding its latest state; a change moves the row to a new seq.
-- Replaying from seq 0 therefore IS the full snapshot. Writers take an advisory lock before drawing a seq and hold
-- it to commit, so the committed seqs a reader can see are always a prefix (no cursor ever skips a late commit).
CREATE SEQUENCE change_seq;
CREATE TABLE change_log (
  tbl         text NOT NULL,
  key         text NOT NULL,
  seq         bigint NOT NULL UNIQUE,
  scope       text NOT NULL,
  op          text NOT NULL CHECK (op IN ('upsert', 'delete')),
  data        jsonb,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tbl, key)
);
CREATE INDEX change_log_scope_seq ON change_log (scope, seq);
`,
};

export default migration;
