import { z } from 'zod';
import { IdNumberSchema } from '../domain/idNumber';
import { IncomeItemSchema as DomainIncomeItemSchema, PolicyStandardSchema } from '../domain/income';

export { INCOME_KIND_LABELS, type IncomeKind } from '../domain/income';

/**
 * Persons and households as the renderer, the station core and the county server see them. Money is integer fen;
 * dates are 'YYYY-MM-DD'. Labels are the Chinese the forms show; keys are what the store and sync carry.
 */

export const HUKOU_LABELS = { urban: '城镇', rural: '农村' } as const;
export type Hukou = keyof typeof HUKOU_LABELS;

export const DISABILITY_CATEGORY_LABELS = {
  vision: '视力残疾',
  hearing: '听力残疾',
  speech: '言语残疾',
  physical: '肢体残疾',
  intellectual: '智力残疾',
  mental: '精神残疾',
  multiple: '多重残疾',
} as const;
export type DisabilityCategory = keyof typeof DISABILITY_CATEGORY_LABELS;
export const DISABILITY_GRADE_LABELS = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' } as const;

export const WORK_ABILITY_LABELS = { full: '有劳动能力', partial: '部分丧失劳动能力', none: '无劳动能力' } as const;
export type WorkAbility = keyof typeof WORK_ABILITY_LABELS;

export const HEALTH_LABELS = { healthy: '健康', chronic: '患慢性病', serious: '患重特大疾病' } as const;
export type Health = keyof typeof HEALTH_LABELS;

export const RELATION_LABELS = {
  self: '户主本人',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  childInLaw: '儿媳/女婿',
  grandchild: '孙子女/外孙子女',
  grandparent: '祖父母/外祖父母',
  sibling: '兄弟姐妹',
  other: '其他',
} as const;
export type Relation = keyof typeof RELATION_LABELS;

const keysOf = <T extends Record<string, unknown>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const choice = <T extends Record<string, unknown>>(labels: T, what: string) =>
  z.enum(keysOf(labels), { error: `请选择${what}` });

export const HukouSchema = choice(HUKOU_LABELS, '城乡类别（城镇/农村）');
export const RelationSchema = choice(RELATION_LABELS, '与户主关系');

export const uuidSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, '记录编号格式不正确');

/** Han characters (incl. extension A and the compatibility block) and the middle dot of minority names (买买提·艾力). */
export const PERSON_NAME_RE =
  /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+(?:[·•][\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)*$/;

export const PersonNameSchema = z
  .string({ error: '请输入姓名' })
  .trim()
  .min(2, '姓名至少 2 个汉字')
  .max(30, '姓名不超过 30 个字')
  .regex(PERSON_NAME_RE, '姓名只能包含汉字（少数民族姓名可用间隔号“·”）');

export const PhoneSchema = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '联系电话应为 11 位手机号或带区号的固定电话');

const fen = (what: string, max = 100_000_000_00) =>
  z
    .number({ error: `请输入${what}` })
    .int(`${what}须精确到分`)
    .min(0, `${what}不能为负数`)
    .max(max, `${what}超出合理范围`);

/** Input of people.savePerson: id and version present when editing (version = the one the form loaded). */
export const PersonInputSchema = z
  .object({
    id: uuidSchema.optional(),
    version: z.number().int().positive().optional(),
    idNumber: IdNumberSchema,
    name: PersonNameSchema,
    phone: PhoneSchema.nullish().transform((v) => v || null),
    hukou: HukouSchema,
    disabilityCategory: choice(DISABILITY_CATEGORY_LABELS, '残疾类别')
      .nullish()
      .transform((v) => v ?? null),
    disabilityGrade: z
      .number()
      .int()
      .min(1, '残疾等级为一至四级')
      .max(4, '残疾等级为一至四级')
      .nullish()
      .transform((v) => v ?? null),
    workAbility: choice(WORK_ABILITY_LABELS, '劳动能力'),
    health: choice(HEALTH_LABELS, '健康状况'),
    healthNote: z
      .string()
      .trim()
      .max(200, '健康情况说明不超过 200 字')
      .nullish()
      .transform((v) => v || null),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.disabilityCategory && p.disabilityGrade == null) {
      ctx.addIssue({ code: 'custom', path: ['disabilityGrade'], message: '已选择残疾类别，请选择残疾等级' });
    }
    if (!p.disabilityCategory && p.disabilityGrade != null) {
      ctx.addIssue({ code: 'custom', path: ['disabilityCategory'], message: '已选择残疾等级，请选择残疾类别' });
    }
  });
export type PersonInput = z.input<typeof PersonInputSchema>;
export type PersonFields = z.output<typeof PersonInputSchema>;

export const MemberInputSchema = z.object({ personId: uuidSchema, relation: RelationSchema }).strict();

/** The domain's income item, plus whose income it is (null = the household as a whole). */
export const IncomeItemSchema = DomainIncomeItemSchema.extend({
  monthlyFen: fen('月收入', 10_000_000),
  personId: uuidSchema.nullish().transform((v) => v ?? null),
}).strict();
export type IncomeItem = z.output<typeof IncomeItemSchema>;

export const VehicleSchema = z
  .object({
    description: z.string().trim().min(1, '请填写车辆说明（如：三轮摩托车）').max(60, '车辆说明不超过 60 字'),
    valueFen: fen('车辆估值'),
  })
  .strict();
export const HousingSchema = z
  .object({
    description: z.string().trim().min(1, '请填写房屋说明（如：自建砖木房）').max(60, '房屋说明不超过 60 字'),
    areaSqm: z.number({ error: '请输入房屋面积' }).min(0, '房屋面积不能为负数').max(10_000, '房屋面积超出合理范围'),
  })
  .strict();
