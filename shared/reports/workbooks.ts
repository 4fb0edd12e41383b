import ExcelJS from 'exceljs';
import { AREA_LABELS, FIGURE_COLUMNS, type DrillRow, type MetricValues, type Report } from './model';

/**
 * The Excel files of statistics reports and their lists, written the same way by the station (main/core/exports) and
 * the county (server/services/reports): Chinese headers, yuan as numbers with two decimals (fen divided by 100 only
 * here, at the edge), dates as real Excel dates. What differs is said by the caller: who made the file, what the
 * report groups by, and how an ID number is shown (the station masks unless allowed; the county's are masked already).
 */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const YUAN_FORMAT = '#,##0.00';
export const COUNT_FORMAT = '#,##0';
export const DATE_FORMAT = 'yyyy-mm-dd';

export type Progress = (done: number, total: number) => void;

export interface Column {
  header: string;
  width: number;
  format?: string;
}

export const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

/** 'YYYY-MM-DD' → a Date at UTC midnight, which Excel shows as that calendar day. */
export function excelDate(date: string | null): Date | null {
  if (!date || !/^\d{4}-\d{2}-\d{2}/.test(date)) return null;
  return new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));
}

/** A sheet with a title row, a subtitle row and a frozen header row. */
export function sheetWithTitle(wb: ExcelJS.Workbook, name: string, title: string, subtitle: string, columns: readonly Column[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 3 }] });
  ws.columns = columns.map((c) => ({ width: c.width, ...(c.format ? { style: { numFmt: c.format } } : {}) }));
  ws.mergeCells(1, 1, 1, columns.length);
  ws.mergeCells(2, 1, 2, columns.length);
  const t = ws.getCell(1, 1);
  t.value = title;
  t.font = { bold: true, size: 14 };
  t.alignment = { horizontal: 'center' };
  const s = ws.getCell(2, 1);
  s.value = subtitle;
  s.alignment = { horizontal: 'center' };
  const header = ws.getRow(3);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = { bottom: { style: 'thin' } };
  });
  return ws;
}

const METRIC_COLUMNS: Column[] = FIGURE_COLUMNS.map((c) =>
  c.measure === 'amountFen'
    ? { header: c.sheetHeader, width: 16, format: YUAN_FORMAT }
    : { header: c.sheetHeader, width: Math.max(10, 2 * c.sheetHeader.length), format: COUNT_FORMAT },
);

const metricCells = (m: MetricValues) =>
  FIGURE_COLUMNS.map((c) => (c.measure === 'amountFen' ? yuan(m[c.metric].amountFen) : m[c.metric][c.measure]));

export interface ReportWorkbookOptions {
  /** Shown as the file's author: the station or the county console. */
  creator: string;
  title: string;
  /** What the report's third breakdown groups by: 村（社区） or 乡镇. */
  groupLabel: string;
}

/** A statistics report: by item (with totals), by item and urban/rural, by village or township, payments by month. */
export function reportWorkbook(report: Report, { creator, title, groupLabel }: ReportWorkbookOptions): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = creator;
  const subtitle = `统计期间：${report.period.start} 至 ${report.period.end}；超期与待复核按 ${report.asOf} 计`;

  const byItem = sheetWithTitle(wb, '分事项', title, subtitle, [{ header: '救助事项', width: 28 }, ...METRIC_COLUMNS]);
  for (const r of report.byItem) byItem.addRow([r.label, ...metricCells(r.metrics)]);
  byItem.addRow([`${report.total.label}（户次/人次）`, ...metricCells(report.total.metrics)]).font = { bold: true };

  const byArea = sheetWithTitle(wb, '分城乡', title, subtitle, [{ header: '救助事项', width: 28 }, { header: '城乡', width: 8 }, ...METRIC_COLUMNS]);
  for (const r of report.byItem) {
    for (const a of ['urban', 'rural'] as const) byArea.addRow([r.label, AREA_LABELS[a], ...metricCells(r.byArea[a])]);
  }

  // Excel limits sheet names to 31 characters.
  const byGroup = sheetWithTitle(wb, `分${groupLabel}`.slice(0, 31), title, `${subtitle}；跨事项合计为户次/人次`, [{ header: groupLabel, width: 24 }, ...METRIC_COLUMNS]);
  for (const r of report.byVillage) byGroup.addRow([r.label, ...metricCells(r.metrics)]);

  const trend = sheetWithTitle(wb, '月度支出', title, '各月已确认发放金额（元）', [
    { header: '月份', width: 10 },
    ...report.trend.series.map((s) => ({ header: s.label, width: 14, format: YUAN_FORMAT })),
    { header: '合计', width: 16, format: YUAN_FORMAT },
  ]);
  report.trend.months.forEach((m, i) => {
    const values = report.trend.series.map((s) => s.paidFen[i] ?? 0);
    trend.addRow([m, ...values.map((v) => v / 100), values.reduce((a, b) => a + b, 0) / 100]);
  });
  return wb;
}

export interface ListWorkbookOptions {
  creator: string;
  /** The place column: 村（社区）, or 乡镇 / 村（社区） county-wide. */
  placeLabel: string;
  /** How the row's ID number is written (masked unless the caller may see it in full). */
  idNumber(row: DrillRow): string;
  progress?: Progress | undefined;
}

/** The list behind a figure, one row per case. */
export function listWorkbook(title: string, subtitle: string, rows: readonly DrillRow[], { creator, placeLabel, idNumber, progress }: ListWorkbookOptions): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = creator;
  const ws = sheetWithTitle(wb, '名单', title, subtitle, [
    { header: '序号', width: 6, format: COUNT_FORMAT },
    { header: '案件编号', width: 22 },
    { header: '救助事项', width: 24 },
    { header: '类别', width: 10 },
    { header: '姓名', width: 10 },
    { header: '身份证号码', width: 21 },
    { header: placeLabel, width: 18 },
    { header: '城乡', width: 6 },
    { header: '家庭人口', width: 8, format: COUNT_FORMAT },
    { header: '状态', width: 14 },
    { header: '核定金额（元）', width: 14, format: YUAN_FORMAT },
    { header: '期内支出（元）', width: 14, format: YUAN_FORMAT },
    { header: '起始发放月份', width: 12 },
    { header: '终止日期', width: 12, format: DATE_FORMAT },
    { header: '原因', width: 30 },
    { header: '到期日', width: 12, format: DATE_FORMAT },
  ]);
  rows.forEach((r, i) => {
    ws.addRow([
      i + 1,
      r.caseNumber,
      r.itemName,
      r.subKindName ?? '',
      r.applicantName,
      idNumber(r),
      r.village,
      AREA_LABELS[r.area],
      r.memberCount,
      r.stateLabel,
      yuan(r.amountFen),
      yuan(r.paidInPeriodFen),
      r.paymentStartMonth ?? '',
      excelDate(r.endedOn),
      r.reason ?? '',
      excelDate(r.dueDate),
    ]);
    if (progress && i % 2000 === 0) progress(i, rows.length);
  });
  return wb;
}

/** The file's bytes, in a buffer of their own (transferable from a worker thread). */
export async function workbookBytes(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
