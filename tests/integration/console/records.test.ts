import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { startCountyServer } from '../../../server/main';
import { makeTempDir } from '../../support/tempDir';
import { describeEachBackend } from '../server/harness';
import { ADMIN_PASSWORD, pushCase, staffFor } from './consoleClient';

// Material previews, session expiry and Secure cookies over TLS (issue 5, deliverables 1, 2 and 7).

/** A tiny genuine PNG (1×1 grey). */
function png(): Buffer {
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) {
      c ^= x;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    td.copy(out, 4);
    out.writeUInt32BE(crc(td), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from([0, 200]))), chunk('IEND', Buffer.alloc(0))]);
}

describeEachBackend('console records', (county) => {
  it('a scanned material uploaded by the station is previewed in the console, and the view is audited', async () => {
    const c = county();
    const { admin, approver } = await staffFor(c);
    const s = await c.station();
    const kase = await pushCase(s, { firstId: 1 });
    const other = await pushCase(s, { firstId: kase.nextId });
    const bytes = png();
    const sha = createHash('sha256').update(bytes).digest('hex');
    const reg = await s.push([
      { id: other.nextId, name: 'attachment.register', args: { caseId: kase.caseId, sha256: sha, size: bytes.length, mime: 'image/png', materialKey: 'idCard', fileName: '身份证.png' } },
    ]);
    expect(reg.body.results[0]!.status).toBe('applied');
    const path = `/console/api/cases/${kase.caseId}/attachments/${sha}`;
    // Registered but not uploaded yet: the dossier says so and the preview is not there.
    const dossier = await approver.request('GET', `/console/api/cases/${kase.caseId}`);
    expect(dossier.body.attachments).toEqual([expect.objectContaining({ sha256: sha, uploaded: false, fileName: '身份证.png' })]);
    expect((await approver.request('GET', path)).status).toBe(404);

    const put = await s.request('PUT', `/sync/v1/attachments/${sha}?offset=0&size=${bytes.length}`, { body: new Uint8Array(bytes), headers: { 'content-type': 'application/octet-stream' } });
    expect(put.status).toBe(200);
    const res = await fetch(`${c.url}${path}`, { headers: { cookie: approver.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    // Knowing a hash opens nothing through another case.
    expect((await approver.request('GET', `/console/api/cases/${other.caseId}/attachments/${sha}`)).status).toBe(404);
    // Nor without a session.
    expect((await fetch(`${c.url}${path}`)).status).toBe(401);

    const audit = await admin.request('GET', `/console/api/audit?action=attachment.view&entityId=${kase.caseId}`);
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0].detail).toEqual({ sha256: sha });
  });

  it('a session that has run out is refused, and the officer must sign in again', async () => {
    const c = county();
    const { approver } = await staffFor(c);
    expect((await approver.request('GET', '/console/api/inbox')).status).toBe(200);
    const staffId = (await approver.request('GET', '/console/api/session')).body.staff.id;
    await c.server.db.query(`UPDATE console_sessions SET expires_at = now() - interval '1 second' WHERE staff_id = $1`, [staffId]);
    const res = await approver.request('GET', '/console/api/inbox');
    expect(res.status).toBe(401);
    expect((await approver.request('GET', '/console/api/session')).body.message).toContain('登录已过期');
  });
});

const opensslMissing = spawnSync('openssl', ['version']).status !== 0;
it.skipIf(opensslMissing)('over TLS the session cookie is also Secure', async () => {
  const tmp = makeTempDir('console-tls-');
  const [cert, key] = [join(tmp.dir, 'cert.pem'), join(tmp.dir, 'key.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const server = await startCountyServer({ port: 0, tlsCertFile: cert, tlsKeyFile: key, logLevel: 'silent' });
  const post = (path: string, body: unknown) =>
    new Promise<{ status: number; setCookie: string[] }>((resolve, reject) => {
      const req = httpsRequest(
        `${server.url}${path}`,
        { method: 'POST', ca: execFileSync('cat', [cert]), headers: { 'content-type': 'application/json', origin: server.url } },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [] }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  try {
    expect((await post('/console/api/setup', { adminToken: server.adminToken, username: 'admin', displayName: '管理员', password: ADMIN_PASSWORD })).status).toBe(201);
    const login = await post('/console/api/login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
    expect(login.setCookie.join(';')).toMatch(/county_console=.*; .*Secure/i);
    expect(login.setCookie.join(';')).toMatch(/HttpOnly/i);
  } finally {
    await server.close();
    tmp.cleanup();
  }
});
