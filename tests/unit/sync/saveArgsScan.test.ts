import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseRecord, caseTemplate } from '../../../bench/peers/lib/caseRecords';
import { FAST_SCAN_MAX_BYTES, scanSaveArgs, type SaveName } from '../../../server/services/saveArgsScan';
import { parseMutation } from '../../../shared/sync/mutations';

// server/services/saveArgsScan.ts checks framed saves on their bytes (docs/sync-protocol.md SP-29). It may only ever
// vouch for args that the schema (MUTATION_ARGS, shared/sync/mutations.ts) accepts, with the same record id; when in
// doubt it answers null and the county parses and validates as before.

const SAVES: SaveName[] = ['person.save', 'household.save', 'case.save'];
const id = '0193b9c4-0000-7000-8000-000000000001';

/** What the county would do with these bytes: the schema's verdict on their parsed text, with the record's id and data. */
function schemaVerdict(name: SaveName, bytes: Buffer): { ok: true; id: string; data: unknown } | { ok: false } {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false };
  }
  const r = parseMutation(1, name, value);
  if (!r.ok) return { ok: false };
  const { id, data } = r.mutation.args as { id: string; data: unknown };
  return { ok: true, id, data };
}

/** The id the scan vouches for, or null. */
const scan = (name: SaveName, text: string) => scanSaveArgs(name, Buffer.from(text))?.id ?? null;
/** The data bytes the scan hands to PostgreSQL, as text. */
const scannedData = (name: SaveName, text: string) => {
  const s = scanSaveArgs(name, Buffer.from(text));
  return s && Buffer.from(s.data).toString('utf8');
};

