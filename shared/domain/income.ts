import { z } from 'zod';
import { IsoDateSchema, type IsoDate } from './calendar';

/**
 * Money is integer fen (分) everywhere: no floating-point yuan in storage, sync or sums. Convert only at the edges
 * (formatYuan for display, parseYuanToFen for input).
 */

export const INCOME_KINDS = ['wages', 'farming', 'pension', 'maintenance', 'rent', 'other'] as const;
export type IncomeKind = (typeof INCOME_KINDS)[number];
export const INCOME_KIND_LABELS: Readonly<Record<IncomeKind, string>> = {
  wages: '工资性收入',
  farming: '家庭经营（种养殖）收入',
  pension: '养老金、退休金',
  maintenance: '赡养费、抚（扶）养费',
  rent: '租金等财产性收入',
  other: '其他收入',
};

/** An amount of money in fen: a non-negative safe integer. */
export const FenSchema = z
  .number({ error: '请填写金额' })
  .int({ message: '金额必须精确到分' })
  .min(0, { message: '金额不能为负数' })
  .max(Number.MAX_SAFE_INTEGER, { message: '金额过大' });

export const IncomeItemSchema = z.object({
  kind: z.enum(INCOME_KINDS, { error: '请选择收入类别' }),
  /** Monthly amount for the whole household, in fen. */
  monthlyFen: FenSchema,
  /** Whose income and how it was established (e.g. "户主务工，按2024年银行流水折算"). */
  note: z.string().max(200, { message: '说明不能超过200字' }).optional(),
});
export type IncomeItem = z.infer<typeof IncomeItemSchema>;

/**
 * Household monthly income divided by the number of members, rounded down to the fen. Rounding down keeps the
 * comparison exact: for a whole-fen standard S, floor(x) < S exactly when x < S.
 * Throws RangeError on a non-integer or negative amount or a member count below 1 (programming errors: the forms
 * validate with IncomeItemSchema first).
 */
export function perCapitaMonthlyIncomeFen(incomeItemsMonthlyFen: readonly number[], memberCount: number): number {
  if (!Number.isInteger(memberCount) || memberCount < 1) throw new RangeError(`家庭人口数必须是正整数：${memberCount}`);
  let total = 0;
  for (const fen of incomeItemsMonthlyFen) {
    if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`收入金额必须是非负整数（分）：${fen}`);
    total += fen;
  }
  return Math.floor(total / memberCount);
}

export const STANDARD_KINDS = ['dibao', 'destitute', 'temporaryLimit'] as const;
export type StandardKind = (typeof STANDARD_KINDS)[number];
export const STANDARD_KIND_LABELS: Readonly<Record<StandardKind, string>> = {
  dibao: '低保标准',
  destitute: '特困人员基本生活标准',
  temporaryLimit: '乡镇临时救助审批限额',
};

export const AREA_CLASSES = ['urban', 'rural', 'all'] as const;
export type AreaClass = (typeof AREA_CLASSES)[number];
export const AREA_CLASS_LABELS: Readonly<Record<AreaClass, string>> = { urban: '城市', rural: '农村', all: '城乡统一' };

/** One row of the standards table. The county publishes these; until it does, the station runs on DEMO_STANDARDS. */
export const PolicyStandardSchema = z.object({
  kind: z.enum(STANDARD_KINDS),
  areaClass: z.enum(AREA_CLASSES),
  /** Monthly per-person amount (dibao, destitute) or the per-case township limit (temporaryLimit), in fen. */
  amountFen: FenSchema,
  effectiveFrom: IsoDateSchema,
  /** True for values that are not the county's: every screen and print that uses one must say so. */
  demo: z.boolean(),
});
export type PolicyStandard = z.infer<typeof PolicyStandardSchema>;

/**
 * The standard in force on `onDate`: the latest effectiveFrom ≤ onDate for this kind and area class. A county that
 * publishes one figure for town and country ('all') answers both urban and rural questions; a row for the exact
 * class wins over an 'all' row with the same or an earlier date.
 */
