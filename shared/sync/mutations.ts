import { z } from 'zod';

/**
 * The push vocabulary: every mutation a station may queue in its outbox, with the arguments the county accepts.
 * One source of truth for both ends (docs/sync-protocol.md, SP-10 … SP-13): the station builds args with these
 * schemas, the county validates them with the same schemas before applying.
 */

/** Lower-case canonical UUID text. Lower case only, so the station's key and the county's key are the same string. */
export const uuidText = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'UUID（小写）格式不正确');

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 必须是 64 位小写十六进制');

/** A county version as the station last saw it (0 = the county never wrote this case). */
export const countyVersion = z.number().int().min(0).max(2_147_483_647);

/** Largest `data` / `payload` object of one mutation the county stores (SP-11); scans travel as attachments. */
export const MAX_MUTATION_ARGS_BYTES = 256 * 1024;

/** Largest attachment the county accepts (SP-40). */
export const MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024;

// PostgreSQL jsonb refuses NUL characters and unpaired UTF-16 surrogates; catching them here turns what would be a
// database error into a clear INVALID_MUTATION with the field named. isWellFormed (native, ES2024) where it exists:
// this regex, with its lookbehind, and a UTF-8 count of every string were a tenth of the county's CPU in a large push.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const isWellFormed: (text: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (text) => (text as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (text) => !LONE_SURROGATE.test(text);
const storable = (text: string) => !text.includes('\u0000') && isWellFormed(text);

interface Walk {
  /**
   * Approximate stored size: UTF-8 of strings and keys plus a few bytes per value. Strings count as UTF-16 units
   * (`units`) unless `exact`: a unit is 1 to 3 bytes of UTF-8, which bounds the size both ways without encoding.
   */
  bytes: number;
  units: number;
  exact: boolean;
  problem: string | null;
}

