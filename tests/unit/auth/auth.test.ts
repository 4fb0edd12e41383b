import { describe, expect, it } from 'vitest';
import { clientFor } from '../../support/stationCore';
import { hashPassword, verifyPassword } from '../../../main/core/services/staff';
import { checkCredentials, MAX_FAILED_SIGN_INS, SIGN_IN_LOCKOUT_MS } from '../../../main/core/services/auth';
import { verifyAuditChain } from '../../../main/core/services/audit';
import { ADMIN, CLERK, stationWithClerk, unwrap, useCores } from '../people/helpers';

const newCore = useCores();

describe('password hashing', () => {
  it('stores scrypt$N$r$p$salt$hash with a random salt and verifies only the right password', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('correct horse', 'plain-text')).toBe(false);
    // A tampered work factor is refused rather than computed.
    expect(await verifyPassword('correct horse', a.replace('$16384$', '$1073741824$'))).toBe(false);
  });
});

describe('first run and sign-in', () => {
  it('first run creates the admin once; afterwards setup is refused and the admin is signed in', async () => {
    const core = newCore();
    const first = clientFor(core);
    expect(await unwrap(first.call('auth.me', {}))).toMatchObject({
      setupNeeded: true,
      staff: null,
      idleLockMinutes: 10,
    });
    const short = await first.call('auth.setupAdmin', { ...ADMIN, password: 'short' });
    expect(short).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: '密码至少 8 位' });
    const admin = await unwrap(first.call('auth.setupAdmin', ADMIN));
    expect(admin).toMatchObject({ username: 'admin', role: 'admin', active: true });
    expect(await unwrap(first.call('auth.me', {}))).toMatchObject({
      setupNeeded: false,
      staff: { id: admin.id },
      locked: false,
    });
    const again = await clientFor(core).call('auth.setupAdmin', { ...ADMIN, username: 'evil' });
    expect(again).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    const asAdmin = await first.call('auth.setupAdmin', { ...ADMIN, username: 'second' });
    expect(asAdmin).toMatchObject({ ok: false, code: 'CONFLICT' });
    const row = core.db.prepare('SELECT password_hash FROM staff WHERE id = ?').get(admin.id) as {
      password_hash: string;
    };
    expect(row.password_hash).not.toContain(ADMIN.password);
    const audit = core.db.prepare('SELECT changes FROM audit_log').all() as { changes: string | null }[];
    expect(JSON.stringify(audit)).not.toContain(ADMIN.password);
  });

  it('signs in with the right password, refuses a wrong one with the same message as an unknown user, and audits both', async () => {
    const core = newCore();
    await stationWithClerk(core);
    const c = clientFor(core);
    const wrong = await c.call('auth.signIn', { username: CLERK.username, password: 'not-the-password' });
    const unknown = await c.call('auth.signIn', { username: 'nobody', password: 'not-the-password' });
    expect(wrong).toMatchObject({ ok: false, code: 'UNAUTHENTICATED', message: '用户名或密码不正确' });
    expect(unknown).toMatchObject({ ok: false, code: 'UNAUTHENTICATED', message: '用户名或密码不正确' });
    expect(c.session.staffId).toBeNull();
    const failures = core.db
      .prepare(`SELECT entity_id, changes FROM audit_log WHERE action = 'auth.signInFailed'`)
      .all() as {
      entity_id: string;
      changes: string;
    }[];
    expect(failures.map((f) => f.entity_id)).toEqual(['clerk1', 'nobody']);
    expect(JSON.stringify(failures)).not.toContain('not-the-password');
    const ok = await unwrap(c.call('auth.signIn', { username: 'CLERK1', password: CLERK.password }));
    expect(ok.role).toBe('clerk');
    expect(verifyAuditChain(core.db).ok).toBe(true);
  });

  it('locks a username out after repeated failures, even for the right password, and lets it in after the lock-out', async () => {
    const core = newCore();
    await stationWithClerk(core);
    const c = clientFor(core);
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++) {
      expect(await c.call('auth.signIn', { username: 'clerk1', password: 'wrong-password' })).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
    const fifth = await c.call('auth.signIn', { username: 'clerk1', password: 'wrong-password' });
    expect(fifth).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(fifth.ok ? '' : fifth.message).toContain('暂时锁定');
    const right = await c.call('auth.signIn', { username: 'clerk1', password: CLERK.password });
    expect(right).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(c.session.staffId).toBeNull();
    // Other accounts are not affected.
    expect((await clientFor(core).call('auth.signIn', { username: 'admin', password: ADMIN.password })).ok).toBe(true);
    // After the lock-out period the right password works again.
    const later = Date.now() + SIGN_IN_LOCKOUT_MS + 1000;
    await expect(checkCredentials(core.db, 'clerk1', CLERK.password, later)).resolves.toMatchObject({
      username: 'clerk1',
    });
  });

  it('a deactivated account cannot sign in and its open session ends', async () => {
    const core = newCore();
    const { admin, clerk } = await stationWithClerk(core);
    const list = await unwrap(admin.call('staff.list', {}));
    const clerkId = list.find((s) => s.username === 'clerk1')!.id;
    await unwrap(admin.call('staff.setActive', { id: clerkId, active: false }));
    expect(await clerk.call('people.search', { query: '张' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    const again = await clientFor(core).call('auth.signIn', { username: 'clerk1', password: CLERK.password });
    expect(again).toMatchObject({ ok: false, code: 'UNAUTHENTICATED', message: '该账号已停用，请联系管理员' });
    // The last admin cannot be switched off.
    const adminId = list.find((s) => s.username === 'admin')!.id;
    expect(await admin.call('staff.setActive', { id: adminId, active: false })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    });
  });
});

