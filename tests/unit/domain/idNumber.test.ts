import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  ageOn,
  idCheckDigit,
  IdNumberSchema,
  makeIdNumber,
  maskIdNumber,
  PROVINCE_CODES,
  validateIdNumber,
} from '../../../shared/domain';

const TODAY = '2025-06-30';

/** ISO 7064 MOD 11-2 by its recursive definition, independent of the weight table the code uses. */
function referenceCheck(first17: string): string {
  let p = 0;
  for (const ch of first17) p = ((p + Number(ch)) * 2) % 11;
  const c = (12 - p) % 11;
  return c === 10 ? 'X' : String(c);
}

describe('validateIdNumber: valid numbers', () => {
  it.each([
    ['11010519491231002X', '1949-12-31', 'female', '110105'],
    ['430102199003071234', '1990-03-07', 'male', '430102'],
    ['510107200002290029', '2000-02-29', 'female', '510107'],
    ['620102199912310015', '1999-12-31', 'male', '620102'],
    ['330106198507013182', '1985-07-01', 'female', '330106'],
  ])('%s → born %s, %s', (id, birthDate, sex, regionCode) => {
    expect(validateIdNumber(id, TODAY)).toEqual({ ok: true, value: id, birthDate, sex, regionCode });
  });

  it('normalises lower-case x, full-width digits and spaces typed by an input method', () => {
    expect(validateIdNumber('11010519491231002x', TODAY)).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(validateIdNumber(' １１０１０５ 19491231 002ｘ ', TODAY)).toMatchObject({
      ok: true,
      value: '11010519491231002X',
    });
  });

  it('accepts a child born today', () => {
    const id = makeIdNumber('430524', TODAY, 4);
    expect(validateIdNumber(id, TODAY)).toMatchObject({ ok: true, birthDate: TODAY, sex: 'female' });
  });
});

describe('validateIdNumber: refusals, each with its code and a Chinese message', () => {
  it.each([
    ['', 'ID_LENGTH', '请输入身份证号码。'],
    ['43010219900307123', 'ID_LENGTH', '身份证号码应为18位，当前为17位。'],
    ['4301021990030712345', 'ID_LENGTH', '身份证号码应为18位，当前为19位。'],
    ['43010219900307123Y', 'ID_FORMAT', '身份证号码前17位应为数字，最后一位为数字或X。'],
    ['4301021990030X1234', 'ID_FORMAT', '身份证号码前17位应为数字，最后一位为数字或X。'],
    ['990102199003071234', 'ID_REGION', '身份证号码前6位的地区码无效（省级代码不存在）。'],
    ['000000199003071234', 'ID_REGION', '身份证号码前6位的地区码无效（省级代码不存在）。'],
    ['430102199902300000', 'ID_DATE', '身份证号码中的出生日期不是真实存在的日期。'],
    ['430102190002290000', 'ID_DATE', '身份证号码中的出生日期不是真实存在的日期。'],
    ['430102199013010000', 'ID_DATE', '身份证号码中的出生日期不是真实存在的日期。'],
    ['440524188001010014', 'ID_DATE', '身份证号码中的出生日期早于1900年，请核对。'],
    ['430102202507011236', 'ID_DATE', '身份证号码中的出生日期晚于今天，请核对。'],
    ['430102199003071235', 'ID_CHECK_DIGIT', '身份证号码校验位不正确，请逐位核对后重新输入。'],
    ['11010519491231002 1'.replace(' ', ''), 'ID_CHECK_DIGIT', '身份证号码校验位不正确，请逐位核对后重新输入。'],
  ])('%s → %s', (id, code, message) => {
    expect(validateIdNumber(id, TODAY)).toEqual({ ok: false, code, message });
  });

  it('checks 19990230-style dates before the check digit, so the clerk hears the real problem', () => {
    const first17 = '43010219990230123';
    expect(validateIdNumber(first17 + idCheckDigit(first17), TODAY)).toMatchObject({ code: 'ID_DATE' });
  });

  it('never repeats the number in its message (messages may reach logs)', () => {
    for (const id of ['430102199003071235', '430102202507011236', '990102199003071234']) {
      const r = validateIdNumber(id, TODAY);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).not.toMatch(/\d{4}/);
    }
  });
});

