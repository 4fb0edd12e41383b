import { AppError } from '../../../../shared/ipc/errors';
import type { WriteTx } from '../unitOfWork';

/**
 * Human case number for paper (receipts, notices): station code + YYYYMMDD + 4-digit sequence of that counter day.
 * Allocated inside the creating transaction (BEGIN IMMEDIATE), so two windows of the same station never draw the
 * same number, and a rolled-back creation gives its number back.
 */
export function allocateCaseNumber(tx: WriteTx, localDate: string): string {
  const settings = tx.db.prepare('SELECT station_code FROM station_settings WHERE id = 1').get() as { station_code: string } | undefined;
  if (!settings) throw new AppError('INVALID_INPUT', '请先在“设置”中填写乡镇名称和站点编码，再登记申请');
  const day = localDate.replaceAll('-', '');
  const row = tx.db
    .prepare(
      `INSERT INTO case_number_seq (day, last) VALUES (?, 1)
       ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last`,
    )
    .get(day) as { last: number };
  if (row.last > 9999) throw new AppError('CONFLICT', '本日案件编号已用完（每日最多 9999 件）');
  return `${settings.station_code}${day}${String(row.last).padStart(4, '0')}`;
}
