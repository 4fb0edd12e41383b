/** The numbered rules of docs/case-state-machine.md, one behaviour at a time, as a clerk or reviewer would meet them. */
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  availableActions,
  dueDate,
  isOverdue,
  ITEM_CATALOGUE,
  ItemDefinitionSchema,
  newCaseSnapshot,
  type Actor,
  type ActionContext,
  type CaseAction,
  type CaseSnapshot,
} from '../../../shared/domain';
import { at, FULL_VISIT, samplePayload } from './machineFixtures';

type Step = [CaseAction, unknown?, Partial<ActionContext>?];

/** Runs steps on the counter day `day`, each by the first allowed actor unless the step says otherwise. */
function run(s: CaseSnapshot, day: string, steps: Step[], defaults: Partial<ActionContext> = {}): CaseSnapshot {
  for (const [action, payload, ctx] of steps) {
    const role: Actor = ctx?.role ?? defaults.role ?? roleFor(action);
    const r = applyAction(s, action, payload ?? samplePayload(action, s, day), {
      role,
      now: at(day),
      townshipLimitFen: 300_000,
      ...defaults,
      ...ctx,
    });
    if (!r.ok) throw new Error(`${action}: ${r.code} ${r.message}`);
    s = r.snapshot;
  }
  return s;
}
const roleFor = (a: CaseAction): Actor => (a === 'countyApprove' || a === 'countyReject' ? 'county' : 'reviewer');

const dibao = () => newCaseSnapshot('dibao', 'rural');
const accepted = (s: CaseSnapshot, day = '2025-03-03') => run(s, day, [['accept']]);

/** A rural dibao case through check, visit and a notice that has run its course (started 2025-03-03). */
function dibaoPastNotice(): CaseSnapshot {
  let s = run(accepted(dibao()), '2025-03-03', [
    ['requestEconomicCheck'],
    ['recordEconomicCheckResult'],
    ['recordHomeVisit'],
    ['startNotice'],
  ]);
  s = run(s, '2025-03-10', [['completeNotice']]);
  return s;
}

const act = (s: CaseSnapshot, action: CaseAction, payload: unknown, role: Actor, day = '2025-03-03', limit?: number) =>
  applyAction(s, action, payload, { role, now: at(day), ...(limit === undefined ? {} : { townshipLimitFen: limit }) });

describe('SM-1 a case runs under the rules copied from its item', () => {
  it('copies notice days, deadline, approval and required materials; a later catalogue change does not alter it', () => {
    const s = dibao();
    expect(s).toMatchObject({ itemCode: 'dibao', subKind: 'rural', variant: 'meansTested', state: 'submitted' });
    expect(s.rules).toMatchObject({
      noticeDays: 7,
      decisionWorkingDays: 30,
      approval: 'county',
      payment: 'periodic',
      recheckMonths: 12,
    });
    expect(s.rules.requiredMaterials.map((m) => m.key)).toContain('checkAuthorisation');
    const county = [ItemDefinitionSchema.parse({ ...ITEM_CATALOGUE[0]!, noticeDays: 10 })];
    expect(newCaseSnapshot('dibao', 'urban', county).rules.noticeDays).toBe(10);
    expect(s.rules.noticeDays).toBe(7);
  });

  it('refuses an unknown item, a missing or unknown sub-kind, and a sub-kind on an item without any', () => {
    expect(() => newCaseSnapshot('lottery')).toThrow(/未知的救助事项/);
    expect(() => newCaseSnapshot('dibao')).toThrow(/城市低保\/农村低保/);
    expect(() => newCaseSnapshot('dibao', 'suburban')).toThrow(RangeError);
    expect(() => newCaseSnapshot('funeralFeeWaiver', 'urgent')).toThrow(RangeError);
  });
});

