import { performance } from 'node:perf_hooks';
import { localToday } from '../../../shared/domain/calendar';
import { maskIdNumber } from '../../../shared/domain/idNumber';
import { itemByCode } from '../../../shared/domain/items';
import { METRIC_LABELS, type DrillRow, type MetricValue, type Report, type ReportFilter } from '../../../shared/reports/model';
import { periodLabel, type Period } from '../../../shared/reports/period';
import type { WorkSummary } from '../../../shared/reports/summary';
import type { CountyDb } from '../../db/types';
import { ServiceError } from '../errors';
import type { JobInputs } from './jobs';
import { attachCountyNames, loadCountyInputs, type CountyScope } from './load';
import type { CountyDrillQuery, CountyExportQuery, CountyReportQuery } from './query';
import { XLSX_MIME } from './workbook';
import { reportWorkers } from './workers';

export { countyReportQuery, countyDrillQuery, countyExportQuery } from './query';
export type { CountyReportQuery, CountyDrillQuery, CountyExportQuery } from './query';
export { XLSX_MIME } from './workbook';

/**
 * County reports (issue 6): the stations' cases and payment ledgers as pushed (SP-14, SP-16), computed per request
 * by the stations' own shared/reports code, so a township's figures here equal its station's. Every request loads
 * its inputs with two set-based statements in one read-only snapshot (as JSON text built by PostgreSQL), then a
 * worker thread computes (workers.ts), so the event loop keeps serving pushes meanwhile; `timing` says how long each
 * part took so a slow report shows in the logs (never with personal data).
 */

export interface Timing {
  loadMs: number;
  computeMs: number;
  /** Input sizes: JSON characters of the case and payment rows. */
  inputChars: number;
  /** false when the computation ran on the event loop (no worker entry in this build). */
  worker: boolean;
}

type Inputs = JobInputs & { loadMs: number };

const scopeOf = (q: CountyReportQuery): CountyScope => ({ township: q.township, stationId: q.stationId, groupBy: q.groupBy });

function filterOf(q: CountyReportQuery): ReportFilter {
  const f: ReportFilter = {};
  if (q.items?.length) f.items = q.items;
  if (q.area) f.area = q.area;
  if (q.village) f.village = q.village;
  return f;
}

async function loadInputs(db: CountyDb, q: CountyReportQuery): Promise<Inputs> {
  const t0 = performance.now();
  const scope = scopeOf(q);
  const period: Period = { start: q.start, end: q.end };
  // One snapshot for both reads: a push landing in between cannot pair new payments with old cases.
  const texts = await db.transaction((tx) => loadCountyInputs(tx, scope, period), { isolation: 'repeatable read', readOnly: true });
  return { texts, scope, period, asOf: q.asOf ?? localToday(), filter: filterOf(q), loadMs: performance.now() - t0 };
}

const strip = ({ loadMs: _l, ...job }: Inputs): JobInputs => job;

const timingOf = (i: Inputs, t0: number): Timing => ({
  loadMs: Math.round(i.loadMs),
  computeMs: Math.round(performance.now() - t0),
  inputChars: i.texts.cases.length + i.texts.payments.length,
  worker: reportWorkers().threaded,
});

export async function countyReport(db: CountyDb, q: CountyReportQuery): Promise<{ report: Report; timing: Timing }> {
  const i = await loadInputs(db, q);
  const t0 = performance.now();
  const { report } = await reportWorkers().run<'report'>({ kind: 'report', ...strip(i) });
  return { report, timing: timingOf(i, t0) };
}

export interface CountyDrillPage {
  total: number;
  value: MetricValue;
  rows: DrillRow[];
  masked: true;
  timing: Timing;
}

/** The cases behind one figure, one page of them, ID numbers masked (the console never shows them in full here). */
export async function countyDrill(db: CountyDb, q: CountyDrillQuery): Promise<CountyDrillPage> {
  const i = await loadInputs(db, q);
  const t0 = performance.now();
  const d = await reportWorkers().run<'drill'>({ kind: 'drill', ...strip(i), metric: q.metric, offset: q.offset, limit: q.limit });
  const page = (await attachCountyNames(db, d.rows)).map((r) => ({ ...r, idNumber: maskIdNumber(r.idNumber) }));
  return { total: d.total, value: d.value, rows: page, masked: true, timing: timingOf(i, t0) };
}

