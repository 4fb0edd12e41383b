import { Buffer } from 'node:buffer';
import { MAX_MUTATION_ARGS_BYTES } from '../../shared/sync/mutations';

/**
 * A fast check of one framed save (person.save, household.save, case.save) on its bytes as sent (SP-20, SP-29).
 *
 * Parsing every record into JS values only to check it against MUTATION_ARGS (shared/sync/mutations.ts), when the
 * one-statement push then stores the station's bytes anyway, was the county's largest cost in a large sync: decoding
 * the UTF-8, JSON.parse and the schema took ~2 s of CPU per 100k case records, and a sync ran 1.2–1.4 s faster with
 * no check at all (issue 7). This scanner reads the bytes once and answers the record's id and its data's bytes when
 * the args certainly pass the schema, or null when it cannot tell cheaply; the caller then parses and validates with
 * the schema as before. It never refuses anything: every refusal, and its message, is the schema's. The schema stays
 * the one definition of a valid save; tests/unit/sync/saveArgsScan.test.ts checks, on generated args, that whatever
 * this accepts the schema accepts with the same id and data.
 *
 * Precondition: the bytes are valid UTF-8 (decodePushFrames checks the whole body). What it accepts is a subset of
 * what the schema accepts:
 * - strict JSON: one object, nothing after it but whitespace;
 * - `id` a lower-case UUID; `data` an object; for case.save `baseCountyVersion` a plain integer 0 … 2^31−1;
 *   none of the three given twice;
 * - in `data`: `id` absent or the same UUID (given once); every other key ending in `Id` a string or null;
 * - no `\u` escape anywhere (so no NUL and no lone surrogate, which jsonb refuses) and no control character;
 * - numbers without exponent and of at most 15 characters (so finite);
 * - at most 32 levels of nesting and at most MAX_MUTATION_ARGS_BYTES / 8 bytes: whatever the schema's size estimate
 *   counts, it cannot reach its limit (it counts at most 8 per byte of JSON).
 */

export type SaveName = 'person.save' | 'household.save' | 'case.save';

export const isSaveName = (name: string): name is SaveName => name === 'person.save' || name === 'household.save' || name === 'case.save';

export const FAST_SCAN_MAX_BYTES = MAX_MUTATION_ARGS_BYTES / 8;
const MAX_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const ID = bytesOf('id');
const DATA = bytesOf('data');
const BASE_COUNTY_VERSION = bytesOf('baseCountyVersion');
const TRUE = bytesOf('true');
const FALSE = bytesOf('false');
const NULL = bytesOf('null');
const MAX_COUNTY_VERSION = 2_147_483_647;

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** What a vouched-for save holds: the record's id, and its `data` object's bytes (a view into the args). */
export interface ScannedSave {
  id: string;
  data: Uint8Array;
}

/** The record id and data when `args` certainly pass MUTATION_ARGS[name], else null (see above). */
export function scanSaveArgs(name: SaveName, args: Uint8Array): ScannedSave | null {
  if (args.length > FAST_SCAN_MAX_BYTES) return null;
  return new Scanner(args).saveArgs(name === 'case.save');
}

class Scanner {
  private i = 0;

  constructor(private readonly b: Uint8Array) {}

