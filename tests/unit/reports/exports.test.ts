import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeReport } from '../../../shared/reports/compute';
import { presetPeriod } from '../../../shared/reports/period';
import { loadPayments, loadReportCases } from '../../../main/core/reports/load';
import { verifyAuditChain } from '../../../main/core/services/audit';
import { must, openStation, type Station } from '../cases/fixtures';
import { buildFixture, type Fixture } from './fixture';

/** The same fixture through the calls a window makes: the worker thread, exports read back, audit, rosters, cancel. */
let s: Station;
let fx: Fixture;
beforeAll(async () => {
  s = await openStation();
  fx = buildFixture(s.core.db);
}, 60_000);
afterAll(async () => s.cleanup());

const H1 = presetPeriod('halfYear', 2025, 1);
const period = { start: H1.start, end: H1.end };
const MASKED = /^430102\*{8}\d{3}[\dX]$/;

async function workbookOf(dataBase64: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(dataBase64, 'base64') as unknown as ArrayBuffer);
  return wb;
}
const lastAudit = () =>
  s.core.db.prepare('SELECT action, actor_name, changes FROM audit_log ORDER BY seq DESC LIMIT 1').get() as {
    action: string;
    actor_name: string;
    changes: string;
  };

describe('reports through the worker', () => {
  it('reports.run answers from the worker thread with the same figures as the in-process computation', async () => {
    const viaCall = await must(s.clerk.call('reports.run', { period, asOf: '2025-07-10' }));
    const direct = computeReport({
      cases: loadReportCases(s.core.db, period),
      payments: loadPayments(s.core.db, period),
      period,
      asOf: '2025-07-10',
    });
    expect(viaCall).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(viaCall.byItem.find((r) => r.itemCode === 'dibao')!.metrics.paid.amountFen).toBe(475_000);
  });

  it('reports.drill lists masked ID numbers and records the view', async () => {
    const r = await must(s.clerk.call('reports.drill', { period, metric: 'exited', filter: { items: ['dibao'] }, asOf: '2025-07-10' }));
    expect(r.total).toBe(2);
    expect(r.rows.every((x) => MASKED.test(x.idNumber))).toBe(true);
    const a = lastAudit();
    expect(a.action).toBe('report.drill');
    expect(JSON.parse(a.changes)).toMatchObject({ metric: 'exited', rows: 2, masked: true });
  });

  it('refuses full ID numbers to a clerk and grants them to a reviewer', async () => {
    const refused = await s.clerk.call('reports.drill', { period, metric: 'exited', fullIdNumbers: true });
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const full = await must(s.reviewer.call('reports.drill', { period, metric: 'exited', filter: { items: ['dibao'] }, fullIdNumbers: true }));
    expect(full.rows.map((x) => x.idNumber).sort()).toEqual([fx.persons['h2.0']!.idNumber, fx.persons['h4.0']!.idNumber].sort());
  });
});

describe('Excel exports', () => {
  it('exports a list with Chinese headers, masked IDs, yuan and date formats, and audits it', async () => {
    const events: unknown[] = [];
    const jobId = randomUUID();
    const off = s.core.on('reports.progress', (p) => events.push(p));
    const r = await must(s.clerk.call('reports.export', { jobId, spec: { what: 'list', period, metric: 'exited', filter: { items: ['dibao'] } } }));
    off();
    if (r.status !== 'done') throw new Error('export did not finish');
    expect(r.fileName).toMatch(/\.xlsx$/);
    expect(r.masked).toBe(true);
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ jobId });
    const ws = (await workbookOf(r.dataBase64)).getWorksheet('名单')!;
    expect(ws.getCell('A1').value).toContain('退出名单');
    expect(ws.getRow(3).values).toEqual([
      undefined,
      '序号', '案件编号', '救助事项', '类别', '姓名', '身份证号码', '村（社区）', '城乡', '家庭人口', '状态',
      '核定金额（元）', '期内支出（元）', '起始发放月份', '终止日期', '原因', '到期日',
    ]);
    const rows = [4, 5].map((n) => ws.getRow(n));
    expect(rows.map((row) => row.getCell(6).value as string).every((id) => MASKED.test(id))).toBe(true);
    const d4 = rows.find((row) => row.getCell(15).value === '本人死亡')!;
    expect(d4.getCell(5).value).toBe('赵独居');
    expect(d4.getCell(11).value).toBe(700);
    expect(d4.getCell(11).numFmt).toBe('#,##0.00');
    expect(d4.getCell(14).value).toEqual(new Date(Date.UTC(2025, 0, 1)));
    expect(d4.getCell(14).numFmt).toBe('yyyy-mm-dd');
    const a = lastAudit();
    expect(a.action).toBe('report.export');
    expect(a.actor_name).toBe('王受理');
    expect(JSON.parse(a.changes)).toMatchObject({ export: 'list', rows: 2, masked: true });
  });

  it('exports full ID numbers for a reviewer who asks, and says so in the audit', async () => {
    const r = await must(
      s.reviewer.call('reports.export', { jobId: randomUUID(), fullIdNumbers: true, spec: { what: 'list', period, metric: 'activeAtEnd', filter: { items: ['orphanAllowance'] } } }),
    );
    if (r.status !== 'done') throw new Error('export did not finish');
    const ws = (await workbookOf(r.dataBase64)).getWorksheet('名单')!;
    expect(ws.getRow(4).getCell(6).value).toBe(fx.persons['h6.0']!.idNumber);
    expect(JSON.parse(lastAudit().changes)).toMatchObject({ masked: false, rows: 1 });
  });

  it('exports the report workbook: by item, by area, by village, monthly payments', async () => {
    const r = await must(s.clerk.call('reports.export', { jobId: randomUUID(), spec: { what: 'report', period } }));
    if (r.status !== 'done') throw new Error('export did not finish');
    const wb = await workbookOf(r.dataBase64);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['分事项', '分城乡', '分村（社区）', '月度支出']);
    const byItem = wb.getWorksheet('分事项')!;
    expect(byItem.getCell('A1').value).toBe('城关镇2025年上半年社会救助统计表');
    const dibao = byItem.getRow(4);
    expect(dibao.getCell(1).value).toBe('最低生活保障');
    expect([4, 5, 6, 7, 8, 9].map((c) => dibao.getCell(c).value)).toEqual([2, 5, 2, 4, 2, 3]); // at end, new, exited
    expect(dibao.getCell(11).value).toBe(4750);
    expect(dibao.getCell(11).numFmt).toBe('#,##0.00');
    const trend = wb.getWorksheet('月度支出')!;
    expect(trend.getRow(3).getCell(1).value).toBe('月份');
    expect(trend.getRow(4).getCell(1).value).toBe('2025-01');
  });
});

