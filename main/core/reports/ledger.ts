import { uuidv7 } from 'uuidv7';
import { CaseSnapshotSchema } from '../../../shared/domain/caseMachine';
import { addMonths, dateOf, monthOf } from '../../../shared/domain/calendar';
import { itemByCode } from '../../../shared/domain/items';
import { AppError } from '../../../shared/ipc/errors';
import { HOUSEHOLD_ITEMS } from '../../../shared/reports/compute';
import { payableMonths, type TimelineEvent } from '../../../shared/reports/payable';
import type { Db } from '../db/open';
import type { Actor } from '../services/audit';
import { localIso } from '../services/cases/clock';
import { write, type WriteTx } from '../services/unitOfWork';
import { queue } from '../services/cases/rows';
import type { PaymentKind } from '../../../shared/sync/mutations';

/**
 * The payment ledger (tables of 0005_payments.ts): what was paid, to which case, for which month. Rules written
 * down in docs/report-definitions.md ("paid").
 */

interface EventRow {
  rowid: number;
  id: string;
  case_id: string;
  action: string;
  at: string;
  payload: string;
}

const personsOf = (itemCode: string, memberCount: number | null) => (HOUSEHOLD_ITEMS.has(itemCode) ? (memberCount ?? 1) : 1);

interface PaymentRow {
  id: string;
  case_id: string;
  item_code: string;
  kind: PaymentKind;
  period_month: string | null;
  paid_on: string;
  amount_fen: number;
  persons: number;
  roster_id: string | null;
  source_event_id: string | null;
}

/** SP-16: a payment goes to the county once, in the transaction that makes it final (posted or roster confirmed). */
function queuePaymentRecord(tx: WriteTx, p: PaymentRow): void {
  queue(tx, 'payment.record', {
    id: p.id,
    caseId: p.case_id,
    itemCode: p.item_code,
    kind: p.kind,
    periodMonth: p.period_month,
    paidOn: p.paid_on,
    amountFen: p.amount_fen,
    persons: p.persons,
    rosterId: p.roster_id,
    sourceEventId: p.source_event_id,
  });
}

/** A case event that may pay money: urgent aid, or the payment of an approved one-off benefit. */
export interface PayingEvent {
  id: string;
  caseId: string;
  action: string;
  /** Station-local ISO time of the event. */
  at: string;
  payload: Record<string, unknown>;
}

/**
 * Posts the payment one case event makes, if any: urgent aid (先行救助, its amount on the day given) or the payment of
 * an approved one-off benefit (the approved amount less any urgent aid already paid). Each event posts at most once
 * (source_event_id), so calling it again for the same event changes nothing. Returns the amount posted (0 if none).
 * Reads the case row as it is now: call it after the case row was updated by the action.
 */
export function postPaymentOfEvent(tx: WriteTx, e: PayingEvent): number {
  if (e.action !== 'urgentAid' && e.action !== 'startPayment') return 0;
  const c = tx.db
    .prepare(
      `SELECT c.item_code, c.snapshot, h.member_count FROM cases c
       LEFT JOIN households h ON h.id = c.household_id WHERE c.id = ?`,
    )
    .get(e.caseId) as { item_code: string; snapshot: string; member_count: number | null } | undefined;
  if (!c) return 0;
  const day = dateOf(e.at) ?? e.at.slice(0, 10);
  let kind: 'urgentAid' | 'oneOff';
  let amount: number;
  let paidOn: string;
  if (e.action === 'urgentAid') {
    kind = 'urgentAid';
    amount = typeof e.payload.amountFen === 'number' ? e.payload.amountFen : 0;
    paidOn = typeof e.payload.givenOn === 'string' ? e.payload.givenOn : day;
  } else {
    const snapshot = CaseSnapshotSchema.parse(JSON.parse(c.snapshot));
    if (snapshot.rules.payment !== 'oneOff') return 0;
    kind = 'oneOff';
    const urgent = (
      tx.db.prepare(`SELECT coalesce(sum(amount_fen), 0) AS s FROM payments WHERE case_id = ? AND kind = 'urgentAid'`).get(e.caseId) as { s: number }
    ).s;
    amount = (snapshot.amountFen ?? 0) - urgent;
    paidOn = typeof e.payload.startedOn === 'string' ? e.payload.startedOn : day;
  }
  if (amount <= 0) return 0;
  const row: PaymentRow = {
    id: uuidv7(),
    case_id: e.caseId,
    item_code: c.item_code,
    kind,
    period_month: null,
    paid_on: paidOn,
    amount_fen: amount,
    persons: personsOf(c.item_code, c.member_count),
    roster_id: null,
    source_event_id: e.id,
  };
  const r = tx.db
    .prepare(
      `INSERT INTO payments (id, case_id, item_code, kind, period_month, paid_on, amount_fen, persons, roster_id,
         source_event_id, confirmed, created_at)
       VALUES (@id, @case_id, @item_code, @kind, NULL, @paid_on, @amount_fen, @persons, NULL, @source_event_id, 1, @now)
       ON CONFLICT (source_event_id) DO NOTHING`,
    )
    .run({ ...row, now: tx.now });
  if (r.changes === 0) return 0;
  queuePaymentRecord(tx, row);
  return amount;
}

