import {
  DISABILITY_CATEGORY_LABELS,
  DISABILITY_GRADE_LABELS,
  HEALTH_LABELS,
  HUKOU_LABELS,
  INCOME_KIND_LABELS,
  RELATION_LABELS,
  WORK_ABILITY_LABELS,
} from '../../../../shared/schemas/people';
import { SEX_LABELS } from '../../../../shared/domain/idNumber';

const options = <T extends Record<string, string>>(labels: T) =>
  (Object.entries(labels) as [keyof T & string, string][]).map(([value, label]) => ({ value, label }));

export const HUKOU_OPTIONS = options(HUKOU_LABELS);
export const RELATION_OPTIONS = options(RELATION_LABELS);
export const DISABILITY_OPTIONS = options(DISABILITY_CATEGORY_LABELS);
export const GRADE_OPTIONS = ([1, 2, 3, 4] as const).map((g) => ({ value: g, label: DISABILITY_GRADE_LABELS[g] }));
export const WORK_ABILITY_OPTIONS = options(WORK_ABILITY_LABELS);
export const HEALTH_OPTIONS = options(HEALTH_LABELS);
export const INCOME_KIND_OPTIONS = options(INCOME_KIND_LABELS as Record<string, string>);

const lookup = (labels: Record<string, string>) => (key: string | null | undefined) =>
  key ? (labels[key] ?? key) : '';
export const relationLabel = lookup(RELATION_LABELS);
export const hukouLabel = lookup(HUKOU_LABELS);
export const sexLabel = lookup(SEX_LABELS);
export const workAbilityLabel = lookup(WORK_ABILITY_LABELS);
export const healthLabel = lookup(HEALTH_LABELS);
export function disabilityLabel(category: string | null, grade: number | null): string {
  if (!category) return '无';
  const g = grade ? DISABILITY_GRADE_LABELS[grade as 1 | 2 | 3 | 4] : '';
  return `${(DISABILITY_CATEGORY_LABELS as Record<string, string>)[category] ?? category}${g}`;
}
