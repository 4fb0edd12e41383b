import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const sha256Hex = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');

/** A bearer credential: 32 random bytes. Only its SHA-256 is ever stored. */
export const newCredential = (): string => randomBytes(32).toString('base64url');

// Crockford base32 without I, L, O, U: a code read out over the phone or copied from paper survives typos of those.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 16 symbols (80 bits), shown in groups of four: 'K3M9-…'. */
export function newEnrolmentCode(): string {
  let raw = '';
  for (let i = 0; i < 16; i++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return raw.match(/.{4}/g)!.join('-');
}

/** Case, dashes and spaces do not matter when a clerk types the code in. */
export const normaliseEnrolmentCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

/** Constant-time comparison of two secrets of any length. */
export function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
