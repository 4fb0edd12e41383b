import ExcelJS from 'exceljs';
import { AREA_LABELS, type DrillRow, type MetricValues, type Report } from '../../../shared/reports/model';

/**
 * The county's Excel files: the same sheets and columns as the station's exports (main/core/exports/xlsx.ts), with
 * the grouping column named for what the county groups by. ID numbers arrive already masked.
 */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const YUAN_FORMAT = '#,##0.00';
const COUNT_FORMAT = '#,##0';
const DATE_FORMAT = 'yyyy-mm-dd';

interface Column {
  header: string;
  width: number;
  format?: string;
}

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

function excelDate(date: string | null): Date | null {
  if (!date || !/^\d{4}-\d{2}-\d{2}/.test(date)) return null;
  return new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));
}

function sheet(wb: ExcelJS.Workbook, name: string, title: string, subtitle: string, columns: Column[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 3 }] });
  ws.columns = columns.map((c) => ({ width: c.width, ...(c.format ? { style: { numFmt: c.format } } : {}) }));
  ws.mergeCells(1, 1, 1, columns.length);
  ws.mergeCells(2, 1, 2, columns.length);
  const t = ws.getCell(1, 1);
  t.value = title;
  t.font = { bold: true, size: 14 };
  t.alignment = { horizontal: 'center' };
  ws.getCell(2, 1).value = subtitle;
  ws.getCell(2, 1).alignment = { horizontal: 'center' };
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

const METRIC_COLUMNS: Column[] = [
  { header: '期内享受户数', width: 12, format: COUNT_FORMAT },
  { header: '期内享受人数', width: 12, format: COUNT_FORMAT },
  { header: '期末在保户数', width: 12, format: COUNT_FORMAT },
  { header: '期末在保人数', width: 12, format: COUNT_FORMAT },
  { header: '新增户数', width: 10, format: COUNT_FORMAT },
  { header: '新增人数', width: 10, format: COUNT_FORMAT },
  { header: '退出户数', width: 10, format: COUNT_FORMAT },
  { header: '退出人数', width: 10, format: COUNT_FORMAT },
  { header: '救助人次', width: 10, format: COUNT_FORMAT },
  { header: '支出金额（元）', width: 16, format: YUAN_FORMAT },
  { header: '超期案件', width: 10, format: COUNT_FORMAT },
  { header: '待复核', width: 10, format: COUNT_FORMAT },
];

const metricCells = (m: MetricValues) => [
  m.active.households,
  m.active.persons,
  m.activeAtEnd.households,
  m.activeAtEnd.persons,
  m.new.households,
  m.new.persons,
  m.exited.households,
  m.exited.persons,
  m.aided.cases,
  yuan(m.paid.amountFen),
  m.overdue.cases,
  m.recheckDue.cases,
];

export function countyReportWorkbook(report: Report, title: string, groupLabel: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '县级民政审批与监管控制台';
  const subtitle = `统计期间：${report.period.start} 至 ${report.period.end}；超期与待复核按 ${report.asOf} 计`;
  const byItem = sheet(wb, '分事项', title, subtitle, [{ header: '救助事项', width: 28 }, ...METRIC_COLUMNS]);
  for (const r of report.byItem) byItem.addRow([r.label, ...metricCells(r.metrics)]);
  byItem.addRow([`${report.total.label}（户次/人次）`, ...metricCells(report.total.metrics)]).font = { bold: true };

  const byArea = sheet(wb, '分城乡', title, subtitle, [{ header: '救助事项', width: 28 }, { header: '城乡', width: 8 }, ...METRIC_COLUMNS]);
  for (const r of report.byItem) {
    for (const a of ['urban', 'rural'] as const) byArea.addRow([r.label, AREA_LABELS[a], ...metricCells(r.byArea[a])]);
  }
  const byGroup = sheet(wb, `分${groupLabel}`.slice(0, 31), title, `${subtitle}；跨事项合计为户次/人次`, [{ header: groupLabel, width: 24 }, ...METRIC_COLUMNS]);
  for (const r of report.byVillage) byGroup.addRow([r.label, ...metricCells(r.metrics)]);

  const trend = sheet(wb, '月度支出', title, '各月已确认发放金额（元）', [
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

const LIST_COLUMNS: Column[] = [
  { header: '序号', width: 6, format: COUNT_FORMAT },
  { header: '案件编号', width: 22 },
  { header: '救助事项', width: 24 },
  { header: '类别', width: 10 },
  { header: '姓名', width: 10 },
  { header: '身份证号码', width: 21 },
  { header: '乡镇 / 村（社区）', width: 18 },
  { header: '城乡', width: 6 },
  { header: '家庭人口', width: 8, format: COUNT_FORMAT },
  { header: '状态', width: 14 },
  { header: '核定金额（元）', width: 14, format: YUAN_FORMAT },
  { header: '期内支出（元）', width: 14, format: YUAN_FORMAT },
  { header: '起始发放月份', width: 12 },
  { header: '终止日期', width: 12, format: DATE_FORMAT },
  { header: '原因', width: 30 },
  { header: '到期日', width: 12, format: DATE_FORMAT },
];

/** A drill-down list; `rows` carry masked ID numbers already. */
export function countyListWorkbook(title: string, subtitle: string, rows: readonly DrillRow[]): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '县级民政审批与监管控制台';
  const ws = sheet(wb, '名单', title, subtitle, LIST_COLUMNS);
  rows.forEach((r, i) => {
    ws.addRow([
      i + 1,
      r.caseNumber,
      r.itemName,
      r.subKindName ?? '',
      r.applicantName,
      r.idNumber,
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
  });
  return wb;
}

export async function workbookBytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}
