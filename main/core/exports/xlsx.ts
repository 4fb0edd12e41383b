import ExcelJS from 'exceljs';
import { maskIdNumber } from '../../../shared/domain/idNumber';
import { itemByCode } from '../../../shared/domain/items';
import { AREA_LABELS, type DrillRow, type MetricValues, type Report } from '../../../shared/reports/model';
import type { RosterInfo, RosterLine } from '../reports/ledger';

/**
 * Excel workbooks for reports, lists and payment rosters. Chinese headers, yuan as numbers with two decimals (the
 * ledger's fen divided by 100 only here, at the edge), dates as real Excel dates, ID numbers masked unless the caller
 * was allowed to ask for them in full.
 */

export const YUAN_FORMAT = '#,##0.00';
export const COUNT_FORMAT = '#,##0';
export const DATE_FORMAT = 'yyyy-mm-dd';

export type Progress = (done: number, total: number) => void;

interface Column {
  header: string;
  width: number;
  format?: string;
}

const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

/** 'YYYY-MM-DD' → a Date at UTC midnight, which Excel shows as that calendar day. */
export function excelDate(date: string | null): Date | null {
  if (!date || !/^\d{4}-\d{2}-\d{2}/.test(date)) return null;
  return new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));
}

function sheetWithTitle(wb: ExcelJS.Workbook, name: string, title: string, subtitle: string, columns: Column[]) {
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

export function reportWorkbook(report: Report, placeName: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '乡镇民政一门受理工作站';
  const subtitle = `统计期间：${report.period.start} 至 ${report.period.end}；超期与待复核按 ${report.asOf} 计`;
  const title = `${placeName}${report.period.label}社会救助统计表`;

  const byItem = sheetWithTitle(wb, '分事项', title, subtitle, [{ header: '救助事项', width: 28 }, ...METRIC_COLUMNS]);
  for (const r of report.byItem) byItem.addRow([r.label, ...metricCells(r.metrics)]);
  const total = byItem.addRow([`${report.total.label}（户次/人次）`, ...metricCells(report.total.metrics)]);
  total.font = { bold: true };

  const byArea = sheetWithTitle(wb, '分城乡', title, subtitle, [
    { header: '救助事项', width: 28 },
    { header: '城乡', width: 8 },
    ...METRIC_COLUMNS,
  ]);
  for (const r of report.byItem) {
    for (const a of ['urban', 'rural'] as const) byArea.addRow([r.label, AREA_LABELS[a], ...metricCells(r.byArea[a])]);
  }

  const byVillage = sheetWithTitle(wb, '分村（社区）', title, `${subtitle}；跨事项合计为户次/人次`, [
    { header: '村（社区）', width: 20 },
    ...METRIC_COLUMNS,
  ]);
  for (const r of report.byVillage) byVillage.addRow([r.label, ...metricCells(r.metrics)]);

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

export const LIST_COLUMNS: Column[] = [
  { header: '序号', width: 6, format: COUNT_FORMAT },
  { header: '案件编号', width: 22 },
  { header: '救助事项', width: 24 },
  { header: '类别', width: 10 },
  { header: '姓名', width: 10 },
  { header: '身份证号码', width: 21 },
  { header: '村（社区）', width: 14 },
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

export function listWorkbook(
  title: string,
  subtitle: string,
  rows: readonly DrillRow[],
  fullIdNumbers: boolean,
  progress?: Progress,
): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '乡镇民政一门受理工作站';
  const ws = sheetWithTitle(wb, '名单', title, subtitle, LIST_COLUMNS);
  rows.forEach((r, i) => {
    ws.addRow([
      i + 1,
      r.caseNumber,
      r.itemName,
      r.subKindName ?? '',
      r.applicantName,
      fullIdNumbers ? r.idNumber : maskIdNumber(r.idNumber),
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

export function rosterWorkbook(
  townshipName: string,
  roster: RosterInfo,
  lines: readonly RosterLine[],
  fullIdNumbers: boolean,
  progress?: Progress,
): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = '乡镇民政一门受理工作站';
  const [y, m] = roster.month.split('-');
  const item = itemByCode(roster.itemCode);
  const ws = sheetWithTitle(
    wb,
    '发放名册',
    `${townshipName}${y}年${Number(m)}月${item?.name ?? roster.itemCode}发放名册`,
    `${roster.status === 'confirmed' ? `已确认发放（${roster.confirmedAt?.slice(0, 10) ?? ''}）` : '草稿，尚未确认发放'}；共 ${lines.length} 笔`,
    [
      { header: '序号', width: 6, format: COUNT_FORMAT },
      { header: '村（社区）', width: 14 },
      { header: '姓名', width: 10 },
      { header: '身份证号码', width: 21 },
      { header: '城乡', width: 6 },
      { header: '保障人数', width: 8, format: COUNT_FORMAT },
      { header: '所属月份', width: 10 },
      { header: '金额（元）', width: 14, format: YUAN_FORMAT },
      { header: '备注', width: 10 },
      { header: '案件编号', width: 22 },
    ],
  );
  lines.forEach((l, i) => {
    ws.addRow([
      i + 1,
      l.village,
      l.name,
      fullIdNumbers ? l.idNumber : maskIdNumber(l.idNumber),
      AREA_LABELS[l.area],
      l.persons,
      l.periodMonth,
      l.amountFen / 100,
      l.arrears ? '补发' : '',
      l.caseNumber,
    ]);
    if (progress && i % 2000 === 0) progress(i, lines.length);
  });
  const total = ws.addRow(['合计', '', '', '', '', null, '', lines.reduce((s, l) => s + l.amountFen, 0) / 100, '', '']);
  total.font = { bold: true };
  return wb;
}

export async function workbookBytes(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
