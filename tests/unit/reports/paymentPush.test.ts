import { afterEach, describe, expect, it } from 'vitest';
import type { CaseAction } from '../../../shared/domain/caseMachine';
import { parseMutation } from '../../../shared/sync/mutations';
import { confirmRoster, generateRoster, postOneOffPayments } from '../../../main/core/reports/ledger';
import { SYSTEM_ACTOR } from '../../../main/core/services/audit';
import { readOutbox } from '../../../main/core/services/outbox';
import { write } from '../../../main/core/services/unitOfWork';
import { grantSteps, homeVisit, writeCase } from '../../../bench/lib/caseWriter';
import { must, openStation, registerHousehold, type Station } from '../cases/fixtures';

/**
 * The station side of `payment.record` (docs/sync-protocol.md SP-16): a payment is queued for the county in the
 * transaction that makes it final — the urgent-aid action itself, or the roster confirmation — exactly once.
 */
let s: Station | null = null;
afterEach(async () => {
  await s?.cleanup();
  s = null;
});

const payments = (st: Station) => readOutbox(st.core.db, 0, 10_000).filter((m) => m.name === 'payment.record');

describe('payment.record at the station (SP-16)', () => {
  it('urgent aid is posted and queued in the action’s own transaction; the catch-up finds nothing more', async () => {
    s = await openStation();
    const { head } = await registerHousehold(s.clerk);
    const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'temporaryAssistance', subKind: 'urgent', cause: 'fire' }));
    const before = payments(s).length;
    await must(s.reviewer.call('cases.act', { caseId: c.id, action: 'urgentAid', payload: { amountFen: 30_000, reason: '房屋失火', givenOn: '2025-03-01' } }));
    const row = s.core.db.prepare('SELECT kind, amount_fen, paid_on, confirmed FROM payments WHERE case_id = ?').all(c.id);
    expect(row).toEqual([{ kind: 'urgentAid', amount_fen: 30_000, paid_on: '2025-03-01', confirmed: 1 }]);
    const queued = payments(s).slice(before);
    expect(queued).toHaveLength(1);
    expect(queued[0]!.args).toMatchObject({ caseId: c.id, kind: 'urgentAid', amountFen: 30_000, paidOn: '2025-03-01', periodMonth: null, rosterId: null });
    // The mutation comes after the event that pays it, so the county has the case before the payment.
    const names = readOutbox(s.core.db, 0, 10_000).map((m) => m.name);
    expect(names.lastIndexOf('case.event')).toBeLessThan(names.lastIndexOf('payment.record'));
    expect(postOneOffPayments(s.core.db, SYSTEM_ACTOR)).toBe(0);
    expect(payments(s)).toHaveLength(before + 1);

    // Approval and payment of the remainder: the startPayment action posts approved − urgent aid, in its transaction.
    const act = (action: CaseAction, payload: Record<string, unknown>) => must(s!.reviewer.call('cases.act', { caseId: c.id, action, payload }));
    await act('recordHomeVisit', homeVisit('2025-03-05'));
    await act('townshipReview', { opinion: 'agree', note: '同意' });
    await act('townshipApprove', { amountFen: 80_000 });
    await act('startPayment', { startedOn: '2025-03-20' });
    const all = payments(s).slice(before);
    expect(all.map((q) => [(q.args as { kind: string }).kind, (q.args as { amountFen: number }).amountFen, (q.args as { paidOn: string }).paidOn])).toEqual([
      ['urgentAid', 30_000, '2025-03-01'],
      ['oneOff', 50_000, '2025-03-20'],
    ]);
    expect(postOneOffPayments(s.core.db, SYSTEM_ACTOR)).toBe(0);
  });

  it('a confirmed roster queues one payment.record per row; a draft queues none', async () => {
    s = await openStation();
    const { head, household } = await registerHousehold(s.clerk, [['1975-01-01', 'spouse']]);
    const db = s.core.db;
    db.transaction(() =>
      writeCase(db, { itemCode: 'dibao', subKind: 'rural', applicantId: head.id, householdId: household.id, createdOn: '2025-01-20', steps: grantSteps('dibao', { decidedOn: '2025-02-20', amountFen: 45_000 }) }),
    )();
    const clock = () => new Date('2025-04-05T02:00:00Z');
    const roster = write(db, SYSTEM_ACTOR, (tx) => generateRoster(tx, 'dibao', '2025-03'), clock);
    expect(roster.rowCount).toBe(1);
    expect(payments(s)).toHaveLength(0);
    write(db, SYSTEM_ACTOR, (tx) => confirmRoster(tx, roster.id), clock);
    const queued = payments(s);
    expect(queued.map((m) => m.args)).toEqual([
      expect.objectContaining({ kind: 'monthly', periodMonth: '2025-03', paidOn: '2025-03-01', amountFen: 45_000, persons: 2, rosterId: roster.id, sourceEventId: null }),
    ]);
    expect(parseMutation(1, 'payment.record', queued[0]!.args).ok).toBe(true);
  });

  it('the schema refuses a monthly row without its month and a one-off row without its event', () => {
    const base = { id: '01900000-0000-7000-8000-000000000001', caseId: '01900000-0000-7000-8000-000000000002', itemCode: 'dibao', paidOn: '2025-03-01', amountFen: 100, persons: 1 };
    const monthly = parseMutation(1, 'payment.record', { ...base, kind: 'monthly', periodMonth: null, rosterId: null, sourceEventId: null });
    expect(monthly).toMatchObject({ ok: false, message: expect.stringContaining('按月发放必须有所属月份和名册') });
    const oneOff = parseMutation(1, 'payment.record', { ...base, kind: 'oneOff', periodMonth: null, rosterId: null, sourceEventId: null });
    expect(oneOff).toMatchObject({ ok: false, message: expect.stringContaining('一次性发放必须注明来源办理记录') });
    expect(parseMutation(1, 'payment.record', { ...base, kind: 'urgentAid', periodMonth: null, rosterId: null, sourceEventId: base.id, amountFen: 0 }).ok).toBe(false);
  });
});
