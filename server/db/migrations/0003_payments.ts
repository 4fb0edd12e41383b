import type { Migration } from './index';

/**
 * The stations' payment ledgers (`payment.record`, docs/sync-protocol.md SP-16): what each station paid, to which
 * case, for which month. Station-owned and append-only: a payment is pushed once it is final and never changes, so
 * the county keeps the first copy. The county reports read it (server/services/reports).
 */
const migration: Migration = {
  version: 3,
  name: '0003_payments',
  sql: /* sql */ `
CREATE TABLE payments (
  id               uuid PRIMARY KEY,
  station_id       uuid NOT NULL REFERENCES stations (id),
  case_id          uuid NOT NULL REFERENCES cases (id),
  item_code        text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('monthly', 'urgentAid', 'oneOff')),
  period_month     text,
  paid_on          date NOT NULL,
  amount_fen       bigint NOT NULL CHECK (amount_fen > 0),
  persons          integer NOT NULL,
  roster_id        uuid,
  source_event_id  uuid,
  received_at      timestamptz NOT NULL DEFAULT now()
);
-- The report reads a period's rows (paid_on range) and each case's first one-off payment (person-times).
CREATE INDEX payments_paid_on ON payments (paid_on, case_id, amount_fen);
CREATE INDEX payments_one_off ON payments (case_id, paid_on) WHERE kind <> 'monthly';
CREATE INDEX payments_station ON payments (station_id);
`,
};

export default migration;
