import { z } from 'zod';
import { defineCall } from '../define';

/** 同步 page calls: enrolment with the county, 立即同步, and the reviewer's handling of refused mutations and conflicts. */

export const SyncProgressSchema = z.object({
  phase: z.enum(['idle', 'push', 'pull', 'attachments', 'done', 'error']),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  message: z.string().optional(),
});

export const SyncStatusSchema = z.object({
  enrolment: z
    .object({
      countyUrl: z.string(),
      stationCode: z.string(),
      township: z.string(),
      clientId: z.string(),
      enrolledAt: z.string(),
      revoked: z.boolean(),
    })
    .nullable(),
  /** Pre-filled county address for the enrolment form (configured on the host), if any. */
  defaultCountyUrl: z.string().nullable(),
  connection: z.enum(['online', 'offline', 'unknown']),
  running: z.boolean(),
  progress: SyncProgressSchema,
  lastSuccessAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  nextRunAt: z.string().nullable(),
  /** Outbox rows not yet confirmed by the county. */
  pending: z.number().int().nonnegative(),
  confirmedMutationId: z.number().int().nonnegative(),
  uploadsPending: z.number().int().nonnegative(),
  openIssues: z.number().int().nonnegative(),
  /** County decisions / check results the state machine could not apply yet. */
  pendingCountyEffects: z.number().int().nonnegative(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const SyncRunSchema = z.object({
  ok: z.boolean(),
  skipped: z.enum(['notEnrolled', 'revoked']).optional(),
  pushed: z.number().int(),
  refused: z.number().int(),
  pulled: z.number().int(),
  uploaded: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  bytesSent: z.number().int(),
});

export const SyncIssueSchema = z.object({
  mutationId: z.number().int(),
  name: z.string(),
  /** Chinese label of the mutation (人员信息 / 案件 …). */
  label: z.string(),
  recordId: z.string().nullable(),
  status: z.enum(['rejected', 'conflict']),
  code: z.string(),
  message: z.string(),
  receivedAt: z.string(),
  resolution: z.enum(['discarded', 'retried', 'keptCounty', 'resubmitted']).nullable(),
  resolutionReason: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
export type SyncIssue = z.infer<typeof SyncIssueSchema>;

export const CountyEffectSchema = z.object({
  caseId: z.string(),
  caseNumber: z.string().nullable(),
  effect: z.string(),
  note: z.string().nullable(),
  updatedAt: z.string(),
});

export const SyncIssueDetailSchema = SyncIssueSchema.extend({
  /** The station's version: the refused mutation's args, ID numbers masked. */
  stationVersion: z.unknown(),
  /** For conflicts: the county's version of the case as last pulled (decision, checks, countyVersion). */
  countyVersion: z.unknown().nullable(),
});

const reason = z.string().trim().min(2, '请填写处理原因（至少 2 个字）').max(500, '原因不超过 500 个字');

export const syncCalls = {
  'sync.status': defineCall({
    summary: '同步状态：注册信息、连接、最近成功时间、待同步条数、待处理问题数',
    input: z.object({}).strict(),
    output: SyncStatusSchema,
    access: 'signedIn',
  }),
  'sync.enrol': defineCall({
    summary: '用县民政局发放的一次性注册码向县级服务器注册本工作站',
    input: z
      .object({
        countyUrl: z.string().trim().min(1, '请填写县级服务器地址').max(300),
        code: z.string().trim().min(8, '请填写一次性注册码').max(64),
      })
      .strict(),
    output: SyncStatusSchema,
    access: ['admin'],
  }),
  'sync.now': defineCall({
    summary: '立即同步（上传本站变更、下载县级数据、上传扫描件）',
    input: z.object({}).strict(),
    output: SyncRunSchema,
    access: 'signedIn',
  }),
  'sync.issues': defineCall({
    summary: '被县级拒绝或与县级决定冲突的变更，以及待应用的县级决定',
    input: z.object({ includeResolved: z.boolean().default(false) }).strict(),
    output: z.object({ issues: z.array(SyncIssueSchema), countyEffects: z.array(CountyEffectSchema) }),
    access: 'signedIn',
  }),
  'sync.issue': defineCall({
    summary: '查看一条同步问题的两个版本（本站与县级；记录查看）',
    input: z.object({ mutationId: z.number().int().positive() }).strict(),
    output: SyncIssueDetailSchema,
    access: ['reviewer', 'admin'],
  }),
  'sync.resolve': defineCall({
    summary: '审核人处理同步问题：重试、放弃（须写原因）、以县级为准、按县级最新版本重新提交',
    input: z
      .object({
        mutationId: z.number().int().positive(),
        action: z.enum(['retry', 'discard', 'keepCounty', 'resubmit']),
        reason,
      })
      .strict(),
    output: SyncIssueSchema,
    access: ['reviewer', 'admin'],
  }),
};
