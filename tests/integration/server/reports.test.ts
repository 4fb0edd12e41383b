import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { maskIdNumber } from '../../../shared/domain/idNumber';
import { computeReport } from '../../../shared/reports/compute';
import type { MetricValue, Report } from '../../../shared/reports/model';
import { presetPeriod } from '../../../shared/reports/period';
import { loadPayments, loadReportCases } from '../../../main/core/reports/load';
import { openStation, type Station } from '../../unit/cases/fixtures';
import { buildFixture, EAST, TOWN, type Fixture } from '../../unit/reports/fixture';
import { consoleClient, staffFor, type ConsoleClient } from '../console/consoleClient';
import { describeEachBackend, http, m, uuid, type TestStation } from './harness';
import { pushAll, stationMutations } from './reportPush';

/**
 * County reports (issue 6) on the report fixture of the station tests (tests/unit/reports/fixture.ts): the station's
 * persons, households, cases, events and payment ledger travel through the real push path (payments as
 * `payment.record`, docs/sync-protocol.md SP-16), and the county's figures must equal both the hand-computed
 * expectations and the station's own figures for the same data.
 */

let s: Station;
let fx: Fixture;
let mutations: { name: string; args: unknown }[];
const AS_OF = '2025-07-10';
const H1 = presetPeriod('halfYear', 2025, 1);

beforeAll(async () => {
  s = await openStation();
  fx = buildFixture(s.core.db);
  mutations = stationMutations(s.core.db);
}, 60_000);
afterAll(async () => s.cleanup());

function stationReport(): Report {
  return computeReport({ cases: loadReportCases(s.core.db, H1), payments: loadPayments(s.core.db, H1), period: H1, asOf: AS_OF });
}

const v = (cases: number, households: number, persons: number, amountFen = 0): MetricValue => ({ cases, households, persons, amountFen });
const query = (extra: Record<string, string> = {}) =>
  new URLSearchParams({ start: H1.start, end: H1.end, asOf: AS_OF, ...extra }).toString();