describe('idCheckDigit', () => {
  it('matches the ISO 7064 MOD 11-2 definition for known numbers', () => {
    expect(idCheckDigit('11010519491231002')).toBe('X');
    expect(idCheckDigit('44052418800101001')).toBe('4');
  });
  it('refuses anything but 17 digits', () => {
    expect(() => idCheckDigit('1101051949123100')).toThrow(RangeError);
    expect(() => idCheckDigit('1101051949123100A')).toThrow(RangeError);
  });
  it('property: agrees with the recursive definition on every 17-digit string', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{17}$/), (s) => idCheckDigit(s) === referenceCheck(s)));
  });
});

describe('ageOn', () => {
  it.each([
    ['1990-03-07', '2025-03-06', 34],
    ['1990-03-07', '2025-03-07', 35],
    ['2000-02-29', '2025-02-28', 24],
    ['2000-02-29', '2025-03-01', 25],
    ['2000-02-29', '2024-02-29', 24],
    ['2025-06-30', '2025-06-30', 0],
  ])('born %s, on %s → %i', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });
});

describe('maskIdNumber', () => {
  it('shows the first 6 and last 4 only', () => {
    expect(maskIdNumber('430102199003071234')).toBe('430102********1234');
    expect(maskIdNumber('11010519491231002x')).toBe('110105********002X');
  });
  it('tolerates short and empty input without revealing most of it', () => {
    expect(maskIdNumber('')).toBe('');
    expect(maskIdNumber('4301')).toBe('****');
    expect(maskIdNumber('43010219900307')).toBe('**************');
    expect(maskIdNumber('430102900307123')).toBe('430102*****7123');
  });
  it('property: never reveals the middle 8 characters of an 18-character number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const masked = maskIdNumber(id);
        return (
          masked.length === 18 &&
          masked.slice(6, 14) === '********' &&
          masked.slice(0, 6) === id.slice(0, 6) &&
          masked.slice(14) === id.slice(14)
        );
      }),
    );
  });
  it('property: any input of any length keeps at least 5 characters hidden (or all, when short)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (raw) => {
        const masked = maskIdNumber(raw);
        const hidden = [...masked].filter((c) => c === '*').length;
        return masked.length < 15 ? hidden === masked.length : hidden >= 5;
      }),
    );
  });
});

const provinces = Object.keys(PROVINCE_CODES);
const validParts = fc.record({
  province: fc.constantFrom(...provinces),
  rest: fc.stringMatching(/^\d{4}$/),
  dayOffset: fc.integer({ min: 0, max: 45_615 }), // 1900-01-01 … 2024-11-21
  seq: fc.integer({ min: 0, max: 999 }),
});

describe('makeIdNumber', () => {
  it('builds the number and refuses malformed parts', () => {
    expect(makeIdNumber('110105', '1949-12-31', 2)).toBe('11010519491231002X');
    expect(makeIdNumber('430102', '1990-03-07', '123')).toBe('430102199003071234');
    expect(() => makeIdNumber('990102', '1990-03-07', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('430102', '1999-02-30', 1)).toThrow(RangeError);
    expect(() => makeIdNumber('430102', '1990-03-07', 1000)).toThrow(RangeError);
    expect(() => makeIdNumber('430102', '1990-03-07', '1a')).toThrow(RangeError);
  });

  it('property: always validates, with the birth date and sex it was built from', () => {
    fc.assert(
      fc.property(validParts, ({ province, rest, dayOffset, seq }) => {
        const birth = addDays('1900-01-01', dayOffset);
        const r = validateIdNumber(makeIdNumber(province + rest, birth, seq), TODAY);
        return (
          r.ok &&
          r.birthDate === birth &&
          r.sex === (seq % 2 === 1 ? 'male' : 'female') &&
          r.regionCode === province + rest
        );
      }),
    );
  });

  it('property: changing any one character to any other digit or X breaks it', () => {
    fc.assert(
      fc.property(
        validParts,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...'0123456789X'),
        ({ province, rest, dayOffset, seq }, pos, ch) => {
          const id = makeIdNumber(province + rest, addDays('1900-01-01', dayOffset), seq);
          fc.pre(id[pos] !== ch);
          return !validateIdNumber(id.slice(0, pos) + ch + id.slice(pos + 1), TODAY).ok;
        },
      ),
    );
  });
});

describe('IdNumberSchema', () => {
  it('outputs the normalised number', () => {
    expect(IdNumberSchema.parse(' 11010519491231002x ')).toBe('11010519491231002X');
  });
  it('fails with the Chinese message of the broken rule', () => {
    const r = IdNumberSchema.safeParse('430102199003071235');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('身份证号码校验位不正确，请逐位核对后重新输入。');
    expect(IdNumberSchema.safeParse(12345).error?.issues[0]?.message).toBe('请输入身份证号码。');
  });
});
