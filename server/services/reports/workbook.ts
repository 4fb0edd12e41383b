import type ExcelJS from 'exceljs';
import type { DrillRow, Report } from '../../../shared/reports/model';
import { listWorkbook, reportWorkbook } from '../../../shared/reports/workbooks';

/**
 * The county's Excel files: the same sheets and columns as the station's (shared/reports/workbooks.ts), grouped by
 * what the county groups by. ID numbers arrive already masked.
 */

export { workbookBytes, XLSX_MIME } from '../../../shared/reports/workbooks';

const CREATOR = '县级民政审批与监管控制台';

export const countyReportWorkbook = (report: Report, title: string, groupLabel: string): ExcelJS.Workbook =>
  reportWorkbook(report, { creator: CREATOR, title, groupLabel });

/** A drill-down list; `rows` carry masked ID numbers already. */
export const countyListWorkbook = (title: string, subtitle: string, rows: readonly DrillRow[]): ExcelJS.Workbook =>
  listWorkbook(title, subtitle, rows, { creator: CREATOR, placeLabel: '乡镇 / 村（社区）', idNumber: (r) => r.idNumber });
