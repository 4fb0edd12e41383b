import { brotliCompressSync, gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { PUSH_FRAMES_CONTENT_TYPE } from '../../../shared/sync/protocol';
import { applyPush } from '../../../server/services/push';
import { authenticate } from '../../../server/services/stations';
import { describeEachBackend, http, m, uuid, type TestCounty, type TestStation } from './harness';

// docs/sync-protocol.md SP-20 (the framed push body) and SP-29 (the station's args handed to PostgreSQL as sent).
// The frames are built here from the protocol text, byte by byte, not with the station's encoder: this checks the
// county against the document; tests/integration/sync covers the station's encoder against the county.

type Mutation = { id: number; name: string; args: unknown };

/** A framed body; `argsText` overrides the JSON text (bytes) sent for a mutation. */
function frames(envelope: Record<string, unknown>, mutations: Mutation[], argsText: (m: Mutation) => Buffer = (x) => Buffer.from(JSON.stringify(x.args))): Buffer {
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(envelope)}\n`)];
  for (const x of mutations) {
    const args = argsText(x);
    parts.push(Buffer.from(`${JSON.stringify({ id: x.id, name: x.name, bytes: args.length })}\n`), args, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

function pushFrames(c: TestCounty, s: TestStation, body: Buffer, encoding: 'gzip' | 'br' = 'gzip') {
  return http(`${c.url}/sync/v1/push`, 'POST', {
    body: new Uint8Array(encoding === 'br' ? brotliCompressSync(body) : gzipSync(body)),
    headers: { authorization: `Bearer ${s.credential}`, 'content-type': PUSH_FRAMES_CONTENT_TYPE, 'content-encoding': encoding },
  });
}

const envelopeOf = (s: TestStation) => ({ protocolVersion: 1, clientId: s.clientId, pendingCount: 0 });

async function projection(c: TestCounty, s: TestStation) {
  return (await c.admin('GET', `/admin/stations/${s.stationId}/projection`)).body as {
    persons: Record<string, Record<string, unknown>>;
    households: Record<string, Record<string, unknown>>;
    lastMutationIds: Record<string, number>;
  };
}

describeEachBackend('framed push (SP-20, SP-29)', (county) => {
  it('SP-20: records pushed in frames are stored exactly as the same records pushed as JSON', async () => {
    const c = county();
    const [viaFrames, viaJson] = [await c.station(), await c.station()];
    // Text that JSON escapes in several ways, and args written with spaces and newlines inside (the frame's length,
    // not a newline, ends them).
    const tricky = { name: '王小二 "二丫"', address: '湖南省长沙市\u2028芙蓉区\\东路 1 号 😀', tags: ['低保', null, true, 3.5, { 深: [1, [2]] }] };
    const batch = (ids: string[]) => [m.person(1, ids[0]!, tricky), m.household(2, ids[1]!, { village: '东村' }), m.caseSave(3, ids[2]!, { note: '第一行\n第二行' })];
    const a = [uuid(), uuid(), uuid()];
    const b = [uuid(), uuid(), uuid()];
    const pretty = (x: Mutation) => Buffer.from(JSON.stringify(x.args, null, 2));
    const res = await pushFrames(c, viaFrames, frames(envelopeOf(viaFrames), batch(a), pretty));
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect((await viaJson.push(batch(b))).status).toBe(200);

    const pa = await projection(c, viaFrames);
    const pb = await projection(c, viaJson);
    const withoutId = (r: Record<string, unknown> | undefined) => ({ ...r, id: undefined });
    expect(pa.persons[a[0]!]).toMatchObject(tricky);
    expect(withoutId(pa.persons[a[0]!])).toEqual(withoutId(pb.persons[b[0]!]));
    expect(withoutId(pa.households[a[1]!])).toEqual(withoutId(pb.households[b[1]!]));
    const caseA = (await c.admin('GET', `/admin/cases/${a[2]}`)).body;
    const caseB = (await c.admin('GET', `/admin/cases/${b[2]}`)).body;
    expect(caseA.stationState).toBe('submitted');
    expect({ ...caseA.data, id: undefined }).toEqual({ ...caseB.data, id: undefined });
    expect(pa.lastMutationIds[viaFrames.clientId]).toBe(3);
  });

  it('SP-29: a batch with its args as sent is applied by the one statement; the last save of a record wins', async () => {
    const c = county();
    const s = await c.station();
    const who = (await authenticate(c.server.db, s.credential))!;
    const [p, k] = [uuid(), uuid()];
    const mutations = [m.person(1, p, { phone: '1' }), m.caseSave(2, k, { state: 'submitted' }), m.person(3, p, { phone: '3' }), m.caseSave(4, k, { state: 42 })];
    // The station wrote 1.50; parsing and serialising again would have stored 1.5.
    const rawArgs = mutations.map((x) => Buffer.from(JSON.stringify(x.args).replace('"phone":"3"', '"phone":"3","ratio":1.50')));
    const res = await applyPush(c.server.db, who, { mutations, rawArgs, pendingCount: 0 });
    expect(res.stats.mode).toBe('statement');
    expect((await projection(c, s)).persons[p]!.phone).toBe('3');
    const stored = await c.server.db.query<{ ratio: string }>(`SELECT data->>'ratio' AS ratio FROM persons WHERE id = $1`, [p]);
    expect(stored.rows[0]!.ratio).toBe('1.50');
    // A state that is not text leaves the case's station state as it was, as a JSON push does.
    const saved = (await c.admin('GET', `/admin/cases/${k}`)).body;
    expect(saved.data.state).toBe(42);
    expect(saved.stationState).toBeNull();
  });

  it('SP-29: a save the byte check leaves to the schema is written by the same statement, from its checked value', async () => {
    const c = county();
    const s = await c.station();
    const who = (await authenticate(c.server.db, s.credential))!;
    const [p, q] = [uuid(), uuid()];
    const mutations = [m.person(1, p, { name: 'x' }), m.person(2, q, { name: 'y' })];
    // A \u escape is not vouched for on the bytes (saveArgsScan.ts); the record beside it still goes as sent.
    const rawArgs = [
      Buffer.from(JSON.stringify(mutations[0]!.args).replace('"name":"x"', '"name":"\\u738b\\u4e8c \\"\\\\","ratio":2.50')),
      Buffer.from(JSON.stringify(mutations[1]!.args).replace('"name":"y"', '"name":"y","ratio":2.50')),
    ];
    const res = await applyPush(c.server.db, who, { mutations, rawArgs, pendingCount: 0 });
    expect(res.stats.mode).toBe('statement');
    expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const stored = await c.server.db.query<{ id: string; name: string; ratio: string }>(
      `SELECT id::text AS id, data->>'name' AS name, data->>'ratio' AS ratio FROM persons WHERE id IN ($1, $2) ORDER BY id = $2`,
      [p, q],
    );
    // The first is the parsed value serialised again (2.50 becomes 2.5), the second the station's bytes.
    expect(stored.rows).toEqual([
      { id: p, name: '王二 "\\', ratio: '2.5' },
      { id: q, name: 'y', ratio: '2.50' },
    ]);
  });

  it('SP-29: when the statement is refused (another station\'s record) the batch path answers, from the parsed args', async () => {
    const c = county();
    const [a, b] = [await c.station(), await c.station()];
    const shared = uuid();
    expect((await a.push([m.person(1, shared, { phone: 'A' })])).status).toBe(200);
    const mine = uuid();
    const res = await pushFrames(c, b, frames(envelopeOf(b), [m.person(1, mine, { phone: 'B' }), m.person(2, shared, { phone: 'B' })]));
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string; code?: string }) => [r.status, r.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'NOT_OWNER'],
    ]);
    expect((await projection(c, a)).persons[shared]!.phone).toBe('A');
    expect((await projection(c, b)).persons[mine]!.phone).toBe('B');
  });

  it('SP-20: args that break the schema are refused one by one (INVALID_MUTATION), as in a JSON push', async () => {
    const c = county();
    const s = await c.station();
    const ok = uuid();
    const res = await pushFrames(c, s, frames(envelopeOf(s), [m.person(1, ok), { id: 2, name: 'person.save', args: { id: 'not-a-uuid', data: {} } }]));
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string; code?: string }) => [r.status, r.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'INVALID_MUTATION'],
    ]);
    expect(Object.keys((await projection(c, s)).persons)).toEqual([ok]);
  });

  it('SP-20: a body whose framing is broken is refused whole with 400, and nothing is applied', async () => {
    const c = county();
    const s = await c.station();
    const good = (id: string) => m.person(1, id);
    const env = envelopeOf(s);
    const one = (id: string) => frames(env, [good(id)]);
    const cases: [string, Buffer][] = [
      // bytes one short: the byte after the args is not the newline
      ['length', Buffer.from(one(uuid()).toString().replace(/"bytes":(\d+)/, (_, n: string) => `"bytes":${Number(n) - 1}`))],
      ['length past the end', Buffer.from(one(uuid()).toString().replace(/"bytes":(\d+)/, (_, n: string) => `"bytes":${Number(n) + 1000}`))],
      ['no newline after the envelope', Buffer.from(JSON.stringify(env))],
      ['args not JSON', frames(env, [good(uuid())], () => Buffer.from('{"id": oops}'))],
      ['header without bytes', Buffer.concat([Buffer.from(`${JSON.stringify(env)}\n{"id":1,"name":"person.save"}\n{}\n`)])],
      ['mutations in the envelope', frames({ ...env, mutations: [] }, [good(uuid())])],
      // 0xff can never appear in UTF-8: the text PostgreSQL would get and the text checked must be the same
      [
        'invalid UTF-8',
        frames(env, [good(uuid())], (x) => {
          const text = Buffer.from(JSON.stringify(x.args).replace('张三', '@@'));
          text[text.indexOf('@@')] = 0xff;
          return text;
        }),
      ],
    ];
    for (const [what, body] of cases) {
      const res = await pushFrames(c, s, body);
      expect({ what, status: res.status, code: res.body?.code }).toEqual({ what, status: 400, code: 'BAD_REQUEST' });
      expect(typeof res.body.message === 'string' && /[\u4e00-\u9fff]/.test(res.body.message)).toBe(true);
    }
    const p = await projection(c, s);
    expect(p.persons).toEqual({});
    expect(p.lastMutationIds[s.clientId] ?? 0).toBe(0);
  });

  it('SP-1/SP-20: a brotli-compressed push is accepted; a brotli bomb is refused by the inflated-size limit', async () => {
    const c = county();
    const s = await c.station();
    const ids = Array.from({ length: 50 }, () => uuid());
    const res = await pushFrames(c, s, frames(envelopeOf(s), ids.map((id, i) => m.person(i + 1, id))), 'br');
    expect(res.status).toBe(200);
    expect(res.body.lastMutationId).toBe(50);
    expect(Object.keys((await projection(c, s)).persons).sort()).toEqual([...ids].sort());

    // One mutation whose args are 40 MiB of spaces around a valid object: a few KiB compressed.
    const padded = frames(envelopeOf(s), [m.person(51, uuid())], (x) => Buffer.concat([Buffer.alloc(40 * 1024 * 1024, 0x20), Buffer.from(JSON.stringify(x.args))]));
    const refused = await pushFrames(c, s, padded, 'br');
    expect(refused.status).toBe(413);
    expect(refused.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await projection(c, s)).lastMutationIds[s.clientId]).toBe(50);
  });

  it('SP-1: a large brotli push that inflates far beyond the size the county guesses from it arrives whole', async () => {
    const c = county();
    const s = await c.station();
    // Over 32 KiB compressed (inflated off the event loop), and ~150× smaller than inflated: the county's first output
    // buffer (pushBody.ts inflateChunkSize, 64× the compressed size) is too small, so the body takes several.
    const ids = Array.from({ length: 1000 }, () => uuid());
    const notes = ids.map((_, i) => `${randomBytes(48).toString('base64')}${'民政一门受理'.repeat(300)}${i}`);
    const body = frames(envelopeOf(s), ids.map((id, i) => m.person(i + 1, id, { note: notes[i] })));
    const compressed = brotliCompressSync(body);
    expect(compressed.length).toBeGreaterThan(32 * 1024);
    expect(body.length / compressed.length).toBeGreaterThan(64);
    const res = await pushFrames(c, s, body, 'br');
    expect(res.status).toBe(200);
    expect(res.body.lastMutationId).toBe(1000);
    const persons = (await projection(c, s)).persons;
    expect(Object.keys(persons)).toHaveLength(1000);
    expect(persons[ids[0]!]).toMatchObject({ note: notes[0] });
    expect(persons[ids[999]!]).toMatchObject({ note: notes[999] });
  });
});
