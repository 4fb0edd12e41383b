import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyAuditChain } from '../../../main/core/services/audit';
import { write } from '../../../main/core/services/unitOfWork';
import { applyChange, COUNTY_ACTOR } from '../../../main/core/sync/county';
import { CASE_NUMBER_RE } from '../../../shared/schemas/cases';
import { counts, DIBAO_REQUIRED, must, openStation, PNG_1x1, registerHousehold, type Station } from './fixtures';

const stations: Station[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const s of stations.splice(0)) await s.cleanup();
});
async function station() {
  const s = await openStation();
  stations.push(s);
  return s;
}
/** Moves the clock; the staff were at their desks meanwhile (no idle lock). */
function travel(s: Station, iso: string) {
  vi.setSystemTime(new Date(iso));
  for (const c of [s.admin, s.clerk, s.reviewer]) c.session.lastActivityAt = Date.now();
}
const outboxNames = (s: Station, afterId = 0) =>
  (s.core.db.prepare('SELECT name FROM outbox WHERE id > ? ORDER BY id').all(afterId) as { name: string }[]).map((r) => r.name);
const lastOutboxId = (s: Station) => (s.core.db.prepare('SELECT coalesce(max(id), 0) AS n FROM outbox').get() as { n: number }).n;
const lastAudit = (s: Station) =>
  s.core.db.prepare('SELECT action, entity_id, changes FROM audit_log ORDER BY seq DESC LIMIT 1').get() as {
    action: string;
    entity_id: string;
    changes: string;
  };

