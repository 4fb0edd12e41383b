import { computeReport, drillCases } from '../../../shared/reports/compute';
import type { DrillRow, Metric, MetricValue, Report, ReportFilter } from '../../../shared/reports/model';
import type { Period } from '../../../shared/reports/period';
import { workSummary, type WorkSummary } from '../../../shared/reports/summary';
import { parseCases, parsePayments, type CountyScope, type InputTexts } from './load';
import { countyListWorkbook, countyReportWorkbook, workbookBytes } from './workbook';

/**
 * The CPU-heavy half of a county report, as jobs a worker thread runs (worker.ts) — or this thread, when no worker
 * can be started. Pure: inputs in (the JSON texts of load.ts), results out; no database.
 */

export interface JobInputs {
  texts: InputTexts;
  scope: CountyScope;
  period: Period;
  asOf: string;
  filter: ReportFilter;
}

export type CountyJob =
  | ({ kind: 'report' } & JobInputs)
  | ({ kind: 'drill'; metric: Metric; offset: number; limit: number } & JobInputs)
  | ({ kind: 'summary'; place: string } & JobInputs)
  | ({ kind: 'reportWorkbook'; title: string; groupLabel: string } & JobInputs)
  | { kind: 'listWorkbook'; title: string; subtitle: string; rows: DrillRow[] };

export interface JobResults {
  report: { report: Report; cases: number; payments: number };
  drill: { total: number; value: MetricValue; rows: DrillRow[]; cases: number; payments: number };
  summary: WorkSummary & { period: Report['period'] };
  reportWorkbook: { bytes: Uint8Array; rows: number };
  listWorkbook: { bytes: Uint8Array };
}

function inputs(j: JobInputs) {
  const cases = parseCases(j.texts.cases, j.scope);
  const payments = parsePayments(j.texts.payments);
  return { cases, payments, period: j.period, asOf: j.asOf, filter: j.filter };
}

export async function runCountyJob(job: CountyJob): Promise<JobResults[CountyJob['kind']]> {
  switch (job.kind) {
    case 'report': {
      const i = inputs(job);
      return { report: computeReport(i), cases: i.cases.length, payments: i.payments.length };
    }
    case 'drill': {
      const i = inputs(job);
      const { rows, value } = drillCases({ ...i, metric: job.metric });
      return { total: rows.length, value, rows: rows.slice(job.offset, job.offset + job.limit), cases: i.cases.length, payments: i.payments.length };
    }
    case 'summary': {
      const i = inputs(job);
      const report = computeReport(i);
      return { ...workSummary(report, job.place), period: report.period };
    }
    case 'reportWorkbook': {
      const report = computeReport(inputs(job));
      return { bytes: await workbookBytes(countyReportWorkbook(report, job.title, job.groupLabel)), rows: report.byItem.length + report.byVillage.length };
    }
    case 'listWorkbook':
      return { bytes: await workbookBytes(countyListWorkbook(job.title, job.subtitle, job.rows)) };
  }
}