  saveArgs(needsVersion: boolean): ScannedSave | null {
    const { b } = this;
    this.ws();
    if (b[this.i] !== OPEN_OBJECT) return null;
    this.i++;
    let id = -1;
    let dataStart = -1;
    let dataEnd = -1;
    let version = false;
    /** Where data.id's UUID starts, when data has an id. */
    let dataId = -1;
    this.ws();
    if (b[this.i] === CLOSE_OBJECT) return null;
    for (;;) {
      const key = this.i;
      if (!this.string()) return null;
      const keyEnd = this.i;
      if (!this.colon()) return null;
      if (this.isKey(key, keyEnd, ID)) {
        if (id >= 0 || !this.uuid()) return null;
        id = this.i - 37;
      } else if (this.isKey(key, keyEnd, DATA)) {
        if (dataStart >= 0 || b[this.i] !== OPEN_OBJECT) return null;
        dataStart = this.i;
        dataId = this.dataObject();
        if (dataId === -2) return null;
        dataEnd = this.i;
      } else if (this.isKey(key, keyEnd, BASE_COUNTY_VERSION)) {
        if (version) return null;
        version = true;
        if (needsVersion ? !this.countyVersion() : !this.value(1)) return null;
      } else if (!this.value(1)) return null;
      this.ws();
      if (b[this.i] === COMMA) {
        this.i++;
        this.ws();
        continue;
      }
      if (b[this.i] !== CLOSE_OBJECT) return null;
      this.i++;
      break;
    }
    this.ws();
    if (this.i !== b.length || id < 0 || dataStart < 0 || (needsVersion && !version)) return null;
    if (dataId >= 0 && !this.sameBytes(dataId, id, 36)) return null;
    return { id: Buffer.from(b.buffer, b.byteOffset + id, 36).toString('latin1'), data: b.subarray(dataStart, dataEnd) };
  }

  /**
   * The `data` object (at the opening brace): its own `id` and `…Id` keys follow the schema's rules. Answers where
   * data.id's UUID starts, -1 when it has none, -2 when the fast path cannot vouch for it.
   */
  private dataObject(): number {
    const { b } = this;
    this.i++;
    this.ws();
    let dataId = -1;
    if (b[this.i] === CLOSE_OBJECT) {
      this.i++;
      return dataId;
    }
    for (;;) {
      const key = this.i;
      if (!this.string()) return -2;
      const keyEnd = this.i;
      if (!this.colon()) return -2;
      if (this.isKey(key, keyEnd, ID)) {
        // The schema wants the record's own id here (or none); given twice, JSON keeps the last: not for this path.
        if (dataId !== -1 || !this.uuid()) return -2;
        dataId = this.i - 37;
      } else if (keyEnd - key >= 4 && b[keyEnd - 3] === 0x49 && b[keyEnd - 2] === 0x64) {
        // "…Id": a string or null. (No escape can produce `I` or `d`, so the raw key ends in Id exactly when the key does.)
        if (b[this.i] === QUOTE) {
          if (!this.string()) return -2;
        } else if (!this.literal(NULL)) return -2;
      } else if (!this.value(2)) return -2;
      this.ws();
      if (b[this.i] === COMMA) {
        this.i++;
        this.ws();
        continue;
      }
      if (b[this.i] !== CLOSE_OBJECT) return -2;
      this.i++;
      return dataId;
    }
  }