describe('SM-4 checks in a fixed order and never throws', () => {
  it('state before role: a clerk asking for township approval of a case under investigation hears about the state', () => {
    const s = run(accepted(dibao()), '2025-03-03', [['requestEconomicCheck']]);
    expect(act(s, 'townshipApprove', {}, 'clerk')).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
  });

  it('role before case facts and payload: a clerk cannot record a home visit, even a malformed one', () => {
    const s = run(accepted(dibao()), '2025-03-03', [['requestEconomicCheck']]);
    const r = act(s, 'recordHomeVisit', { investigators: ['一人'] }, 'clerk');
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    if (!r.ok) expect(r.message).toBe('“录入入户调查”只能由乡镇审核人、系统管理员办理，当前身份为窗口受理员');
  });

  it('case facts before payload: starting a notice without the check result is refused as a state problem', () => {
    const s = run(accepted(dibao()), '2025-03-03', [['requestEconomicCheck'], ['recordHomeVisit']]);
    const r = act(s, 'startNotice', { endDate: 'not a date' }, 'reviewer');
    expect(r).toMatchObject({
      ok: false,
      code: 'ILLEGAL_TRANSITION',
      message: '尚未录入家庭经济状况核对结果，不能开始公示',
    });
  });

  it('malformed context or snapshot is INVALID_INPUT / FORBIDDEN, not an exception', () => {
    const s = dibao();
    expect(applyAction(s, 'accept', {}, { role: 'mayor' as Actor, now: at('2025-03-03') })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(applyAction(s, 'accept', {}, { role: 'clerk', now: 'yesterday' })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(applyAction(s, 'fly' as CaseAction, {}, { role: 'clerk', now: at('2025-03-03') })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(
      applyAction(
        { ...s, state: 'limbo' } as unknown as CaseSnapshot,
        'accept',
        {},
        { role: 'clerk', now: at('2025-03-03') },
      ),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      message: '案件数据不完整或已损坏，操作未生效',
    });
    expect(applyAction(s, 'accept', {}, { role: 'clerk', now: at('2025-03-03'), townshipLimitFen: -1 })).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('does not modify the snapshot it was given', () => {
    const s = Object.freeze(dibao());
    const copy = JSON.stringify(s);
    const r = act(s, 'accept', samplePayload('accept', s, '2025-03-03'), 'clerk');
    expect(r.ok).toBe(true);
    expect(JSON.stringify(s)).toBe(copy);
  });

  it('payload errors come back in Chinese, naming the field', () => {
    const s = accepted(dibao());
    const r = act(
      run(s, '2025-03-03', [['requestEconomicCheck']]),
      'recordHomeVisit',
      { visitedOn: '2025-02-30', investigators: ['王调查'] },
      'reviewer',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('INVALID_INPUT');
      expect(r.message).toContain('日期应为有效日期');
      expect(r.message).toContain('入户调查至少需要两名调查人员');
      expect(r.message).not.toMatch(/[A-Za-z]{4,}/);
    }
  });
});

describe('SM-5 acceptance', () => {
  it('refuses acceptance while a required material is missing, naming it', () => {
    const s = dibao();
    const received = s.rules.requiredMaterials.map((m) => m.key).filter((k) => k !== 'honestyCommitment');
    const r = act(s, 'accept', { materialsReceived: received }, 'clerk');
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    if (!r.ok) expect(r.message).toMatch(/^以下必备材料尚未收齐：诚信承诺书（双承诺）。/);
  });

  it('records the acceptance time and a decision deadline in working days, holidays included', () => {
    // 基本殡葬费用减免: 5 working days. Friday 26 Sep 2025 → 28 Sep (调休上班), 29, 30 Sep, 9, 10 Oct (国庆 1-8 Oct off).
    const s = run(newCaseSnapshot('funeralFeeWaiver'), '2025-09-26', [['accept', undefined, { role: 'clerk' }]]);
    expect(s.acceptedAt).toBe(at('2025-09-26'));
    expect(s.deadlines.decisionDue).toBe('2025-10-10');
    expect(dueDate(s)).toBe('2025-10-10');
  });
});

describe('SM-6 one-time notice of missing materials', () => {
  it('lists what is missing once; the case waits, then is accepted when the materials arrive', () => {
    let s = run(dibao(), '2025-03-03', [
      ['requestMaterials', { missing: ['户口簿', '诚信承诺书'] }, { role: 'clerk' }],
    ]);
    expect(s).toMatchObject({ state: 'awaitingMaterials', missingMaterials: ['户口簿', '诚信承诺书'] });
    expect(dueDate(s)).toBeUndefined();
    expect(act(s, 'requestMaterials', { missing: ['银行卡'] }, 'clerk')).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    s = run(s, '2025-03-07', [['accept', undefined, { role: 'clerk' }]]);
    expect(s.state).toBe('accepted');
    expect(s.missingMaterials).toBeUndefined();
    expect(s.acceptedAt).toBe(at('2025-03-07'));
  });

  it('needs at least one missing item', () => {
    expect(act(dibao(), 'requestMaterials', { missing: [] }, 'clerk')).toMatchObject({
      code: 'INVALID_INPUT',
      message: '请至少列出一项缺少的材料',
    });
  });
});

describe('SM-7 / SM-8 not accepted and withdrawn need a written reason', () => {
  it.each(['notAccept', 'withdraw'] as const)('%s without a reason is refused; with one the case ends', (action) => {
    expect(act(dibao(), action, { reason: '   ' }, 'clerk')).toMatchObject({
      code: 'INVALID_INPUT',
      message: '请填写原因',
    });
    expect(act(dibao(), action, {}, 'clerk')).toMatchObject({ code: 'INVALID_INPUT', message: '请填写原因' });
    const r = act(dibao(), action, { reason: ' 非本乡镇户籍 ' }, 'clerk');
    expect(r.ok && r.snapshot).toMatchObject({ reason: '非本乡镇户籍', endedOn: '2025-03-03' });
    expect(r.ok && r.event.payload).toEqual({ reason: '非本乡镇户籍' });
  });
});

describe('SM-9 economic check', () => {
  it('a means-tested case cannot be investigated before the check is requested (逢进必核)', () => {
    expect(availableActions(accepted(dibao()), 'reviewer')).not.toContain('recordHomeVisit');
    expect(availableActions(accepted(dibao()), 'clerk')).toContain('requestEconomicCheck');
  });

  it('the result comes from the county (or a reviewer entering the paper result) once, not before the request', () => {
    let s = run(accepted(dibao()), '2025-03-03', [['requestEconomicCheck', undefined, { role: 'clerk' }]]);
    expect(s.economicCheck).toEqual({ requestedOn: '2025-03-03' });
    expect(
      act(
        s,
        'recordEconomicCheckResult',
        { finding: 'withinLimits', summary: '符合', resultOn: '2025-03-01' },
        'county',
      ),
    ).toMatchObject({
      code: 'INVALID_INPUT',
    });
    s = run(s, '2025-03-12', [
      ['recordEconomicCheckResult', { finding: 'exceedsLimits', summary: '名下有车辆' }, { role: 'county' }],
    ]);
    expect(s.economicCheck).toEqual({ requestedOn: '2025-03-03', resultOn: '2025-03-12', finding: 'exceedsLimits' });
    expect(
      act(s, 'recordEconomicCheckResult', { finding: 'withinLimits', summary: 'x' }, 'county', '2025-03-12'),
    ).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      message: '已录入核对结果，不能重复录入',
    });
  });

  it('temporary assistance may request a check but then must wait for its result before review', () => {
    let s = run(newCaseSnapshot('temporaryAssistance', 'expense'), '2025-03-03', [
      ['accept'],
      ['recordHomeVisit'],
      ['requestEconomicCheck'],
    ]);
    expect(act(s, 'townshipReview', { opinion: 'agree', note: '同意' }, 'reviewer')).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      message: '已申请的家庭经济状况核对尚无结果，不能审核',
    });
    s = run(s, '2025-03-05', [['recordEconomicCheckResult'], ['townshipReview']]);
    expect(s.state).toBe('townshipReviewed');
  });
});

