import ExcelJS from 'exceljs';
import { maskIdNumber } from '../../../shared/domain/idNumber';
import { itemByCode } from '../../../shared/domain/items';
import type { DrillRow, Report } from '../../../shared/reports/model';
import { AREA_LABELS } from '../../../shared/reports/model';
import {
  COUNT_FORMAT,
  listWorkbook as sharedListWorkbook,
  reportWorkbook as sharedReportWorkbook,
  sheetWithTitle,
  YUAN_FORMAT,
  type Progress,
} from '../../../shared/reports/workbooks';
import type { RosterInfo, RosterLine } from '../reports/ledger';

/**
 * The station's Excel files. Reports and lists are written by shared/reports/workbooks.ts, as at the county; the
 * station adds its name, masks ID numbers unless the caller was allowed to ask for them in full, and writes payment
 * rosters, which only stations make.
 */

export { workbookBytes, XLSX_MIME } from '../../../shared/reports/workbooks';

const CREATOR = '乡镇民政一门受理工作站';

export const reportWorkbook = (report: Report, placeName: string): ExcelJS.Workbook =>
  sharedReportWorkbook(report, { creator: CREATOR, title: `${placeName}${report.period.label}社会救助统计表`, groupLabel: '村（社区）' });

export const listWorkbook = (title: string, subtitle: string, rows: readonly DrillRow[], fullIdNumbers: boolean, progress?: Progress): ExcelJS.Workbook =>
  sharedListWorkbook(title, subtitle, rows, {
    creator: CREATOR,
    placeLabel: '村（社区）',
    idNumber: (r) => (fullIdNumbers ? r.idNumber : maskIdNumber(r.idNumber)),
    progress,
  });

export function rosterWorkbook(
  townshipName: string,
  roster: RosterInfo,
  lines: readonly RosterLine[],
  fullIdNumbers: boolean,
  progress?: Progress,
): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = CREATOR;
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
