import { z } from 'zod';

/**
 * Roles, permissions and the wire shapes of the county console API. Pure (zod only): imported by the console
 * services on the server and by the React app in server/console, so both ends agree on one definition.
 */

export const COUNTY_ROLES = ['approver', 'checker', 'admin'] as const;
export type CountyRole = (typeof COUNTY_ROLES)[number];
export const COUNTY_ROLE_LABELS: Readonly<Record<CountyRole, string>> = {
  approver: '审批人员',
  checker: '核对人员',
  admin: '系统管理员',
};

/** What each role may do. An account may hold several roles; it may do what any of them allows. */
export const PERMISSIONS = {
  /** Approval inbox and case dossiers (ID numbers masked). */
  viewCases: ['approver', 'checker'],
  decide: ['approver'],
  /** Full ID numbers in a dossier; every reveal is audited. */
  revealIdNumbers: ['approver', 'checker'],
  recordChecks: ['checker'],
  viewDuplicates: ['approver', 'checker', 'admin'],
  editStandards: ['admin'],
  manageStations: ['admin'],
  manageStaff: ['admin'],
  viewAudit: ['admin'],
} as const satisfies Record<string, readonly CountyRole[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(roles: readonly string[], permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly string[]).some((r) => roles.includes(r));
}

export const usernameSchema = z
  .string({ error: '请输入用户名' })
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, '用户名为 3-32 位字母、数字、点、- 或 _');
export const passwordSchema = z
  .string({ error: '请输入密码' })
  .min(10, '密码至少 10 位')
  .max(200, '密码过长')
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), '密码须同时包含字母和数字');
export const displayNameSchema = z.string({ error: '请输入姓名' }).trim().min(1, '请输入姓名').max(50, '姓名不超过 50 字');
export const rolesSchema = z.array(z.enum(COUNTY_ROLES, { error: '未知的角色' })).min(1, '至少选择一个角色').max(3);

export const loginInput = z.object({ username: z.string().trim().min(1, '请输入用户名').max(64), password: z.string().min(1, '请输入密码').max(200) });
export const setupInput = z.object({
  adminToken: z.string().min(1, '请输入管理令牌').max(200),
  username: usernameSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
});
export const createStaffInput = z.object({
  username: usernameSchema,
  displayName: displayNameSchema,
  roles: rolesSchema,
  password: passwordSchema,
});
export type CreateStaffInput = z.input<typeof createStaffInput>;

export interface StaffMember {
  id: string;
  username: string;
  displayName: string;
  roles: CountyRole[];
  active: boolean;
  createdAt: string;
}

export interface SessionInfo {
  staff: StaffMember;
  csrfToken: string;
  expiresAt: string;
}

/** Yuan typed by an officer travels as integer fen (shared/domain/income.ts parseYuanToFen). */
export const decisionInput = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('approved'),
    amountFen: z.number({ error: '请填写金额' }).int('金额须精确到分').min(1, '批准金额必须大于 0').max(10_000_000_00, '金额超出合理范围'),
    paymentStartMonth: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '发放起始月份格式应为 YYYY-MM'),
    note: z.string().trim().max(2000).optional(),
  }),
  z.object({
    outcome: z.literal('rejected'),
    reason: z.string({ error: '请填写不予批准的理由' }).trim().min(4, '不予批准的理由至少 4 个字').max(2000, '理由不超过 2000 字'),
  }),
]);
export type DecisionInput = z.input<typeof decisionInput>;

/** Findings of an economic check, as the station's case machine knows them (ECONOMIC_CHECK_FINDINGS). */
export const checkInput = z.object({
  finding: z.enum(['withinLimits', 'exceedsLimits', 'needsVerification'], { error: '请选择核对结论' }),
  summary: z.string({ error: '请填写核对情况摘要' }).trim().min(1, '请填写核对情况摘要').max(3800, '摘要过长'),
});
export type CheckInput = z.input<typeof checkInput>;

export const standardInput = z.object({
  kind: z.enum(['dibao', 'destitute'], { error: '请选择标准类别' }),
  areaClass: z.enum(['urban', 'rural'], { error: '请选择城乡类别' }),
  amountFen: z.number().int('金额须精确到分').min(0).max(10_000_000_00),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '生效日期格式应为 YYYY-MM-DD'),
});
export const townshipLimitInput = z.object({
  amountFen: z.number().int('金额须精确到分').min(0).max(10_000_000_00),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '生效日期格式应为 YYYY-MM-DD'),
});

// ---------------------------------------------------------------------------------------------------------------
// Read models

