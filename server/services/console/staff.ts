import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CountyDb, Queryable } from '../../db/types';
import { describeIssue, ServiceError } from '../errors';
import { appendAudit, type Actor } from './audit';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { createStaffInput, passwordSchema, setupInput, type CountyRole, type CreateStaffInput, type StaffMember } from './model';

/** County staff accounts of the console: creation, sign-in check with lock-out, activation, password reset. */

/** Five wrong passwords in a row lock the account for 15 minutes: slow enough to stop guessing, short for a typo. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const res = schema.safeParse(input);
  if (!res.success) throw new ServiceError('INVALID_INPUT', describeIssue(res.error.issues));
  return res.data;
}

interface StaffRow {
  id: string;
  username: string;
  display_name: string;
  roles: CountyRole[];
  active: boolean;
  created_at: Date;
}
const COLUMNS = 'id::text AS id, username, display_name, roles, active, created_at';
const toStaff = (r: StaffRow): StaffMember => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  roles: r.roles,
  active: r.active,
  createdAt: r.created_at.toISOString(),
});

async function insertStaff(q: Queryable, input: { username: string; displayName: string; roles: CountyRole[]; password: string }): Promise<StaffMember> {
  const hash = await hashPassword(input.password);
  const { rows } = await q.query<StaffRow>(
    `INSERT INTO console_staff (id, username, display_name, roles, password_hash) VALUES ($1, $2, $3, $4::text[], $5)
     ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
    [randomUUID(), input.username, input.displayName, input.roles, hash],
  );
  if (!rows[0]) throw new ServiceError('DUPLICATE', `用户名 ${input.username} 已存在。`);
  return toStaff(rows[0]);
}

export async function countStaff(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM console_staff');
  return Number(rows[0]?.n ?? 0);
}

/**
 * The first administrator, from the first-run screen (guarded by the admin token, checked by the caller) or the CLI.
 * Refused once any account exists, so the admin token cannot be used to mint more administrators later.
 */
export async function createFirstAdmin(
  db: CountyDb,
  input: { username: string; displayName: string; password: string },
  actor: Omit<Actor, 'staffId' | 'username'> & { via: 'console' | 'cli' },
): Promise<StaffMember> {
  const v = parse(setupInput.omit({ adminToken: true }), input);
  return db.transaction(async (tx) => {
    // Serialises two first-run attempts: only one of them sees an empty table.
    await tx.query('LOCK TABLE console_staff IN EXCLUSIVE MODE');
    if ((await countStaff(tx)) > 0) throw new ServiceError('FORBIDDEN', '已存在县级账号，不能再次初始化；请由管理员在“账号管理”中新建。');
    const staff = await insertStaff(tx, { ...v, roles: ['admin'] });
    await appendAudit(tx, { staffId: staff.id, username: staff.username, ip: actor.ip ?? null }, {
      action: 'staff.setup',
      entity: 'staff',
      entityId: staff.id,
      detail: { via: actor.via },
    });
    return staff;
  });
}

export async function createStaff(db: CountyDb, input: CreateStaffInput, actor: Actor): Promise<StaffMember> {
  const v = parse(createStaffInput, input);
  return db.transaction(async (tx) => {
    const staff = await insertStaff(tx, { ...v, roles: [...new Set(v.roles)] });
    await appendAudit(tx, actor, { action: 'staff.create', entity: 'staff', entityId: staff.id, detail: { username: staff.username, roles: staff.roles } });
    return staff;
  });
}

export async function listStaff(db: CountyDb): Promise<StaffMember[]> {
  const { rows } = await db.query<StaffRow>(`SELECT ${COLUMNS} FROM console_staff ORDER BY username`);
  return rows.map(toStaff);
}

export async function setStaffActive(db: CountyDb, staffId: string, active: boolean, actor: Actor): Promise<void> {
  if (!active && staffId === actor.staffId) throw new ServiceError('INVALID_INPUT', '不能停用自己的账号。');
  await db.transaction(async (tx) => {
    const { rows } = await tx.query('UPDATE console_staff SET active = $2 WHERE id = $1 RETURNING 1', [staffId, active]);
    if (rows.length === 0) throw new ServiceError('NOT_FOUND', '未找到该账号。');
    // A deactivated account is signed out everywhere at once.
    if (!active) await tx.query('DELETE FROM console_sessions WHERE staff_id = $1', [staffId]);
    await appendAudit(tx, actor, { action: active ? 'staff.activate' : 'staff.deactivate', entity: 'staff', entityId: staffId });
  });
}

export async function resetPassword(db: CountyDb, staffId: string, password: string, actor: Actor): Promise<void> {
  const pw = parse(passwordSchema, password);
  const hash = await hashPassword(pw);
  await db.transaction(async (tx) => {
    const { rows } = await tx.query(
      'UPDATE console_staff SET password_hash = $2, password_changed_at = now(), failed_logins = 0, locked_until = NULL WHERE id = $1 RETURNING 1',
      [staffId, hash],
    );
    if (rows.length === 0) throw new ServiceError('NOT_FOUND', '未找到该账号。');
    await tx.query('DELETE FROM console_sessions WHERE staff_id = $1', [staffId]);
    await appendAudit(tx, actor, { action: 'staff.password', entity: 'staff', entityId: staffId });
  });
}

export type LoginOutcome = { ok: true; staff: StaffMember } | { ok: false; reason: 'bad' | 'locked' | 'inactive' };

/**
 * Checks a username and password. Unknown names cost the same scrypt as known ones. Failed attempts count towards a
 * temporary lock; a success resets the count. Every attempt is audited (the password never is).
 */
export async function checkLogin(db: CountyDb, username: string, password: string, ip: string | null): Promise<LoginOutcome> {
  const { rows } = await db.query<StaffRow & { password_hash: string; locked_until: Date | null; failed_logins: number }>(
    `SELECT ${COLUMNS}, password_hash, locked_until, failed_logins FROM console_staff WHERE username = $1`,
    [username],
  );
  const row = rows[0];
  const valid = await verifyPassword(password, row?.password_hash ?? (await dummyHash()));
  const actor = { staffId: row?.id ?? null, username: username.slice(0, 64), ip };
  if (!row) {
    await appendAudit(db, actor, { action: 'session.loginFailed', detail: { why: 'unknownUser' } });
    return { ok: false, reason: 'bad' };
  }
  if (row.locked_until && row.locked_until.getTime() > Date.now()) {
    await appendAudit(db, actor, { action: 'session.loginFailed', entity: 'staff', entityId: row.id, detail: { why: 'locked' } });
    return { ok: false, reason: 'locked' };
  }
  if (!valid) {
    await db.query(
      `UPDATE console_staff SET failed_logins = failed_logins + 1,
              locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
        WHERE id = $1`,
      [row.id, MAX_FAILED_LOGINS, LOCK_MINUTES],
    );
    await appendAudit(db, actor, { action: 'session.loginFailed', entity: 'staff', entityId: row.id, detail: { why: 'password' } });
    return { ok: false, reason: 'bad' };
  }
  if (!row.active) {
    await appendAudit(db, actor, { action: 'session.loginFailed', entity: 'staff', entityId: row.id, detail: { why: 'inactive' } });
    return { ok: false, reason: 'inactive' };
  }
  await db.query('UPDATE console_staff SET failed_logins = 0, locked_until = NULL WHERE id = $1', [row.id]);
  return { ok: true, staff: toStaff(row) };
}
