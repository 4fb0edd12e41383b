import { z } from 'zod';
import { sha256Hex } from './mutations';

/**
 * Wire formats of the county sync API (docs/sync-protocol.md). Shared by the station engine and the county server
 * so that both validate the same shapes. Rule numbers (SP-n) point into the protocol document.
 */

/** SP-2: the only protocol version this build speaks. Bumped for incompatible wire changes only. */
export const PROTOCOL_VERSION = 1;

/** SP-20: most mutations one push may carry. */
export const MAX_PUSH_MUTATIONS = 1000;
/** SP-20: most bytes of one push body after gzip is undone (the limit applies to the inflated body). */
export const MAX_PUSH_BODY_BYTES = 32 * 1024 * 1024;
/**
 * SP-20: the framed push body. One line of envelope JSON, then per mutation one line of header JSON
 * (`{"id":…,"name":…,"bytes":N}`) followed by exactly N bytes of args JSON and a newline. The args travel as the
 * station stored them, so the county checks them and hands the very same bytes to PostgreSQL (SP-29).
 */
export const PUSH_FRAMES_CONTENT_TYPE = 'application/x-push-frames';
/** SP-30: page size of a pull when the station does not ask for one, and the most it may ask for. */
export const DEFAULT_PULL_LIMIT = 500;
export const MAX_PULL_LIMIT = 2000;
/** SP-41: most bytes of one attachment chunk. */
export const MAX_ATTACHMENT_CHUNK_BYTES = 1024 * 1024;

/** SP-3: chosen by the install once, kept forever; letters, digits, '-' and '_'. */
export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'clientId 必须是 8-64 位字母、数字、- 或 _');

// ---------------------------------------------------------------------------------------------------------------
// Enrolment (SP-5)

