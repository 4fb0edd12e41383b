import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeReport, drillCases } from '../../../shared/reports/compute';
import { METRICS, type Metric, type MetricValue, type Report, type ReportFilter } from '../../../shared/reports/model';
import { presetPeriod, type Period } from '../../../shared/reports/period';
import { formatWan, workSummary } from '../../../shared/reports/summary';
import { loadPayments, loadReportCases } from '../../../main/core/reports/load';
import { openStation, type Station } from '../cases/fixtures';
import { buildFixture, EAST, TOWN, type Fixture } from './fixture';

/**
 * Every expected number here was worked out by hand from the table in fixture.ts (see the comment beside each).
 * Periods: 2025 H1 unless said otherwise; overdue and re-check figures are judged on 2025-07-10.
 */
let s: Station;
let fx: Fixture;
beforeAll(async () => {
  s = await openStation();
  fx = buildFixture(s.core.db);
}, 60_000);
afterAll(async () => s.cleanup());

const AS_OF = '2025-07-10';
const H1 = presetPeriod('halfYear', 2025, 1);
function report(period: Period, filter: ReportFilter = {}): Report {
  return computeReport({
    cases: loadReportCases(s.core.db, period),
    payments: loadPayments(s.core.db, period),
    period,
    asOf: AS_OF,
    filter,
  });
}
const v = (cases: number, households: number, persons: number, amountFen = 0): MetricValue => ({ cases, households, persons, amountFen });
const item = (r: Report, code: string) => r.byItem.find((x) => x.itemCode === code)!;

describe('低保 figures, 2025 first half', () => {
  it('counts active, at-end, new, exited and paid households and persons exactly', () => {
    const d = item(report(H1), 'dibao');
    // active: D1 (3), D2 (2), D5 (2); D3 starts in July; D4 ended on 1 January, the period's first day.
    expect(d.metrics.active).toEqual(v(3, 3, 7));
    // at 30 June: D1 and D5 (D2 terminated 15 May).
    expect(d.metrics.activeAtEnd).toEqual(v(2, 2, 5));
    // new: D2 (from March) and D5 (from June).
    expect(d.metrics.new).toEqual(v(2, 2, 4));
    // exited: D2 (15 May) and D4 (1 January — the boundary day belongs to the period).
    expect(d.metrics.exited).toEqual(v(2, 2, 3));
    // paid: D1 Jan–Mar, May at 600 + June at 650 (April suspended) = 3,050; D2 Mar–May 3×400; D5 June 500 → 4,750 元.
    expect(d.metrics.paid).toEqual(v(3, 3, 7, 475_000));
    // D7 accepted 2025-04-01, decision due after 30 working days, still investigating on 10 July.
    expect(d.metrics.overdue.cases).toBe(1);
    expect(d.metrics.recheckDue.cases).toBe(0);
    // Equal counts: in pinyin order (本 ben before 家 jia).
    expect(d.exitReasons).toEqual([
      { reason: '本人死亡', cases: 1 },
      { reason: '家庭收入超过低保标准', cases: 1 },
    ]);
  });

  it('splits urban and rural', () => {
    const d = item(report(H1), 'dibao');
    expect(d.byArea.rural.activeAtEnd).toEqual(v(2, 2, 5));
    expect(d.byArea.urban.activeAtEnd).toEqual(v(0, 0, 0));
    expect(d.byArea.urban.exited).toEqual(v(1, 1, 1)); // D4
    expect(d.byArea.rural.exited).toEqual(v(1, 1, 2)); // D2
    expect(d.byArea.urban.overdue.cases).toBe(1); // D7
    expect(d.byArea.rural.paid.amountFen).toBe(475_000);
  });

  it('moves with the period boundaries (quarters, months, the second half, last year)', () => {
    const q1 = item(report(presetPeriod('quarter', 2025, 1)), 'dibao');
    const q2 = item(report(presetPeriod('quarter', 2025, 2)), 'dibao');
    expect([q1.metrics.new.households, q1.metrics.exited.households]).toEqual([1, 1]); // D2 in; D4 out
    expect([q2.metrics.new.households, q2.metrics.exited.households]).toEqual([1, 1]); // D5 in; D2 out
    expect(q1.metrics.paid.amountFen).toBe(60_000 + 60_000 + 100_000);
    expect(q2.metrics.paid.amountFen).toBe(40_000 + 100_000 + 115_000);
    // December 2024: D4 still in force on its last day (ended 1 January), D1 started.
    const dec = item(report(presetPeriod('month', 2024, 12)), 'dibao');
    expect(dec.metrics.activeAtEnd).toEqual(v(2, 2, 4));
    expect(dec.metrics.paid.amountFen).toBe(60_000 + 70_000);
    const jan = item(report(presetPeriod('month', 2025, 1)), 'dibao');
    expect(jan.metrics.active).toEqual(v(1, 1, 3)); // D1 only
    expect(jan.metrics.exited.households).toBe(1); // D4
    // April: D1 suspended on 1 April → not paid; D2 paid.
    expect(item(report(presetPeriod('month', 2025, 4)), 'dibao').metrics.paid).toEqual(v(1, 1, 2, 40_000));
    const h2 = item(report(presetPeriod('halfYear', 2025, 2)), 'dibao');
    expect(h2.metrics.new.households).toBe(1); // D3 from July
    // Year 2024: D4 Jun–Dec 7×700 + D1 Dec 600.
    expect(item(report(presetPeriod('year', 2024)), 'dibao').metrics.paid.amountFen).toBe(7 * 70_000 + 60_000);
  });

  it('gives a monthly trend that adds up to the period total', () => {
    const r = report(H1);
    const d = r.trend.series.find((x) => x.itemCode === 'dibao')!;
    expect(r.trend.months).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']);
    expect(d.paidFen).toEqual([60_000, 60_000, 100_000, 40_000, 100_000, 115_000]);
    expect(d.activeAtMonthEnd).toEqual([1, 1, 2, 2, 1, 2]);
  });
});

