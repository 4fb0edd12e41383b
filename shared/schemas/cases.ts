import { z } from 'zod';
import { CASE_ACTIONS, CASE_STATES } from '../domain/caseMachine';
import { IsoDateSchema } from '../domain/calendar';
import { ItemCodeSchema } from '../domain/items';
import { uuidSchema } from './people';

/**
 * Shapes of the case calls (受理、案件、材料、打印). Validation messages are Chinese: they reach the clerk as is.
 */

/** Largest scan the counter accepts. A phone photo or a multi-page PDF from the desk scanner fits comfortably. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
/** base64 grows 4/3; the schema bounds the text before anything decodes it. */
export const MAX_UPLOAD_BASE64_CHARS = Math.ceil(MAX_UPLOAD_BYTES / 3) * 4;
export const UPLOAD_MIMES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type UploadMime = (typeof UPLOAD_MIMES)[number];

export const CaseStateSchema = z.enum(CASE_STATES, { error: '未知的案件状态' });
export const CaseActionSchema = z.enum(CASE_ACTIONS, { error: '不支持的案件操作' });

/** Human case number: station code (6-12 digits) + YYYYMMDD + 4-digit daily sequence. */
export const CASE_NUMBER_RE = /^\d{6,12}\d{8}\d{4}$/;

const reasonText = z
  .string({ error: '请填写原因' })
  .trim()
  .min(4, '原因至少 4 个字，请写清为何仍需继续申请')
  .max(500, '原因不超过 500 字');

export const CreateCaseInputSchema = z
  .object({
    applicantId: uuidSchema,
    /** Defaults to the applicant's registered household. */
    householdId: uuidSchema.nullish(),
    itemCode: ItemCodeSchema,
    subKind: z.string().trim().min(1).max(32).optional(),
    /** 事由, for items that allow one case per cause per year (临时救助). */
    cause: z.string().trim().min(1).max(32).optional(),
    /** Given after a no-double-benefit warning (NEEDS_REASON): why the application goes ahead anyway. */
    duplicateReason: reasonText.optional(),
  })
  .strict();
export type CreateCaseInput = z.input<typeof CreateCaseInputSchema>;

/** details of a NEEDS_REASON refusal from cases.create. */
export const DuplicateWarningSchema = z.object({
  existing: z.array(
    z.object({
      caseId: z.string(),
      caseNumber: z.string(),
      state: CaseStateSchema,
      stateLabel: z.string(),
      why: z.enum(['openOrActive', 'sameCauseThisYear']),
    }),
  ),
});
export type DuplicateWarning = z.infer<typeof DuplicateWarningSchema>;

export const AttachmentInfoSchema = z.object({
  id: z.string(),
  materialKey: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  mime: z.enum(UPLOAD_MIMES),
  fileName: z.string(),
  createdAt: z.string(),
});
export type AttachmentInfo = z.infer<typeof AttachmentInfoSchema>;

export const MaterialLineSchema = z.object({
  key: z.string(),
  name: z.string(),
  required: z.boolean(),
  received: z.boolean(),
  note: z.string().nullable(),
  attachments: z.array(AttachmentInfoSchema),
});
export type MaterialLine = z.infer<typeof MaterialLineSchema>;

export const CaseEventSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  action: z.string(),
  actionLabel: z.string(),
  fromState: CaseStateSchema.nullable(),
  toState: CaseStateSchema,
  payload: z.record(z.string(), z.unknown()),
  actorName: z.string(),
  actorRole: z.string(),
  at: z.string(),
});
export type CaseEventInfo = z.infer<typeof CaseEventSchema>;