export const enrolRequestSchema = z.object({
  code: z.string().min(1).max(64),
  clientId: clientIdSchema,
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

export interface EnrolResponse {
  /** Bearer credential; shown this once, the county keeps only its SHA-256 (SP-6). Store it encrypted. */
  credential: string;
  stationId: string;
  stationCode: string;
  township: string;
  clientId: string;
  protocolVersion: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Push (SP-20 … SP-27)

/** Envelope of one outbox row. Name and args are checked per mutation so one bad row cannot fail the batch. */
export const mutationEnvelopeSchema = z.object({
  id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  name: z.string().max(64),
  args: z.unknown(),
});

export const pushRequestSchema = z.object({
  protocolVersion: z.number().int(),
  clientId: clientIdSchema,
  mutations: z.array(mutationEnvelopeSchema).max(MAX_PUSH_MUTATIONS),
  /** Informational: how many rows the station's outbox holds, shown in the county station list. */
  pendingCount: z.number().int().min(0).optional(),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export type MutationStatus = 'applied' | 'duplicate' | 'rejected' | 'conflict';

/** SP-24: permanent errors. Recorded, returned, and never retried: the reviewer retries by making a new change. */
export const PERMANENT_ERROR_CODES = {
  INVALID_MUTATION: '变更内容不符合同步协议，县级未保存',
  NOT_OWNER: '该记录属于其他工作站，本站不能修改。',
  APPLY_FAILED: '县级数据库拒绝保存此变更。',
} as const;
/** SP-25: the station's edit collided with a county decision; both versions are kept for a reviewer. */
export const CONFLICT_CODES = {
  DECIDED_BY_COUNTY: '县级已对该案件作出决定，本站的修改与县级决定冲突，需审核人处理。',
} as const;
export type PermanentErrorCode = keyof typeof PERMANENT_ERROR_CODES;
export type ConflictCode = keyof typeof CONFLICT_CODES;

export interface RecordedOutcome {
  status: 'rejected' | 'conflict';
  code: PermanentErrorCode | ConflictCode;
  message: string;
}

export interface MutationResult {
  id: number;
  status: MutationStatus;
  code?: PermanentErrorCode | ConflictCode;
  message?: string;
  /** For `duplicate` only: the permanent outcome recorded when the mutation was first received, if it was not applied. */
  original?: RecordedOutcome;
}

export interface PushResponse {
  /** SP-22: every mutation with id ≤ lastMutationId is settled at the county; the station may trim up to here. */
  lastMutationId: number;
  /** One entry per processed mutation, in request order; mutations after a gap are absent. */
  results: MutationResult[];
  /** SP-23: present when the batch stopped at a gap; resend starting from `expected`. */
  gap?: { expected: number };
}

// ---------------------------------------------------------------------------------------------------------------
// Pull (SP-30 … SP-36)

export const pullRequestSchema = z.object({
  protocolVersion: z.number().int(),
  clientId: clientIdSchema,
  cursor: z.string().max(200).nullable(),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).optional(),
  pendingCount: z.number().int().min(0).optional(),
});
export type PullRequest = z.infer<typeof pullRequestSchema>;

/** SP-33: what a station receives. Keys are stable strings; data is null for deletes. */
export interface PulledRows {
  case_county: CaseCountyData;
  policy_standard: PolicyStandard;
  township_limit: TownshipLimit;
  village_list: VillageList;
  /** SP-38: a case of this station whose applicant has an open or active case of the same item at another station. */
  duplicate_flag: DuplicateFlag;
}
export type PulledTable = keyof PulledRows;
export const PULLED_TABLES: readonly PulledTable[] = ['case_county', 'policy_standard', 'township_limit', 'village_list', 'duplicate_flag'];

export type Change = {
  [T in PulledTable]: { table: T; op: 'upsert'; key: string; data: PulledRows[T] } | { table: T; op: 'delete'; key: string; data: null };
}[PulledTable];

/** SP-26: a permanent outcome of one of this client's mutations, delivered again through pull. */
export interface MutationOutcome extends RecordedOutcome {
  id: number;
  name: string;
  /** The record the mutation was about (case id for case mutations), when it has one. */
  recordId: string | null;
}

export interface PullResponse {
  /** Opaque; send it back unchanged in the next pull. Store it in the same transaction as the page (SP-32). */
  cursor: string;
  /** SP-34: true → drop every county-owned row you hold, then apply this page: a full snapshot starts here. */
  reset: boolean;
  hasMore: boolean;
  changes: Change[];
  lastMutationId: number;
  mutationResults: MutationOutcome[];
}

// ---------------------------------------------------------------------------------------------------------------
// County-owned data as pulled (SP-33)

export const decisionOutcomes = ['approved', 'rejected'] as const;
export type DecisionOutcome = (typeof decisionOutcomes)[number];
export const economicCheckResults = ['pass', 'fail'] as const;
export type EconomicCheckResult = (typeof economicCheckResults)[number];
export const areaClasses = ['urban', 'rural'] as const;
export type AreaClass = (typeof areaClasses)[number];

export interface CaseDecision {
  outcome: DecisionOutcome;
  /** Monthly (or one-off) amount in fen; approvals only. */
  amountFen: number | null;
  /** Written reason; required for rejections. */
  reason: string | null;
  /** 'YYYY-MM'; approvals only. */
  paymentStartMonth: string | null;
  decidedAt: string;
  decidedBy: string;
}

export interface EconomicCheck {
  id: string;
  result: EconomicCheckResult;
  /** What the check found (registration, tax, property, vehicles, bank…). */
  findings: string;
  checkedAt: string;
  checkedBy: string;
}

/** Everything the county owns about one case. countyVersion is the value to send as baseCountyVersion. */
export interface CaseCountyData {
  caseId: string;
  countyVersion: number;
  decision: CaseDecision | null;
  economicChecks: EconomicCheck[];
}

export interface PolicyStandard {
  /** Assistance item the standard belongs to, e.g. 'dibao', 'destituteSupport'. */
  kind: string;
  areaClass: AreaClass;
  amountFen: number;
  /** 'YYYY-MM-DD'; the standard in force on a date is the one with the latest effectiveFrom not after it. */
  effectiveFrom: string;
}

export interface TownshipLimit {
  township: string;
  /** Most temporary assistance the township may approve for one case, in fen. */
  amountFen: number;
  effectiveFrom: string;
}

export interface Village {
  code: string;
  name: string;
  areaClass: AreaClass;
}

export interface VillageList {
  township: string;
  villages: Village[];
}

/**
 * SP-38: the county-wide duplicate check found the applicant of `caseId` (a case of the pulling station) with an
 * open or active case of the same item at another station. Only the other station and its case are named; the
 * station already holds its own applicant's data. Withdrawn with a delete when it no longer holds.
 */
export interface DuplicateFlag {
  caseId: string;
  itemCode: string;
  others: { caseId: string; stationCode: string; township: string; caseNumber: string | null; state: string | null }[];
  flaggedAt: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors of whole requests (SP-50)

/** Body of every non-2xx answer. `message` is Chinese, for the 同步 page; `code` is for programs. */
export interface SyncErrorBody {
  code: SyncErrorCode;
  message: string;
  /** OFFSET_MISMATCH: where the upload stands. UNSUPPORTED_PROTOCOL: versions the county speaks. */
  received?: number;
  supported?: number[];
}

export const SYNC_ERROR_CODES = {
  BAD_REQUEST: { status: 400, message: '同步请求格式错误。' },
  UNSUPPORTED_PROTOCOL: { status: 400, message: '同步协议版本不受县级服务器支持，请升级工作站软件。' },
  UNAUTHENTICATED: { status: 401, message: '工作站凭据无效或已被吊销，请联系县民政局重新注册。' },
  ENROLMENT_CODE_INVALID: { status: 400, message: '注册码无效、已使用或已过期。' },
  CLIENT_MISMATCH: { status: 403, message: '请求中的客户端编号与凭据不符。' },
  CLIENT_ID_TAKEN: { status: 409, message: '客户端编号已被使用，请重新生成后再注册。' },
  NOT_FOUND: { status: 404, message: '未找到对应的记录。' },
  OFFSET_MISMATCH: { status: 409, message: '附件上传位置不一致，请从服务器给出的位置继续。' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '请求内容过大。' },
  HASH_MISMATCH: { status: 422, message: '附件校验失败（SHA-256 不一致），已丢弃，请重新上传。' },
  UNSUPPORTED_ENCODING: { status: 415, message: '不支持的内容编码。' },
  UNAVAILABLE: { status: 503, message: '县级服务器暂时不可用，请稍后重试。' },
  INTERNAL: { status: 500, message: '县级服务器内部错误，本次同步未生效。' },
} as const;
export type SyncErrorCode = keyof typeof SYNC_ERROR_CODES;

// ---------------------------------------------------------------------------------------------------------------
// Attachments (SP-40 … SP-44)

/** Response headers of HEAD /sync/v1/attachments/:sha256. */
export const ATTACHMENT_HEADERS = {
  size: 'x-attachment-size',
  received: 'x-attachment-received',
  complete: 'x-attachment-complete',
} as const;

export interface AttachmentStatus {
  sha256: string;
  size: number;
  received: number;
  complete: boolean;
}

export const attachmentParamsSchema = z.object({ sha256: sha256Hex });
export const attachmentQuerySchema = z.object({
  offset: z.coerce.number().int().min(0),
  size: z.coerce.number().int().min(0),
});
