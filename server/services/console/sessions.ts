import { randomBytes } from 'node:crypto';
import type { CountyDb } from '../../db/types';
import { sha256Hex } from '../secrets';
import type { CountyRole, StaffMember } from './model';

/**
 * Console sessions. The cookie carries 32 random bytes; the county stores only their SHA-256. Each session has its
 * own CSRF token (synchronizer token): the console sends it in a header on every state-changing request, and a
 * token from another session is worthless. A session ends after 30 minutes without use or 12 hours in any case.
 */

export const IDLE_MINUTES = 30;
export const MAX_HOURS = 12;

export interface Session {
  tokenHash: string;
  staff: StaffMember;
  csrfToken: string;
  expiresAt: string;
}

export async function createSession(db: CountyDb, staffId: string): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const { rows } = await db.query<{ expires_at: Date }>(
    `INSERT INTO console_sessions (token_hash, staff_id, csrf_token, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(mins => $4)) RETURNING expires_at`,
    [sha256Hex(token), staffId, csrfToken, IDLE_MINUTES],
  );
  // Expired sessions are swept now and then rather than by a timer: the table stays small either way.
  if (Math.random() < 0.05) await db.query('DELETE FROM console_sessions WHERE expires_at < now()');
  return { token, csrfToken, expiresAt: rows[0]!.expires_at.toISOString() };
}

/** The live session behind a cookie value, its idle deadline pushed forward; null when unknown, expired or inactive. */
export async function touchSession(db: CountyDb, token: string): Promise<Session | null> {
  if (token.length < 20 || token.length > 100) return null;
  const { rows } = await db.query<{
    token_hash: string;
    csrf_token: string;
    expires_at: Date;
    id: string;
    username: string;
    display_name: string;
    roles: CountyRole[];
    active: boolean;
    staff_created_at: Date;
  }>(
    `UPDATE console_sessions s
        SET last_seen_at = now(),
            expires_at = LEAST(now() + make_interval(mins => $2), s.created_at + make_interval(hours => $3))
       FROM console_staff st
      WHERE s.token_hash = $1 AND s.expires_at > now() AND st.id = s.staff_id AND st.active
     RETURNING s.token_hash, s.csrf_token, s.expires_at, st.id::text AS id, st.username, st.display_name, st.roles, st.active,
               st.created_at AS staff_created_at`,
    [sha256Hex(token), IDLE_MINUTES, MAX_HOURS],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    tokenHash: r.token_hash,
    csrfToken: r.csrf_token,
    expiresAt: r.expires_at.toISOString(),
    staff: { id: r.id, username: r.username, displayName: r.display_name, roles: r.roles, active: r.active, createdAt: r.staff_created_at.toISOString() },
  };
}

export async function endSession(db: CountyDb, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM console_sessions WHERE token_hash = $1', [tokenHash]);
}