describe('roles', () => {
  it('only an admin manages staff; a clerk is refused and nothing is written', async () => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    const before = (core.db.prepare('SELECT count(*) n FROM staff').get() as { n: number }).n;
    const r = await clerk.call('staff.create', {
      username: 'rev1',
      displayName: '赵审核',
      password: 'reviewer-1',
      role: 'reviewer',
    });
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await clerk.call('staff.list', {})).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await clerk.call('settings.save', { townshipName: '城关镇', stationCode: '430102001' })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((core.db.prepare('SELECT count(*) n FROM staff').get() as { n: number }).n).toBe(before);
    expect(await clientFor(core).call('people.search', { query: '张' })).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
    });
  });

  it('admin creates a reviewer; a duplicate username is refused', async () => {
    const core = newCore();
    const { admin } = await stationWithClerk(core);
    const rev = await unwrap(
      admin.call('staff.create', { username: 'rev1', displayName: '赵审核', password: 'reviewer-1', role: 'reviewer' }),
    );
    expect(rev).toMatchObject({ role: 'reviewer', active: true });
    const dup = await admin.call('staff.create', {
      username: 'REV1',
      displayName: '钱审核',
      password: 'reviewer-2',
      role: 'reviewer',
    });
    expect(dup).toMatchObject({ ok: false, code: 'DUPLICATE' });
    const audit = core.db
      .prepare(`SELECT changes FROM audit_log WHERE action = 'staff.create' AND entity_id = ?`)
      .get(rev.id) as {
      changes: string;
    };
    expect(JSON.parse(audit.changes)).toEqual({
      username: [null, 'rev1'],
      displayName: [null, '赵审核'],
      role: [null, 'reviewer'],
    });
  });
});

describe('password reset', () => {
  it('admin resets a clerk password: the old one stops working, the new one works, the audit holds no password', async () => {
    const core = newCore();
    const { admin } = await stationWithClerk(core);
    const clerkId = (await unwrap(admin.call('staff.list', {}))).find((s) => s.username === 'clerk1')!.id;
    await unwrap(admin.call('staff.resetPassword', { id: clerkId, password: 'brand-new-pass' }));
    const c = clientFor(core);
    expect(await c.call('auth.signIn', { username: 'clerk1', password: CLERK.password })).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect((await c.call('auth.signIn', { username: 'clerk1', password: 'brand-new-pass' })).ok).toBe(true);
    const audit = JSON.stringify(core.db.prepare('SELECT changes FROM audit_log').all());
    expect(audit).not.toContain('brand-new-pass');
    expect(audit).not.toContain('scrypt$');
  });
});

describe('idle lock', () => {
  it('locks after the idle period; calls answer LOCKED until the password is re-entered', async () => {
    const core = newCore();
    const { admin, clerk } = await stationWithClerk(core);
    await unwrap(admin.call('auth.savePolicy', { idleLockMinutes: 5 }));
    expect((await unwrap(clerk.call('people.search', { query: '' }))).items).toEqual([]);
    // Status polling is not activity: it must not keep an unattended station open.
    clerk.session.lastActivityAt = Date.now() - 4 * 60_000;
    await unwrap(clerk.call('status.get', {}));
    expect(clerk.session.lastActivityAt).toBeLessThan(Date.now() - 3 * 60_000);
    clerk.session.lastActivityAt = Date.now() - 5 * 60_000 - 1;
    expect(await clerk.call('people.search', { query: '' })).toMatchObject({ ok: false, code: 'LOCKED' });
    expect(await unwrap(clerk.call('auth.me', {}))).toMatchObject({ locked: true, staff: { username: 'clerk1' } });
    expect(await clerk.call('auth.unlock', { password: 'wrong-password' })).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
    });
    expect(await clerk.call('people.search', { query: '' })).toMatchObject({ ok: false, code: 'LOCKED' });
    await unwrap(clerk.call('auth.unlock', { password: CLERK.password }));
    expect((await clerk.call('people.search', { query: '' })).ok).toBe(true);
    // A locked admin cannot change settings either.
    admin.session.lastActivityAt = Date.now() - 6 * 60_000;
    expect(await admin.call('settings.save', { townshipName: '城关镇', stationCode: '430102001' })).toMatchObject({
      code: 'LOCKED',
    });
  });

  it('too many wrong passwords at the lock screen end the session', async () => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    clerk.session.lastActivityAt = Date.now() - 60 * 60_000;
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) await clerk.call('auth.unlock', { password: 'wrong-password' });
    expect(clerk.session.staffId).toBeNull();
    expect(await unwrap(clerk.call('auth.me', {}))).toMatchObject({ staff: null, locked: false });
  });

  it('sign-out ends the session', async () => {
    const core = newCore();
    const { clerk } = await stationWithClerk(core);
    await unwrap(clerk.call('auth.signOut', {}));
    expect(await clerk.call('people.search', { query: '' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });
});
