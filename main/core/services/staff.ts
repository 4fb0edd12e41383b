import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { AppError } from '../../../shared/ipc/errors';
import type { StaffInfo } from '../../../shared/ipc/calls/auth';
import type { StaffRole } from '../../../shared/domain/roles';
import type { Db } from '../db/open';
import type { WriteTx } from './unitOfWork';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** Work factor: ~50 ms on an old office PC, 16 MiB of memory. Stored with each hash so it can be raised later. */
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

/** `scrypt$N$r$p$salt$hash` (salt and hash base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password.normalize('NFC'), salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds keep a tampered row from turning sign-in into a memory bomb.
  if (!(N >= 1024 && N <= 1 << 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16)) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length < 16) return false;
  const actual = await scrypt(password.normalize('NFC'), salt, expected.length, {
    N,
    r,
    p,
    maxmem: 256 * N * r + 1024 * 1024,
  });
  return timingSafeEqual(actual, expected);
}

/** A hash of nothing in particular: unknown usernames still pay for one scrypt, so timing does not tell them apart. */
let decoyHash: Promise<string> | null = null;
export const decoyPasswordHash = (): Promise<string> => (decoyHash ??= hashPassword(randomBytes(12).toString('hex')));

interface StaffRow {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole;
  password_hash: string;
  active: number;
  created_at: string;
}

const toInfo = (r: StaffRow): StaffInfo => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  active: r.active === 1,
  createdAt: r.created_at,
});

export function staffById(db: Db, id: string): (StaffInfo & { passwordHash: string }) | null {
  const r = db.prepare('SELECT * FROM staff WHERE id = ?').get(id) as StaffRow | undefined;
  return r ? { ...toInfo(r), passwordHash: r.password_hash } : null;
}

export function staffByUsername(db: Db, username: string): (StaffInfo & { passwordHash: string }) | null {
  const r = db.prepare('SELECT * FROM staff WHERE username = ?').get(username) as StaffRow | undefined;
  return r ? { ...toInfo(r), passwordHash: r.password_hash } : null;
}

export const publicStaff = (s: StaffInfo & { passwordHash?: string }): StaffInfo => ({
  id: s.id,
  username: s.username,
  displayName: s.displayName,
  role: s.role,
  active: s.active,
  createdAt: s.createdAt,
});

export function listStaff(db: Db): StaffInfo[] {
  return (db.prepare('SELECT * FROM staff ORDER BY created_at, username').all() as StaffRow[]).map(toInfo);
}

export function staffCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM staff').get() as { n: number }).n;
}

export interface NewStaff {
  username: string;
  displayName: string;
  role: StaffRole;
  passwordHash: string;
}

/**
 * Staff accounts are station-local (the county has its own logins), so the write is audited but queues no
 * mutation. The audit entry never carries the password or its hash.
 */
export function createStaff(tx: WriteTx, input: NewStaff): StaffInfo {
  if (staffByUsername(tx.db, input.username)) {
    throw new AppError('DUPLICATE', `用户名“${input.username}”已被使用`, [
      { path: 'username', message: '该用户名已被使用' },
    ]);
  }
  const id = uuidv7();
  tx.db
    .prepare(
      `INSERT INTO staff (id, username, display_name, role, password_hash, active, created_at)
       VALUES (?, ?, ?, ?, ?, 1, ?)`,
    )
    .run(id, input.username, input.displayName, input.role, input.passwordHash, tx.now);
  tx.audit({
    action: 'staff.create',
    entity: 'staff',
    entityId: id,
    changes: { username: [null, input.username], displayName: [null, input.displayName], role: [null, input.role] },
  });
  return publicStaff(staffById(tx.db, id)!);
}

export function setStaffActive(tx: WriteTx, id: string, active: boolean): StaffInfo {
  const before = staffById(tx.db, id);
  if (!before) throw new AppError('NOT_FOUND', '未找到该工作人员');
  if (!active && before.id === tx.actor.id) throw new AppError('CONFLICT', '不能停用自己的账号');
  if (!active && before.role === 'admin') {
    const admins = (
      tx.db.prepare(`SELECT count(*) AS n FROM staff WHERE role = 'admin' AND active = 1`).get() as { n: number }
    ).n;
    if (admins <= 1) throw new AppError('CONFLICT', '至少需要保留一名启用的系统管理员');
  }
  if (before.active === active) return publicStaff(before);
  tx.db.prepare('UPDATE staff SET active = ? WHERE id = ?').run(active ? 1 : 0, id);
  tx.audit({
    action: active ? 'staff.activate' : 'staff.deactivate',
    entity: 'staff',
    entityId: id,
    changes: { active: [before.active, active] },
  });
  return publicStaff(staffById(tx.db, id)!);
}

export function setStaffPassword(tx: WriteTx, id: string, passwordHash: string): StaffInfo {
  const before = staffById(tx.db, id);
  if (!before) throw new AppError('NOT_FOUND', '未找到该工作人员');
  tx.db.prepare('UPDATE staff SET password_hash = ? WHERE id = ?').run(passwordHash, id);
  tx.audit({
    action: 'staff.resetPassword',
    entity: 'staff',
    entityId: id,
    changes: { password: ['（已隐去）', '（已重置）'] },
  });
  return publicStaff(before);
}
