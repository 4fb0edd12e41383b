import { isUtf8 } from 'node:buffer';
import { ServiceError } from '../services/errors';

/**
 * The framed push body (docs/sync-protocol.md SP-20): an envelope line, then per mutation a header line and its args
 * as the exact bytes the station stored. Decoded into the same shape as a JSON push, plus each mutation's args bytes,
 * which the one-statement push hands to PostgreSQL unchanged (SP-29) instead of serialising the parsed value again.
 */
export class FramedPush {
  constructor(
    readonly envelope: Record<string, unknown>,
    /** Each mutation's header; its args are parsed with the rest of the push (preparePush), from rawArgs. */
    readonly mutations: { id: unknown; name: unknown }[],
    /** The args of mutations[i], as sent. */
    readonly rawArgs: Buffer[],
  ) {}

  /** What a JSON push body with the same envelope and headers would be (args stand in as null). */
  asRequest(): Record<string, unknown> {
    return { ...this.envelope, mutations: this.mutations.map((m) => ({ ...m, args: null })) };
  }
}

const NEWLINE = 0x0a;
const bad = (message: string) => new ServiceError('BAD_REQUEST', message);

function jsonLine(body: Buffer, at: number, what: string): { value: unknown; next: number } {
  const end = body.indexOf(NEWLINE, at);
  if (end < 0) throw bad(`${what}缺少换行。`);
  try {
    return { value: JSON.parse(body.toString('utf8', at, end)) as unknown, next: end + 1 };
  } catch {
    throw bad(`${what}不是有效的 JSON。`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Any defect in the framing refuses the whole request (400, nothing applied), like broken JSON in a JSON push: the
 * body was not built by a station that follows the protocol. Invalid UTF-8 is refused too: the parsed value and the
 * bytes given to PostgreSQL must be the same text. Args that are not JSON are refused, whole request, when parsed.
 */
export function decodePushFrames(body: Buffer): FramedPush {
  if (!isUtf8(body)) throw bad('请求体不是有效的 UTF-8 文本。');
  const head = jsonLine(body, 0, '请求体首行');
  if (!isObject(head.value) || 'mutations' in head.value) throw bad('请求体首行必须是不含 mutations 的 JSON 对象。');
  const mutations: FramedPush['mutations'] = [];
  const rawArgs: Buffer[] = [];
  let at = head.next;
  while (at < body.length) {
    const n = mutations.length + 1;
    const header = jsonLine(body, at, `第 ${n} 条变更的头部`);
    const h = header.value;
    if (!isObject(h) || !Number.isSafeInteger(h.bytes) || (h.bytes as number) < 1) throw bad(`第 ${n} 条变更的头部必须是含 bytes（正整数）的 JSON 对象。`);
    const start = header.next;
    const end = start + (h.bytes as number);
    if (end >= body.length || body[end] !== NEWLINE) throw bad(`第 ${n} 条变更的参数长度与 bytes 不符。`);
    mutations.push({ id: h.id, name: h.name });
    rawArgs.push(body.subarray(start, end));
    at = end + 1;
  }
  return new FramedPush(head.value, mutations, rawArgs);
}