export const AssetsSchema = z
  .object({
    depositsFen: fen('存款'),
    vehicles: z.array(VehicleSchema).max(20, '车辆最多 20 条'),
    housing: z.array(HousingSchema).max(20, '房产最多 20 条'),
  })
  .strict();
export type Assets = z.output<typeof AssetsSchema>;

export const VillageSchema = z
  .string({ error: '请输入村（社区）' })
  .trim()
  .min(2, '村（社区）名称至少 2 个字')
  .max(30, '村（社区）名称不超过 30 个字');

export const HouseholdInputSchema = z
  .object({
    id: uuidSchema.optional(),
    version: z.number().int().positive().optional(),
    headId: uuidSchema,
    hukou: HukouSchema,
    village: VillageSchema,
    address: z.string({ error: '请输入家庭住址' }).trim().min(2, '请输入家庭住址').max(100, '家庭住址不超过 100 字'),
    members: z.array(MemberInputSchema).min(1, '家庭至少有户主 1 人').max(20, '家庭成员最多 20 人'),
    incomeItems: z.array(IncomeItemSchema).max(50, '收入项最多 50 条'),
    assets: AssetsSchema,
  })
  .strict()
  .superRefine((h, ctx) => {
    const selves = h.members.filter((m) => m.relation === 'self');
    if (selves.length !== 1 || selves[0]!.personId !== h.headId) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: '成员中必须有且只有户主本人一人，关系为“户主本人”' });
    }
    const seen = new Set<string>();
    h.members.forEach((m, i) => {
      if (seen.has(m.personId))
        ctx.addIssue({ code: 'custom', path: ['members', i, 'personId'], message: '同一人不能重复列为成员' });
      seen.add(m.personId);
    });
    h.incomeItems.forEach((item, i) => {
      if (item.personId && !seen.has(item.personId)) {
        ctx.addIssue({ code: 'custom', path: ['incomeItems', i, 'personId'], message: '收入所属人必须是本户成员' });
      }
    });
  });
export type HouseholdInput = z.input<typeof HouseholdInputSchema>;
export type HouseholdFields = z.output<typeof HouseholdInputSchema>;

export const SexSchema = z.enum(['male', 'female']);

/** Full record: only in the detail view of a signed-in staff member, and the view is audited. */
export const PersonDetailSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  idNumber: z.string(),
  idNumberMasked: z.string(),
  name: z.string(),
  sex: SexSchema,
  birthDate: z.string(),
  age: z.number().int(),
  phone: z.string().nullable(),
  hukou: HukouSchema,
  disabilityCategory: z.string().nullable(),
  disabilityGrade: z.number().int().nullable(),
  workAbility: z.string(),
  health: z.string(),
  healthNote: z.string().nullable(),
  householdId: z.string().nullable(),
  relation: z.string().nullable(),
  village: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PersonDetail = z.infer<typeof PersonDetailSchema>;

/** One row of a list: the ID number is masked. */
export const PersonListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
  sex: SexSchema,
  age: z.number().int(),
  hukou: HukouSchema,
  disabilityCategory: z.string().nullable(),
  disabilityGrade: z.number().int().nullable(),
  householdId: z.string().nullable(),
  relation: z.string().nullable(),
  village: z.string().nullable(),
});
export type PersonListItem = z.infer<typeof PersonListItemSchema>;

export const MemberDetailSchema = PersonListItemSchema.extend({
  relation: z.string(),
  workAbility: z.string(),
  health: z.string(),
});
export type MemberDetail = z.infer<typeof MemberDetailSchema>;

export const StandardSchema = PolicyStandardSchema;

export const IncomeCheckSchema = z.object({
  monthlyIncomeFen: z.number().int(),
  memberCount: z.number().int(),
  perCapitaFen: z.number().int(),
  /** The dibao standard for the household's urban/rural class on today's date, or null if none is known. */
  standard: StandardSchema.nullable(),
  belowStandard: z.boolean().nullable(),
  /** The clerk's hint in Chinese (says "演示数据" when the standard is a demo value). */
  message: z.string(),
});
export type IncomeCheck = z.infer<typeof IncomeCheckSchema>;

export const HouseholdDetailSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  headId: z.string(),
  headName: z.string(),
  hukou: HukouSchema,
  village: z.string(),
  address: z.string(),
  members: z.array(MemberDetailSchema),
  incomeItems: z.array(IncomeItemSchema),
  assets: AssetsSchema,
  income: IncomeCheckSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type HouseholdDetail = z.infer<typeof HouseholdDetailSchema>;

export const SearchInputSchema = z
  .object({
    query: z.string().trim().max(40, '搜索内容不超过 40 个字').default(''),
    village: z
      .string()
      .trim()
      .max(30)
      .nullish()
      .transform((v) => v || null),
    page: z.number().int().min(1).max(10_000).default(1),
    pageSize: z.number().int().min(1).max(200).default(50),
  })
  .strict();
export type SearchInput = z.input<typeof SearchInputSchema>;

/** What kind of query the search recognised, so the UI can say "按身份证号片段查找". */
export const SearchModeSchema = z.enum(['all', 'name', 'pinyin', 'idFragment', 'village']);

export const SearchResultSchema = z.object({
  mode: SearchModeSchema,
  items: z.array(PersonListItemSchema),
  /** Matches counted up to a cap; `totalCapped` says there are more than `total`. */
  total: z.number().int(),
  totalCapped: z.boolean(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type SearchResult = z.infer<typeof SearchResultSchema>;