// One pass over the value checks storability and bounds its size; a push validates up to 1,000 of these per
// request, so this avoids a second serialisation just to measure. The path is kept as a stack of segments and
// turned into text only for a problem: building "$.data.x" for every value was most of the county's validation time.
type Segment = string | number;
const pathText = (path: readonly Segment[]) => `$${path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;

function walk(value: unknown, path: Segment[], acc: Walk): void {
  if (acc.problem) return;
  if (path.length > 32) {
    acc.problem = `${pathText(path)}：嵌套层数超过 32 层`;
    return;
  }
  if (typeof value === 'string') {
    acc.bytes += 2;
    if (acc.exact) acc.bytes += utf8Length(value);
    else acc.units += value.length;
    if (!storable(value)) acc.problem = `${pathText(path)}：含有无法保存的字符（NUL 或不成对的代理项）`;
  } else if (typeof value === 'number') {
    acc.bytes += 8;
    if (!Number.isFinite(value)) acc.problem = `${pathText(path)}：数值必须是有限数`;
  } else if (value === null || typeof value === 'boolean') {
    acc.bytes += 4;
  } else if (Array.isArray(value)) {
    acc.bytes += 2;
    for (let i = 0; i < value.length && !acc.problem; i++) {
      path.push(i);
      walk(value[i], path, acc);
      path.pop();
    }
  } else if (typeof value === 'object') {
    acc.bytes += 2;
    for (const k in value as Record<string, unknown>) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      acc.bytes += 3;
      if (acc.exact) acc.bytes += utf8Length(k);
      else acc.units += k.length;
      if (!storable(k)) {
        acc.problem = `${pathText(path)}：字段名含有无法保存的字符`;
        return;
      }
      path.push(k);
      walk((value as Record<string, unknown>)[k], path, acc);
      path.pop();
      if (acc.problem) return;
    }
  } else {
    acc.problem = `${pathText(path)}：不是 JSON 值`;
  }
}

/** The problem with storing `value`, or null: not storable, or over MAX_MUTATION_ARGS_BYTES. */
function storageProblem(value: unknown): string | null {
  const acc: Walk = { bytes: 0, units: 0, exact: false, problem: null };
  walk(value, [], acc);
  if (acc.problem) return acc.problem;
  const tooBig = `超过 ${MAX_MUTATION_ARGS_BYTES / 1024} KiB`;
  if (acc.bytes + acc.units * 3 <= MAX_MUTATION_ARGS_BYTES) return null;
  if (acc.bytes + acc.units > MAX_MUTATION_ARGS_BYTES) return tooBig;
  // Between the bounds (over ~85k characters of Chinese text): measure exactly.
  const exact: Walk = { bytes: 0, units: 0, exact: true, problem: null };
  walk(value, [], exact);
  return exact.bytes > MAX_MUTATION_ARGS_BYTES ? tooBig : null;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** A JSON object the county can store as jsonb unchanged, at most MAX_MUTATION_ARGS_BYTES. */
export const storableObject = z
  .custom<Record<string, unknown>>(isPlainObject, { message: '必须是 JSON 对象' })
  .superRefine((value, ctx) => {
    const problem = storageProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * The station's full current row. Validated loosely on purpose: the station is the authority on its own rows and
 * their shape evolves with the station's schema. Checked: it is an object, `id` (when present) is the record's id,
 * and every other `…Id` field is a string or null, so references stay joinable at the county.
 */
const recordData = storableObject.superRefine((data, ctx) => {
  for (const [key, value] of Object.entries(data)) {
    if ((key === 'id' || key.endsWith('Id')) && value !== null && typeof value !== 'string') {
      ctx.addIssue({ code: 'custom', path: [key], message: `${key} 必须是字符串或 null` });
    }
  }
});

function sameId<T extends { id: string; data: Record<string, unknown> }>(schema: z.ZodType<T>) {
  return schema.superRefine((args, ctx) => {
    if (args.data.id !== undefined && args.data.id !== args.id) {
      ctx.addIssue({ code: 'custom', path: ['data', 'id'], message: 'data.id 与记录 id 不一致' });
    }
  });
}

const shortText = (max: number) => z.string().min(1).max(max);

/** Ledger row kinds (docs/report-definitions.md "Paid"): a 发放名册 row, urgent aid (先行救助), a one-off benefit. */
export const PAYMENT_KINDS = ['monthly', 'urgentAid', 'oneOff'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

export const MUTATION_ARGS = {
  /** The station's self-description; the county keeps it beside the enrolled code for the station list. */
  'station.settings': z.object({ name: shortText(100), code: shortText(32) }),
  'person.save': sameId(z.object({ id: uuidText, data: recordData })),
  'household.save': sameId(z.object({ id: uuidText, data: recordData })),
  'case.save': sameId(z.object({ id: uuidText, data: recordData, baseCountyVersion: countyVersion })),
  'case.event': z.object({
    caseId: uuidText,
    eventId: uuidText,
    action: shortText(64),
    payload: storableObject,
    at: z.iso.datetime({ offset: true }),
    fromState: z.string().max(64).nullable(),
    toState: shortText(64),
    baseCountyVersion: countyVersion,
  }),
  'attachment.register': z.object({
    caseId: uuidText,
    sha256: sha256Hex,
    size: z.number().int().min(0).max(MAX_ATTACHMENT_BYTES),
    mime: shortText(127),
    materialKey: shortText(64),
    fileName: shortText(255),
  }),
  /**
   * SP-16: one payment the station made (a row of a confirmed 发放名册, urgent aid, or a one-off benefit), sent once
   * when it becomes final. Payments never change afterwards, so the county stores the first copy and ignores repeats.
   */
  'payment.record': z
    .object({
      id: uuidText,
      caseId: uuidText,
      itemCode: shortText(32),
      kind: z.enum(PAYMENT_KINDS),
      /** The month paid for (monthly rows only). */
      periodMonth: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM').nullable(),
      paidOn: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期格式应为 YYYY-MM-DD'),
      amountFen: z.number().int().min(1).max(10_000_000_000),
      persons: z.number().int().min(1).max(100),
      rosterId: uuidText.nullable(),
      sourceEventId: uuidText.nullable(),
    })
    .superRefine((p, ctx) => {
      const monthly = p.kind === 'monthly';
      if (monthly !== (p.periodMonth !== null) || monthly !== (p.rosterId !== null)) {
        ctx.addIssue({ code: 'custom', path: ['kind'], message: '按月发放必须有所属月份和名册，一次性发放不能有' });
      }
      if (!monthly && p.sourceEventId === null) ctx.addIssue({ code: 'custom', path: ['sourceEventId'], message: '一次性发放必须注明来源办理记录' });
    }),
} as const;

export type MutationName = keyof typeof MUTATION_ARGS;
export type MutationArgs<N extends MutationName> = z.infer<(typeof MUTATION_ARGS)[N]>;
export const MUTATION_NAMES = Object.keys(MUTATION_ARGS) as MutationName[];

/** One outbox row as it travels (SP-10). */
export interface Mutation<N extends MutationName = MutationName> {
  id: number;
  name: N;
  args: MutationArgs<N>;
}

/** A mutation that passed validation, tagged by name so a switch narrows args. */
export type ParsedMutation = { [N in MutationName]: { id: number; name: N; args: MutationArgs<N> } }[MutationName];

export type MutationParse = { ok: true; mutation: ParsedMutation } | { ok: false; message: string };

export function isMutationName(name: string): name is MutationName {
  return Object.prototype.hasOwnProperty.call(MUTATION_ARGS, name);
}

/**
 * Validates one mutation's name and args. Never throws: an unknown name or bad args is a permanent error the county
 * records (INVALID_MUTATION, SP-13), and the station builds args through the same function before queueing.
 */
export function parseMutation(id: number, name: string, args: unknown): MutationParse {
  if (!isMutationName(name)) return { ok: false, message: `未知的变更类型：${name.slice(0, 64)}` };
  const parsed = MUTATION_ARGS[name].safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '参数';
    return { ok: false, message: `${name} 参数不符合要求（${where}：${issue?.message ?? '格式错误'}）` };
  }
  return { ok: true, mutation: { id, name, args: parsed.data } as ParsedMutation };
}

/** UTF-8 byte length without TextEncoder (shared/ has no DOM or Node types). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