export interface InboxItem {
  caseId: string;
  caseNumber: string | null;
  itemCode: string | null;
  subKind: string | null;
  stationId: string;
  stationCode: string;
  township: string;
  applicantName: string | null;
  applicantIdMasked: string | null;
  village: string | null;
  perCapitaFen: number | null;
  memberCount: number | null;
  stationState: string | null;
  /** When the station handed the case to the county (the handOffToCounty event), ISO. */
  handedOffAt: string | null;
  updatedAt: string;
  duplicate: boolean;
}

export interface DossierPerson {
  id: string;
  name: string | null;
  /** Masked unless the dossier was opened with reveal (audited). */
  idNumber: string | null;
  idRevealed: boolean;
  sex: string | null;
  birthDate: string | null;
  relation: string | null;
  hukou: string | null;
  disabilityCategory: string | null;
  disabilityGrade: number | null;
  workAbility: string | null;
  health: string | null;
  phone: string | null;
}

export interface DossierEvent {
  eventId: string;
  action: string;
  at: string;
  fromState: string | null;
  toState: string;
  payload: Record<string, unknown>;
}

export interface DossierAttachment {
  materialKey: string;
  sha256: string;
  size: number;
  mime: string;
  fileName: string;
  uploaded: boolean;
}

export interface CaseDossier {
  caseId: string;
  caseNumber: string | null;
  itemCode: string | null;
  subKind: string | null;
  cause: string | null;
  stationId: string;
  stationCode: string;
  township: string;
  stationState: string | null;
  snapshot: Record<string, unknown> | null;
  applicant: DossierPerson | null;
  household: {
    id: string;
    hukou: string | null;
    village: string | null;
    address: string | null;
    memberCount: number | null;
    monthlyIncomeFen: number | null;
    perCapitaFen: number | null;
    incomeItems: { kind: string; monthlyFen: number; note?: string; personId?: string | null }[];
    assets: Record<string, unknown> | null;
  } | null;
  members: DossierPerson[];
  materials: { key: string; name: string; required: boolean; received: boolean }[];
  attachments: DossierAttachment[];
  events: DossierEvent[];
  county: {
    countyVersion: number;
    decision: {
      outcome: 'approved' | 'rejected';
      amountFen: number | null;
      reason: string | null;
      paymentStartMonth: string | null;
      decidedAt: string;
      decidedBy: string;
    } | null;
    economicChecks: { id: string; result: 'pass' | 'fail'; findings: string; checkedAt: string; checkedBy: string }[];
  };
  duplicates: DuplicateOther[];
  /** Whether the case is waiting for the county's decision now. */
  awaitingDecision: boolean;
}

export interface DuplicateOther {
  caseId: string;
  stationCode: string;
  township: string;
  caseNumber: string | null;
  state: string | null;
}

export interface DuplicateGroup {
  itemCode: string;
  idNumberMasked: string;
  applicantNames: string[];
  cases: { caseId: string; stationId: string; stationCode: string; township: string; caseNumber: string | null; state: string | null; flaggedAt: string }[];
}

export interface CheckRequest {
  caseId: string;
  caseNumber: string | null;
  itemCode: string | null;
  stationCode: string;
  township: string;
  applicantName: string | null;
  applicantIdMasked: string | null;
  requestedAt: string;
  note: string | null;
  pending: boolean;
  lastResult: { result: 'pass' | 'fail'; findings: string; checkedAt: string; checkedBy: string } | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  username: string;
  action: string;
  entity: string | null;
  entityId: string | null;
  stationId: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

/** Audit action names, with the Chinese the audit page shows. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  'staff.setup': '初始化管理员',
  'staff.create': '新建账号',
  'staff.deactivate': '停用账号',
  'staff.activate': '启用账号',
  'staff.password': '重设密码',
  'session.login': '登录',
  'session.loginFailed': '登录失败',
  'session.logout': '退出登录',
  'inbox.view': '查看待审批列表',
  'case.view': '查看案件档案',
  'idNumber.reveal': '查看完整身份证号码',
  'attachment.view': '查看材料附件',
  'case.decide': '审批决定',
  'check.record': '录入核对结果',
  'checks.view': '查看核对申请列表',
  'duplicates.view': '查看重复救助名单',
  'standard.set': '设置保障标准',
  'standard.delete': '删除保障标准',
  'townshipLimit.set': '设置乡镇临时救助限额',
  'station.create': '登记工作站',
  'station.enrolmentCode': '签发注册码',
  'station.revoke': '吊销工作站凭据',
  'audit.view': '查看审计日志',
  'report.drill': '查看统计明细名单',
  'report.export': '导出统计报表',
};
