import { afterEach, describe, expect, it } from 'vitest';
import { payableMonths, type TimelineEvent } from '../../../shared/reports/payable';
import { monthsIn, periodLabel, presetPeriod } from '../../../shared/reports/period';
import { PeriodSchema } from '../../../shared/reports/period';
import { generateRoster, postOneOffPayments, rosterLines } from '../../../main/core/reports/ledger';
import { SYSTEM_ACTOR } from '../../../main/core/services/audit';
import { write } from '../../../main/core/services/unitOfWork';
import { openStation, registerHousehold, type Station } from '../cases/fixtures';
import { grantSteps, writeCase } from '../../../bench/lib/caseWriter';

const ev = (action: string, date: string, payload: Record<string, unknown> = {}): TimelineEvent => ({ action, at: `${date}T10:00:00+08:00`, payload });

describe('payableMonths (发放名册 rule)', () => {
  const approved = ev('countyApprove', '2025-01-20', { amountFen: 50_000 });
  it('pays from the start month, stops from the month after a suspension, resumes the month after resumption', () => {
    const events = [approved, ev('suspend', '2025-03-10'), ev('resume', '2025-04-15')];
    expect(payableMonths(events, '2025-02', '2025-01', '2025-06').map((p) => p.month)).toEqual(['2025-02', '2025-03', '2025-05', '2025-06']);
  });
  it('a stop recorded on the first of a month already stops that month', () => {
    expect(payableMonths([approved, ev('terminate', '2025-04-01')], '2025-02', '2025-01', '2025-06').map((p) => p.month)).toEqual(['2025-02', '2025-03']);
    expect(payableMonths([approved, ev('terminate', '2025-04-02')], '2025-02', '2025-01', '2025-06').map((p) => p.month)).toEqual(['2025-02', '2025-03', '2025-04']);
  });
  it('a re-check adjustment applies from the following month', () => {
    const events = [approved, ev('recordRecheck', '2025-03-31', { outcome: 'adjust', amountFen: 42_000, checkedOn: '2025-03-31' })];
    expect(payableMonths(events, '2025-02', '2025-02', '2025-05').map((p) => p.amountFen)).toEqual([50_000, 50_000, 42_000, 42_000]);
  });
  it('nothing without an approval, and nothing before `from`', () => {
    expect(payableMonths([ev('suspend', '2025-03-10')], '2025-02', '2025-01', '2025-06')).toEqual([]);
    expect(payableMonths([approved], '2025-02', '2025-05', '2025-06').map((p) => p.month)).toEqual(['2025-05', '2025-06']);
  });
});

describe('periods', () => {
  it('presets and labels', () => {
    expect(presetPeriod('halfYear', 2024, 1)).toEqual({ start: '2024-01-01', end: '2024-06-30', label: '2024年上半年' });
    expect(presetPeriod('month', 2024, 2).end).toBe('2024-02-29');
    expect(presetPeriod('quarter', 2025, 4)).toMatchObject({ start: '2025-10-01', end: '2025-12-31', label: '2025年第四季度' });
    expect(periodLabel({ start: '2025-01-01', end: '2025-12-31' })).toBe('2025年');
    expect(periodLabel({ start: '2025-03-15', end: '2025-04-14' })).toBe('2025-03-15至2025-04-14');
    expect(monthsIn({ start: '2025-03-15', end: '2025-05-01' })).toEqual(['2025-03', '2025-04', '2025-05']);
    expect(() => presetPeriod('quarter', 2025, 5)).toThrow(RangeError);
  });
  it('refuses a reversed range with a Chinese message', () => {
    const r = PeriodSchema.safeParse({ start: '2025-06-30', end: '2025-01-01' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('统计期间的结束日期不能早于开始日期');
  });
});

describe('ledger in the store', () => {
  let s: Station | null = null;
  afterEach(async () => {
    await s?.cleanup();
    s = null;
  });

  it('a late approval is paid its missed month as arrears (补发) on the next roster', async () => {
    s = await openStation();
    const { head, household } = await registerHousehold(s.clerk, [['1975-01-01', 'spouse']]);
    const db = s.core.db;
    const march = write(db, SYSTEM_ACTOR, (tx) => generateRoster(tx, 'dibao', '2025-03'), () => new Date('2025-03-05T02:00:00Z'));
    expect(march.rowCount).toBe(0);
    // The county's decision of 20 February (payment from March) reaches the station after the March roster.
    db.transaction(() =>
      writeCase(db, { itemCode: 'dibao', subKind: 'rural', applicantId: head.id, householdId: household.id, createdOn: '2025-01-20', steps: grantSteps('dibao', { decidedOn: '2025-02-20', amountFen: 45_000 }) }),
    )();
    const april = write(db, SYSTEM_ACTOR, (tx) => generateRoster(tx, 'dibao', '2025-04'), () => new Date('2025-04-05T02:00:00Z'));
    expect(april).toMatchObject({ rowCount: 2, totalFen: 90_000, status: 'draft' });
    expect(rosterLines(db, april.id).map((l) => [l.periodMonth, l.arrears, l.persons])).toEqual([
      ['2025-03', true, 2],
      ['2025-04', false, 2],
    ]);
    // Regenerating the draft gives the same rows, not twice as many.
    expect(write(db, SYSTEM_ACTOR, (tx) => generateRoster(tx, 'dibao', '2025-04'), () => new Date('2025-04-06T02:00:00Z')).rowCount).toBe(2);
    expect(() => write(db, SYSTEM_ACTOR, (tx) => generateRoster(tx, 'dibao', '2025-07'), () => new Date('2025-04-06T02:00:00Z'))).toThrow(/只能生成本月或下月/);
  });

  it('posts one-off payments once, the approved amount less the urgent aid', async () => {
    s = await openStation();
    const { head, household } = await registerHousehold(s.clerk);
    const db = s.core.db;
    const c = db.transaction(() =>
      writeCase(db, {
        itemCode: 'temporaryAssistance',
        subKind: 'urgent',
        cause: 'fire',
        applicantId: head.id,
        householdId: household.id,
        createdOn: '2025-03-01',
        steps: [
          { action: 'urgentAid', on: '2025-03-01', payload: { amountFen: 60_000, reason: '火灾', givenOn: '2025-03-01' } },
          ...grantSteps('temporaryAssistance', { decidedOn: '2025-03-20', amountFen: 100_000, startedOn: '2025-03-22' }).filter((st) => st.action !== 'accept'),
        ],
      }),
    )();
    expect(postOneOffPayments(db, SYSTEM_ACTOR)).toBe(2);
    expect(postOneOffPayments(db, SYSTEM_ACTOR)).toBe(0);
    const rows = db.prepare('SELECT kind, amount_fen, paid_on FROM payments WHERE case_id = ? ORDER BY paid_on').all(c.id);
    expect(rows).toEqual([
      { kind: 'urgentAid', amount_fen: 60_000, paid_on: '2025-03-01' },
      { kind: 'oneOff', amount_fen: 40_000, paid_on: '2025-03-22' },
    ]);
  });
});