/** Where the figures come from, for titles and the summary's opening words. */
export function placeLabel(q: CountyReportQuery, stationName?: string): string {
  if (stationName) return stationName;
  if (q.township) return q.township;
  return '全县';
}

export async function countySummary(db: CountyDb, q: CountyReportQuery, place: string): Promise<WorkSummary & { period: Report['period'] }> {
  const i = await loadInputs(db, q);
  return reportWorkers().run<'summary'>({ kind: 'summary', ...strip(i), place });
}

export interface CountyExportFile {
  fileName: string;
  mime: string;
  bytes: Buffer;
  rows: number;
}

const safeFileName = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_');

function filterLabel(f: ReportFilter): string {
  const parts: string[] = [];
  if (f.items?.length) parts.push(f.items.map((c) => itemByCode(c)?.shortName ?? c).join('、'));
  if (f.area) parts.push(f.area === 'urban' ? '城市' : '农村');
  if (f.village) parts.push(f.village);
  return parts.join(' · ');
}

/** Largest list one export writes: beyond it the officer narrows the filter (a bigger sheet helps nobody). */
export const MAX_EXPORT_ROWS = 100_000;

/** A report workbook or a figure's full list; lists always carry masked ID numbers. */
export async function countyExport(db: CountyDb, q: CountyExportQuery, place: string): Promise<CountyExportFile> {
  const i = await loadInputs(db, q);
  const groupLabel = q.groupBy === 'township' ? '乡镇' : '村（社区）';
  const suffix = filterLabel(i.filter);
  const label = periodLabel(i.period);
  const workers = reportWorkers();
  if (q.what === 'report') {
    const title = `${place}${label}社会救助统计表`;
    const r = await workers.run<'reportWorkbook'>({ kind: 'reportWorkbook', ...strip(i), title, groupLabel });
    return { fileName: safeFileName(`${title}${suffix ? `（${suffix}）` : ''}.xlsx`), mime: XLSX_MIME, bytes: Buffer.from(r.bytes), rows: r.rows };
  }
  const metric = q.metric ?? 'active';
  const d = await workers.run<'drill'>({ kind: 'drill', ...strip(i), metric, offset: 0, limit: MAX_EXPORT_ROWS + 1 });
  if (d.total > MAX_EXPORT_ROWS) throw new ServiceError('INVALID_INPUT', `名单共 ${d.total} 条，超过单次导出上限 ${MAX_EXPORT_ROWS} 条，请按乡镇或事项缩小范围后再导出。`);
  const named = (await attachCountyNames(db, d.rows)).map((r) => ({ ...r, idNumber: maskIdNumber(r.idNumber) }));
  const title = `${place}${label}${METRIC_LABELS[metric]}名单`;
  const subtitle = `统计期间：${i.period.start} 至 ${i.period.end}${suffix ? `；${suffix}` : ''}；身份证号码已脱敏`;
  const w = await workers.run<'listWorkbook'>({ kind: 'listWorkbook', title, subtitle, rows: named });
  return { fileName: safeFileName(`${title}${suffix ? `（${suffix}）` : ''}.xlsx`), mime: XLSX_MIME, bytes: Buffer.from(w.bytes), rows: named.length };
}

export interface ReportOptions {
  townships: string[];
  stations: { id: string; name: string; township: string }[];
}

/** The filter choices of the 统计报表 page. */
export async function reportOptions(db: CountyDb): Promise<ReportOptions> {
  const { rows } = await db.query<{ id: string; name: string | null; reported_name: string | null; code: string; township: string }>(
    'SELECT id::text AS id, name, reported_name, code, township FROM stations ORDER BY township, code',
  );
  return {
    townships: [...new Set(rows.map((r) => r.township))],
    stations: rows.map((r) => ({ id: r.id, name: r.name ?? r.reported_name ?? r.code, township: r.township })),
  };
}

/** The name of a station, for titles. */
export async function stationName(db: CountyDb, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ name: string }>('SELECT coalesce(name, reported_name, code) AS name FROM stations WHERE id = $1', [id]);
  return rows[0]?.name;
}
