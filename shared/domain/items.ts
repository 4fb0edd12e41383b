import { z } from 'zod';

/**
 * The assistance items handled at the window, as data. The built-in ITEM_CATALOGUE is what a new station starts
 * with; a county may supply its own catalogue as JSON validated by ItemCatalogueSchema (adjust notice days,
 * deadlines, materials, approval authority, or add an item on an existing workflow variant) without code changes.
 */

/**
 * Workflow variants: the shapes of procedure the state machine (caseMachine.ts) knows.
 * - meansTested: full means-tested procedure (economic check, home visit, democratic review, public notice).
 * - temporary: temporary assistance, with urgent aid first (先行救助) and township approval up to a limit.
 * - periodicSubsidy: monthly allowances granted on status (disability, orphanhood): home visit, no notice.
 * - oneOffSubsidy: one-off payments granted on documents and status (medical bills, funeral costs).
 * - service: services bought by the government (home care, home adaptation): needs assessment visit, delivery.
 */
export const WORKFLOW_VARIANTS = ['meansTested', 'temporary', 'periodicSubsidy', 'oneOffSubsidy', 'service'] as const;
export type WorkflowVariant = (typeof WORKFLOW_VARIANTS)[number];
export const WORKFLOW_VARIANT_LABELS: Readonly<Record<WorkflowVariant, string>> = {
  meansTested: '家庭经济状况审核类',
  temporary: '临时救助类',
  periodicSubsidy: '定期补贴类',
  oneOffSubsidy: '一次性补助类',
  service: '服务类',
};

/**
 * Who decides: the county (the township reviews and hands the case on); the township, where the county has
 * delegated approval (审批权下放); or the township up to the county-set limit (临时救助备用金), above it the county.
 */
export const APPROVAL_AUTHORITIES = ['county', 'township', 'townshipUpToLimit'] as const;
export type ApprovalAuthority = (typeof APPROVAL_AUTHORITIES)[number];
export const APPROVAL_AUTHORITY_LABELS: Readonly<Record<ApprovalAuthority, string>> = {
  county: '县级民政部门审批',
  township: '乡镇（街道）审批（县级委托）',
  townshipUpToLimit: '限额内乡镇审批，超过限额报县级审批',
};

/** periodic: paid monthly until ended; oneOff: paid once and closed; none: a status only (低保边缘家庭认定). */
export const PAYMENT_KINDS = ['periodic', 'oneOff', 'none'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];
export const PAYMENT_KIND_LABELS: Readonly<Record<PaymentKind, string>> = {
  periodic: '按月发放',
  oneOff: '一次性发放',
  none: '资格认定（不直接发放资金）',
};

/** Applicant / household facts an item needs before acceptance; the intake form marks these as required. */
export const APPLICANT_FIELDS = [
  'name',
  'idNumber',
  'phone',
  'address',
  'village',
  'householdType',
  'householdMembers',
  'incomeItems',
  'assets',
  'disability',
  'workAbility',
  'health',
  'careLevel',
  'guardian',
  'bankAccount',
  'cause',
  'deceased',
] as const;
export type ApplicantField = (typeof APPLICANT_FIELDS)[number];
export const APPLICANT_FIELD_LABELS: Readonly<Record<ApplicantField, string>> = {
  name: '姓名',
  idNumber: '身份证号码',
  phone: '联系电话',
  address: '住址',
  village: '所在村（社区）',
  householdType: '户籍类别（城镇/农村）',
  householdMembers: '家庭成员及与户主关系',
  incomeItems: '家庭收入',
  assets: '家庭财产',
  disability: '残疾类别和等级',
  workAbility: '劳动能力',
  health: '健康状况',
  careLevel: '生活自理能力',
  guardian: '监护人',
  bankAccount: '银行账户',
  cause: '申请事由',
  deceased: '逝者信息',
};

const KEY_RE = /^[a-z][A-Za-z0-9]*$/;
const keySchema = z.string().regex(KEY_RE, { message: '代码应以小写字母开头，只含字母和数字' });
const nameSchema = z.string().trim().min(1, { message: '名称不能为空' });

export const MaterialSchema = z.object({
  key: keySchema,
  name: nameSchema,
  required: z.boolean(),
  note: z.string().optional(),
});
export type Material = z.infer<typeof MaterialSchema>;