  /** Any JSON value inside a container at `depth` (the args object is 1). */
  private value(depth: number): boolean {
    const c = this.b[this.i];
    if (c === QUOTE) return this.string();
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) return depth < MAX_DEPTH && this.container(depth + 1);
    if (c === 0x74) return this.literal(TRUE);
    if (c === 0x66) return this.literal(FALSE);
    if (c === 0x6e) return this.literal(NULL);
    return this.number();
  }

  private container(depth: number): boolean {
    const { b } = this;
    const close = b[this.i] === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
    const object = close === CLOSE_OBJECT;
    this.i++;
    this.ws();
    if (b[this.i] === close) {
      this.i++;
      return true;
    }
    for (;;) {
      if (object && !(this.string() && this.colon())) return false;
      if (!this.value(depth)) return false;
      this.ws();
      if (b[this.i] === COMMA) {
        this.i++;
        this.ws();
        continue;
      }
      if (b[this.i] !== close) return false;
      this.i++;
      return true;
    }
  }

  /** A string at the quote; false on a `\u` escape, a control character or no closing quote. */
  private string(): boolean {
    const { b } = this;
    if (b[this.i] !== QUOTE) return false;
    let i = this.i + 1;
    const n = b.length;
    while (i < n) {
      const c = b[i]!;
      // Most bytes of a string are letters or UTF-8 (above the backslash): one comparison each.
      if (c > BACKSLASH) {
        i++;
        continue;
      }
      if (c === QUOTE) {
        this.i = i + 1;
        return true;
      }
      if (c === BACKSLASH) {
        const e = b[i + 1];
        // \" \\ \/ \b \f \n \r \t; \u is left to the schema (it may spell NUL or half of a surrogate pair).
        if (
          e !== QUOTE &&
          e !== BACKSLASH &&
          e !== 0x2f &&
          e !== 0x62 &&
          e !== 0x66 &&
          e !== 0x6e &&
          e !== 0x72 &&
          e !== 0x74
        )
          return false;
        i += 2;
      } else if (c < 0x20) return false;
      else i++;
    }
    return false;
  }

  /** A lower-case UUID string, nothing else. */
  private uuid(): boolean {
    const { b } = this;
    const s = this.i + 1;
    if (b[this.i] !== QUOTE || b[s + 36] !== QUOTE) return false;
    for (let k = 0; k < 36; k++) {
      const c = b[s + k]!;
      const ok =
        k === 8 || k === 13 || k === 18 || k === 23
          ? c === MINUS
          : (c >= ZERO && c <= NINE) || (c >= 0x61 && c <= 0x66);
      if (!ok) return false;
    }
    this.i = s + 37;
    return true;
  }

  /** A number without exponent, of at most 15 characters: always finite once parsed. */
  private number(): boolean {
    const { b } = this;
    const start = this.i;
    let i = start;
    if (b[i] === MINUS) i++;
    if (b[i] === ZERO) i++;
    else if (isDigit(b[i])) while (isDigit(b[i])) i++;
    else return false;
    if (b[i] === DOT) {
      i++;
      if (!isDigit(b[i])) return false;
      while (isDigit(b[i])) i++;
    }
    if (b[i] === 0x65 || b[i] === 0x45 || i - start > 15) return false;
    this.i = i;
    return true;
  }

  /** case.save's baseCountyVersion: digits only, 0 … 2^31−1. */
  private countyVersion(): boolean {
    const { b } = this;
    let i = this.i;
    let v = 0;
    if (b[i] === ZERO) i++;
    else while (isDigit(b[i]) && i - this.i < 10) v = v * 10 + (b[i++]! - ZERO);
    if (i === this.i || isDigit(b[i]) || b[i] === DOT || b[i] === 0x65 || b[i] === 0x45 || v > MAX_COUNTY_VERSION)
      return false;
    this.i = i;
    return true;
  }

  private literal(word: Uint8Array): boolean {
    const { b } = this;
    const at = this.i;
    for (let k = 0; k < word.length; k++) if (b[at + k] !== word[k]) return false;
    this.i = at + word.length;
    return true;
  }

  private colon(): boolean {
    this.ws();
    if (this.b[this.i] !== COLON) return false;
    this.i++;
    this.ws();
    return true;
  }

  private ws(): void {
    const { b } = this;
    for (;;) {
      const c = b[this.i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else return;
    }
  }

  /** Whether the key between `start` (its opening quote) and `end` (after its closing quote) is exactly `word`. */
  private isKey(start: number, end: number, word: Uint8Array): boolean {
    return end - start === word.length + 2 && this.sameBytes(start + 1, word, word.length);
  }

  /** Whether `length` bytes at `at` equal `other` (bytes, or a position in the same args). */
  private sameBytes(at: number, other: Uint8Array | number, length: number): boolean {
    const { b } = this;
    if (at + length > b.length) return false;
    for (let k = 0; k < length; k++) {
      if (b[at + k] !== (typeof other === 'number' ? b[other + k] : other[k])) return false;
    }
    return true;
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= ZERO && c <= NINE;
}
