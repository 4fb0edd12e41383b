import { describe, expect, it } from 'vitest';
import { MAX_MUTATION_ARGS_BYTES, parseMutation } from '../../../shared/sync/mutations';

// docs/sync-protocol.md SP-11/SP-13: what the county cannot store is refused with the field named, before the database.

const id = '0193b9c4-0000-7000-8000-000000000001';
const refusal = (data: unknown) => {
  const r = parseMutation(1, 'person.save', { id, data: { id, ...(data as object) } });
  return r.ok ? null : r.message;
};

describe('storable mutation data', () => {
  it('names the exact field holding a NUL or an unpaired surrogate, inside arrays and objects', () => {
    expect(refusal({ members: [{ name: '张三' }, { name: 'a\u0000b' }] })).toContain('$.members[1].name：含有无法保存的字符');
    expect(refusal({ note: 'x\ud800' })).toContain('$.note：含有无法保存的字符');
    expect(refusal({ ['bad\u0000key']: 1 })).toContain('$：字段名含有无法保存的字符');
  });

  it('refuses nesting deeper than 32 levels and non-finite numbers, and accepts ordinary records', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 33; i++) deep = { d: deep };
    expect(refusal({ deep })).toContain('嵌套层数超过 32 层');
    expect(refusal({ amount: Number.POSITIVE_INFINITY })).toContain('$.amount：数值必须是有限数');
    expect(refusal({ name: '李四', members: [{ relation: 'spouse', ages: [1, 2] }], note: '😀 完整的代理对' })).toBeNull();
  });

  it('measures size in UTF-8 and refuses a record over the limit', () => {
    const chinese = '民'.repeat(Math.ceil(MAX_MUTATION_ARGS_BYTES / 3) + 10);
    expect(refusal({ note: chinese })).toContain(`超过 ${MAX_MUTATION_ARGS_BYTES / 1024} KiB`);
    expect(refusal({ note: '民'.repeat(1000) })).toBeNull();
  });

  it('measures exactly only between the bounds: plain text near the limit passes, one byte over it does not', () => {
    // Characters are bounds (1 to 3 bytes each); 200k ASCII characters are 200 KB, under the limit, though three
    // bytes a character would not be.
    expect(refusal({ note: 'a'.repeat(200_000) })).toBeNull();
    expect(refusal({ note: 'a'.repeat(MAX_MUTATION_ARGS_BYTES) })).toContain('KiB');
    // Just under and just over in Chinese (3 bytes each), with the record's own overhead measured by the difference.
    const overhead = (() => {
      for (let n = 0; ; n++) if (refusal({ note: '民'.repeat(Math.floor((MAX_MUTATION_ARGS_BYTES - n) / 3)) }) === null) return n;
    })();
    const fits = Math.floor((MAX_MUTATION_ARGS_BYTES - overhead) / 3);
    expect(refusal({ note: '民'.repeat(fits) })).toBeNull();
    expect(refusal({ note: '民'.repeat(fits + 1) })).toContain('KiB');
    expect(refusal({ note: `${'民'.repeat(fits - 1)}ab` })).toBeNull();
  });

  it('tells unpaired surrogates from pairs, at either end of a string and in keys', () => {
    expect(refusal({ note: '\udc00x' })).toContain('$.note：含有无法保存的字符');
    expect(refusal({ note: 'x\ud83d' })).toContain('$.note：含有无法保存的字符');
    expect(refusal({ note: '\ud83d\ude00' })).toBeNull();
    expect(refusal({ ['k\ud800']: 1 })).toContain('字段名含有无法保存的字符');
  });
});