const CodeNameSchema = z.object({ code: keySchema, name: nameSchema });

export const ItemDefinitionSchema = z
  .object({
    code: keySchema,
    name: nameSchema,
    shortName: nameSchema,
    /** When non-empty, every case names one (城市/农村低保, 集中/分散供养, 急难型/支出型). */
    subKinds: z.array(CodeNameSchema),
    materials: z.array(MaterialSchema).min(1, { message: '材料清单不能为空' }),
    requiredFields: z.array(z.enum(APPLICANT_FIELDS)).min(1),
    variant: z.enum(WORKFLOW_VARIANTS),
    approval: z.enum(APPROVAL_AUTHORITIES),
    /** Calendar days of public notice in the village/community; 0 = the item has no public notice. */
    noticeDays: z.number().int().min(0).max(30),
    /** Months between periodic re-checks; 0 = no re-check (one-off items). */
    recheckMonths: z.number().int().min(0).max(60),
    /** Working days from acceptance to decision. */
    decisionWorkingDays: z.number().int().min(1).max(120),
    /** At most one case per person per cause per year (临时救助): the intake warns on a repeat. */
    oncePerCausePerYear: z.boolean(),
    /** Causes the applicant chooses from (事由), needed when oncePerCausePerYear. */
    causes: z.array(CodeNameSchema),
    payment: z.enum(PAYMENT_KINDS),
  })
  .superRefine((item, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message: `事项“${item.name}”：${message}` });
    const dup = (list: readonly string[]) => list.find((k, i) => list.indexOf(k) !== i);
    if (dup(item.materials.map((m) => m.key))) issue('材料代码重复');
    if (dup(item.subKinds.map((s) => s.code))) issue('子类代码重复');
    if (dup(item.causes.map((c) => c.code))) issue('事由代码重复');
    // The variant fixes the shape of the procedure; these keep data and machine from contradicting each other.
    const hasNotice = item.variant === 'meansTested';
    if (hasNotice && item.noticeDays < 1) issue('家庭经济状况审核类事项必须公示，公示天数至少为1天');
    if (!hasNotice && item.noticeDays !== 0) issue('该类事项的流程没有公示环节，公示天数应为0');
    if ((item.variant === 'temporary') !== (item.approval === 'townshipUpToLimit')) {
      issue('“限额内乡镇审批”只适用于临时救助类事项，且临时救助类事项必须使用该方式');
    }
    const payments: Record<WorkflowVariant, readonly PaymentKind[]> = {
      meansTested: ['periodic', 'none'],
      temporary: ['oneOff'],
      periodicSubsidy: ['periodic'],
      oneOffSubsidy: ['oneOff'],
      service: ['periodic', 'oneOff'],
    };
    if (!payments[item.variant].includes(item.payment)) issue('发放方式与流程类别不符');
    if (item.payment === 'oneOff' && item.recheckMonths !== 0) issue('一次性事项不需要定期复核，复核间隔应为0');
    if (item.payment !== 'oneOff' && item.recheckMonths < 1) issue('长期享受的事项必须设定复核间隔');
    if (item.oncePerCausePerYear && item.causes.length === 0) issue('“每年每事由一次”需要列出事由');
  });
export type ItemDefinition = z.infer<typeof ItemDefinitionSchema>;

export const ItemCatalogueSchema = z.array(ItemDefinitionSchema).superRefine((items, ctx) => {
  const codes = items.map((i) => i.code);
  const repeated = codes.find((c, i) => codes.indexOf(c) !== i);
  if (repeated) ctx.addIssue({ code: 'custom', message: `事项代码重复：${repeated}` });
});

// Shared checklist lines, so the same document has the same key (and the same scan can serve) across items.
const m = (key: string, name: string, required: boolean, note?: string): Material =>
  note === undefined ? { key, name, required } : { key, name, required, note };
