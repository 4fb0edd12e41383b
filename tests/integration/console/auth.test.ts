import { expect, it } from 'vitest';
import { describeEachBackend } from '../server/harness';
import { ADMIN_PASSWORD, consoleClient, pushCase, staffFor, STAFF_PASSWORD } from './consoleClient';

// County console: first run, sessions, CSRF and Origin checks, roles (issue 5, deliverable 1).

describeEachBackend('console sessions and CSRF', (county) => {
  it('the first-run screen needs the admin token and works only once', async () => {
    const c = county();
    const anon = consoleClient(c.url);
    expect((await anon.request('GET', '/console/api/setup')).body).toEqual({ needsSetup: true });
    const wrong = await anon.request('POST', '/console/api/setup', { adminToken: 'not-the-token-at-all', username: 'admin', displayName: '管理员', password: ADMIN_PASSWORD });
    expect(wrong.status).toBe(401);
    expect((await anon.request('GET', '/console/api/setup')).body).toEqual({ needsSetup: true });
    const weak = await anon.request('POST', '/console/api/setup', { adminToken: c.server.adminToken, username: 'admin', displayName: '管理员', password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.message).toContain('密码至少 10 位');

    await staffFor(c);
    const again = await anon.request('POST', '/console/api/setup', { adminToken: c.server.adminToken, username: 'admin2', displayName: '管理员', password: ADMIN_PASSWORD });
    expect(again.status).toBe(403);
    expect((await anon.request('GET', '/console/api/setup')).body).toEqual({ needsSetup: false });
  });

  it('a console request without a session is refused', async () => {
    const c = county();
    const anon = consoleClient(c.url);
    for (const [method, path] of [
      ['GET', '/console/api/inbox'],
      ['GET', '/console/api/stations'],
      ['GET', '/console/api/session'],
      ['GET', '/console/api/audit'],
      ['POST', '/console/api/stations'],
    ] as const) {
      const res = await anon.request(method, path, method === 'POST' ? { code: 'X1', township: '城关镇' } : undefined);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
    // A made-up cookie is no session either.
    const forged = await anon.request('GET', '/console/api/inbox', undefined, { cookie: 'county_console=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(forged.status).toBe(401);
  });

  it('sign-in sets an HttpOnly SameSite=Strict cookie; wrong passwords are refused and lock the account', async () => {
    const c = county();
    const { admin } = await staffFor(c);
    expect(admin.setCookieHeader).toMatch(/HttpOnly/i);
    expect(admin.setCookieHeader).toMatch(/SameSite=Strict/i);
    expect(admin.setCookieHeader).toMatch(/Path=\/console/i);
    expect(admin.setCookieHeader).not.toMatch(/Secure/i); // plain http on loopback; Secure comes with TLS

    const made = await admin.request('POST', '/console/api/staff', { username: 'lockme', displayName: '测试', roles: ['checker'], password: STAFF_PASSWORD });
    expect(made.status).toBe(201);
    const other = consoleClient(c.url);
    for (let i = 0; i < 5; i++) expect((await other.login('lockme', 'wrong-password-1')).status).toBe(401);
    const locked = await other.login('lockme', STAFF_PASSWORD);
    expect(locked.status).toBe(401);
    expect(locked.body.message).toContain('锁定');
    expect((await other.login('nobody-here', STAFF_PASSWORD)).body.message).toBe('用户名或密码错误。');
  });

  it('a state-changing request with a missing or foreign CSRF token, or from another origin, is refused and changes nothing', async () => {
    const c = county();
    const { admin, approver } = await staffFor(c);
    const station = { code: `C${Date.now() % 100000}`, township: '城关镇' };
    const count = async () => (await admin.request('GET', '/console/api/stations')).body.stations.length as number;
    const before = await count();

    const noToken = await admin.request('POST', '/console/api/stations', station, { 'x-csrf-token': '' });
    expect(noToken.status).toBe(403);
    expect(noToken.body.message).toContain('CSRF');
    // The approver's token is a real token, but of another session.
    const foreign = await admin.request('POST', '/console/api/stations', station, { 'x-csrf-token': approver.csrf! });
    expect(foreign.status).toBe(403);
    const crossSite = await admin.request('POST', '/console/api/stations', station, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.message).toContain('来源');
    const noOrigin = await admin.request('POST', '/console/api/stations', station, { origin: '' });
    expect(noOrigin.status).toBe(403);
    expect(await count()).toBe(before);

    const ok = await admin.request('POST', '/console/api/stations', station);
    expect(ok.status).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('roles limit what an officer may do; sign-out ends the session', async () => {
    const c = county();
    const { approver, checker } = await staffFor(c);
    const s = await c.station();
    const kase = await pushCase(s, { firstId: 1 });
    const denied = await checker.request('POST', `/console/api/cases/${kase.caseId}/decision`, { outcome: 'approved', amountFen: 26_000, paymentStartMonth: '2025-04' });
    expect(denied.status).toBe(403);
    expect((await c.admin('GET', `/admin/cases/${kase.caseId}`)).body.county.decision).toBeNull();
    expect((await approver.request('GET', '/console/api/stations')).status).toBe(403);
    expect((await approver.request('GET', '/console/api/audit')).status).toBe(403);

    expect((await approver.request('POST', '/console/api/logout')).status).toBe(204);
    const after = await approver.request('GET', '/console/api/inbox', undefined, { cookie: approver.cookie ?? 'county_console=gone' });
    expect(after.status).toBe(401);
  });
});