describe('cases.create', () => {
  it('registers an application with its checklist, a timeline entry, one audit entry and case.save + case.event', async () => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk, [['1972-03-01', 'spouse']]);
    const before = counts(s.core);
    const mark = lastOutboxId(s);
    const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    expect(c.caseNumber).toMatch(CASE_NUMBER_RE);
    expect(c.caseNumber.startsWith('430102001')).toBe(true);
    expect(c.caseNumber.endsWith('0001')).toBe(true);
    expect(c.state).toBe('submitted');
    expect(c.subKind).toBe('rural'); // follows the household's registration
    expect(c.materials.length).toBe(11);
    expect(c.missingRequired.length).toBe(8);
    expect(c.events.map((e) => e.actionLabel)).toEqual(['登记申请']);
    expect(c.availableActions).toEqual(expect.arrayContaining(['accept', 'requestMaterials', 'notAccept']));
    const after = counts(s.core);
    expect(after.cases - before.cases).toBe(1);
    expect(after.materials - before.materials).toBe(11);
    expect(after.events - before.events).toBe(1);
    // the create entry + the view of the detail that follows
    expect(outboxNames(s, mark)).toEqual(['case.save', 'case.event']);
    const audit = s.core.db.prepare(`SELECT action FROM audit_log WHERE entity_id = ? ORDER BY seq`).all(c.id) as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['case.create']);
    const second = await must(s.clerk.call('cases.create', { applicantId: (await registerHousehold(s.clerk)).head.id, itemCode: 'dibao' }));
    expect(second.caseNumber.endsWith('0002')).toBe(true);
    expect(verifyAuditChain(s.core.db).ok).toBe(true);
  });

  it.each([
    ['an unknown item', { itemCode: 'lottery' }, 'INVALID_INPUT'],
    ['a sub-kind the item does not have', { itemCode: 'dibao', subKind: 'suburban' }, 'INVALID_INPUT'],
    ['temporary assistance without a cause', { itemCode: 'temporaryAssistance', subKind: 'urgent' }, 'INVALID_INPUT'],
    ['a cause not in the list', { itemCode: 'temporaryAssistance', subKind: 'urgent', cause: 'lottery' }, 'INVALID_INPUT'],
  ])('refuses %s and writes nothing', async (_l, extra, code) => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    const before = counts(s.core);
    const r = await s.clerk.raw('cases.create', { applicantId: head.id, ...extra });
    expect(r).toMatchObject({ ok: false, code });
    expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(counts(s.core)).toEqual(before);
  });

  it('refuses an unknown applicant, and a dibao application without a registered household', async () => {
    const s = await station();
    const lone = await must(
      s.clerk.call('people.savePerson', { idNumber: '11010519491231002X', name: '独自一人', hukou: 'urban', workAbility: 'full', health: 'healthy' }),
    );
    const before = counts(s.core);
    expect(await s.clerk.raw('cases.create', { applicantId: '01900000-0000-7000-8000-000000000000', itemCode: 'dibao' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    const r = await s.clerk.raw('cases.create', { applicantId: lone.id, itemCode: 'dibao' });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(r.message).toContain('家庭');
    expect(counts(s.core)).toEqual(before);
    // medical assistance is personal: no household needed
    expect((await s.clerk.call('cases.create', { applicantId: lone.id, itemCode: 'medicalAssistance' })).ok).toBe(true);
  });

  it('refuses callers who are not signed in', async () => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    await must(s.clerk.call('auth.signOut', {}));
    expect(await s.clerk.raw('cases.create', { applicantId: head.id, itemCode: 'dibao' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });
});

describe('no double benefits', () => {
  it('warns with NEEDS_REASON and the existing case number, for the applicant and for another member of the household', async () => {
    const s = await station();
    const { head, others } = await registerHousehold(s.clerk, [['1975-01-01', 'spouse']]);
    const first = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    for (const applicantId of [head.id, others[0]!.id]) {
      const before = counts(s.core);
      const r = await s.clerk.call('cases.create', { applicantId, itemCode: 'dibao' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.code).toBe('NEEDS_REASON');
      expect(r.message).toContain(first.caseNumber);
      expect((r.details as { existing: { caseNumber: string }[] }).existing[0]!.caseNumber).toBe(first.caseNumber);
      expect(counts(s.core)).toEqual(before);
    }
    // another item is not a double benefit
    expect((await s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'medicalAssistance' })).ok).toBe(true);
  });

  it('goes ahead with a written reason, stored on the case and in the audit entry', async () => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    const first = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    expect(await s.clerk.raw('cases.create', { applicantId: head.id, itemCode: 'dibao', duplicateReason: '短' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    const second = await must(
      s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao', duplicateReason: '原案件材料遗失，重新申请' }),
    );
    expect(second.duplicateReason).toBe('原案件材料遗失，重新申请');
    const audit = lastAudit(s);
    expect(audit.action).toBe('case.create');
    expect(JSON.parse(audit.changes)).toMatchObject({
      duplicateReason: [null, '原案件材料遗失，重新申请'],
      duplicateOf: [null, [first.caseNumber]],
    });
  });

  it('an ended case does not count, but temporary assistance is once per cause per year', async () => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    const d = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    await must(s.clerk.call('cases.act', { caseId: d.id, action: 'notAccept', payload: { reason: '户籍不在本乡镇' } }));
    expect((await s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' })).ok).toBe(true);

    const fire = { applicantId: head.id, itemCode: 'temporaryAssistance' as const, subKind: 'expense', cause: 'fire' };
    const t = await must(s.clerk.call('cases.create', fire));
    await must(s.clerk.call('cases.act', { caseId: t.id, action: 'accept', payload: { materialsReceived: ['applicationForm', 'idCard', 'honestyCommitment', 'hardshipProof'] } }));
    const visit = {
      visitedOn: '',
      investigators: ['李审核', '张村干'],
      fiveClears: { householdMembers: '1人', income: '无', hardshipCause: '火灾', difficulties: '住房烧毁', employment: '务农' },
      summary: '属实',
    };
    visit.visitedOn = (await must(s.clerk.call('cases.get', { id: t.id }))).events[1]!.at.slice(0, 10);
    await must(s.reviewer.call('cases.act', { caseId: t.id, action: 'recordHomeVisit', payload: visit }));
    await must(s.reviewer.call('cases.act', { caseId: t.id, action: 'townshipReview', payload: { opinion: 'agree', note: '同意' } }));
    // above the county-set township limit (demo: 3,000 yuan) the township must hand the case on
    expect(await s.reviewer.raw('cases.act', { caseId: t.id, action: 'townshipApprove', payload: { amountFen: 500_000 } })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    await must(s.reviewer.call('cases.act', { caseId: t.id, action: 'townshipApprove', payload: { amountFen: 150_000 } }));
    const paid = await must(s.reviewer.call('cases.act', { caseId: t.id, action: 'startPayment', payload: {} }));
    expect(paid.state).toBe('closed');
    const again = await s.clerk.call('cases.create', fire);
    expect(again).toMatchObject({ ok: false, code: 'NEEDS_REASON' });
    if (!again.ok) expect((again.details as { existing: { why: string }[] }).existing[0]!.why).toBe('sameCauseThisYear');
    expect((await s.clerk.call('cases.create', { ...fire, cause: 'traffic' })).ok).toBe(true);
  });
});

describe('the counter: accept, one-time notice, not accepted', () => {
  it('accept refuses while required materials are missing, naming them, and changes nothing', async () => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    const before = counts(s.core);
    const r = await s.clerk.raw('cases.act', { caseId: c.id, action: 'accept', payload: { materialsReceived: ['applicationForm', 'idCard'] } });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(r.message).toContain('诚信承诺书');
    expect(counts(s.core)).toEqual(before);
    const detail = await must(s.clerk.call('cases.get', { id: c.id }));
    expect(detail.state).toBe('submitted');
    expect(detail.materials.filter((m) => m.received)).toEqual([]);
  });

  it('the one-time notice lists exactly the required materials not yet ticked or scanned', async () => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    await must(s.clerk.call('cases.setMaterials', { caseId: c.id, received: ['applicationForm', 'idCard', 'householdRegister', 'bankAccount'] }));
    const mark = lastOutboxId(s);
    const after = await must(s.clerk.call('cases.act', { caseId: c.id, action: 'requestMaterials', payload: { missing: ['随便写的'] } }));
    expect(after.state).toBe('awaitingMaterials');
    expect(after.snapshot.missingMaterials).toEqual(['共同生活家庭成员身份证', '家庭经济状况核对授权书（家庭成员签字）', '诚信承诺书（双承诺）', '家庭收入情况说明', '家庭财产情况说明']);
    expect(outboxNames(s, mark)).toEqual(['case.event', 'case.save']);
    expect(lastAudit(s).action).toBe('case.requestMaterials');
    // once everything is in, accepting works and the notice is cleared
    const done = await must(s.clerk.call('cases.act', { caseId: c.id, action: 'accept', payload: { materialsReceived: DIBAO_REQUIRED } }));
    expect(done.state).toBe('accepted');
    expect(done.snapshot.missingMaterials).toBeUndefined();
    expect(done.missingRequired).toEqual([]);
    expect(done.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // nothing left to notify: the notice is refused
    expect(await s.clerk.raw('cases.act', { caseId: c.id, action: 'requestMaterials', payload: {} })).toMatchObject({ ok: false });
  });

  it('不予受理 needs a written reason', async () => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    const before = counts(s.core);
    expect(await s.clerk.raw('cases.act', { caseId: c.id, action: 'notAccept', payload: { reason: '  ' } })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(counts(s.core)).toEqual(before);
    const done = await must(s.clerk.call('cases.act', { caseId: c.id, action: 'notAccept', payload: { reason: '户籍不在本乡镇' } }));
    expect(done.state).toBe('notAccepted');
    expect(done.availableActions).toEqual([]);
  });

  it('refuses a stale form (CONFLICT) and an action the state does not allow (ILLEGAL_TRANSITION)', async () => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    expect(await s.clerk.raw('cases.act', { caseId: c.id, action: 'startPayment', payload: {} })).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    await must(s.clerk.call('cases.setMaterials', { caseId: c.id, received: DIBAO_REQUIRED }));
    expect(
      await s.clerk.raw('cases.act', { caseId: c.id, action: 'accept', payload: {}, expectedVersion: c.version }),
    ).toMatchObject({ ok: false, code: 'CONFLICT' });
  });
});

describe('roles and the whole dibao procedure', () => {
  const HOME_VISIT = {
    visitedOn: '2026-03-03',
    investigators: ['李审核', '张村干'],
    fiveClears: { householdMembers: '4人', income: '务农', hardshipCause: '残疾', difficulties: '医疗支出', employment: '务农' },
    summary: '情况属实',
  };

  it('a clerk cannot take a reviewer step (FORBIDDEN, not offered), the reviewer can; overdue follows working days', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-02T09:00:00+08:00'));
    const s = await station();
    const { head } = await registerHousehold(s.clerk, [['1972-01-01', 'spouse'], ['2012-06-01', 'child'], ['1948-02-02', 'parent', true]]);
    const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    const accepted = await must(s.clerk.call('cases.act', { caseId: c.id, action: 'accept', payload: { materialsReceived: DIBAO_REQUIRED } }));
    expect(accepted.dueDate).toBe('2026-04-14'); // 30 working days after 2 March 2026 (Qingming 4-6 April off)
    const checked = await must(s.clerk.call('cases.act', { caseId: c.id, action: 'requestEconomicCheck', payload: {} }));
    expect(checked.state).toBe('investigating');
    expect(checked.availableActions).not.toContain('recordHomeVisit');

    const before = counts(s.core);
    const refused = await s.clerk.raw('cases.act', { caseId: c.id, action: 'recordHomeVisit', payload: HOME_VISIT });
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(refused.message).toContain('乡镇审核人');
    expect(counts(s.core)).toEqual(before);

    travel(s, '2026-03-04T10:00:00+08:00');
    const asReviewer = await must(s.reviewer.call('cases.get', { id: c.id }));
    expect(asReviewer.availableActions).toEqual(expect.arrayContaining(['recordEconomicCheckResult', 'recordHomeVisit']));
    await must(s.reviewer.call('cases.act', { caseId: c.id, action: 'recordEconomicCheckResult', payload: { finding: 'withinLimits', summary: '符合' } }));
    await must(s.reviewer.call('cases.act', { caseId: c.id, action: 'recordHomeVisit', payload: HOME_VISIT }));
    const notice = await must(s.reviewer.call('cases.act', { caseId: c.id, action: 'startNotice', payload: { place: '石桥村村务公开栏' } }));
    expect(notice.state).toBe('inNotice');
    expect(notice.snapshot).toMatchObject({ noticeStart: '2026-03-04', noticeEnd: '2026-03-10' });
    expect(await s.reviewer.raw('cases.act', { caseId: c.id, action: 'completeNotice', payload: {} })).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });

    travel(s, '2026-03-11T09:00:00+08:00');
    await must(s.reviewer.call('cases.act', { caseId: c.id, action: 'completeNotice', payload: {} }));
    expect(await s.clerk.raw('cases.act', { caseId: c.id, action: 'townshipReview', payload: { opinion: 'agree', note: '同意' } })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    const reviewed = await must(s.reviewer.call('cases.act', { caseId: c.id, action: 'townshipReview', payload: { opinion: 'agree', note: '同意上报' } }));
    expect(reviewed.state).toBe('townshipReviewed');
    expect(reviewed.events.map((e) => e.action)).toEqual([
      'create',
      'accept',
      'requestEconomicCheck',
      'recordEconomicCheckResult',
      'recordHomeVisit',
      'startNotice',
      'completeNotice',
      'townshipReview',
    ]);
    expect(reviewed.events.find((e) => e.action === 'recordHomeVisit')!.actorName).toBe('李审核');
    // dibao is the county's decision: the township cannot approve it, only hand it on
    expect(reviewed.availableActions).toContain('handOffToCounty');
    expect(reviewed.availableActions).not.toContain('townshipApprove');
    expect(reviewed.overdue).toBe(false);

    travel(s, '2026-04-15T09:00:00+08:00');
    const late = await must(s.reviewer.call('cases.list', { overdue: true }));
    expect(late.items.map((i) => i.caseNumber)).toEqual([c.caseNumber]);
    expect(late.items[0]!.applicantIdMasked).toMatch(/^430102\*{8}\d{3}[\dX]$/);
    expect(verifyAuditChain(s.core.db).ok).toBe(true);
    // every action left exactly one case.event in the outbox
    const events = s.core.db.prepare(`SELECT args FROM outbox WHERE name = 'case.event'`).all() as { args: string }[];
    expect(events.map((e) => (JSON.parse(e.args) as { action: string }).action)).toEqual(reviewed.events.map((e) => e.action));
  });

  it('lists by state and item, and finds a case by the tail of its number', async () => {
    const s = await station();
    const a = await registerHousehold(s.clerk);
    const b = await registerHousehold(s.clerk);
    const ca = await must(s.clerk.call('cases.create', { applicantId: a.head.id, itemCode: 'dibao' }));
    await must(s.clerk.call('cases.create', { applicantId: b.head.id, itemCode: 'medicalAssistance' }));
    expect((await must(s.clerk.call('cases.list', {}))).total).toBe(2);
    expect((await must(s.clerk.call('cases.list', { itemCode: 'dibao' }))).items.map((i) => i.id)).toEqual([ca.id]);
    expect((await must(s.clerk.call('cases.list', { query: ca.caseNumber.slice(-6) }))).items.map((i) => i.id)).toEqual([ca.id]);
    expect((await must(s.clerk.call('cases.list', { state: 'accepted' }))).total).toBe(0);
    expect((await must(s.clerk.call('cases.list', { group: 'open' }))).total).toBe(2);
  });
});

describe('one transaction per use case', () => {
  it.each(['outbox', 'audit_log'])('when writing to %s fails, the case, its events and its materials are not written either', async (table) => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    await must(s.clerk.call('cases.setMaterials', { caseId: c.id, received: DIBAO_REQUIRED }));
    const other = await registerHousehold(s.clerk);
    s.core.db.exec(`CREATE TRIGGER fail_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const before = counts(s.core);
    const seqBefore = s.core.db.prepare('SELECT * FROM case_number_seq').all();
    const calls = [
      s.clerk.raw('cases.create', { applicantId: other.head.id, itemCode: 'medicalAssistance' }),
      s.clerk.raw('cases.act', { caseId: c.id, action: 'accept', payload: {} }),
      s.clerk.raw('cases.setMaterials', { caseId: c.id, received: [] }),
      s.clerk.raw('materials.attach', { caseId: c.id, materialKey: 'idCard', fileName: 'id.png', dataBase64: PNG_1x1.toString('base64') }),
    ];
    for (const r of await Promise.all(calls)) expect(r).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(counts(s.core)).toEqual(before);
    expect(s.core.db.prepare('SELECT * FROM case_number_seq').all()).toEqual(seqBefore);
    const row = s.core.db.prepare('SELECT state, version FROM cases WHERE id = ?').get(c.id);
    expect(row).toEqual({ state: 'submitted', version: c.version + 1 });
  });
});

describe('county duplicate flags (docs/sync-protocol.md SP-38)', () => {
  it('a pulled flag shows on the case with the other station, and disappears when the county withdraws it', async () => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    expect((await must(s.clerk.call('cases.get', { id: c.id }))).countyDuplicates).toEqual([]);
    const other = { caseId: '0193b9c4-0000-7000-8000-000000000001', stationCode: '430103002', township: '西河镇', caseNumber: '430103002202503020002', state: 'investigating' };
    write(s.core.db, COUNTY_ACTOR, (tx) =>
      applyChange(tx, { table: 'duplicate_flag', op: 'upsert', key: c.id, data: { caseId: c.id, itemCode: 'dibao', others: [other], flaggedAt: '2025-03-02T08:00:00.000Z' } }),
    );
    const flagged = await must(s.clerk.call('cases.get', { id: c.id }));
    // The station learns where to ask, not the other station's internal case id.
    expect(flagged.countyDuplicates).toEqual([{ stationCode: '430103002', township: '西河镇', caseNumber: '430103002202503020002', state: 'investigating' }]);
    write(s.core.db, COUNTY_ACTOR, (tx) => applyChange(tx, { table: 'duplicate_flag', op: 'delete', key: c.id, data: null }));
    expect((await must(s.clerk.call('cases.get', { id: c.id }))).countyDuplicates).toEqual([]);
  });
});