export const CaseSummarySchema = z.object({
  id: z.string(),
  caseNumber: z.string(),
  itemCode: z.string(),
  itemName: z.string(),
  subKind: z.string().nullable(),
  subKindName: z.string().nullable(),
  state: CaseStateSchema,
  stateLabel: z.string(),
  applicantId: z.string(),
  applicantName: z.string(),
  applicantIdMasked: z.string(),
  village: z.string().nullable(),
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CaseSummary = z.infer<typeof CaseSummarySchema>;

export const CaseDetailSchema = CaseSummarySchema.extend({
  householdId: z.string().nullable(),
  cause: z.string().nullable(),
  causeName: z.string().nullable(),
  version: z.number().int(),
  countyVersion: z.number().int(),
  duplicateReason: z.string().nullable(),
  /** SP-38: the county's duplicate check found the applicant with a case of the same item at another station. */
  countyDuplicates: z.array(
    z.object({ stationCode: z.string(), township: z.string(), caseNumber: z.string().nullable(), state: z.string().nullable() }),
  ),
  /** The machine's snapshot (shared/domain/caseMachine.ts CaseSnapshot). */
  snapshot: z.record(z.string(), z.unknown()),
  materials: z.array(MaterialLineSchema),
  /** Required checklist lines not yet received: exactly what a one-time notice would list. */
  missingRequired: z.array(z.string()),
  events: z.array(CaseEventSchema),
  /** Actions the signed-in staff member may take now (availableActions of the machine). */
  availableActions: z.array(CaseActionSchema),
});
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

export const CaseListInputSchema = z
  .object({
    state: CaseStateSchema.nullish(),
    /** open = in progress, active = benefit granted and not ended. */
    group: z.enum(['all', 'open', 'active', 'ended']).default('all'),
    itemCode: ItemCodeSchema.nullish(),
    overdue: z.boolean().default(false),
    /** Case number (or its tail) or applicant name. */
    query: z.string().trim().max(40, '搜索内容不超过 40 个字').default(''),
    applicantId: uuidSchema.nullish(),
    limit: z.number().int().min(1).max(5000).default(1000),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type CaseListInput = z.input<typeof CaseListInputSchema>;

export const CaseListSchema = z.object({ items: z.array(CaseSummarySchema), total: z.number().int() });

export const ActInputSchema = z
  .object({
    caseId: uuidSchema,
    action: CaseActionSchema,
    /** Checked by the machine's ACTION_PAYLOAD_SCHEMAS for the action. */
    payload: z.record(z.string(), z.unknown()).default({}),
    /** The version the form was filled against: a case changed meanwhile is refused with CONFLICT. */
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict();
export type ActInput = z.input<typeof ActInputSchema>;

export const SetMaterialsInputSchema = z
  .object({
    caseId: uuidSchema,
    /** Checklist keys received on paper (ticked). Keys not listed become not received unless a scan is attached. */
    received: z.array(z.string().min(1).max(64)).max(100),
  })
  .strict();

const base64 = z
  .string({ error: '请选择要上传的文件' })
  .min(1, '文件为空')
  .max(MAX_UPLOAD_BASE64_CHARS, `文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB，请压缩或分页扫描后再上传`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, '文件内容编码不正确');

export const AttachInputSchema = z
  .object({
    caseId: uuidSchema,
    materialKey: z.string().min(1).max(64),
    fileName: z
      .string({ error: '缺少文件名' })
      .trim()
      .min(1, '缺少文件名')
      .max(255, '文件名过长')
      // eslint-disable-next-line no-control-regex
      .refine((s) => !/[\u0000-\u001f/\\]/.test(s), '文件名含有不允许的字符'),
    dataBase64: base64,
  })
  .strict();

export const PreviewSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  mime: z.enum(UPLOAD_MIMES),
  size: z.number().int(),
  dataBase64: z.string(),
});

export const PrintOutputSchema = z.object({ title: z.string(), html: z.string() });

export const NoticeListInputSchema = z
  .object({
    /** Cases to list; default: every case now in public notice (公示中). */
    caseIds: z.array(uuidSchema).max(500).optional(),
    noticeStart: IsoDateSchema.optional(),
    noticeEnd: IsoDateSchema.optional(),
  })
  .strict();
