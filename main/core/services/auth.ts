import type { AuthState, StaffInfo } from '../../../shared/ipc/calls/auth';
import { AppError } from '../../../shared/ipc/errors';
import type { Session } from '../api/context';
import type { Db } from '../db/open';
import { SYSTEM_ACTOR, type Actor } from './audit';
import { decoyPasswordHash, publicStaff, staffById, staffByUsername, staffCount, verifyPassword } from './staff';
import { write } from './unitOfWork';

export const DEFAULT_IDLE_LOCK_MINUTES = 10;
/** Consecutive failed attempts for one username that trigger a lock-out, and how long it lasts. */
export const MAX_FAILED_SIGN_INS = 5;
export const SIGN_IN_LOCKOUT_MS = 5 * 60_000;

const IDLE_KEY = 'auth.idle_lock_minutes';
const SIGN_IN_ENTITY = 'staff_signin';

export function idleLockMinutes(db: Db): number {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(IDLE_KEY) as { value: string } | undefined;
  const n = row ? Number(row.value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_IDLE_LOCK_MINUTES;
}

export function saveIdleLockMinutes(db: Db, actor: Actor, minutes: number): number {
  return write(db, actor, (tx) => {
    const before = idleLockMinutes(tx.db);
    tx.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(IDLE_KEY, String(minutes));
    if (before !== minutes)
      tx.audit({
        action: 'auth.savePolicy',
        entity: 'meta',
        entityId: IDLE_KEY,
        changes: { idleLockMinutes: [before, minutes] },
      });
    return minutes;
  });
}

/**
 * Locks a signed-in session that has been idle too long. Called by dispatch before the access check, so the first
 * call after the idle period already answers LOCKED; only the password (auth.unlock) opens it again.
 */
export function applyIdleLock(db: Db, session: Session, now = Date.now()): void {
  if (!session.staffId || session.locked) return;
  if (now - session.lastActivityAt >= idleLockMinutes(db) * 60_000) session.locked = true;
}

export function authState(db: Db, session: Session): AuthState {
  const staff = session.staffId ? staffById(db, session.staffId) : null;
  const active = staff?.active ? publicStaff(staff) : null;
  return {
    setupNeeded: staffCount(db) === 0,
    staff: active,
    locked: active ? session.locked : false,
    idleLockMinutes: idleLockMinutes(db),
  };
}

const signInKey = (username: string) => username.toLowerCase();

/** When the username's last MAX_FAILED_SIGN_INS attempts all failed, the time the lock-out ends; else null. */
export function lockedOutUntil(db: Db, username: string, now = Date.now()): number | null {
  const recent = db
    .prepare(
      `SELECT action, at FROM audit_log
       WHERE entity = ? AND entity_id = ? AND action IN ('auth.signIn', 'auth.unlock', 'auth.signInFailed')
       ORDER BY seq DESC LIMIT ?`,
    )
    .all(SIGN_IN_ENTITY, signInKey(username), MAX_FAILED_SIGN_INS) as { action: string; at: string }[];
  if (recent.length < MAX_FAILED_SIGN_INS || recent.some((r) => r.action !== 'auth.signInFailed')) return null;
  const until = Date.parse(recent[0]!.at) + SIGN_IN_LOCKOUT_MS;
  return until > now ? until : null;
}

function refuseLockedOut(until: number, now: number): never {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  throw new AppError('FORBIDDEN', `密码连续错误 ${MAX_FAILED_SIGN_INS} 次，账号已暂时锁定，请 ${minutes} 分钟后再试`, {
    retryAfterSeconds: Math.ceil((until - now) / 1000),
  });
}

function auditAttempt(db: Db, actor: Actor, username: string, action: string, reason?: string): void {
  // Records who tried and why it failed; never the password.
  write(db, actor, (tx) =>
    tx.audit({ action, entity: SIGN_IN_ENTITY, entityId: signInKey(username), changes: reason ? { reason } : null }),
  );
}

const BAD_CREDENTIALS = '用户名或密码不正确';

/**
 * Checks a username and password. Wrong username and wrong password give the same answer (and cost the same
 * scrypt) so that the screen does not reveal which accounts exist.
 */
export async function checkCredentials(
  db: Db,
  username: string,
  password: string,
  now = Date.now(),
): Promise<StaffInfo> {
  const until = lockedOutUntil(db, username, now);
  if (until) {
    auditAttempt(db, SYSTEM_ACTOR, username, 'auth.signInBlocked', 'locked out');
    refuseLockedOut(until, now);
  }
  const staff = staffByUsername(db, username);
  const ok = await verifyPassword(password, staff?.passwordHash ?? (await decoyPasswordHash()));
  if (!staff || !ok || !staff.active) {
    const reason = !staff ? 'unknown username' : !ok ? 'wrong password' : 'account deactivated';
    auditAttempt(
      db,
      staff ? { id: staff.id, name: staff.displayName } : SYSTEM_ACTOR,
      username,
      'auth.signInFailed',
      reason,
    );
    const after = lockedOutUntil(db, username, now);
    if (after) refuseLockedOut(after, now);
    throw new AppError(
      'UNAUTHENTICATED',
      staff && ok && !staff.active ? '该账号已停用，请联系管理员' : BAD_CREDENTIALS,
    );
  }
  return publicStaff(staff);
}

export async function signIn(
  db: Db,
  session: Session,
  username: string,
  password: string,
  now = Date.now(),
): Promise<StaffInfo> {
  const staff = await checkCredentials(db, username, password, now);
  auditAttempt(db, { id: staff.id, name: staff.displayName }, staff.username, 'auth.signIn');
  session.staffId = staff.id;
  session.locked = false;
  session.lastActivityAt = now;
  return staff;
}

export async function unlock(db: Db, session: Session, password: string, now = Date.now()): Promise<StaffInfo> {
  const current = session.staffId ? staffById(db, session.staffId) : null;
  if (!current || !current.active) {
    session.staffId = null;
    session.locked = false;
    throw new AppError('UNAUTHENTICATED', '请重新登录');
  }
  try {
    await checkCredentials(db, current.username, password, now);
  } catch (err) {
    // Too many wrong passwords at the lock screen end the session: the next person must sign in from scratch.
    if (err instanceof AppError && err.code === 'FORBIDDEN') {
      session.staffId = null;
      session.locked = false;
    }
    throw err;
  }
  auditAttempt(db, { id: current.id, name: current.displayName }, current.username, 'auth.unlock');
  session.locked = false;
  session.lastActivityAt = now;
  return publicStaff(current);
}

export function signOut(db: Db, session: Session): void {
  if (session.staffId) {
    const s = staffById(db, session.staffId);
    if (s)
      write(db, { id: s.id, name: s.displayName }, (tx) =>
        tx.audit({ action: 'auth.signOut', entity: SIGN_IN_ENTITY, entityId: signInKey(s.username) }),
      );
  }
  session.staffId = null;
  session.locked = false;
}