describe('other items, 2025 first half', () => {
  it('temporary assistance person-times count the first payment; amounts count every payment in the period', () => {
    const t = item(report(H1), 'temporaryAssistance');
    // T1 first paid 2 March (urgent aid); T3 first paid 30 Dec 2024; T2 paid in July.
    expect(t.metrics.aided).toEqual(v(1, 1, 1));
    // T1 1,000 + 500 remainder; T3 remainder 300 on 6 January.
    expect(t.metrics.paid).toEqual(v(2, 2, 2, 180_000));
    expect(t.metrics.active.cases).toBe(0); // one-off items are never "in force"
    expect(item(report(presetPeriod('halfYear', 2024, 2)), 'temporaryAssistance').metrics.aided.cases).toBe(1); // T3
  });

  it('disability subsidies, orphans and funeral waivers', () => {
    const r = report(H1);
    expect(item(r, 'disabilityLivingSubsidy').metrics.active).toEqual(v(1, 1, 1));
    expect(item(r, 'disabilityLivingSubsidy').metrics.paid.amountFen).toBe(5 * 10_000); // Feb–Jun
    expect(item(r, 'disabilityLivingSubsidy').metrics.new.persons).toBe(1);
    expect(item(r, 'disabilityCareSubsidy').metrics.paid.amountFen).toBe(6 * 8_000); // Jan–Jun
    expect(item(r, 'disabilityCareSubsidy').metrics.new.persons).toBe(1); // from 2025-01-01
    const o = item(r, 'orphanAllowance');
    expect(o.metrics.activeAtEnd).toEqual(v(1, 1, 1));
    expect(o.metrics.paid.amountFen).toBe(6 * 150_000);
    expect(o.metrics.recheckDue.cases).toBe(1); // due 2025-06-01
    expect(o.metrics.overdue.cases).toBe(1); // and not done by 10 July
    const f = item(r, 'funeralFeeWaiver');
    expect(f.metrics.aided).toEqual(v(1, 1, 1));
    expect(f.metrics.paid.amountFen).toBe(120_000);
  });

  it('totals and villages add up', () => {
    const r = report(H1);
    expect(r.total.metrics.paid.amountFen).toBe(475_000 + 50_000 + 48_000 + 900_000 + 180_000 + 120_000);
    expect(r.total.metrics.overdue.cases).toBe(2);
    const east = r.byVillage.find((x) => x.key === EAST)!;
    const town = r.byVillage.find((x) => x.key === TOWN)!;
    expect(east.metrics.paid.amountFen).toBe(475_000 + 50_000 + 900_000 + 180_000);
    expect(town.metrics.paid.amountFen).toBe(48_000 + 120_000);
    expect(r.byArea.find((x) => x.key === 'urban')!.metrics.paid.amountFen).toBe(168_000);
    const onlyTown = report(H1, { village: TOWN });
    expect(onlyTown.total.metrics.paid.amountFen).toBe(168_000);
    expect(item(onlyTown, 'dibao').metrics.exited.households).toBe(1);
  });
});