describe('payment rosters', () => {
  it('lists, exports and prints the confirmed June 低保 roster', async () => {
    const rosters = await must(s.clerk.call('payments.rosters', { itemCode: 'dibao', year: 2025 }));
    const june = rosters.find((r) => r.month === '2025-06')!;
    expect(june).toMatchObject({ status: 'confirmed', rowCount: 2, totalFen: 115_000 });
    const lines = await must(s.clerk.call('payments.rosterLines', { rosterId: june.id }));
    expect(lines.lines.map((l) => [l.name, l.amountFen, l.persons])).toEqual([
      ['张大山', 65_000, 3],
      ['刘五', 50_000, 2],
    ]);
    expect(lines.lines.every((l) => MASKED.test(l.idNumber))).toBe(true);
    const x = await must(s.clerk.call('reports.export', { jobId: randomUUID(), spec: { what: 'roster', rosterId: june.id } }));
    if (x.status !== 'done') throw new Error('export did not finish');
    const ws = (await workbookOf(x.dataBase64)).getWorksheet('发放名册')!;
    expect(ws.getCell('A1').value).toBe('城关镇2025年6月最低生活保障发放名册');
    expect(ws.getRow(6).getCell(1).value).toBe('合计');
    expect(ws.getRow(6).getCell(8).value).toBe(1150);
    const printed = await must(s.clerk.call('print.paymentRoster', { rosterId: june.id }));
    expect(printed.html).toContain('张大山');
    expect(printed.html).toContain('1,150.00');
    expect(printed.html).not.toContain(fx.persons['h1.0']!.idNumber);
    expect(lastAudit().action).toBe('print.paymentRoster');
  });

  it('generates a draft with arrears, refuses a clerk, and refuses to regenerate a confirmed roster', async () => {
    expect(await s.clerk.call('payments.generateRoster', { itemCode: 'dibao', month: '2025-07' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const rosters = await must(s.clerk.call('payments.rosters', { itemCode: 'dibao' }));
    const june = rosters.find((r) => r.month === '2025-06')!;
    expect(await s.reviewer.call('payments.generateRoster', { itemCode: 'dibao', month: '2025-06' })).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(june.status).toBe('confirmed');
    expect(await s.reviewer.call('payments.generateRoster', { itemCode: 'temporaryAssistance', month: '2025-06' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });
});

describe('work summary export and cancel', () => {
  it('writes the paragraph as .docx and .txt', async () => {
    const d = await must(s.clerk.call('reports.export', { jobId: randomUUID(), spec: { what: 'summary', period, format: 'docx' } }));
    if (d.status !== 'done') throw new Error('export did not finish');
    expect(d.fileName).toBe('2025年上半年城关镇社会救助工作统计数据.docx');
    const zip = await JSZip.loadAsync(Buffer.from(d.dataBase64, 'base64'));
    const doc = await zip.file('word/document.xml')!.async('string');
    expect(doc).toContain('支出低保金0.48万元');
    expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']));
    const t = await must(s.clerk.call('reports.export', { jobId: randomUUID(), spec: { what: 'summary', period, format: 'txt' } }));
    if (t.status !== 'done') throw new Error('export did not finish');
    const text = Buffer.from(t.dataBase64, 'base64').toString('utf8');
    expect(text.startsWith('\uFEFF2025年上半年城关镇社会救助工作统计数据\r\n')).toBe(true);
    expect(text).toContain('实施临时救助1人次');
    const summary = await must(s.clerk.call('reports.summary', { period }));
    expect(summary.text).toContain('农村低保2户5人');
  });

  it('cancels an export: the call answers "cancelled", nothing is audited, the worker takes the next job', async () => {
    const before = (s.core.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'report.export'`).get() as { n: number }).n;
    const jobId = randomUUID();
    const pending = s.clerk.call('reports.export', { jobId, spec: { what: 'report', period } });
    expect(await must(s.clerk.call('reports.cancel', { jobId }))).toEqual({ cancelled: true });
    expect(await must(pending)).toEqual({ status: 'cancelled' });
    const after = (s.core.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'report.export'`).get() as { n: number }).n;
    expect(after).toBe(before);
    expect(await must(s.clerk.call('reports.cancel', { jobId }))).toEqual({ cancelled: false });
    expect((await must(s.clerk.call('reports.run', { period }))).period.label).toBe('2025年上半年');
    expect(verifyAuditChain(s.core.db).ok).toBe(true);
  });
});
