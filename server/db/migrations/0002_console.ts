import type { Migration } from './index';

const migration: Migration = {
  version: 2,
  name: '0002_console',
  sql: /* sql */ `
-- County staff of the web console (issue 5). Passwords are scrypt hashes; roles is a set of approver/checker/admin.
CREATE TABLE console_staff (
  id                   uuid PRIMARY KEY,
  username             text NOT NULL UNIQUE,
  display_name         text NOT NULL,
  roles                text[] NOT NULL CHECK (roles <@ ARRAY['approver', 'checker', 'admin']::text[] AND cardinality(roles) > 0),
  password_hash        text NOT NULL,
  active               boolean NOT NULL DEFAULT true,
  failed_logins        integer NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  password_changed_at  timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of the session cookie is stored: a leaked table does not let anyone sign in.
CREATE TABLE console_sessions (
  token_hash    text PRIMARY KEY,
  staff_id      uuid NOT NULL REFERENCES console_staff (id),
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX console_sessions_staff ON console_sessions (staff_id);

-- County audit log: every decision, every view or export of personal data, every change of accounts, stations
-- and standards. detail never holds ID numbers or names. Append-only: the triggers refuse UPDATE, DELETE, TRUNCATE.
CREATE TABLE county_audit (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  staff_id    uuid,
  username    text NOT NULL,
  action      text NOT NULL,
  entity      text,
  entity_id   text,
  station_id  uuid,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip          text
);
CREATE INDEX county_audit_at ON county_audit (at);
CREATE INDEX county_audit_entity ON county_audit (entity, entity_id);

CREATE FUNCTION county_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'county_audit is append-only' USING ERRCODE = '42501';
END
$fn$;
CREATE TRIGGER county_audit_no_update BEFORE UPDATE OR DELETE ON county_audit
  FOR EACH ROW EXECUTE FUNCTION county_audit_refuse_change();
CREATE TRIGGER county_audit_no_truncate BEFORE TRUNCATE ON county_audit
  FOR EACH STATEMENT EXECUTE FUNCTION county_audit_refuse_change();

-- County-wide duplicate check (不重复救助): one row per case that shares applicant ID number and item with an open or
-- active case of another station. id_number_hash groups the cases without keeping another copy of the number.
CREATE TABLE duplicate_flags (
  case_id         uuid PRIMARY KEY REFERENCES cases (id),
  station_id      uuid NOT NULL REFERENCES stations (id),
  item_code       text NOT NULL,
  id_number_hash  text NOT NULL,
  others          jsonb NOT NULL,
  flagged_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX duplicate_flags_group ON duplicate_flags (id_number_hash, item_code);

-- The duplicate check joins cases to their applicants by ID number.
CREATE INDEX cases_applicant ON cases ((data->>'applicantId'));
CREATE INDEX persons_id_number ON persons ((upper(data->>'idNumber')));
CREATE INDEX cases_station_state ON cases (station_state);
`,
};

export default migration;