describe('drill-down', () => {
  it('every figure of every item lists exactly the cases it counted', () => {
    const cases = loadReportCases(s.core.db, H1);
    const payments = loadPayments(s.core.db, H1);
    const r = computeReport({ cases, payments, period: H1, asOf: AS_OF });
    for (const row of r.byItem) {
      for (const metric of METRICS) {
        const d = drillCases({ cases, payments, period: H1, asOf: AS_OF, metric, filter: { items: [row.itemCode] } });
        expect(d.value, `${row.itemCode}.${metric}`).toEqual(row.metrics[metric]);
        expect(d.rows.length).toBe(row.metrics[metric].cases);
      }
    }
    const exited = drillCases({ cases, payments, period: H1, asOf: AS_OF, metric: 'exited' as Metric, filter: { items: ['dibao'] } });
    expect(exited.rows.map((x) => x.caseId).sort()).toEqual([fx.cases.D2, fx.cases.D4].sort());
    expect(exited.rows.find((x) => x.caseId === fx.cases.D4)).toMatchObject({ reason: '本人死亡', endedOn: '2025-01-01', village: TOWN, area: 'urban' });
  });
});

describe('work summary paragraph', () => {
  it('states the hand-computed figures, each linked to its drill-down', () => {
    const summary = workSummary(report(H1), '城关镇');
    expect(summary.title).toBe('2025年上半年城关镇社会救助工作统计数据');
    expect(summary.text).toContain('2025年上半年，城关镇城乡低保在保（截至6月30日）2户5人，其中城市低保0户0人、农村低保2户5人；');
    expect(summary.text).toContain('期内新增2户4人，退出2户3人；支出低保金0.48万元。');
    expect(summary.text).toContain('实施临时救助1人次，支出临时救助金0.18万元。');
    expect(summary.text).toContain('困难残疾人生活补贴1人、重度残疾人护理补贴1人，共计0.10万元。');
    expect(summary.text).toContain('保障孤儿1人、事实无人抚养儿童0人，发放基本生活费0.90万元。');
    expect(summary.text).toContain('落实基本殡葬费用减免1人，减免0.12万元。');
    const linked = summary.segments.filter((x) => 'ref' in x);
    expect(linked.length).toBeGreaterThan(20);
    const paidDibao = linked.find((x) => 'ref' in x && x.ref.metric === 'paid' && x.ref.filter.items?.join() === 'dibao');
    expect(paidDibao).toMatchObject({ text: '0.48', ref: { measure: 'amountFen' } });
  });

  it('formats 万元 in integer arithmetic', () => {
    expect(formatWan(475_000)).toBe('0.48');
    expect(formatWan(123_456_789)).toBe('123.46');
    expect(formatWan(0)).toBe('0.00');
  });
});