/**
 * Catch-up for postPaymentOfEvent: the case actions post their payments in their own transaction, so this finds
 * nothing new unless events were written some other way (or before that change). Incremental and idempotent: it
 * reads case_events past its cursor, and each event posts at most once. Returns how many payments were posted.
 */
export function postOneOffPayments(db: Db, actor: Actor): number {
  const cursor = (db.prepare('SELECT last_event_rowid AS r FROM payment_posting WHERE id = 1').get() as { r: number }).r;
  const newest = (db.prepare('SELECT coalesce(max(rowid), 0) AS r FROM case_events').get() as { r: number }).r;
  if (newest <= cursor) return 0;
  return write(db, actor, (tx) => {
    const from = (tx.db.prepare('SELECT last_event_rowid AS r FROM payment_posting WHERE id = 1').get() as { r: number }).r;
    const events = tx.db
      .prepare(
        `SELECT rowid, id, case_id, action, at, payload FROM case_events
         WHERE rowid > ? AND action IN ('urgentAid', 'startPayment') ORDER BY rowid`,
      )
      .all(from) as EventRow[];
    let posted = 0;
    let totalFen = 0;
    for (const e of events) {
      const amount = postPaymentOfEvent(tx, {
        id: e.id,
        caseId: e.case_id,
        action: e.action,
        at: e.at,
        payload: JSON.parse(e.payload) as Record<string, unknown>,
      });
      if (amount > 0) {
        posted++;
        totalFen += amount;
      }
    }
    tx.db.prepare('UPDATE payment_posting SET last_event_rowid = ? WHERE id = 1').run(newest > from ? newest : from);
    if (posted > 0) {
      tx.audit({ action: 'payments.post', entity: 'payment', entityId: null, changes: { posted, totalFen } });
    }
    return posted;
  });
}

export interface RosterInfo {
  id: string;
  itemCode: string;
  itemName: string;
  month: string;
  status: 'draft' | 'confirmed';
  rowCount: number;
  totalFen: number;
  createdAt: string;
  confirmedAt: string | null;
}

interface RosterRow {
  id: string;
  item_code: string;
  month: string;
  status: 'draft' | 'confirmed';
  row_count: number;
  total_fen: number;
  created_at: string;
  confirmed_at: string | null;
}

const toInfo = (r: RosterRow): RosterInfo => ({
  id: r.id,
  itemCode: r.item_code,
  itemName: itemByCode(r.item_code)?.name ?? r.item_code,
  month: r.month,
  status: r.status,
  rowCount: r.row_count,
  totalFen: r.total_fen,
  createdAt: r.created_at,
  confirmedAt: r.confirmed_at,
});

export function listRosters(db: Db, filter: { itemCode?: string | undefined; year?: number | undefined }): RosterInfo[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.itemCode) {
    where.push('item_code = ?');
    params.push(filter.itemCode);
  }
  if (filter.year) {
    where.push('month LIKE ?');
    params.push(`${filter.year}-%`);
  }
  const rows = db
    .prepare(`SELECT * FROM payment_rosters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY month DESC, item_code`)
    .all(...params) as RosterRow[];
  return rows.map(toInfo);
}

