import { expect, it } from 'vitest';
import { issueEnrolmentCode } from '../../../server/services/stations';
import { describeEachBackend, http, json, m, newClientId, stationClient, uniqueCode, uuid } from './harness';

// docs/sync-protocol.md SP-3, SP-5 … SP-8 (enrolment, credentials, revocation) and SP-60 (admin token).

describeEachBackend('enrolment and authentication', (county) => {
  it('SP-5/SP-6: a one-time code becomes a credential once; the county keeps only its hash', async () => {
    const c = county();
    const created = await c.admin('POST', '/admin/stations', { code: uniqueCode(), township: '城关镇' });
    expect(created.status).toBe(201);
    const code: string = created.body.enrolment.code;
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

    const clientId = newClientId();
    // Typed in lower case without dashes: still the same code.
    const first = await http(`${c.url}/sync/v1/enrol`, 'POST', json({ code: code.replace(/-/g, '').toLowerCase(), clientId }));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ stationId: created.body.station.id, township: '城关镇', clientId, protocolVersion: 1 });
    expect(Buffer.from(first.body.credential, 'base64url')).toHaveLength(32);

    const again = await http(`${c.url}/sync/v1/enrol`, 'POST', json({ code, clientId: newClientId() }));
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('ENROLMENT_CODE_INVALID');

    const stored = await c.server.db.query<{ token_hash: string }>('SELECT token_hash FROM credentials WHERE client_id = $1', [clientId]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const leaked = await c.server.db.query(`SELECT 1 FROM credentials WHERE token_hash = $1`, [first.body.credential]);
    expect(leaked.rows).toHaveLength(0);
  });

  it('SP-5: an expired or unknown code is refused and creates nothing', async () => {
    const c = county();
    const created = await c.admin('POST', '/admin/stations', { code: uniqueCode(), township: '城关镇' });
    const expired = await issueEnrolmentCode(c.server.db, created.body.station.id, -1);
    const clientId = newClientId();
    for (const code of [expired.code, 'AAAA-BBBB-CCCC-DDDD']) {
      const res = await http(`${c.url}/sync/v1/enrol`, 'POST', json({ code, clientId }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('ENROLMENT_CODE_INVALID');
      expect(res.body.message).toContain('注册码');
    }
    const clients = await c.server.db.query('SELECT 1 FROM clients WHERE client_id = $1', [clientId]);
    expect(clients.rows).toHaveLength(0);
  });

  it('SP-7: sync requests without, with an unknown, or with a malformed credential are refused with 401', async () => {
    const c = county();
    const s = await c.station();
    const body = { protocolVersion: 1, clientId: s.clientId, mutations: [m.settings(1)] };
    for (const headers of [{}, { authorization: 'Bearer nonsense' }, { authorization: `Basic ${s.credential}` }] as Record<string, string>[]) {
      const res = await http(`${c.url}/sync/v1/push`, 'POST', json(body, headers));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
    const pull = await http(`${c.url}/sync/v1/pull`, 'POST', json({ protocolVersion: 1, clientId: s.clientId, cursor: null }));
    expect(pull.status).toBe(401);
    // Nothing was applied by the refused pushes.
    expect((await s.pull(null)).body.lastMutationId).toBe(0);
  });

  it('SP-3: a credential speaks for its own clientId only', async () => {
    const c = county();
    const a = await c.station();
    const b = await c.station();
    const res = await http(
      `${c.url}/sync/v1/push`,
      'POST',
      json({ protocolVersion: 1, clientId: b.clientId, mutations: [m.settings(1)] }, { authorization: `Bearer ${a.credential}` }),
    );
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CLIENT_MISMATCH');
    expect((await b.pull(null)).body.lastMutationId).toBe(0);
  });

  it('SP-8: a revoked station is refused at once; a new code re-enrols the same install and keeps its mutation ids', async () => {
    const c = county();
    const s = await c.station();
    expect((await s.push([m.settings(1, '城关镇民政办', s.code)])).body.lastMutationId).toBe(1);

    const revoked = await c.admin('POST', `/admin/stations/${s.stationId}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedCredentials).toBe(1);
    const push = await s.push([m.settings(2)]);
    expect(push.status).toBe(401);
    expect((await s.pull(null)).status).toBe(401);
    const head = await s.request('GET', `/sync/v1/attachments/${'0'.repeat(64)}`);
    expect(head.status).toBe(401);

    const code = await c.admin('POST', `/admin/stations/${s.stationId}/enrolment-codes`);
    expect(code.status).toBe(201);
    const again = await http(`${c.url}/sync/v1/enrol`, 'POST', json({ code: code.body.code, clientId: s.clientId }));
    expect(again.status).toBe(200);
    expect(again.body.credential).not.toBe(s.credential);
    const back = stationClient(c.url, { ...s, credential: again.body.credential });
    const next = await back.push([m.settings(1), m.settings(2)]);
    expect(next.status).toBe(200);
    expect(next.body.results.map((r) => r.status)).toEqual(['duplicate', 'applied']);
    expect(next.body.lastMutationId).toBe(2);
    // The old credential stays dead.
    expect((await s.pull(null)).status).toBe(401);
  });

  it("SP-5: another station's clientId is never handed over", async () => {
    const c = county();
    const a = await c.station();
    const other = await c.admin('POST', '/admin/stations', { code: uniqueCode(), township: '城关镇' });
    const res = await http(`${c.url}/sync/v1/enrol`, 'POST', json({ code: other.body.enrolment.code, clientId: a.clientId }));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CLIENT_ID_TAKEN');
    // The code was not spent by the refused attempt.
    const ok = await http(`${c.url}/sync/v1/enrol`, 'POST', json({ code: other.body.enrolment.code, clientId: newClientId() }));
    expect(ok.status).toBe(200);
  });

  it('SP-60: admin routes need the admin token; the station list shows sync times and stuck mutations', async () => {
    const c = county();
    for (const headers of [{}, { authorization: 'Bearer wrong-token-wrong-token' }] as Record<string, string>[]) {
      const res = await http(`${c.url}/admin/stations`, 'GET', { headers });
      expect(res.status).toBe(401);
    }
    const station = await c.station();
    const duplicateCode = await c.admin('POST', '/admin/stations', { code: station.code, township: '城关镇' });
    expect(duplicateCode.status).toBe(409);
    const badInput = await c.admin('POST', '/admin/stations', { code: 'has space', township: '' });
    expect(badInput.status).toBe(400);
    expect(badInput.body.code).toBe('INVALID_INPUT');

    await station.push([m.settings(1, '城关镇民政办', 'X9'), { id: 2, name: 'nope', args: {} }, m.person(3, uuid())], { pendingCount: 7 });
    const list = await c.admin('GET', '/admin/stations');
    const row = list.body.stations.find((s: { id: string }) => s.id === station.stationId);
    expect(row).toMatchObject({ code: station.code, reportedCode: 'X9', reportedName: '城关镇民政办', activeCredentials: 1, failedCount: 1, pendingCount: 7 });
    expect(Date.parse(row.lastSyncAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('health answers without authentication', async () => {
    const res = await http(`${county().url}/health`, 'GET');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: county().backend, protocolVersion: 1 });
  });
});

