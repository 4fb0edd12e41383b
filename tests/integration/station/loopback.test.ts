import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startLoopbackHost, type LoopbackHost } from '../../../main/core/host/loopbackServer';
import { openTestCore } from '../../support/stationCore';
import { makeTempDir, randomKeyHex } from '../../support/tempDir';
import type { StationCore } from '../../../main/core/station';

let host: LoopbackHost;
let core: StationCore;
let cleanup: () => void;

beforeAll(async () => {
  const t = makeTempDir();
  cleanup = t.cleanup;
  core = openTestCore(t.dir, randomKeyHex());
  host = await startLoopbackHost({ core });
});
afterAll(async () => {
  await host.close();
  await core.close();
  cleanup();
});

function post(path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  const url = new URL(path, host.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let data = '';
        res.on('data', (c: Buffer) => (data += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: data ? JSON.parse(data) : null }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('loopback transport (browser host)', () => {
  it('binds to 127.0.0.1 only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a call without the per-run token', async () => {
    const r = await post('/api/call/settings.save', { townshipName: '城关镇', stationCode: '430102001' }, {});
    expect(r.status).toBe(401);
    expect(core.db.prepare('SELECT count(*) n FROM station_settings').get()).toEqual({ n: 0 });
  });

  it('refuses a wrong token of the right length', async () => {
    const r = await post('/api/call/status.get', {}, { authorization: `Bearer ${'0'.repeat(64)}` });
    expect(r.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await post('/api/call/status.get', {}, { authorization: `Bearer ${host.token}`, host: 'evil.example:80' });
    expect(r.status).toBe(421);
  });

  it('runs the same contract: INVALID_INPUT for a bad payload, success for a good one', async () => {
    const auth = { authorization: `Bearer ${host.token}` };
    const bad = await post('/api/call/settings.save', { townshipName: '城', stationCode: 'x' }, auth);
    expect(bad.json).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    const good = await post('/api/call/settings.save', { townshipName: '城关镇', stationCode: '430102001' }, auth);
    expect(good.json).toEqual({ ok: true, value: { townshipName: '城关镇', stationCode: '430102001' } });
  });
});