describe('SM-10 home visit', () => {
  const investigating = () => run(accepted(dibao()), '2025-03-03', [['requestEconomicCheck']]);

  it('needs two different investigators and all five clears', () => {
    const one = act(
      investigating(),
      'recordHomeVisit',
      { ...FULL_VISIT, visitedOn: '2025-03-03', investigators: ['王调查'] },
      'reviewer',
    );
    expect(one).toMatchObject({ code: 'INVALID_INPUT', message: '入户调查至少需要两名调查人员' });
    const same = act(
      investigating(),
      'recordHomeVisit',
      { ...FULL_VISIT, visitedOn: '2025-03-03', investigators: ['王调查', '王调查'] },
      'reviewer',
    );
    expect(same).toMatchObject({ code: 'INVALID_INPUT', message: '调查人员不能重复' });
    const { employment: _dropped, ...fourClears } = FULL_VISIT.fiveClears;
    const four = act(
      investigating(),
      'recordHomeVisit',
      { ...FULL_VISIT, visitedOn: '2025-03-03', fiveClears: fourClears },
      'reviewer',
    );
    expect(four).toMatchObject({ code: 'INVALID_INPUT', message: '请填写就业状况清' });
  });

  it('cannot be dated in the future', () => {
    const r = act(investigating(), 'recordHomeVisit', { ...FULL_VISIT, visitedOn: '2025-03-04' }, 'reviewer');
    expect(r).toMatchObject({ code: 'INVALID_INPUT', message: '调查日期不能晚于今天' });
  });

  it('records the visit date and keeps the full record in the event', () => {
    const r = act(investigating(), 'recordHomeVisit', { ...FULL_VISIT, visitedOn: '2025-03-02' }, 'reviewer');
    expect(r.ok && r.snapshot.homeVisitOn).toBe('2025-03-02');
    expect(r.ok && r.event.payload).toMatchObject({
      investigators: ['王调查', '李调查'],
      fiveClears: FULL_VISIT.fiveClears,
    });
  });
});