const applicationForm = (name = '书面申请书') => m('applicationForm', name, true);
const idCard = m('idCard', '申请人居民身份证', true);
const householdRegister = (required: boolean) => m('householdRegister', '户口簿', required);
const memberIdCards = m('memberIdCards', '共同生活家庭成员身份证', true);
const checkAuthorisation = m('checkAuthorisation', '家庭经济状况核对授权书（家庭成员签字）', true);
const honestyCommitment = m('honestyCommitment', '诚信承诺书（双承诺）', true);
const disabilityCertificate = (required: boolean) => m('disabilityCertificate', '中华人民共和国残疾人证', required);
const medicalRecords = (required: boolean) => m('medicalRecords', '病历或医院诊断证明', required);
const bankAccount = m('bankAccount', '本人银行账户（社保卡/一卡通）', false, '批准后发放时需要');
const assistanceStatusProof = (required: boolean) =>
  m('assistanceStatusProof', '低保、特困或低保边缘等救助对象身份证明', required, '本站已有记录的可免交');

const CATALOGUE_DATA: ItemDefinition[] = [
  {
    code: 'dibao',
    name: '最低生活保障',
    shortName: '低保',
    subKinds: [
      { code: 'urban', name: '城市低保' },
      { code: 'rural', name: '农村低保' },
    ],
    materials: [
      applicationForm(),
      idCard,
      householdRegister(true),
      memberIdCards,
      checkAuthorisation,
      honestyCommitment,
      m('incomeStatement', '家庭收入情况说明', true),
      m('assetStatement', '家庭财产情况说明', true),
      disabilityCertificate(false),
      medicalRecords(false),
      bankAccount,
    ],
    requiredFields: [
      'name',
      'idNumber',
      'phone',
      'address',
      'village',
      'householdType',
      'householdMembers',
      'incomeItems',
      'assets',
      'workAbility',
      'health',
    ],
    variant: 'meansTested',
    approval: 'county',
    noticeDays: 7,
    recheckMonths: 12,
    decisionWorkingDays: 30,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'periodic',
  },
  {
    code: 'nearDibao',
    name: '低保边缘家庭认定',
    shortName: '低保边缘',
    subKinds: [],
    materials: [
      applicationForm(),
      idCard,
      householdRegister(true),
      memberIdCards,
      checkAuthorisation,
      honestyCommitment,
      m('incomeStatement', '家庭收入情况说明', true),
      m('assetStatement', '家庭财产情况说明', true),
      medicalRecords(false),
    ],
    requiredFields: [
      'name',
      'idNumber',
      'phone',
      'address',
      'village',
      'householdType',
      'householdMembers',
      'incomeItems',
      'assets',
    ],
    variant: 'meansTested',
    approval: 'county',
    noticeDays: 7,
    recheckMonths: 12,
    decisionWorkingDays: 30,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'none',
  },
  {
    code: 'destituteSupport',
    name: '特困人员救助供养',
    shortName: '特困',
    subKinds: [
      { code: 'centralised', name: '集中供养' },
      { code: 'dispersed', name: '分散供养' },
    ],
    materials: [
      applicationForm(),
      idCard,
      householdRegister(true),
      checkAuthorisation,
      honestyCommitment,
      m('noSupporterStatement', '无法定赡养、抚养、扶养义务人或其无履行能力的情况说明', true),
      m('selfCareAssessment', '生活自理能力评估表', true),
      disabilityCertificate(false),
      medicalRecords(false),
      bankAccount,
    ],
    requiredFields: [
      'name',
      'idNumber',
      'address',
      'village',
      'householdType',
      'incomeItems',
      'assets',
      'workAbility',
      'health',
      'careLevel',
    ],
    variant: 'meansTested',
    approval: 'county',
    noticeDays: 7,
    recheckMonths: 12,
    decisionWorkingDays: 40,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'periodic',
  },
  {
    code: 'temporaryAssistance',
    name: '临时救助',
    shortName: '临时救助',
    subKinds: [
      { code: 'urgent', name: '急难型' },
      { code: 'expense', name: '支出型' },
    ],
    materials: [
      applicationForm(),
      idCard,
      householdRegister(false),
      honestyCommitment,
      m('hardshipProof', '困难情况证明（医疗票据、事故或灾害证明等）', true),
      m('checkAuthorisation', '家庭经济状况核对授权书（家庭成员签字）', false, '支出型救助需要'),
      bankAccount,
    ],
    requiredFields: ['name', 'idNumber', 'phone', 'address', 'village', 'householdMembers', 'cause'],
    variant: 'temporary',
    approval: 'townshipUpToLimit',
    noticeDays: 0,
    recheckMonths: 0,
    decisionWorkingDays: 10,
    oncePerCausePerYear: true,
    causes: [
      { code: 'fire', name: '火灾' },
      { code: 'traffic', name: '交通事故' },
      { code: 'disaster', name: '自然灾害' },
      { code: 'suddenIllness', name: '突发重大疾病' },
      { code: 'accident', name: '意外伤害' },
      { code: 'medicalExpense', name: '医疗费用支出过大' },
      { code: 'educationExpense', name: '教育费用支出过大' },
      { code: 'livingHardship', name: '其他基本生活困难' },
    ],
    payment: 'oneOff',
  },
  {
    code: 'medicalAssistance',
    name: '医疗救助',
    shortName: '医疗救助',
    subKinds: [],
    materials: [
      applicationForm(),
      idCard,
      medicalRecords(true),
      m('medicalInvoices', '医疗费用发票及医保结算单', true),
      assistanceStatusProof(false),
      bankAccount,
    ],
    requiredFields: ['name', 'idNumber', 'phone', 'address', 'village', 'health', 'bankAccount'],
    variant: 'oneOffSubsidy',
    approval: 'county',
    noticeDays: 0,
    recheckMonths: 0,
    decisionWorkingDays: 20,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'oneOff',
  },
  {
    code: 'disabilityLivingSubsidy',
    name: '困难残疾人生活补贴',
    shortName: '残疾人生活补贴',
    subKinds: [],
    materials: [
      applicationForm('残疾人两项补贴申请审批表'),
      idCard,
      householdRegister(true),
      disabilityCertificate(true),
      assistanceStatusProof(true),
      bankAccount,
    ],
    requiredFields: ['name', 'idNumber', 'phone', 'address', 'village', 'disability'],
    variant: 'periodicSubsidy',
    approval: 'county',
    noticeDays: 0,
    recheckMonths: 12,
    decisionWorkingDays: 20,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'periodic',
  },
  {
    code: 'disabilityCareSubsidy',
    name: '重度残疾人护理补贴',
    shortName: '残疾人护理补贴',
    subKinds: [],
    materials: [
      applicationForm('残疾人两项补贴申请审批表'),
      idCard,
      householdRegister(true),
      m('disabilityCertificate', '中华人民共和国残疾人证', true, '一、二级（部分类别三、四级）'),
      bankAccount,
    ],
    requiredFields: ['name', 'idNumber', 'phone', 'address', 'village', 'disability', 'careLevel'],
    variant: 'periodicSubsidy',
    approval: 'county',
    noticeDays: 0,
    recheckMonths: 12,
    decisionWorkingDays: 20,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'periodic',
  },
  {
    code: 'orphanAllowance',
    name: '孤儿基本生活费',
    shortName: '孤儿生活费',
    subKinds: [],
    materials: [
      applicationForm(),
      m('childIdentity', '儿童户口簿或身份证', true),
      m('parentsDeathProof', '父母死亡证明或人民法院宣告死亡、失踪的判决书', true),
      m('guardianIdentity', '监护人身份证及监护关系证明', true),
      bankAccount,
    ],
    requiredFields: ['name', 'idNumber', 'address', 'village', 'guardian'],
    variant: 'periodicSubsidy',
    approval: 'county',
    noticeDays: 0,
    recheckMonths: 12,
    decisionWorkingDays: 30,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'periodic',
  },
  {
    code: 'unsupportedChildAllowance',
    name: '事实无人抚养儿童基本生活费',
    shortName: '事实无人抚养儿童生活费',
    subKinds: [],
    materials: [
      applicationForm(),
      m('childIdentity', '儿童户口簿或身份证', true),
      m('parentsSituationProof', '父母重残、重病、服刑、强制隔离戒毒、失联等情况证明', true),
      m('guardianIdentity', '监护人身份证及监护关系证明', true),
      bankAccount,
    ],
    requiredFields: ['name', 'idNumber', 'address', 'village', 'guardian'],
    variant: 'periodicSubsidy',
    approval: 'county',
    noticeDays: 0,
    recheckMonths: 12,
    decisionWorkingDays: 30,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'periodic',
  },
  {
    code: 'childInDifficulty',
    name: '困境儿童分类保障',
    shortName: '困境儿童保障',
    subKinds: [],
    materials: [
      applicationForm(),
      m('childIdentity', '儿童户口簿或身份证', true),
      m('difficultyProof', '困境情况证明（残疾证、重病诊断、家庭困难证明等）', true),
      m('guardianIdentity', '监护人身份证及监护关系证明', true),
      bankAccount,
    ],
    requiredFields: ['name', 'idNumber', 'address', 'village', 'guardian', 'health'],
    variant: 'periodicSubsidy',
    approval: 'county',
    noticeDays: 0,
    recheckMonths: 12,
    decisionWorkingDays: 30,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'periodic',
  },
  {
    code: 'homeCareService',
    name: '政府购买居家养老服务',
    shortName: '居家养老服务',
    subKinds: [],
    materials: [
      applicationForm('居家养老服务申请表'),
      idCard,
      m('elderAbilityAssessment', '老年人能力评估表', true),
      assistanceStatusProof(false),
      disabilityCertificate(false),
    ],
    requiredFields: ['name', 'idNumber', 'phone', 'address', 'village', 'health', 'careLevel'],
    variant: 'service',
    approval: 'township',
    noticeDays: 0,
    recheckMonths: 12,
    decisionWorkingDays: 15,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'periodic',
  },
  {
    code: 'homeAdaptation',
    name: '困难老年人家庭适老化改造',
    shortName: '适老化改造',
    subKinds: [],
    materials: [
      applicationForm('适老化改造申请表'),
      idCard,
      householdRegister(true),
      m('housingProof', '房屋产权或居住使用证明', true),
      assistanceStatusProof(true),
      m('elderAbilityAssessment', '老年人能力评估表', false),
    ],
    requiredFields: ['name', 'idNumber', 'phone', 'address', 'village', 'health', 'careLevel'],
    variant: 'service',
    approval: 'county',
    noticeDays: 0,
    recheckMonths: 0,
    decisionWorkingDays: 20,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'oneOff',
  },
  {
    code: 'funeralFeeWaiver',
    name: '基本殡葬费用减免',
    shortName: '殡葬费减免',
    subKinds: [],
    materials: [
      applicationForm('基本殡葬服务费用减免申请表'),
      m('agentIdCard', '经办人（逝者家属）身份证', true),
      m('deathCertificate', '居民死亡医学证明（推断）书', true),
      m('cremationCertificate', '火化证明', true),
      assistanceStatusProof(true),
    ],
    requiredFields: ['name', 'idNumber', 'phone', 'deceased'],
    variant: 'oneOffSubsidy',
    approval: 'county',
    noticeDays: 0,
    recheckMonths: 0,
    decisionWorkingDays: 5,
    oncePerCausePerYear: false,
    causes: [],
    payment: 'oneOff',
  },
];

export const ITEM_CODES = [
  'dibao',
  'nearDibao',
  'destituteSupport',
  'temporaryAssistance',
  'medicalAssistance',
  'disabilityLivingSubsidy',
  'disabilityCareSubsidy',
  'orphanAllowance',
  'unsupportedChildAllowance',
  'childInDifficulty',
  'homeCareService',
  'homeAdaptation',
  'funeralFeeWaiver',
] as const;
export type ItemCode = (typeof ITEM_CODES)[number];
export const ItemCodeSchema = z.enum(ITEM_CODES, { error: '未知的救助事项' });

/** Validated at load: a malformed built-in catalogue must fail every test run, not a clerk at the counter. */
export const ITEM_CATALOGUE: readonly ItemDefinition[] = ItemCatalogueSchema.parse(CATALOGUE_DATA);

export function isItemCode(value: unknown): value is ItemCode {
  return typeof value === 'string' && (ITEM_CODES as readonly string[]).includes(value);
}

/** The item with this code in `catalogue` (default: the built-in one), or undefined. */
export function itemByCode(
  code: string,
  catalogue: readonly ItemDefinition[] = ITEM_CATALOGUE,
): ItemDefinition | undefined {
  return catalogue.find((item) => item.code === code);
}
