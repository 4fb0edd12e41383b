import { expect, it } from 'vitest';
import { describeEachBackend, m, uuid } from './harness';

// docs/sync-protocol.md SP-12 (ownership), SP-24 (no poison pill), SP-25 (conflicts with county decisions).

describeEachBackend('ownership', (county) => {
  it('SP-12: records belong to the station that first pushed them; others are rejected NOT_OWNER', async () => {
    const c = county();
    const a = await c.station();
    const b = await c.station();
    const [personId, householdId, caseId, eventId] = [uuid(), uuid(), uuid(), uuid()];
    const pushedByA = await a.push([
      m.person(1, personId, { name: '王五' }),
      m.household(2, householdId),
      m.caseSave(3, caseId),
      m.caseEvent(4, caseId, { eventId }),
    ]);
    expect(pushedByA.body.results.every((r) => r.status === 'applied')).toBe(true);

    const ownPerson = uuid();
    const res = await b.push([
      m.person(1, personId, { name: '篡改' }),
      m.household(2, householdId, { address: '篡改' }),
      m.caseSave(3, caseId, { state: 'withdrawn' }),
      m.caseEvent(4, caseId),
      m.attachment(5, caseId, 'a'.repeat(64), 10),
      m.caseEvent(6, uuid(), { eventId }),
      m.person(7, ownPerson),
    ]);
    expect(res.status).toBe(200);
    expect(res.body.lastMutationId).toBe(7);
    expect(res.body.results.map((r) => r.code ?? r.status)).toEqual([
      'NOT_OWNER',
      'NOT_OWNER',
      'NOT_OWNER',
      'NOT_OWNER',
      'NOT_OWNER',
      'NOT_OWNER',
      'applied',
    ]);
    expect(res.body.results[0]!.message).toContain('其他工作站');

    const projA = (await c.admin('GET', `/admin/stations/${a.stationId}/projection`)).body;
    expect(projA.persons[personId].name).toBe('王五');
    expect(projA.households[householdId].address).toBeUndefined();
    expect(projA.cases[caseId].stationState).toBe('accepted');
    expect(Object.keys(projA.events)).toEqual([eventId]);
    expect(projA.attachments).toEqual([]);
    const projB = (await c.admin('GET', `/admin/stations/${b.stationId}/projection`)).body;
    expect(Object.keys(projB.persons)).toEqual([ownPerson]);
    // The event id that B tried to reuse on a case of its own did not create that case either.
    expect(Object.keys(projB.cases)).toEqual([]);
  });

  it('SP-12: a case first seen through an event or attachment is claimed by that station', async () => {
    const c = county();
    const a = await c.station();
    const b = await c.station();
    const caseId = uuid();
    expect((await a.push([m.attachment(1, caseId, 'b'.repeat(64), 5)])).body.results[0]!.status).toBe('applied');
    expect((await b.push([m.caseSave(1, caseId)])).body.results[0]!.code).toBe('NOT_OWNER');
    expect((await a.push([m.caseSave(2, caseId)])).body.results[0]!.status).toBe('applied');
    const kase = (await c.admin('GET', `/admin/cases/${caseId}`)).body;
    expect(kase.stationId).toBe(a.stationId);
    expect(kase.attachments).toMatchObject([{ sha256: 'b'.repeat(64), materialKey: 'idCard', uploaded: false }]);
  });
});

