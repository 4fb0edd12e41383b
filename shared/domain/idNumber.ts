import { z } from 'zod';
import { isRealDate, localToday, type IsoDate } from './calendar';

/**
 * Resident ID numbers (居民身份证号码, GB 11643-1999): 6-digit region code (GB/T 2260), 8-digit birth date,
 * 3-digit sequence (odd = male), ISO 7064 MOD 11-2 check character (0-9 or X).
 */

/** Province-level codes of GB/T 2260 (the first two digits), plus 83 used by residence permits of Taiwan residents. */
export const PROVINCE_CODES: Readonly<Record<string, string>> = {
  '11': '北京市',
  '12': '天津市',
  '13': '河北省',
  '14': '山西省',
  '15': '内蒙古自治区',
  '21': '辽宁省',
  '22': '吉林省',
  '23': '黑龙江省',
  '31': '上海市',
  '32': '江苏省',
  '33': '浙江省',
  '34': '安徽省',
  '35': '福建省',
  '36': '江西省',
  '37': '山东省',
  '41': '河南省',
  '42': '湖北省',
  '43': '湖南省',
  '44': '广东省',
  '45': '广西壮族自治区',
  '46': '海南省',
  '50': '重庆市',
  '51': '四川省',
  '52': '贵州省',
  '53': '云南省',
  '54': '西藏自治区',
  '61': '陕西省',
  '62': '甘肃省',
  '63': '青海省',
  '64': '宁夏回族自治区',
  '65': '新疆维吾尔自治区',
  '71': '台湾省',
  '81': '香港特别行政区',
  '82': '澳门特别行政区',
  '83': '台湾地区（居住证）',
};

export type Sex = 'male' | 'female';
export const SEX_LABELS: Readonly<Record<Sex, string>> = { male: '男', female: '女' };

export type IdNumberErrorCode = 'ID_LENGTH' | 'ID_FORMAT' | 'ID_REGION' | 'ID_DATE' | 'ID_CHECK_DIGIT';

export type IdNumberResult =
  | { ok: true; value: string; birthDate: IsoDate; sex: Sex; regionCode: string }
  | { ok: false; code: IdNumberErrorCode; message: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH = '1900-01-01';

/**
 * Clerks type on Chinese input methods, which produce full-width digits and spaces, and scanners paste numbers
 * with spaces in them; all of that is the same number. Lower-case x is the same check character as X.
 */
export function normaliseIdNumber(raw: string): string {
  return raw
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[xｘＸ]/g, 'X')
    .replace(/\s+/g, '');
}

/** Check character for the first 17 digits. Throws RangeError unless given exactly 17 digits. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('计算校验位需要17位数字');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Validates and normalises an ID number. `today` (YYYY-MM-DD) bounds the birth date; it defaults to this machine's
 * date. Messages never repeat the number itself, so they are safe to log.
 */
export function validateIdNumber(raw: string, today: IsoDate = localToday()): IdNumberResult {
  const value = normaliseIdNumber(typeof raw === 'string' ? raw : '');
  if (value.length === 0) return fail('ID_LENGTH', '请输入身份证号码。');
  if (value.length !== 18) return fail('ID_LENGTH', `身份证号码应为18位，当前为${value.length}位。`);
  if (!/^\d{17}[\dX]$/.test(value)) return fail('ID_FORMAT', '身份证号码前17位应为数字，最后一位为数字或X。');
  const regionCode = value.slice(0, 6);
  if (!(value.slice(0, 2) in PROVINCE_CODES))
    return fail('ID_REGION', '身份证号码前6位的地区码无效（省级代码不存在）。');
  const [y, m, d] = [Number(value.slice(6, 10)), Number(value.slice(10, 12)), Number(value.slice(12, 14))];
  if (!isRealDate(y, m, d)) return fail('ID_DATE', '身份证号码中的出生日期不是真实存在的日期。');
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (birthDate < EARLIEST_BIRTH) return fail('ID_DATE', '身份证号码中的出生日期早于1900年，请核对。');
  if (birthDate > today) return fail('ID_DATE', '身份证号码中的出生日期晚于今天，请核对。');
  if (idCheckDigit(value.slice(0, 17)) !== value[17]) {
    return fail('ID_CHECK_DIGIT', '身份证号码校验位不正确，请逐位核对后重新输入。');
  }
  return { ok: true, value, birthDate, sex: Number(value[16]) % 2 === 1 ? 'male' : 'female', regionCode };
}

function fail(code: IdNumberErrorCode, message: string): IdNumberResult {
  return { ok: false, code, message };
}

/** Age in completed years on `onDate`. A 29 February birthday is reached on 1 March in common years. */
export function ageOn(birthDate: IsoDate, onDate: IsoDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = onDate.split('-').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}

/**
 * Masked form for lists and printed notices: `430102********1234`. Numbers too short to keep 6 + 4 characters and
 * still hide at least 5 are masked entirely, so a half-typed number never leaks most of its digits.
 */
export function maskIdNumber(id: string): string {
  const value = normaliseIdNumber(typeof id === 'string' ? id : '');
  if (value.length < 15) return '*'.repeat(value.length);
  return `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`;
}

/**
 * Builds a valid number (synthetic data, tests). seq3 is 0-999; its parity gives the sex (odd = male).
 * Throws RangeError on a malformed region, date or sequence.
 */
export function makeIdNumber(region6: string, birthDate: IsoDate, seq3: number | string): string {
  if (!/^\d{6}$/.test(region6) || !(region6.slice(0, 2) in PROVINCE_CODES))
    throw new RangeError(`无效的地区码：${region6}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) throw new RangeError(`无效的出生日期：${birthDate}`);
  const seq = typeof seq3 === 'number' ? seq3 : Number(seq3);
  if (!Number.isInteger(seq) || seq < 0 || seq > 999 || (typeof seq3 === 'string' && !/^\d{1,3}$/.test(seq3))) {
    throw new RangeError(`无效的顺序码：${seq3}`);
  }
  const first17 = `${region6}${m[1]}${m[2]}${m[3]}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}

/**
 * Form/IPC schema: accepts what a clerk types (spaces, full-width digits, lower-case x), outputs the normalised
 * number, and fails with the Chinese message of the first rule broken. The birth-date bound is the day of parsing.
 */
export const IdNumberSchema = z
  .string({ error: '请输入身份证号码。' })
  .overwrite(normaliseIdNumber)
  .superRefine((value, ctx) => {
    const result = validateIdNumber(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message, params: { idCode: result.code } });
  });