describe('saves checked on their bytes', () => {
  it('vouches for what stations send: a real case record, and person and household saves, with their ids', () => {
    const r = caseRecord(caseTemplate(), 7);
    const caseArgs = `{"id":"${r.id}","data":${r.json},"baseCountyVersion":0}`;
    expect(scan('case.save', caseArgs)).toBe(r.id);
    // The record's data is stored as the station sent it, byte for byte (SP-29).
    expect(scannedData('case.save', caseArgs)).toBe(r.json);
    expect(schemaVerdict('case.save', Buffer.from(caseArgs))).toEqual({ ok: true, id: r.id, data: JSON.parse(r.json) });
    const person = JSON.stringify({
      id,
      data: {
        id,
        name: '张三',
        idNumber: '110101199003070011',
        householdId: null,
        tags: ['低保', '残疾'],
        income: 1234.5,
      },
    });
    expect(scan('person.save', person)).toBe(id);
    expect(
      scan(
        'household.save',
        JSON.stringify({ id, data: { headId: id, members: [{ personId: id, relation: 'self' }] } }),
      ),
    ).toBe(id);
    // Whitespace between tokens, and escapes other than \u, are JSON like any other.
    const pretty = JSON.stringify({ id, data: { note: '第一行\n"引号"\t\\ /' }, extra: { data: 1 } }, null, 2);
    expect(scan('person.save', pretty)).toBe(id);
    expect(scannedData('person.save', pretty)).toBe(JSON.stringify({ note: '第一行\n"引号"\t\\ /' }, null, 2).replaceAll('\n', '\n  '));
  });

  it('leaves to the schema everything it cannot vouch for, including what the schema would accept', () => {
    const cases: [SaveName, string, 'refused' | 'accepted'][] = [
      ['person.save', JSON.stringify({ id, data: { id: '0193b9c4-0000-7000-8000-000000000002' } }), 'refused'],
      ['person.save', JSON.stringify({ id, data: { householdId: 5 } }), 'refused'],
      ['person.save', JSON.stringify({ id, data: { id: null } }), 'refused'],
      ['person.save', JSON.stringify({ id: id.toUpperCase(), data: {} }), 'refused'],
      ['person.save', JSON.stringify({ id, data: { note: 'a\u0000b' } }), 'refused'],
      ['person.save', JSON.stringify({ id, data: { note: 'x\ud800' } }), 'refused'],
      ['person.save', `{"id":"${id}","data":{"amount":1e400}}`, 'refused'],
      ['person.save', `{"id":"${id}","data":{}} x`, 'refused'],
      ['person.save', `{"id":"${id}","data":{"a":1,}}`, 'refused'],
      ['person.save', `{"id":"${id}","data":[]}`, 'refused'],
      ['case.save', JSON.stringify({ id, data: {} }), 'refused'],
      ['case.save', JSON.stringify({ id, data: {}, baseCountyVersion: 2 ** 31 }), 'refused'],
      ['case.save', JSON.stringify({ id, data: {}, baseCountyVersion: -1 }), 'refused'],
      ['case.save', JSON.stringify({ id, data: {}, baseCountyVersion: 1.5 }), 'refused'],
      // Accepted by the schema, but not vouched for here: the slow path decides.
      ['person.save', `{"id":"${id}","data":{"note":"\\u4e2d"}}`, 'accepted'],
      ['person.save', `{"id":"${id}","data":{"amount":1.5e3}}`, 'accepted'],
      ['person.save', `{"id":"${id}","id":"${id}","data":{}}`, 'accepted'],
      ['person.save', `{"id":"${id}","data":{"id":"${id}","id":"${id}"}}`, 'accepted'],
      ['case.save', `{"id":"${id}","data":{},"baseCountyVersion":1.0}`, 'accepted'],
      ['person.save', JSON.stringify({ id, data: { note: 'a'.repeat(FAST_SCAN_MAX_BYTES) } }), 'accepted'],
    ];
    for (const [name, text, schema] of cases) {
      expect(scan(name, text), text.slice(0, 80)).toBeNull();
      expect(schemaVerdict(name, Buffer.from(text)).ok, text.slice(0, 80)).toBe(schema === 'accepted');
    }
  });

  it('stops at the schema’s nesting limit: 30 levels inside data are vouched for, deeper is left to the schema', () => {
    const nested = (levels: number) => {
      let v: unknown = 1;
      for (let i = 0; i < levels; i++) v = { d: v };
      return JSON.stringify({ id, data: { v } });
    };
    expect(scan('person.save', nested(30))).toBe(id);
    expect(scan('person.save', nested(31))).toBeNull();
    expect(schemaVerdict('person.save', Buffer.from(nested(40))).ok).toBe(false);
  });

  it('never vouches for args the schema refuses, nor with another id (generated args, many shapes and defects)', () => {
    const uuid = fc.oneof(
      fc.uuid(),
      fc.constant(id),
      fc.uuid().map((u) => u.toUpperCase()),
      fc.string({ maxLength: 40 }),
    );
    const text = fc.string({
      unit: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('a', 'I', 'd', ' ', '中', '民', '😀', '"', '\\', '/', '\n', '\t') },
        { weight: 1, arbitrary: fc.constantFrom('\u0000', '\u0001', '\u001f', '\ud800', '\udc00', '\u2028', '\ufeff') },
      ),
      maxLength: 12,
    });
    const key = fc.oneof(
      text,
      fc.constantFrom('id', 'Id', 'applicantId', 'householdId', 'data', 'baseCountyVersion', 'aId', 'ID'),
    );
    const numberText = fc.oneof(
      fc.double().map((d) => JSON.stringify(d)),
      fc.integer().map(String),
      fc.constantFrom(
        '1e400',
        '-0',
        '0.5',
        '123456789012345678901234567890',
        '2147483647',
        '2147483648',
        '01',
        '1.',
        '.5',
        '-',
        '1E2',
      ),
    );
    const scalar = fc.oneof(
      text.map((s) => JSON.stringify(s)),
      numberText,
      fc.constantFrom('true', 'false', 'null', 'nul'),
    );
    const { value } = fc.letrec<{ value: string }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
        fc
          .array(fc.tuple(key, tie('value')), { maxLength: 4 })
          .map((es) => `{${es.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
      ),
    }));
    const entry = (k: fc.Arbitrary<string>, v: fc.Arbitrary<string>) =>
      fc.tuple(k, v).map(([a, b]) => `${JSON.stringify(a)}:${b}`);
    const dataText = fc
      .array(
        fc.oneof(
          entry(
            fc.constant('id'),
            fc.oneof(
              uuid.map((u) => JSON.stringify(u)),
              value,
            ),
          ),
          entry(
            fc.constantFrom('applicantId', 'householdId', 'Id'),
            fc.oneof(
              uuid.map((u) => JSON.stringify(u)),
              fc.constant('null'),
              value,
            ),
          ),
          entry(key, value),
        ),
        { maxLength: 6 },
      )
      .map((es) => `{${es.join(',')}}`);
    const argsText = fc
      .tuple(
        fc.array(
          fc.oneof(
            entry(
              fc.constant('id'),
              uuid.map((u) => JSON.stringify(u)),
            ),
            entry(fc.constant('data'), fc.oneof({ weight: 4, arbitrary: dataText }, { weight: 1, arbitrary: value })),
            entry(fc.constant('baseCountyVersion'), fc.oneof(numberText, value)),
            entry(key, value),
          ),
          { maxLength: 5 },
        ),
        fc.constantFrom('', ' ', '\n  ', 'x', ','),
      )
      .map(([es, tail]) => `{${es.join(',')}}${tail}`);
    // Well-formed saves, so that a good share of the runs are vouched for (the property must not hold vacuously).
    const wellFormed = fc
      .tuple(
        fc.uuid(),
        fc.dictionary(
          text,
          value.filter((v) => !v.includes('\\u')),
          { maxKeys: 5 },
        ),
        fc.nat(2 ** 31 - 1),
        fc.boolean(),
      )
      .map(([u, extra, v, pretty]) => {
        const data = Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'id' && !k.endsWith('Id')));
        const parsed = Object.fromEntries(
          Object.entries(data).flatMap(([k, t]) => {
            try {
              return [[k, JSON.parse(t) as unknown]];
            } catch {
              return [];
            }
          }),
        );
        return JSON.stringify(
          { id: u, data: { id: u, ...parsed }, baseCountyVersion: v },
          null,
          pretty ? 2 : undefined,
        );
      });
    // And any of those with one character changed.
    const damaged = fc
      .tuple(
        wellFormed,
        fc.nat(),
        fc.constantFrom('"', '\\', '{', '}', ',', ':', '1', 'e', '\u0000', '\u0001', '\n', '\t', '\u001f', ' ', 'I'),
      )
      .map(([t, at, c]) => {
        const i = at % Math.max(1, t.length);
        return t.slice(0, i) + c + t.slice(i + 1);
      });

    let vouched = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.oneof(argsText, wellFormed, damaged), fc.constantFrom(...SAVES), (t, name) => {
        runs++;
        const bytes = Buffer.from(t);
        const fast = scanSaveArgs(name, bytes);
        if (fast === null) return;
        vouched++;
        // The same record, and as data exactly the value the schema checked.
        expect(schemaVerdict(name, bytes)).toEqual({ ok: true, id: fast.id, data: JSON.parse(Buffer.from(fast.data).toString('utf8')) });
      }),
      { numRuns: 20_000 },
    );
    expect(vouched / runs).toBeGreaterThan(0.08);
  });
});
