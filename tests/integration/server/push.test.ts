import { request } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { MAX_PUSH_MUTATIONS } from '../../../shared/sync/protocol';
import { describeEachBackend, gzipJson, http, json, m, uuid } from './harness';

// docs/sync-protocol.md SP-20 … SP-27 (push), SP-13 (invalid mutations), SP-2 (versioning).

describeEachBackend('push', (county) => {
  it('SP-21/SP-22: a resent batch is acknowledged as duplicate and has no second effect', async () => {
    const c = county();
    const s = await c.station();
    const caseId = uuid();
    const personId = uuid();
    const batch = [m.person(1, personId, { phone: '13800000000' }), m.caseSave(2, caseId), m.caseEvent(3, caseId), m.caseEvent(4, caseId, { action: 'startInvestigation', toState: 'investigating' })];
    const first = await s.push(batch);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ lastMutationId: 4, results: batch.map((b) => ({ id: b.id, status: 'applied' })) });

    // The reply was "lost": the station sends the same batch plus one more.
    const second = await s.push([...batch, m.person(5, personId, { phone: '13900000000' })]);
    expect(second.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'applied']);
    expect(second.body.lastMutationId).toBe(5);

    const kase = await c.admin('GET', `/admin/cases/${caseId}`);
    expect(kase.body.events).toHaveLength(2);
    expect(kase.body.stationState).toBe('investigating');
    const projection = await c.admin('GET', `/admin/stations/${s.stationId}/projection`);
    expect(projection.body.persons[personId].phone).toBe('13900000000');
    expect(projection.body.lastMutationIds[s.clientId]).toBe(5);
  });

  it('SP-22: two copies of one batch racing each other are applied exactly once', async () => {
    const c = county();
    const s = await c.station();
    const caseId = uuid();
    const batch = [m.caseSave(1, caseId), ...Array.from({ length: 20 }, (_, i) => m.caseEvent(i + 2, caseId))];
    const [a, b] = await Promise.all([s.push(batch), s.push(batch)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const statuses = [...a.body.results, ...b.body.results].map((r) => r.status);
    expect(statuses.filter((x) => x === 'applied')).toHaveLength(21);
    expect(statuses.filter((x) => x === 'duplicate')).toHaveLength(21);
    expect((await c.admin('GET', `/admin/cases/${caseId}`)).body.events).toHaveLength(20);
  });

  it('SP-23: a gap stops the batch; nothing after it is applied', async () => {
    const c = county();
    const s = await c.station();
    const [p1, p3, p4] = [uuid(), uuid(), uuid()];
    const res = await s.push([m.person(1, p1), m.person(3, p3), m.person(4, p4)]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ lastMutationId: 1, results: [{ id: 1, status: 'applied' }], gap: { expected: 2 } });
    const projection = await c.admin('GET', `/admin/stations/${s.stationId}/projection`);
    expect(Object.keys(projection.body.persons)).toEqual([p1]);

    // A batch that starts beyond the next id changes nothing at all.
    const ahead = await s.push([m.person(7, uuid())]);
    expect(ahead.body).toEqual({ lastMutationId: 1, results: [], gap: { expected: 2 } });
    const resumed = await s.push([m.person(2, uuid()), m.person(3, p3)]);
    expect(resumed.body.lastMutationId).toBe(3);
    expect(resumed.body.gap).toBeUndefined();
  });

  it('SP-13/SP-24: invalid mutations are rejected, recorded and never block the ones after them', async () => {
    const c = county();
    const s = await c.station();
    const good = uuid();
    const res = await s.push([
      { id: 1, name: 'person.delete', args: { id: uuid() } },
      { id: 2, name: 'person.save', args: { id: 'NOT-A-UUID', data: {} } },
      { id: 3, name: 'person.save', args: { id: uuid(), data: { name: 'a\u0000b' } } },
      { id: 4, name: 'case.save', args: { id: uuid(), data: {} } },
      m.person(5, good),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.lastMutationId).toBe(5);
    expect(res.body.results.map((r) => [r.status, r.code])).toEqual([
      ['rejected', 'INVALID_MUTATION'],
      ['rejected', 'INVALID_MUTATION'],
      ['rejected', 'INVALID_MUTATION'],
      ['rejected', 'INVALID_MUTATION'],
      ['applied', undefined],
    ]);
    expect(res.body.results[0]!.message).toContain('person.delete');
    expect(res.body.results[3]!.message).toContain('baseCountyVersion');

    // A resend reports the original outcome with the duplicate, and pull delivers it too (a lost reply loses nothing).
    const again = await s.push([{ id: 1, name: 'person.delete', args: {} }]);
    expect(again.body.results[0]).toMatchObject({ id: 1, status: 'duplicate', original: { status: 'rejected', code: 'INVALID_MUTATION' } });
    const pulled = await s.pullAll(null);
    const outcomes = pulled.flatMap((p) => p.mutationResults);
    expect(outcomes.map((o) => o.id).sort()).toEqual([1, 2, 3, 4]);
    expect(outcomes.find((o) => o.id === 1)).toMatchObject({ name: 'person.delete', status: 'rejected', code: 'INVALID_MUTATION' });
    const projection = await c.admin('GET', `/admin/stations/${s.stationId}/projection`);
    expect(Object.keys(projection.body.persons)).toEqual([good]);
  });

  it('SP-24/SP-27: a mutation the database refuses is pinned on that mutation alone (savepoint path)', async () => {
    const c = county();
    const s = await c.station();
    // Stand-in for any refusal the schemas did not foresee: a trigger raising a data exception for one marked row.
    await c.server.db.exec(`
      CREATE OR REPLACE FUNCTION test_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.data->>'poison' = 'yes' THEN RAISE EXCEPTION 'refused' USING ERRCODE = '22023'; END IF;
        RETURN NEW;
      END $$;
      DROP TRIGGER IF EXISTS test_refuse_poison ON persons;
      CREATE TRIGGER test_refuse_poison BEFORE INSERT OR UPDATE ON persons FOR EACH ROW EXECUTE FUNCTION test_refuse_poison();
    `);
    try {
      const [a, b, cc] = [uuid(), uuid(), uuid()];
      const caseId = uuid();
      const res = await s.push([m.person(1, a), m.person(2, b, { poison: 'yes' }), m.caseSave(3, caseId), m.person(4, cc)]);
      expect(res.status).toBe(200);
      expect(res.body.lastMutationId).toBe(4);
      expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied', 'applied']);
      expect(res.body.results[1]).toMatchObject({ code: 'APPLY_FAILED' });
      expect(res.body.results[1]!.message).toContain('22023');
      const projection = await c.admin('GET', `/admin/stations/${s.stationId}/projection`);
      expect(Object.keys(projection.body.persons).sort()).toEqual([a, cc].sort());
      expect(Object.keys(projection.body.cases)).toEqual([caseId]);
    } finally {
      await c.server.db.exec('DROP TRIGGER IF EXISTS test_refuse_poison ON persons');
    }
  });

  it('SP-1: a gzip-compressed push is accepted; a gzip bomb is refused by the inflated-size limit', async () => {
    const c = county();
    const s = await c.station();
    const ids = Array.from({ length: 200 }, () => uuid());
    const body = { protocolVersion: 1, clientId: s.clientId, mutations: ids.map((id, i) => m.person(i + 1, id)) };
    const res = await http(`${c.url}/sync/v1/push`, 'POST', gzipJson(body, { authorization: `Bearer ${s.credential}` }));
    expect(res.status).toBe(200);
    expect(res.body.lastMutationId).toBe(200);

    // 40 MiB of spaces inside valid JSON compresses to ~40 KiB.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"protocolVersion":1,"x":"'), Buffer.alloc(40 * 1024 * 1024, 0x20), Buffer.from('"}')]));
    const refused = await http(`${c.url}/sync/v1/push`, 'POST', {
      body: new Uint8Array(bomb),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: `Bearer ${s.credential}` },
    });
    expect(refused.status).toBe(413);
    expect(refused.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('SP-1: the answer is gzipped when the station accepts gzip and plain otherwise; bad encodings are refused', async () => {
    const c = county();
    const s = await c.station();
    const auth = { authorization: `Bearer ${s.credential}` };
    const batch = (from: number) => ({ protocolVersion: 1, clientId: s.clientId, mutations: Array.from({ length: 60 }, (_, i) => m.person(from + i, uuid())) });
    // node:http, not fetch: fetch inflates the answer by itself, and the test is about the bytes on the wire.
    const raw = (body: unknown, headers: Record<string, string>) =>
      new Promise<{ status: number; encoding: string | null; bytes: Buffer }>((resolve, reject) => {
        const payload = gzipSync(JSON.stringify(body));
        const req = request(`${c.url}/sync/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': payload.length, ...auth, ...headers } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: (res.headers['content-encoding'] as string | undefined) ?? null, bytes: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end(payload);
      });
    const zipped = await raw(batch(1), { 'accept-encoding': 'gzip' });
    expect(zipped.status).toBe(200);
    expect(zipped.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(zipped.bytes).toString()).lastMutationId).toBe(60);
    const plain = await raw(batch(61), { 'accept-encoding': 'gzip;q=0, identity' });
    expect(plain.encoding).toBeNull();
    expect(JSON.parse(plain.bytes.toString()).lastMutationId).toBe(120);

    const zstd = await http(`${c.url}/sync/v1/push`, 'POST', { body: new Uint8Array([1, 2, 3]), headers: { 'content-type': 'application/json', 'content-encoding': 'zstd', ...auth } });
    expect([zstd.status, zstd.body.code]).toEqual([415, 'UNSUPPORTED_ENCODING']);
    // brotli is accepted (SP-20's framed pushes use it), so bytes that are not brotli are a bad request.
    const br = await http(`${c.url}/sync/v1/push`, 'POST', { body: new Uint8Array([1, 2, 3]), headers: { 'content-type': 'application/json', 'content-encoding': 'br', ...auth } });
    expect([br.status, br.body.code]).toEqual([400, 'BAD_REQUEST']);
    const broken = await http(`${c.url}/sync/v1/push`, 'POST', { body: new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...auth } });
    expect([broken.status, broken.body.code]).toEqual([400, 'BAD_REQUEST']);
    // Nothing of the refused requests was applied.
    expect((await c.admin('GET', `/admin/stations/${s.stationId}/projection`)).body.lastMutationIds[s.clientId]).toBe(120);
  });

  it('SP-2/SP-20: wrong protocol version, oversized batch and malformed envelopes are refused whole', async () => {
    const c = county();
    const s = await c.station();
    const auth = { authorization: `Bearer ${s.credential}` };
    const v2 = await http(`${c.url}/sync/v1/push`, 'POST', json({ protocolVersion: 2, clientId: s.clientId, mutations: [] }, auth));
    expect(v2.status).toBe(400);
    expect(v2.body).toMatchObject({ code: 'UNSUPPORTED_PROTOCOL', supported: [1] });

    const tooMany = Array.from({ length: MAX_PUSH_MUTATIONS + 1 }, (_, i) => m.settings(i + 1));
    const big = await s.push(tooMany);
    expect(big.status).toBe(400);
    expect((big.body as unknown as { code: string }).code).toBe('BAD_REQUEST');

    const badId = await s.push([{ id: 1.5, name: 'station.settings', args: {} }]);
    expect(badId.status).toBe(400);
    const notJson = await http(`${c.url}/sync/v1/push`, 'POST', { body: '{"protocolVersion":1,', headers: { 'content-type': 'application/json', ...auth } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe('BAD_REQUEST');
    expect((await s.pull(null)).body.lastMutationId).toBe(0);
  });

  it('SP-20: a full batch of the documented maximum is applied in one push', async () => {
    const c = county();
    const s = await c.station();
    const mutations = Array.from({ length: MAX_PUSH_MUTATIONS }, (_, i) => (i % 2 === 0 ? m.person(i + 1, uuid()) : m.household(i + 1, uuid())));
    const res = await s.push(mutations);
    expect(res.status).toBe(200);
    expect(res.body.lastMutationId).toBe(MAX_PUSH_MUTATIONS);
    expect(res.body.results.every((r) => r.status === 'applied')).toBe(true);
    const projection = await c.admin('GET', `/admin/stations/${s.stationId}/projection`);
    expect(Object.keys(projection.body.persons)).toHaveLength(MAX_PUSH_MUTATIONS / 2);
    expect(Object.keys(projection.body.households)).toHaveLength(MAX_PUSH_MUTATIONS / 2);
  });
});