describeEachBackend('county reports', (get) => {
  let station: TestStation;
  let officer: ConsoleClient;
  let admin: ConsoleClient;
  let township: string;

  beforeAll(async () => {
    township = `报表镇${uuid().slice(0, 6)}`;
    station = await get().station({ township });
    const next = await pushAll(station.push, mutations);
    // Exactly once: the same ledger again, under new mutation ids, changes no figure.
    await pushAll(
      station.push,
      mutations.filter((x) => x.name === 'payment.record'),
      next,
    );
    const staff = await staffFor(get());
    officer = staff.checker;
    admin = staff.admin;
  }, 60_000);

  it('the county’s figures equal the hand-computed ones and the station’s own (SP-16 ledger pushed)', async () => {
    const res = await officer.request('GET', `/console/api/reports?${query({ township, groupBy: 'village' })}`);
    expect(res.status).toBe(200);
    const county = res.body.report as Report;
    const d = county.byItem.find((r) => r.itemCode === 'dibao')!;
    // Hand-computed (tests/unit/reports/figures.test.ts): D1, D2, D5 active; D2 exits mid-period (15 May).
    expect(d.metrics.active).toEqual(v(3, 3, 7));
    expect(d.metrics.activeAtEnd).toEqual(v(2, 2, 5));
    expect(d.metrics.new).toEqual(v(2, 2, 4));
    expect(d.metrics.exited).toEqual(v(2, 2, 3));
    expect(d.metrics.paid).toEqual(v(3, 3, 7, 475_000));
    expect(d.metrics.overdue.cases).toBe(1);
    expect(d.byArea.rural.activeAtEnd).toEqual(v(2, 2, 5));
    expect(d.byArea.urban.exited).toEqual(v(1, 1, 1));
    expect(d.byArea.rural.exited).toEqual(v(1, 1, 2));
    // 临时救助 in H1: T1 (urgent aid 2 March) and T3's remainder on 6 January does not count (first paid in December).
    const t = county.byItem.find((r) => r.itemCode === 'temporaryAssistance')!;
    expect(t.metrics.aided.persons).toBe(1);
    expect(t.metrics.paid.amountFen).toBe(150_000 + 30_000);

    const mine = stationReport();
    expect(county.byItem).toEqual(mine.byItem);
    expect(county.total).toEqual(mine.total);
    expect(county.byArea).toEqual(mine.byArea);
    expect(county.byVillage).toEqual(mine.byVillage);
    expect(county.byVillage.map((r) => r.label).sort()).toEqual([EAST, TOWN].sort());
    expect(county.trend).toEqual(mine.trend);
  });

  it('groups by township county-wide and keeps another township’s station out of a township filter', async () => {
    const other = await get().station({ township: `别的镇${uuid().slice(0, 6)}` });
    const personId = uuid();
    const caseId = uuid();
    await other.push([
      m.person(1, personId, { hukou: 'urban' }),
      m.caseSave(2, caseId, { caseNumber: 'X1', itemCode: 'temporaryAssistance', applicantId: personId, householdId: null, state: 'closed', snapshot: { amountFen: 10_000 } }),
      {
        id: 3,
        name: 'payment.record',
        args: { id: uuid(), caseId, itemCode: 'temporaryAssistance', kind: 'oneOff', periodMonth: null, paidOn: '2025-02-03', amountFen: 10_000, persons: 1, rosterId: null, sourceEventId: uuid() },
      },
    ]);
    const mine = (await officer.request('GET', `/console/api/reports?${query({ township })}`)).body.report as Report;
    expect(mine.total).toEqual(stationReport().total);
    const all = (await officer.request('GET', `/console/api/reports?${query({ groupBy: 'township' })}`)).body.report as Report;
    expect(all.byVillage.find((r) => r.label === township)?.metrics).toEqual(stationReport().total.metrics);
    expect(all.byVillage.find((r) => r.label === other.township)?.metrics.paid.amountFen).toBe(10_000);
  });

  it('a payment.record for another station’s case is refused NOT_OWNER and changes nothing', async () => {
    const intruder = await get().station({ township });
    const res = await intruder.push([
      {
        id: 1,
        name: 'payment.record',
        args: { id: uuid(), caseId: fx.cases.D1, itemCode: 'dibao', kind: 'monthly', periodMonth: '2025-02', paidOn: '2025-02-01', amountFen: 99_900, persons: 3, rosterId: uuid(), sourceEventId: null },
      },
    ]);
    expect(res.body.results[0]).toMatchObject({ status: 'rejected', code: 'NOT_OWNER' });
    const d = ((await officer.request('GET', `/console/api/reports?${query({ township, items: 'dibao' })}`)).body.report as Report).byItem[0]!;
    expect(d.metrics.paid.amountFen).toBe(475_000);
  });

  it('a figure drills down to its cases with masked ID numbers, and the view is audited', async () => {
    const res = await officer.request('GET', `/console/api/reports/drill?${query({ township, metric: 'exited', items: 'dibao' })}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    const ids = (res.body.rows as { idNumber: string; caseId: string }[]).map((r) => [r.caseId, r.idNumber]).sort();
    expect(ids).toEqual(
      [
        [fx.cases.D2, maskIdNumber(fx.persons['h2.0']!.idNumber)],
        [fx.cases.D4, maskIdNumber(fx.persons['h4.0']!.idNumber)],
      ].sort(),
    );
    expect(JSON.stringify(res.body)).not.toContain(fx.persons['h2.0']!.idNumber);
    const audit = await admin.request('GET', '/console/api/audit?action=report.drill');
    expect(audit.body.entries[0]).toMatchObject({ action: 'report.drill', detail: { metric: 'exited', total: 2, masked: true } });
  });

  it('exports the report and a list as workbooks that read back with the figures and masked IDs', async () => {
    const rep = await fetch(`${get().url}/console/api/reports/export?${query({ township, what: 'report', groupBy: 'village' })}`, { headers: { cookie: officer.cookie! } });
    expect(rep.status).toBe(200);
    expect(rep.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await rep.arrayBuffer());
    const sheet = wb.getWorksheet('分事项')!;
    expect(String(sheet.getCell(1, 1).value)).toContain(township);
    const json = (await officer.request('GET', `/console/api/reports?${query({ township })}`)).body.report as Report;
    const at = json.byItem.findIndex((r) => r.itemCode === 'dibao');
    const row = sheet.getRow(4 + at);
    expect(row.getCell(1).value).toBe(json.byItem[at]!.label);
    // 期内享受 3 户 7 人, 期末在保 2 户 5 人, 支出 4,750.00 元.
    expect([row.getCell(2).value, row.getCell(3).value, row.getCell(4).value, row.getCell(5).value, row.getCell(11).value]).toEqual([3, 7, 2, 5, 4750]);
    expect(wb.getWorksheet('分村（社区）')).toBeDefined();

    const list = await fetch(`${get().url}/console/api/reports/export?${query({ township, what: 'list', metric: 'exited', items: 'dibao' })}`, { headers: { cookie: officer.cookie! } });
    expect(list.status).toBe(200);
    const lw = new ExcelJS.Workbook();
    await lw.xlsx.load(await list.arrayBuffer());
    const ls = lw.getWorksheet('名单')!;
    expect(ls.getCell(3, 6).value).toBe('身份证号码');
    const shown = [ls.getCell(4, 6).value, ls.getCell(5, 6).value].sort();
    expect(shown).toEqual([maskIdNumber(fx.persons['h2.0']!.idNumber), maskIdNumber(fx.persons['h4.0']!.idNumber)].sort());
    expect(ls.getCell(6, 1).value).toBeNull();
    const audit = await admin.request('GET', '/console/api/audit?action=report.export');
    expect(audit.body.entries.map((e: { detail: { what: string; masked: boolean } }) => [e.detail.what, e.detail.masked]).sort()).toEqual([
      ['list', true],
      ['report', true],
    ]);
  });

  it('writes the 工作总结数据 paragraph from the same figures', async () => {
    const res = await officer.request('GET', `/console/api/reports/summary?${query({ township })}`);
    expect(res.status).toBe(200);
    expect(res.body.text).toContain(`2025年上半年，${township}`);
    expect(res.body.text).toContain('0.48'); // 低保 支出 4,750 元 = 0.48 万元
  });

  it('refuses a request without a session, and a bad period with a Chinese message', async () => {
    const anon = await http(`${get().url}/console/api/reports?${query({ township })}`, 'GET');
    expect(anon.status).toBe(401);
    const anonExport = await http(`${get().url}/console/api/reports/export?${query({ what: 'report' })}`, 'GET');
    expect(anonExport.status).toBe(401);
    const other = consoleClient(get().url);
    expect((await other.request('GET', `/console/api/reports/drill?${query({ metric: 'active' })}`)).status).toBe(401);
    const bad = await officer.request('GET', `/console/api/reports?${new URLSearchParams({ start: '2025-06-30', end: '2025-01-01' }).toString()}`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('结束日期不能早于开始日期');
  });
});