describeEachBackend('conflicts with county decisions', (county) => {
  async function decidedCase() {
    const c = county();
    const s = await c.station();
    const caseId = uuid();
    await s.push([m.caseSave(1, caseId, { householdIncomeFen: 80000 })]);
    const decided = await c.admin('POST', `/admin/cases/${caseId}/decision`, {
      outcome: 'approved',
      amountFen: 45000,
      paymentStartMonth: '2025-04',
      decidedBy: '县民政局 赵六',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.countyVersion).toBe(1);
    return { c, s, caseId };
  }

  it('SP-25: a stale station edit of a decided case becomes a conflict; the decision is never overwritten', async () => {
    const { c, s, caseId } = await decidedCase();
    const res = await s.push([m.caseSave(2, caseId, { householdIncomeFen: 120000, state: 'withdrawn' }, 0), m.person(3, uuid())]);
    expect(res.body.lastMutationId).toBe(3);
    expect(res.body.results[0]).toMatchObject({ id: 2, status: 'conflict', code: 'DECIDED_BY_COUNTY' });
    expect(res.body.results[1]!.status).toBe('applied');

    const kase = (await c.admin('GET', `/admin/cases/${caseId}`)).body;
    expect(kase.data.householdIncomeFen).toBe(80000);
    expect(kase.stationState).toBe('submitted');
    expect(kase.county).toMatchObject({ countyVersion: 1, decision: { outcome: 'approved', amountFen: 45000, paymentStartMonth: '2025-04' } });

    const conflicts = (await c.admin('GET', `/admin/conflicts?caseId=${caseId}`)).body.conflicts;
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      status: 'open',
      clientId: s.clientId,
      mutationId: 2,
      mutationName: 'case.save',
      baseCountyVersion: 0,
      countyVersion: 1,
      stationVersion: { id: caseId, data: { householdIncomeFen: 120000, state: 'withdrawn' } },
      countySnapshot: { countyVersion: 1, decision: { outcome: 'approved', amountFen: 45000 } },
    });
    // The station learns about it through pull as well.
    const outcomes = (await s.pullAll(null)).flatMap((p) => p.mutationResults);
    expect(outcomes).toContainEqual(expect.objectContaining({ id: 2, status: 'conflict', code: 'DECIDED_BY_COUNTY', recordId: caseId }));

    const resolved = await c.admin('POST', `/admin/conflicts/${conflicts[0].id}/resolve`, { resolution: 'keptCounty', resolvedBy: '审核人 钱七' });
    expect(resolved.status).toBe(204);
    expect((await c.admin('GET', `/admin/conflicts?caseId=${caseId}&status=open`)).body.conflicts).toHaveLength(0);
  });

  it('SP-25: a stale event on a decided case is a conflict too', async () => {
    const { c, s, caseId } = await decidedCase();
    const res = await s.push([m.caseEvent(2, caseId, { action: 'withdraw', toState: 'withdrawn', base: 0 })]);
    expect(res.body.results[0]!.status).toBe('conflict');
    expect((await c.admin('GET', `/admin/cases/${caseId}`)).body.events).toHaveLength(0);
  });

  it('SP-25: edits made after seeing the decision, and stale saves that change nothing, apply', async () => {
    const { c, s, caseId } = await decidedCase();
    const unchanged = await s.push([m.caseSave(2, caseId, { householdIncomeFen: 80000 }, 0)]);
    expect(unchanged.body.results[0]!.status).toBe('applied');
    const current = await s.push([
      m.caseSave(3, caseId, { householdIncomeFen: 80000, state: 'approved' }, 1),
      m.caseEvent(4, caseId, { action: 'startPayment', toState: 'paying', base: 1 }),
    ]);
    expect(current.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const kase = (await c.admin('GET', `/admin/cases/${caseId}`)).body;
    expect(kase.stationState).toBe('paying');
    expect(kase.county.decision.amountFen).toBe(45000);
  });

  it('SP-25: county writes to an undecided case (economic check) raise countyVersion but never conflict', async () => {
    const c = county();
    const s = await c.station();
    const caseId = uuid();
    await s.push([m.caseSave(1, caseId)]);
    const check = await c.admin('POST', `/admin/cases/${caseId}/economic-checks`, { result: 'pass', findings: '未发现车辆、房产', checkedBy: '核对中心' });
    expect(check.status).toBe(200);
    expect(check.body.countyVersion).toBe(1);
    const res = await s.push([m.caseSave(2, caseId, { state: 'investigating' }, 0)]);
    expect(res.body.results[0]!.status).toBe('applied');
    expect((await c.admin('GET', `/admin/cases/${caseId}`)).body.county.economicChecks).toMatchObject([{ result: 'pass', findings: '未发现车辆、房产' }]);
  });

  it('county decisions on a case no station has pushed, or with missing fields, are refused', async () => {
    const c = county();
    const missing = await c.admin('POST', `/admin/cases/${uuid()}/decision`, { outcome: 'rejected', reason: '收入超标', decidedBy: '赵六' });
    expect(missing.status).toBe(404);
    const s = await c.station();
    const caseId = uuid();
    await s.push([m.caseSave(1, caseId)]);
    const noReason = await c.admin('POST', `/admin/cases/${caseId}/decision`, { outcome: 'rejected', decidedBy: '赵六' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.message).toContain('reason');
    const badMonth = await c.admin('POST', `/admin/cases/${caseId}/decision`, { outcome: 'approved', amountFen: 1, paymentStartMonth: '2025-13', decidedBy: '赵六' });
    expect(badMonth.status).toBe(400);
    expect((await c.admin('GET', `/admin/cases/${caseId}`)).body.county).toMatchObject({ countyVersion: 0, decision: null });
  });
});