describe('SM-12 … SM-14 public notice and objections', () => {
  const ready = () =>
    run(accepted(dibao()), '2025-03-03', [
      ['requestEconomicCheck'],
      ['recordEconomicCheckResult'],
      ['recordHomeVisit'],
    ]);

  it('SM-12 needs the check result and the home visit', () => {
    const noVisit = run(accepted(dibao()), '2025-03-03', [['requestEconomicCheck'], ['recordEconomicCheckResult']]);
    expect(act(noVisit, 'startNotice', {}, 'reviewer')).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      message: '尚未录入入户调查，不能开始公示',
    });
    expect(availableActions(noVisit, 'reviewer')).not.toContain('startNotice');
    expect(availableActions(ready(), 'reviewer')).toContain('startNotice');
  });

  it('SM-12 defaults to the item’s 7 days from today; shorter or before acceptance is refused', () => {
    const r = act(ready(), 'startNotice', {}, 'reviewer');
    expect(r.ok && [r.snapshot.noticeStart, r.snapshot.noticeEnd]).toEqual(['2025-03-03', '2025-03-09']);
    expect(act(ready(), 'startNotice', { startDate: '2025-03-04', endDate: '2025-03-09' }, 'reviewer')).toMatchObject({
      code: 'INVALID_INPUT',
      message: '公示期不得少于7天（至少到2025-03-10）',
    });
    expect(act(ready(), 'startNotice', { startDate: '2025-03-01' }, 'reviewer')).toMatchObject({
      message: '公示开始日期不能早于受理日期',
    });
    const longer = act(ready(), 'startNotice', { startDate: '2025-03-04', endDate: '2025-03-14' }, 'reviewer');
    expect(longer.ok && longer.snapshot.noticeEnd).toBe('2025-03-14');
  });

  it('SM-14 the notice can be closed only after its last day', () => {
    const s = run(ready(), '2025-03-03', [['startNotice']]);
    const early = act(s, 'completeNotice', {}, 'reviewer', '2025-03-09');
    expect(early).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      message: '公示期至2025-03-09结束，期满后才能确认公示无异议',
    });
    expect(availableActions(s, 'reviewer', at('2025-03-09'))).not.toContain('completeNotice');
    expect(availableActions(s, 'reviewer', at('2025-03-10'))).toContain('completeNotice');
    expect(act(s, 'completeNotice', {}, 'reviewer', '2025-03-10')).toMatchObject({
      ok: true,
      snapshot: { state: 'noticeCompleted' },
    });
  });

  it('SM-13 / SM-11 an objection voids the notice; only a democratic review sends the case back, then a full new notice', () => {
    let s = run(ready(), '2025-03-03', [['startNotice'], ['raiseObjection', undefined, { role: 'clerk' }]]);
    expect(s.state).toBe('objectionReview');
    expect(s.noticeStart).toBeUndefined();
    expect(availableActions(s, 'reviewer')).toEqual(
      expect.arrayContaining(['recordDemocraticReview', 'recordHomeVisit', 'reject']),
    );
    expect(act(s, 'startNotice', {}, 'reviewer')).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    s = run(s, '2025-03-06', [
      ['recordHomeVisit'],
      ['recordDemocraticReview', { heldOn: '2025-03-06', outcome: 'agree', summary: '经评议，异议不成立' }],
    ]);
    expect(s).toMatchObject({ state: 'investigating', democraticReview: { heldOn: '2025-03-06', outcome: 'agree' } });
    s = run(s, '2025-03-07', [['startNotice']]);
    expect([s.noticeStart, s.noticeEnd]).toEqual(['2025-03-07', '2025-03-13']);
  });
});

