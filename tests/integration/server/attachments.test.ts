import { createHash, randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { MAX_ATTACHMENT_CHUNK_BYTES } from '../../../shared/sync/protocol';
import { readAttachment } from '../../../server/services/attachments';
import { describeEachBackend, m, uuid, type TestStation } from './harness';

// docs/sync-protocol.md SP-40 … SP-44 (content-addressed, resumable, verified, deduplicated attachments).

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const put = (s: TestStation, hash: string, offset: number, size: number, chunk: Uint8Array) =>
  s.request('PUT', `/sync/v1/attachments/${hash}?offset=${offset}&size=${size}`, {
    body: new Uint8Array(chunk),
    headers: { 'content-type': 'application/octet-stream' },
  });

describeEachBackend('attachments', (county) => {
  it('SP-41/SP-42: an interrupted upload resumes at the offset the county reports', async () => {
    const c = county();
    const s = await c.station();
    const file = randomBytes(250_000);
    const hash = sha(file);
    expect((await s.request('HEAD', `/sync/v1/attachments/${hash}`)).status).toBe(404);

    const first = await put(s, hash, 0, file.length, file.subarray(0, 100_000));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ sha256: hash, size: file.length, received: 100_000, complete: false });

    // "Connection lost": the station asks where the county stands.
    const head = await s.request('HEAD', `/sync/v1/attachments/${hash}`);
    expect(head.status).toBe(200);
    expect(head.headers.get('x-attachment-received')).toBe('100000');
    expect(head.headers.get('x-attachment-size')).toBe(String(file.length));
    expect(head.headers.get('x-attachment-complete')).toBe('0');

    // A chunk sent again from an old offset is refused with the position to resume from, and changes nothing.
    const stale = await put(s, hash, 0, file.length, file.subarray(0, 100_000));
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'OFFSET_MISMATCH', received: 100_000 });

    expect((await put(s, hash, 100_000, file.length, file.subarray(100_000, 200_000))).body.received).toBe(200_000);
    const done = await put(s, hash, 200_000, file.length, file.subarray(200_000));
    expect(done.body).toEqual({ sha256: hash, size: file.length, received: file.length, complete: true });
    expect(Buffer.compare((await readAttachment(c.server.db, hash))!, file)).toBe(0);

    // Registration and upload are independent; the case view shows the file as arrived.
    const caseId = uuid();
    await s.push([m.caseSave(1, caseId), m.attachment(2, caseId, hash, file.length)]);
    expect((await c.admin('GET', `/admin/cases/${caseId}`)).body.attachments).toMatchObject([{ sha256: hash, uploaded: true, fileName: '身份证.jpg' }]);
  });

  it('SP-43: bytes that do not hash to the name are discarded with 422', async () => {
    const c = county();
    const s = await c.station();
    const real = randomBytes(5000);
    const hash = sha(real);
    const forged = Buffer.from(real);
    forged[4999] ^= 0xff;
    await put(s, hash, 0, 5000, forged.subarray(0, 3000));
    const res = await put(s, hash, 3000, 5000, forged.subarray(3000));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('HASH_MISMATCH');
    expect((await s.request('HEAD', `/sync/v1/attachments/${hash}`)).status).toBe(404);
    const chunks = await c.server.db.query('SELECT 1 FROM attachment_chunks WHERE sha256 = $1', [hash]);
    expect(chunks.rows).toHaveLength(0);
    // Starting over with the right bytes works.
    expect((await put(s, hash, 0, 5000, real)).body.complete).toBe(true);
  });

  it('SP-44: the same file from two stations is stored once', async () => {
    const c = county();
    const a = await c.station();
    const b = await c.station();
    const file = randomBytes(10_000);
    const hash = sha(file);
    expect((await put(a, hash, 0, file.length, file)).body.complete).toBe(true);
    const head = await b.request('HEAD', `/sync/v1/attachments/${hash}`);
    expect(head.headers.get('x-attachment-complete')).toBe('1');
    // Even a station that uploads anyway changes nothing.
    const again = await put(b, hash, 0, file.length, file);
    expect(again.status).toBe(200);
    expect(again.body.complete).toBe(true);
    const stored = await c.server.db.query<{ n: string | number }>('SELECT count(*) AS n FROM attachment_chunks WHERE sha256 = $1', [hash]);
    expect(Number(stored.rows[0]!.n)).toBe(1);
  });

  it('SP-41: chunks are bounded, need a credential and a valid name; a zero-byte file completes at once', async () => {
    const c = county();
    const s = await c.station();
    const big = randomBytes(MAX_ATTACHMENT_CHUNK_BYTES + 1);
    const tooBig = await put(s, sha(big), 0, big.length, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.code).toBe('PAYLOAD_TOO_LARGE');
    const anon = await fetch(`${c.url}/sync/v1/attachments/${'1'.repeat(64)}?offset=0&size=1`, {
      method: 'PUT',
      body: new Uint8Array([1]),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(anon.status).toBe(401);
    for (const method of ['HEAD', 'GET']) {
      expect((await fetch(`${c.url}/sync/v1/attachments/${'1'.repeat(64)}`, { method })).status).toBe(401);
    }
    expect((await put(s, 'ABC', 0, 1, new Uint8Array([1]))).status).toBe(400);
    expect((await put(s, '2'.repeat(64), 0, 1, new Uint8Array([1, 2]))).status).toBe(400);
    const empty = new Uint8Array(0);
    const zero = await put(s, sha(empty), 0, 0, empty);
    expect(zero.status).toBe(200);
    expect(zero.body.complete).toBe(true);
  });
});
