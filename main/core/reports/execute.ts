import { maskIdNumber } from '../../../shared/domain/idNumber';
import { itemByCode } from '../../../shared/domain/items';
import { computeReport, drillCases } from '../../../shared/reports/compute';
import { METRIC_LABELS, type ReportFilter } from '../../../shared/reports/model';
import { periodLabel, type Period } from '../../../shared/reports/period';
import { workSummary } from '../../../shared/reports/summary';
import type { Db } from '../db/open';
import { docxBytes, DOCX_MIME, TXT_MIME, txtBytes } from '../exports/docx';
import { listWorkbook, reportWorkbook, rosterWorkbook, workbookBytes, XLSX_MIME } from '../exports/xlsx';
import type { ExportFile, Job } from './jobs';
import { rosterInfo, rosterLines } from './ledger';
import { attachNames, loadPayments, loadReportCases } from './load';

/**
 * Runs one report job against a (read-only) connection. Called inside the worker thread; tests may call it directly.
 * Heavy but synchronous: the worker is what keeps it off the main thread.
 */
export type ProgressFn = (phase: string, done: number, total: number) => void;

function inputs(db: Db, period: Period, progress: ProgressFn) {
  progress('读取案件', 0, 1);
  const cases = loadReportCases(db, period, (n) => progress('读取案件', n, 0));
  const payments = loadPayments(db, period);
  return { cases, payments };
}

function filterLabel(f: ReportFilter): string {
  const parts: string[] = [];
  if (f.items?.length) parts.push(f.items.map((c) => itemByCode(c)?.shortName ?? c).join('、'));
  if (f.area) parts.push(f.area === 'urban' ? '城市' : '农村');
  if (f.village) parts.push(f.village);
  return parts.join(' · ');
}

const safeFileName = (s: string) => s.replace(/[\\/:*?"<>|\s]+/g, '_');

export async function executeJob(db: Db, job: Job, progress: ProgressFn): Promise<unknown> {
  switch (job.kind) {
    case 'report': {
      const { cases, payments } = inputs(db, job.period, progress);
      return computeReport({ cases, payments, period: job.period, asOf: job.asOf, filter: job.filter, onProgress: (d, t) => progress('统计', d, t) });
    }
    case 'drill': {
      const { cases, payments } = inputs(db, job.period, progress);
      const { rows, value } = drillCases({ cases, payments, period: job.period, asOf: job.asOf, filter: job.filter, metric: job.metric });
      const page = attachNames(db, rows.slice(job.offset, job.offset + job.limit)).map((r) =>
        job.fullIdNumbers ? r : { ...r, idNumber: maskIdNumber(r.idNumber) },
      );
      return { total: rows.length, value, rows: page, masked: !job.fullIdNumbers };
    }
    case 'summary': {
      const { cases, payments } = inputs(db, job.period, progress);
      const report = computeReport({ cases, payments, period: job.period, asOf: job.asOf });
      return { ...workSummary(report, job.placeName), period: report.period };
    }
    case 'export':
      return exportFile(db, job, progress);
  }
}

async function exportFile(db: Db, job: Extract<Job, { kind: 'export' }>, progress: ProgressFn): Promise<ExportFile> {
  const spec = job.spec;
  switch (spec.what) {
    case 'report': {
      const { cases, payments } = inputs(db, spec.period, progress);
      const report = computeReport({ cases, payments, period: spec.period, asOf: job.asOf, filter: spec.filter });
      progress('生成表格', 0, 1);
      const wb = reportWorkbook(report, job.placeName);
      const bytes = await workbookBytes(wb);
      const suffix = filterLabel(spec.filter);
      return {
        fileName: safeFileName(`${job.placeName}${report.period.label}社会救助统计表${suffix ? `（${suffix}）` : ''}.xlsx`),
        mime: XLSX_MIME,
        bytes,
        rows: report.byItem.length + report.byVillage.length,
      };
    }
    case 'list': {
      const { cases, payments } = inputs(db, spec.period, progress);
      const drilled = drillCases({ cases, payments, period: spec.period, asOf: job.asOf, filter: spec.filter, metric: spec.metric });
      progress('读取姓名', 0, drilled.rows.length);
      const rows = attachNames(db, drilled.rows);
      const label = periodLabel(spec.period);
      const suffix = filterLabel(spec.filter);
      const title = `${job.placeName}${label}${suffix ? `${suffix}` : ''}${METRIC_LABELS[spec.metric]}名单`;
      const wb = listWorkbook(title, `统计期间：${spec.period.start} 至 ${spec.period.end}；共 ${rows.length} 件`, rows, job.fullIdNumbers, (d, t) =>
        progress('写入名单', d, t),
      );
      progress('压缩文件', rows.length, rows.length);
      return { fileName: safeFileName(`${title}.xlsx`), mime: XLSX_MIME, bytes: await workbookBytes(wb), rows: rows.length };
    }
    case 'roster': {
      const info = rosterInfo(db, spec.rosterId);
      const lines = rosterLines(db, spec.rosterId);
      const wb = rosterWorkbook(job.placeName, info, lines, job.fullIdNumbers, (d, t) => progress('写入名册', d, t));
      return {
        fileName: safeFileName(`${job.placeName}${info.month}${info.itemName}发放名册.xlsx`),
        mime: XLSX_MIME,
        bytes: await workbookBytes(wb),
        rows: lines.length,
      };
    }
    case 'summary': {
      const { cases, payments } = inputs(db, spec.period, progress);
      const report = computeReport({ cases, payments, period: spec.period, asOf: job.asOf });
      const summary = workSummary(report, job.placeName);
      const name = safeFileName(summary.title);
      return spec.format === 'docx'
        ? { fileName: `${name}.docx`, mime: DOCX_MIME, bytes: await docxBytes(summary.title, [summary.text]), rows: 0 }
        : { fileName: `${name}.txt`, mime: TXT_MIME, bytes: txtBytes(summary.title, [summary.text]), rows: 0 };
    }
  }
}