describe('SM-15 … SM-19 review, approval and refusal', () => {
  it('SM-16 a county-approved item is handed to the county; the township cannot approve it', () => {
    const s = run(dibaoPastNotice(), '2025-03-10', [['townshipReview']]);
    expect(availableActions(s, 'reviewer')).toEqual(expect.arrayContaining(['handOffToCounty', 'reject']));
    expect(availableActions(s, 'reviewer')).not.toContain('townshipApprove');
    expect(act(s, 'townshipApprove', { amountFen: 10_000 }, 'reviewer', '2025-03-10')).toMatchObject({
      message: '该事项由县级民政部门审批，请报县级审批',
    });
  });

  it('SM-16 where the county delegated approval, the township approves and cannot hand off', () => {
    const catalogue = [
      ItemDefinitionSchema.parse({
        ...ITEM_CATALOGUE.find((i) => i.code === 'homeCareService')!,
        approval: 'township',
      }),
    ];
    let s = newCaseSnapshot('homeCareService', undefined, catalogue);
    s = run(s, '2025-03-03', [['accept'], ['recordHomeVisit'], ['townshipReview']]);
    expect(act(s, 'handOffToCounty', {}, 'reviewer')).toMatchObject({ message: '该事项已委托乡镇审批，无需报县级' });
    expect(act(s, 'townshipApprove', { amountFen: 20_000 }, 'reviewer')).toMatchObject({
      ok: true,
      snapshot: { state: 'approved', decidedBy: 'township', amountFen: 20_000 },
    });
  });

  it('SM-16 temporary assistance: the township approves up to the limit, above it hands off to the county', () => {
    const s = run(newCaseSnapshot('temporaryAssistance', 'expense'), '2025-03-03', [
      ['accept'],
      ['recordHomeVisit'],
      ['townshipReview'],
    ]);
    expect(act(s, 'townshipApprove', { amountFen: 300_000 }, 'reviewer', '2025-03-03', 300_000)).toMatchObject({
      ok: true,
    });
    const over = act(s, 'townshipApprove', { amountFen: 300_001 }, 'reviewer', '2025-03-03', 300_000);
    expect(over).toMatchObject({
      code: 'INVALID_INPUT',
      message: '金额3,000.01元超过乡镇审批限额3,000.00元，请报县级审批',
    });
    expect(act(s, 'townshipApprove', { amountFen: 1 }, 'reviewer')).toMatchObject({
      message: '尚未设置乡镇审批限额，请报县级审批',
    });
    const handed = run(s, '2025-03-03', [['handOffToCounty'], ['countyApprove', { amountFen: 800_000 }]]);
    expect(handed).toMatchObject({ state: 'approved', decidedBy: 'county', amountFen: 800_000 });
    expect(handed.paymentStartMonth).toBeUndefined();
  });

  it('SM-17 a township review that disagrees cannot be approved by the township, but may be revised', () => {
    const s = run(newCaseSnapshot('temporaryAssistance', 'expense'), '2025-03-03', [
      ['accept'],
      ['recordHomeVisit'],
      ['townshipReview', { opinion: 'disagree', note: '不符合' }],
    ]);
    expect(act(s, 'townshipApprove', { amountFen: 100 }, 'reviewer', '2025-03-03', 300_000)).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
    const revised = run(s, '2025-03-04', [
      ['townshipReview', { opinion: 'agree', note: '补充材料后同意' }],
      ['townshipApprove', { amountFen: 100 }],
    ]);
    expect(revised.state).toBe('approved');
  });

  it('SM-18 county decisions are taken only by the county actor, with amount or reason', () => {
    const s = run(dibaoPastNotice(), '2025-03-10', [['townshipReview'], ['handOffToCounty']]);
    for (const role of ['clerk', 'reviewer', 'admin'] as const) {
      expect(act(s, 'countyApprove', { amountFen: 100 }, role, '2025-03-12')).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(act(s, 'countyApprove', { amountFen: 0 }, 'county', '2025-03-12')).toMatchObject({
      message: '批准金额必须大于0',
    });
    expect(act(s, 'countyApprove', { amountFen: 1.5 }, 'county', '2025-03-12')).toMatchObject({
      code: 'INVALID_INPUT',
      message: '金额必须精确到分',
    });
    expect(act(s, 'countyReject', { reason: '' }, 'county', '2025-03-12')).toMatchObject({ message: '请填写原因' });
    const rejected = act(
      s,
      'countyReject',
      { reason: '家庭财产超过规定', decidedOn: '2025-03-11' },
      'county',
      '2025-03-12',
    );
    expect(rejected.ok && rejected.snapshot).toMatchObject({
      state: 'rejected',
      decidedBy: 'county',
      decidedOn: '2025-03-11',
      endedOn: '2025-03-12',
    });
  });

  it('SM-19 the township may refuse with a written reason after the investigation', () => {
    const s = run(accepted(dibao()), '2025-03-03', [
      ['requestEconomicCheck'],
      ['recordEconomicCheckResult', { finding: 'exceedsLimits', summary: '有商品房两套' }],
    ]);
    const r = act(s, 'reject', { reason: '家庭财产超过规定' }, 'reviewer');
    expect(r.ok && r.snapshot).toMatchObject({ state: 'rejected', reason: '家庭财产超过规定', decidedBy: 'township' });
  });
});

describe('SM-20 urgent aid (先行救助)', () => {
  it('only for the urgent kind, within the limit, before the papers are complete', () => {
    const expense = newCaseSnapshot('temporaryAssistance', 'expense');
    expect(
      act(expense, 'urgentAid', { amountFen: 100, reason: '火灾' }, 'reviewer', '2025-03-03', 300_000),
    ).toMatchObject({
      message: '只有急难型临时救助可以先行救助',
    });
    const urgent = newCaseSnapshot('temporaryAssistance', 'urgent');
    expect(
      act(urgent, 'urgentAid', { amountFen: 300_001, reason: '火灾' }, 'reviewer', '2025-03-03', 300_000),
    ).toMatchObject({ code: 'INVALID_INPUT' });
    expect(act(urgent, 'urgentAid', { amountFen: 100, reason: '火灾' }, 'clerk', '2025-03-03', 300_000)).toMatchObject({
      code: 'FORBIDDEN',
    });
    const r = act(urgent, 'urgentAid', { amountFen: 200_000, reason: '房屋失火' }, 'reviewer', '2025-03-03', 300_000);
    expect(r.ok && r.snapshot).toMatchObject({
      state: 'urgentAided',
      urgentAidFen: 200_000,
      acceptedAt: at('2025-03-03'),
    });
    expect(r.ok && r.snapshot.deadlines.decisionDue).toBe('2025-03-17');
  });

  it('papers completed afterwards; the approved total cannot be less than what was already given', () => {
    let s = run(newCaseSnapshot('temporaryAssistance', 'urgent'), '2025-03-03', [
      ['urgentAid', { amountFen: 200_000, reason: '房屋失火' }],
    ]);
    s = run(s, '2025-03-05', [['recordHomeVisit'], ['townshipReview']]);
    expect(act(s, 'townshipApprove', { amountFen: 150_000 }, 'reviewer', '2025-03-05', 300_000)).toMatchObject({
      message: '批准金额不能少于已先行救助的2,000.00元',
    });
    s = run(s, '2025-03-05', [['townshipApprove', { amountFen: 250_000 }], ['startPayment']]);
    expect(s).toMatchObject({ state: 'closed', amountFen: 250_000, endedOn: '2025-03-05' });
  });
});

describe('SM-21 … SM-24 payment, re-check and ongoing management', () => {
  const approvedDibao = () =>
    run(dibaoPastNotice(), '2025-03-10', [
      ['townshipReview'],
      ['handOffToCounty'],
      ['countyApprove', { amountFen: 36_000 }],
    ]);

  it('SM-21 payment runs from the month after approval unless the decision names a later month', () => {
    expect(approvedDibao()).toMatchObject({
      state: 'approved',
      paymentStartMonth: '2025-04',
      recheckDue: '2026-04-01',
    });
    const s = run(dibaoPastNotice(), '2025-03-10', [['townshipReview'], ['handOffToCounty']]);
    expect(
      act(s, 'countyApprove', { amountFen: 100, paymentStartMonth: '2025-02' }, 'county', '2025-03-12'),
    ).toMatchObject({
      message: '起始发放月份不能早于批准当月',
    });
    const named = act(s, 'countyApprove', { amountFen: 100, paymentStartMonth: '2025-06' }, 'county', '2025-03-12');
    expect(named.ok && named.snapshot).toMatchObject({ paymentStartMonth: '2025-06', recheckDue: '2026-06-01' });
  });

  it('SM-21 a periodic benefit becomes active; a one-off one is closed when paid', () => {
    expect(run(approvedDibao(), '2025-04-01', [['startPayment']])).toMatchObject({
      state: 'active',
      paymentStartedOn: '2025-04-01',
    });
    const funeral = run(newCaseSnapshot('funeralFeeWaiver'), '2025-03-03', [
      ['accept'],
      ['townshipReview'],
      ['handOffToCounty'],
      ['countyApprove'],
      ['startPayment'],
    ]);
    expect(funeral.state).toBe('closed');
  });

  it('SM-21 a status-only item (低保边缘) is approved with amount 0 and nothing else', () => {
    let s = run(newCaseSnapshot('nearDibao'), '2025-03-03', [
      ['accept'],
      ['requestEconomicCheck'],
      ['recordEconomicCheckResult'],
      ['recordHomeVisit'],
      ['startNotice'],
    ]);
    s = run(s, '2025-03-10', [['completeNotice'], ['townshipReview'], ['handOffToCounty']]);
    expect(act(s, 'countyApprove', { amountFen: 100 }, 'county', '2025-03-10')).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(act(s, 'countyApprove', { amountFen: 0 }, 'county', '2025-03-10')).toMatchObject({ ok: true });
  });

  it('SM-22 a re-check moves the next due date on by the item’s interval; adjusting needs the new amount', () => {
    const s = run(approvedDibao(), '2025-04-01', [['startPayment']]);
    expect(
      act(
        s,
        'recordRecheck',
        { checkedOn: '2026-03-20', outcome: 'adjust', note: '收入增加' },
        'reviewer',
        '2026-03-20',
      ),
    ).toMatchObject({
      message: '调整待遇时请填写调整后的金额',
    });
    const r = act(
      s,
      'recordRecheck',
      { checkedOn: '2026-03-20', outcome: 'adjust', amountFen: 20_000, note: '收入增加' },
      'reviewer',
      '2026-03-20',
    );
    expect(r.ok && r.snapshot).toMatchObject({
      state: 'active',
      amountFen: 20_000,
      lastRecheckOn: '2026-03-20',
      recheckDue: '2027-03-20',
    });
  });

  it('SM-23 suspend, resume and terminate each need a reason; a terminated case is over', () => {
    let s = run(approvedDibao(), '2025-04-01', [['startPayment']]);
    expect(act(s, 'suspend', {}, 'reviewer', '2025-05-01')).toMatchObject({
      code: 'INVALID_INPUT',
      message: '请填写原因',
    });
    s = run(s, '2025-05-01', [['suspend', { reason: '外出务工，收入待核实' }]]);
    expect(s).toMatchObject({ state: 'suspended', reason: '外出务工，收入待核实' });
    expect(
      act(s, 'recordRecheck', samplePayload('recordRecheck', s, '2025-05-01'), 'reviewer', '2025-05-01'),
    ).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    s = run(s, '2025-06-01', [
      ['resume', { reason: '核实收入未超标' }],
      ['terminate', { reason: '家庭收入超过标准（应退尽退）' }, { role: 'county' }],
    ]);
    expect(s).toMatchObject({ state: 'terminated', endedOn: '2025-06-01' });
    expect(availableActions(s, 'admin')).toEqual([]);
  });

  it('SM-24 a service is completed and the case closed', () => {
    const s = run(newCaseSnapshot('homeAdaptation'), '2025-03-03', [
      ['accept'],
      ['recordHomeVisit'],
      ['townshipReview'],
      ['handOffToCounty'],
      ['countyApprove'],
      ['startPayment'],
    ]);
    expect(s.state).toBe('active');
    expect(s.recheckDue).toBeUndefined();
    expect(run(s, '2025-05-01', [['completeService', { summary: '扶手、防滑地面安装完毕' }]])).toMatchObject({
      state: 'closed',
      endedOn: '2025-05-01',
    });
  });
});

describe('SM-25 deadlines and overdue cases', () => {
  it('an accepted case is overdue the day after its decision deadline, not on it', () => {
    const s = accepted(dibao(), '2025-03-03');
    // 30 working days from Mon 3 Mar 2025, with 清明 4 Apr (Fri) off: Tue 15 Apr.
    expect(dueDate(s)).toBe('2025-04-15');
    expect(isOverdue(s, at('2025-04-15'))).toBe(false);
    expect(isOverdue(s, '2025-04-16')).toBe(true);
  });

  it('the clock keeps running through the notice; a decided case is no longer overdue', () => {
    const s = run(dibaoPastNotice(), '2025-03-10', [['townshipReview'], ['handOffToCounty']]);
    expect(isOverdue(s, '2025-05-01')).toBe(true);
    const approved = run(s, '2025-05-01', [['countyApprove']]);
    expect(dueDate(approved)).toBeUndefined();
    expect(isOverdue(approved, '2025-05-02')).toBe(false);
  });

  it('an active benefit is due at its re-check date', () => {
    const s = run(dibaoPastNotice(), '2025-03-10', [
      ['townshipReview'],
      ['handOffToCounty'],
      ['countyApprove'],
      ['startPayment'],
    ]);
    expect(dueDate(s)).toBe('2026-04-01');
    expect(isOverdue(s, '2026-04-02')).toBe(true);
  });

  it('not-yet-accepted cases have no deadline, and a malformed clock is a programming error', () => {
    expect(dueDate(dibao())).toBeUndefined();
    expect(() => isOverdue(dibao(), '3 March')).toThrow(RangeError);
  });
});