export function rosterInfo(db: Db, id: string): RosterInfo {
  const r = db.prepare('SELECT * FROM payment_rosters WHERE id = ?').get(id) as RosterRow | undefined;
  if (!r) throw new AppError('NOT_FOUND', '未找到该发放名册');
  return toInfo(r);
}

/**
 * Generates (or regenerates, while still a draft) the roster of one periodic item for one month: every approved
 * case owed that month by payableMonths(), plus months owed earlier and not yet on any roster (补发) back to the
 * item's first roster — months before the station's first roster were paid outside this system.
 */
export function generateRoster(tx: WriteTx, itemCode: string, month: string): RosterInfo {
  const item = itemByCode(itemCode);
  if (!item) throw new AppError('INVALID_INPUT', '未知的救助事项');
  if (item.payment !== 'periodic') throw new AppError('INVALID_INPUT', `“${item.name}”不按月发放，没有月度发放名册`);
  const thisMonth = monthOf(localIso(new Date(tx.now)).slice(0, 10));
  if (month > addMonths(thisMonth, 1)) throw new AppError('INVALID_INPUT', '只能生成本月或下月及以前的发放名册');
  const existing = tx.db.prepare('SELECT * FROM payment_rosters WHERE item_code = ? AND month = ?').get(itemCode, month) as
    | RosterRow
    | undefined;
  if (existing?.status === 'confirmed') throw new AppError('CONFLICT', `${month}“${item.name}”发放名册已确认发放，不能重新生成`);
  const id = existing?.id ?? uuidv7();
  if (existing) {
    tx.db.prepare('DELETE FROM payments WHERE roster_id = ?').run(id);
  } else {
    tx.db
      .prepare(
        `INSERT INTO payment_rosters (id, item_code, month, status, row_count, total_fen, created_by, created_at)
         VALUES (?, ?, ?, 'draft', 0, 0, ?, ?)`,
      )
      .run(id, itemCode, month, tx.actor.id, tx.now);
  }
  const firstRoster = (tx.db.prepare('SELECT min(month) AS m FROM payment_rosters WHERE item_code = ?').get(itemCode) as { m: string }).m;
  const from = firstRoster < month ? firstRoster : month;

  const cases = tx.db
    .prepare(
      `SELECT c.id, json_extract(c.snapshot, '$.paymentStartMonth') AS start, h.member_count
       FROM cases c LEFT JOIN households h ON h.id = c.household_id
       WHERE c.item_code = ? AND json_extract(c.snapshot, '$.amountFen') IS NOT NULL
         AND json_extract(c.snapshot, '$.paymentStartMonth') <= ?
         AND (json_extract(c.snapshot, '$.endedOn') IS NULL OR json_extract(c.snapshot, '$.endedOn') >= ?)`,
    )
    .all(itemCode, month, `${from}-01`) as { id: string; start: string; member_count: number | null }[];
  const timelines = new Map<string, TimelineEvent[]>();
  const eventRows = tx.db
    .prepare(
      `SELECT e.case_id, e.action, e.at, e.payload FROM case_events e JOIN cases c ON c.id = e.case_id
       WHERE c.item_code = ? AND e.action IN ('townshipApprove', 'countyApprove', 'recordRecheck', 'suspend', 'resume',
         'terminate', 'completeService')
       ORDER BY e.case_id, e.seq`,
    )
    .all(itemCode) as { case_id: string; action: string; at: string; payload: string }[];
  for (const e of eventRows) {
    let list = timelines.get(e.case_id);
    if (!list) timelines.set(e.case_id, (list = []));
    list.push({ action: e.action, at: e.at, payload: JSON.parse(e.payload) as Record<string, unknown> });
  }
  const paid = new Set(
    (tx.db.prepare(`SELECT case_id || '|' || period_month AS k FROM payments WHERE item_code = ? AND kind = 'monthly'`).all(itemCode) as {
      k: string;
    }[]).map((r) => r.k),
  );
  const insert = tx.db.prepare(
    `INSERT INTO payments (id, case_id, item_code, kind, period_month, paid_on, amount_fen, persons, roster_id,
       source_event_id, confirmed, created_at)
     VALUES (?, ?, ?, 'monthly', ?, ?, ?, ?, ?, NULL, 0, ?)`,
  );
  let rows = 0;
  let total = 0;
  for (const c of cases) {
    for (const p of payableMonths(timelines.get(c.id) ?? [], c.start, from, month)) {
      if (paid.has(`${c.id}|${p.month}`)) continue;
      insert.run(uuidv7(), c.id, itemCode, p.month, `${month}-01`, p.amountFen, personsOf(itemCode, c.member_count), id, tx.now);
      rows++;
      total += p.amountFen;
    }
  }
  tx.db.prepare('UPDATE payment_rosters SET row_count = ?, total_fen = ?, created_by = ?, created_at = ? WHERE id = ?').run(rows, total, tx.actor.id, tx.now, id);
  tx.audit({
    action: existing ? 'payments.roster.regenerate' : 'payments.roster.generate',
    entity: 'payment_roster',
    entityId: id,
    changes: { itemCode, month, rows, totalFen: total },
  });
  return rosterInfo(tx.db, id);
}

