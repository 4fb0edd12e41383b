import type { Migration } from './index';

const migration: Migration = {
  version: 5,
  name: '0005_payments',
  sql: /* sql */ `
-- 发放名册: one per item and month. A draft may be regenerated; a confirmed roster is the record that the money went
-- out and is never changed again (its rows become "paid" for the reports).
CREATE TABLE payment_rosters (
  id            TEXT PRIMARY KEY,
  item_code     TEXT NOT NULL,
  month         TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('draft', 'confirmed')),
  row_count     INTEGER NOT NULL CHECK (row_count >= 0),
  total_fen     INTEGER NOT NULL CHECK (total_fen >= 0),
  created_by    TEXT,
  created_at    TEXT NOT NULL,
  confirmed_by  TEXT,
  confirmed_at  TEXT,
  UNIQUE (item_code, month)
) STRICT;

-- The payment ledger. Monthly rows come from rosters (period_month = the month paid for, paid_on = first day of the
-- roster month); one-off rows are posted from the case events that pay (urgentAid, startPayment of a one-off item).
-- confirmed = 0 only for the rows of a draft roster; reports count confirmed rows only.
CREATE TABLE payments (
  id               TEXT PRIMARY KEY,
  case_id          TEXT NOT NULL REFERENCES cases (id),
  item_code        TEXT NOT NULL,
  kind             TEXT NOT NULL CHECK (kind IN ('monthly', 'urgentAid', 'oneOff')),
  period_month     TEXT,
  paid_on          TEXT NOT NULL,
  amount_fen       INTEGER NOT NULL CHECK (amount_fen > 0),
  persons          INTEGER NOT NULL CHECK (persons >= 1),
  roster_id        TEXT REFERENCES payment_rosters (id),
  source_event_id  TEXT UNIQUE,
  confirmed        INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
  created_at       TEXT NOT NULL,
  CHECK ((kind = 'monthly') = (period_month IS NOT NULL AND roster_id IS NOT NULL)),
  CHECK ((kind = 'monthly') = (source_event_id IS NULL))
) STRICT;
-- A month is paid once per case, whichever roster carries it.
CREATE UNIQUE INDEX payments_case_month ON payments (case_id, period_month) WHERE kind = 'monthly';
-- Covering indexes for the reports: the period's payments (paid_on range) and the first one-off payment of each case
-- (person-times) are read from the index alone, never from the table.
CREATE INDEX payments_paid_on ON payments (paid_on, case_id, amount_fen) WHERE confirmed = 1;
CREATE INDEX payments_one_off ON payments (case_id, paid_on) WHERE confirmed = 1 AND kind <> 'monthly';
CREATE INDEX payments_case ON payments (case_id, period_month);
CREATE INDEX payments_roster ON payments (roster_id);

-- How far the one-off posting has read case_events (by rowid: the table is append-only, so rowids only grow).
CREATE TABLE payment_posting (
  id                INTEGER PRIMARY KEY CHECK (id = 1),
  last_event_rowid  INTEGER NOT NULL
) STRICT;
INSERT INTO payment_posting (id, last_event_rowid) VALUES (1, 0);
`,
};

export default migration;
