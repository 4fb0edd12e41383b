import type { ReportFilter } from '../../../../../shared/reports/model';
import type { Period } from '../../../../../shared/reports/period';

/** What the 统计报表 page asks: the figures' period and filter, plus which stations and how 分组 groups them. */
export interface ReportScope {
  township?: string | undefined;
  stationId?: string | undefined;
  groupBy: 'township' | 'village';
}

/** The GET query string of the report routes (server/services/reports/query.ts reads it back). */
export function reportQuery(period: Period, filter: ReportFilter, scope: ReportScope, extra: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams({ start: period.start, end: period.end, groupBy: scope.groupBy });
  if (scope.township) q.set('township', scope.township);
  if (scope.stationId) q.set('stationId', scope.stationId);
  if (filter.items?.length) q.set('items', filter.items.join(','));
  if (filter.area) q.set('area', filter.area);
  if (filter.village) q.set('village', filter.village);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, String(v));
  return q.toString();
}

export type { DrillTarget } from '../../../../../ui/reports/DrillDrawerView';

/** Downloads an export through fetch, so a refusal shows its message instead of a broken file. */
export async function download(path: string): Promise<void> {
  const res = await fetch(`/console/api${path}`, { credentials: 'same-origin' });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `导出失败（${res.status}）`);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const name = m?.[1] ? decodeURIComponent(m[1]) : '统计报表.xlsx';
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
