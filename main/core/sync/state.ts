import { randomUUID } from 'node:crypto';
import type { MutationOutcome, RecordedOutcome } from '../../../shared/sync/protocol';
import type { Db } from '../db/open';
import { trimOutbox } from '../services/outbox';

/** Reads and writes of the sync tables (migration 0004). Every writer here runs inside the caller's transaction. */

export interface Enrolment {
  countyUrl: string;
  stationId: string;
  stationCode: string;
  township: string;
  clientId: string;
  credential: string;
  enrolledAt: string;
  revokedAt: string | null;
}

export interface SyncStateRow {
  cursor: string | null;
  confirmedMutationId: number;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastErrorCode: string | null;
  lastError: string | null;
}

/** SP-3: chosen once per install and kept for life, in the meta table beside the mutation counter. */
export function clientIdOf(db: Db): string {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'sync_client_id'`).get() as { value: string } | undefined;
  if (row) return row.value;
  const id = `st-${randomUUID()}`;
  db.prepare(`INSERT INTO meta (key, value) VALUES ('sync_client_id', ?) ON CONFLICT (key) DO NOTHING`).run(id);
  return (db.prepare(`SELECT value FROM meta WHERE key = 'sync_client_id'`).get() as { value: string }).value;
}

/** The last mutation id allocated so far (0 before the first). */
export function lastAllocatedId(db: Db): number {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'next_mutation_id'`).get() as { value: string } | undefined;
  return row ? Number(row.value) - 1 : 0;
}

export function readEnrolment(db: Db): Enrolment | null {
  const r = db.prepare('SELECT * FROM sync_enrolment WHERE id = 1').get() as
    | {
        county_url: string;
        station_id: string;
        station_code: string;
        township: string;
        client_id: string;
        credential: string;
        enrolled_at: string;
        revoked_at: string | null;
      }
    | undefined;
  if (!r) return null;
  return {
    countyUrl: r.county_url,
    stationId: r.station_id,
    stationCode: r.station_code,
    township: r.township,
    clientId: r.client_id,
    credential: r.credential,
    enrolledAt: r.enrolled_at,
    revokedAt: r.revoked_at,
  };
}

export function saveEnrolment(db: Db, e: Omit<Enrolment, 'revokedAt'>): void {
  db.prepare(
    `INSERT INTO sync_enrolment (id, county_url, station_id, station_code, township, client_id, credential, enrolled_at, revoked_at)
     VALUES (1, @countyUrl, @stationId, @stationCode, @township, @clientId, @credential, @enrolledAt, NULL)
     ON CONFLICT (id) DO UPDATE SET county_url = excluded.county_url, station_id = excluded.station_id,
       station_code = excluded.station_code, township = excluded.township, client_id = excluded.client_id,
       credential = excluded.credential, enrolled_at = excluded.enrolled_at, revoked_at = NULL`,
  ).run(e);
}

export function markRevoked(db: Db, at: string): void {
  db.prepare('UPDATE sync_enrolment SET revoked_at = ? WHERE id = 1 AND revoked_at IS NULL').run(at);
}

export function readSyncState(db: Db): SyncStateRow {
  const r = db.prepare('SELECT * FROM sync_state WHERE id = 1').get() as {
    cursor: string | null;
    confirmed_mutation_id: number;
    last_success_at: string | null;
    last_attempt_at: string | null;
    last_error_code: string | null;
    last_error: string | null;
  };
  return {
    cursor: r.cursor,
    confirmedMutationId: r.confirmed_mutation_id,
    lastSuccessAt: r.last_success_at,
    lastAttemptAt: r.last_attempt_at,
    lastErrorCode: r.last_error_code,
    lastError: r.last_error,
  };
}

export function setCursor(db: Db, cursor: string | null): void {
  db.prepare('UPDATE sync_state SET cursor = ? WHERE id = 1').run(cursor);
}

export function recordAttempt(db: Db, at: string, error: { code: string; message: string } | null, success: boolean): void {
  db.prepare(
    `UPDATE sync_state SET last_attempt_at = @at, last_error_code = @code, last_error = @message,
       last_success_at = CASE WHEN @success = 1 THEN @at ELSE last_success_at END WHERE id = 1`,
  ).run({ at, code: error?.code ?? null, message: error?.message ?? null, success: success ? 1 : 0 });
}

/** Records a refused mutation once; a repeat (push reply and pull feed both carry it, SP-26) changes nothing. */
export function recordOutcome(
  db: Db,
  o: { status: RecordedOutcome['status']; code: string; message: string; id: number; name: string; recordId: string | null; args: string | null },
  at: string,
): void {
  db.prepare(
    `INSERT INTO sync_outcomes (mutation_id, name, args, record_id, status, code, message, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (mutation_id) DO UPDATE SET args = coalesce(sync_outcomes.args, excluded.args),
       record_id = coalesce(sync_outcomes.record_id, excluded.record_id)`,
  ).run(o.id, o.name, o.args, o.recordId, o.status, o.code, o.message, at);
}

/** The record a mutation is about, for the 同步 page and for matching conflicts with pulled county rows. */
export function recordIdOf(name: string, args: unknown): string | null {
  if (typeof args !== 'object' || args === null) return null;
  const a = args as Record<string, unknown>;
  const id = name === 'case.event' || name === 'attachment.register' ? a.caseId : a.id;
  return typeof id === 'string' ? id : null;
}

export function outboxArgsText(db: Db, id: number): { name: string; args: string } | null {
  return (db.prepare('SELECT name, args FROM outbox WHERE id = ?').get(id) as { name: string; args: string } | undefined) ?? null;
}

export function recordPulledOutcome(db: Db, o: MutationOutcome, at: string): void {
  const row = outboxArgsText(db, o.id);
  recordOutcome(db, { ...o, args: row?.args ?? null }, at);
}

/**
 * Trims the outbox up to the id the county confirmed (SP-22): only from the front, never past the last id this
 * install allocated, never backwards. Scans whose registration is among the trimmed rows (and was not refused) are
 * queued for upload (SP-40: upload after the county knows the registration).
 */
export function confirmUpTo(db: Db, countyLastId: number): { trimmed: number; confirmed: number } {
  const state = readSyncState(db);
  const confirmed = Math.min(countyLastId, lastAllocatedId(db));
  if (confirmed <= state.confirmedMutationId) return { trimmed: 0, confirmed: state.confirmedMutationId };
  const registrations = db
    .prepare(
      `SELECT o.id, o.args FROM outbox o WHERE o.id <= ? AND o.name = 'attachment.register'
         AND NOT EXISTS (SELECT 1 FROM sync_outcomes s WHERE s.mutation_id = o.id)`,
    )
    .all(confirmed) as { id: number; args: string }[];
  const queueUpload = db.prepare(
    `INSERT INTO attachment_uploads (sha256, size, mutation_id) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
  );
  for (const r of registrations) {
    const a = JSON.parse(r.args) as { sha256?: unknown; size?: unknown };
    if (typeof a.sha256 === 'string' && typeof a.size === 'number') queueUpload.run(a.sha256, a.size, r.id);
  }
  const trimmed = trimOutbox(db, confirmed);
  db.prepare('UPDATE sync_state SET confirmed_mutation_id = ? WHERE id = 1').run(confirmed);
  return { trimmed, confirmed };
}

/** The outbox size; one implementation, in the outbox module. */
export { pendingCount as outboxSize } from '../services/outbox';
