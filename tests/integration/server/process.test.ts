import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startCountyServer } from '../../../server/main';
import { startCountyProcess } from '../../support/countyProcess';
import { makeTempDir } from '../../support/tempDir';
import { countyClient, http, json, m, uuid } from './harness';

// The county server as operators run it: CLI, data folder, signals, TLS rule, logs (docs/sync-protocol.md SP-1, SP-61).

const temps: { cleanup(): void }[] = [];
const tempDir = () => {
  const t = makeTempDir('county-');
  temps.push(t);
  return t.dir;
};
afterAll(() => temps.forEach((t) => t.cleanup()));

describe('county server process', () => {
  it('starts on a data folder, enrols a station from the command line while running, stops on SIGTERM, keeps its data', async () => {
    const dataDir = tempDir();
    const proc = await startCountyProcess({ dataDir });
    try {
      expect((await http(`${proc.url}/health`, 'GET')).body.status).toBe('ok');
      expect(proc.output()).not.toContain('started without');
      const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/county.ts', 'enrol-station', '--data', dataDir, '--code', 'CLI01', '--township', '东岭乡'], {
        encoding: 'utf8',
        env: { ...process.env, COUNTY_ADMIN_TOKEN: proc.adminToken },
      });
      expect(cli.status, cli.stderr).toBe(0);
      const code = /一次性注册码：(\S+)/.exec(cli.stdout)?.[1];
      expect(code).toMatch(/^[0-9A-Z]{4}-/);
      const enrolled = await http(`${proc.url}/sync/v1/enrol`, 'POST', json({ code, clientId: 'cli-client-1' }));
      expect(enrolled.status).toBe(200);
      expect(enrolled.body.township).toBe('东岭乡');
      expect(existsSync(join(dataDir, 'server.json'))).toBe(true);
    } finally {
      expect(await proc.stop()).toBe(0);
    }
    expect(existsSync(join(dataDir, 'server.json'))).toBe(false);

    // Started by hand without the process flags (server/nodeFlags.ts): it works, and tells the operator how to start it.
    const again = await startCountyProcess({ dataDir, adminToken: proc.adminToken, nodeFlags: [] });
    try {
      await vi.waitFor(() => expect(again.output()).toContain('county: started without --initial-old-space-size=128'), { timeout: 5000 });
      const list = await http(`${again.url}/admin/stations`, 'GET', { headers: { authorization: `Bearer ${again.adminToken}` } });
      expect(list.body.stations.map((s: { code: string }) => s.code)).toEqual(['CLI01']);
    } finally {
      await again.kill9();
    }
  });

  it('generates an admin token into the data folder on first start and reuses it', async () => {
    const dataDir = tempDir();
    const first = await startCountyServer({ dataDir, port: 0, logLevel: 'silent' });
    await first.close();
    expect(first.adminTokenGenerated).toBe(true);
    const second = await startCountyServer({ dataDir, port: 0, logLevel: 'silent' });
    await second.close();
    expect(second.adminTokenGenerated).toBe(false);
    expect(second.adminToken).toBe(first.adminToken);
  });

  it('SP-1: refuses plain HTTP on a non-loopback address', async () => {
    await expect(startCountyServer({ port: 0, host: '0.0.0.0', logLevel: 'silent' })).rejects.toThrow(/refusing plain HTTP/);
  });

  const opensslMissing = spawnSync('openssl', ['version']).status !== 0;
  it.skipIf(opensslMissing)('SP-1: speaks HTTPS with a configured certificate', async () => {
    const dir = tempDir();
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const server = await startCountyServer({ port: 0, tlsCertFile: cert, tlsKeyFile: key, logLevel: 'silent' });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) => {
        const req = httpsRequest(`${server.url}/health`, { ca: execFileSync('cat', [cert]) }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
      expect(JSON.parse(body).status).toBe('ok');
    } finally {
      await server.close();
    }
  });

  it('SP-61: logs carry routes and counts, never names, ID numbers, payloads or credentials', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString();
        done();
      },
    });
    const server = await startCountyServer({ port: 0, logger: pino({ level: 'debug' }, sink) });
    try {
      const county = countyClient('pglite', server);
      const s = await county.station();
      const personId = uuid();
      const res = await s.push([
        m.person(1, personId, { name: '欧阳春花', idNumber: '430102195501017777', address: '幸福村3组' }),
        { id: 2, name: 'person.save', args: { id: 'bad', data: { name: '欧阳春花' } } },
      ]);
      expect(res.body.lastMutationId).toBe(2);
      await http(`${server.url}/sync/v1/push`, 'POST', { body: '{"name":"欧阳春花",', headers: { 'content-type': 'application/json', authorization: `Bearer ${s.credential}` } });
      await s.pull(null);
    } finally {
      await server.close();
    }
    expect(logged).toContain('"msg":"push"');
    for (const secret of ['欧阳春花', '430102195501017777', '幸福村']) expect(logged).not.toContain(secret);
    expect(logged).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
  });
});