/** Marks a draft roster as paid: from now on its rows count in every report, and it can no longer change. */
export function confirmRoster(tx: WriteTx, id: string): RosterInfo {
  const r = rosterInfo(tx.db, id);
  if (r.status === 'confirmed') throw new AppError('CONFLICT', '该发放名册已确认发放');
  if (r.rowCount === 0) throw new AppError('INVALID_INPUT', '名册中没有发放对象，无需确认');
  tx.db.prepare(`UPDATE payment_rosters SET status = 'confirmed', confirmed_by = ?, confirmed_at = ? WHERE id = ?`).run(tx.actor.id, tx.now, id);
  tx.db.prepare('UPDATE payments SET confirmed = 1 WHERE roster_id = ?').run(id);
  const rows = tx.db
    .prepare(
      `SELECT id, case_id, item_code, kind, period_month, paid_on, amount_fen, persons, roster_id, source_event_id
       FROM payments WHERE roster_id = ? AND amount_fen > 0 ORDER BY id`,
    )
    .all(id) as PaymentRow[];
  for (const p of rows) queuePaymentRecord(tx, p);
  tx.audit({
    action: 'payments.roster.confirm',
    entity: 'payment_roster',
    entityId: id,
    changes: { itemCode: r.itemCode, month: r.month, rows: r.rowCount, totalFen: r.totalFen },
  });
  return rosterInfo(tx.db, id);
}

export interface RosterLine {
  caseNumber: string;
  village: string;
  area: 'urban' | 'rural';
  name: string;
  idNumber: string;
  persons: number;
  periodMonth: string;
  amountFen: number;
  arrears: boolean;
}

/** The roster's lines in paper order (village, then case number, then month). Full ID numbers: mask at the edge. */
export function rosterLines(db: Db, rosterId: string): RosterLine[] {
  const r = rosterInfo(db, rosterId);
  const rows = db
    .prepare(
      `SELECT c.case_number, c.sub_kind, coalesce(h.village, p.village, '') AS village, coalesce(h.hukou, p.hukou) AS hukou,
              p.name, p.id_number, pay.persons, pay.period_month, pay.amount_fen
       FROM payments pay JOIN cases c ON c.id = pay.case_id JOIN persons p ON p.id = c.applicant_id
       LEFT JOIN households h ON h.id = c.household_id
       WHERE pay.roster_id = ? ORDER BY village, c.case_number, pay.period_month`,
    )
    .all(rosterId) as {
    case_number: string;
    sub_kind: string | null;
    village: string;
    hukou: 'urban' | 'rural';
    name: string;
    id_number: string;
    persons: number;
    period_month: string;
    amount_fen: number;
  }[];
  return rows.map((x) => ({
    caseNumber: x.case_number,
    village: x.village,
    area: x.sub_kind === 'urban' || x.sub_kind === 'rural' ? x.sub_kind : x.hukou,
    name: x.name,
    idNumber: x.id_number,
    persons: x.persons,
    periodMonth: x.period_month,
    amountFen: x.amount_fen,
    arrears: x.period_month !== r.month,
  }));
}