export function currentStandard(
  standards: readonly PolicyStandard[],
  kind: StandardKind,
  areaClass: AreaClass,
  onDate: IsoDate,
): PolicyStandard | undefined {
  let best: PolicyStandard | undefined;
  for (const s of standards) {
    if (s.kind !== kind || s.effectiveFrom > onDate) continue;
    if (s.areaClass !== areaClass && s.areaClass !== 'all') continue;
    if (
      !best ||
      s.effectiveFrom > best.effectiveFrom ||
      (s.effectiveFrom === best.effectiveFrom && s.areaClass === areaClass && best.areaClass !== areaClass)
    ) {
      best = s;
    }
  }
  return best;
}

export type EligibilityHint =
  | {
      status: 'below' | 'atOrAbove';
      perCapitaFen: number;
      standardFen: number;
      gapFen: number;
      demo: boolean;
      message: string;
    }
  | { status: 'noStandard'; perCapitaFen: number; message: string };

/**
 * Compares per-capita monthly income with a standard, for the clerk's screen. A hint, not a decision: the decision
 * also weighs assets, the economic check and the home visit. gapFen = standard − income (per person per month),
 * the top-up a dibao household would receive per member when positive.
 */
export function eligibilityHint(perCapitaFen: number, standard: PolicyStandard | undefined): EligibilityHint {
  if (!standard) {
    return {
      status: 'noStandard',
      perCapitaFen,
      message: `家庭月人均收入${formatYuan(perCapitaFen)}元；尚无适用的标准，无法比较。`,
    };
  }
  const label = `${AREA_CLASS_LABELS[standard.areaClass]}${STANDARD_KIND_LABELS[standard.kind]}`;
  const demo = standard.demo ? '（演示数据，非县级公布标准）' : '';
  const gapFen = standard.amountFen - perCapitaFen;
  const below = perCapitaFen < standard.amountFen;
  const message = below
    ? `家庭月人均收入${formatYuan(perCapitaFen)}元，低于${label}${formatYuan(standard.amountFen)}元${demo}，差额${formatYuan(gapFen)}元。`
    : `家庭月人均收入${formatYuan(perCapitaFen)}元，不低于${label}${formatYuan(standard.amountFen)}元${demo}。`;
  return {
    status: below ? 'below' : 'atOrAbove',
    perCapitaFen,
    standardFen: standard.amountFen,
    gapFen,
    demo: standard.demo,
    message,
  };
}

/**
 * Demo values so a fresh station can be tried out before the county publishes its standards. Marked demo: true;
 * plausible for a central-China county in 2024-2025 but NOT any county's real figures.
 */
export const DEMO_STANDARDS: readonly PolicyStandard[] = [
  { kind: 'dibao', areaClass: 'urban', amountFen: 72_000, effectiveFrom: '2024-01-01', demo: true },
  { kind: 'dibao', areaClass: 'rural', amountFen: 53_000, effectiveFrom: '2024-01-01', demo: true },
  { kind: 'dibao', areaClass: 'urban', amountFen: 75_000, effectiveFrom: '2025-01-01', demo: true },
  { kind: 'dibao', areaClass: 'rural', amountFen: 56_000, effectiveFrom: '2025-01-01', demo: true },
  { kind: 'destitute', areaClass: 'urban', amountFen: 97_500, effectiveFrom: '2025-01-01', demo: true },
  { kind: 'destitute', areaClass: 'rural', amountFen: 72_800, effectiveFrom: '2025-01-01', demo: true },
  { kind: 'temporaryLimit', areaClass: 'all', amountFen: 300_000, effectiveFrom: '2025-01-01', demo: true },
];

/** 123456 → '1,234.56' (no unit: callers add 元 where the layout wants it). */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Parses what a clerk types as yuan ('1234', '1,234.5', '１２３.４５', '  80 ') into fen; undefined when it is not an
 * amount with at most two decimals. String arithmetic, so 0.29 yuan is 29 fen and not 28.999….
 */
export function parseYuanToFen(input: string): number | undefined {
  const s = input
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[,，\s]/g, '');
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return undefined;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : undefined;
}
