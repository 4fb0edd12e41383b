import { expect, it } from 'vitest';
import type { CaseCountyData, PolicyStandard, TownshipLimit } from '../../../shared/sync/protocol';
import { describeEachBackend } from '../server/harness';
import { pushCase, staffFor } from './consoleClient';

// Approval inbox, decisions, economic checks, standards and stations through the console, and what reaches the
// station through pull (issue 5, deliverables 2-5 and 7; docs/sync-protocol.md SP-33).

describeEachBackend('console decisions flow to the station', (county) => {
  it('the inbox lists the case masked; viewing, revealing and deciding are audited; the approval reaches the station', async () => {
    const c = county();
    const { admin, approver } = await staffFor(c);
    const s = await c.station({ township: '东山乡' });
    const kase = await pushCase(s, { firstId: 1 });

    const inbox = await approver.request('GET', '/console/api/inbox');
    expect(inbox.status).toBe(200);
    const item = inbox.body.items.find((i: { caseId: string }) => i.caseId === kase.caseId);
    expect(item).toMatchObject({ applicantName: '张秀英', township: '东山乡', village: '东山村', perCapitaFen: 30_000, itemCode: 'dibao' });
    expect(item.applicantIdMasked).toBe(`${kase.idNumber.slice(0, 6)}********${kase.idNumber.slice(-4)}`);
    expect(JSON.stringify(inbox.body)).not.toContain(kase.idNumber);

    const dossier = await approver.request('GET', `/console/api/cases/${kase.caseId}`);
    expect(dossier.status).toBe(200);
    expect(JSON.stringify(dossier.body)).not.toContain(kase.idNumber);
    expect(dossier.body.household).toMatchObject({ village: '东山村', address: '东山村三组 12 号', perCapitaFen: 30_000 });
    expect(dossier.body.members).toHaveLength(1);
    expect(dossier.body.events.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['recordHomeVisit', 'recordDemocraticReview', 'startNotice', 'handOffToCounty']),
    );
    expect(dossier.body.materials[0]).toMatchObject({ key: 'application', received: true });
    expect(dossier.body.awaitingDecision).toBe(true);

    const revealed = await approver.request('POST', `/console/api/cases/${kase.caseId}/reveal`);
    expect(revealed.status).toBe(200);
    expect(revealed.body.applicant.idNumber).toBe(kase.idNumber);

    // Approve: 260.00 yuan a month from April.
    const bad = await approver.request('POST', `/console/api/cases/${kase.caseId}/decision`, { outcome: 'approved', amountFen: 26_000, paymentStartMonth: '2025-13' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('YYYY-MM');
    const ok = await approver.request('POST', `/console/api/cases/${kase.caseId}/decision`, { outcome: 'approved', amountFen: 26_000, paymentStartMonth: '2025-04' });
    expect(ok.status).toBe(200);
    const again = await approver.request('POST', `/console/api/cases/${kase.caseId}/decision`, { outcome: 'rejected', reason: '重复审批的尝试' });
    expect(again.status).toBe(400);
    expect(again.body.message).toContain('已作出县级决定');

    const pages = await s.pullAll(null);
    const county_ = pages.flatMap((p) => p.changes).find((ch) => ch.table === 'case_county' && ch.key === kase.caseId);
    const data = county_?.data as CaseCountyData;
    expect(data.decision).toMatchObject({ outcome: 'approved', amountFen: 26_000, paymentStartMonth: '2025-04', decidedBy: '王审批' });
    expect((await approver.request('GET', '/console/api/inbox')).body.items.some((i: { caseId: string }) => i.caseId === kase.caseId)).toBe(false);

    const audit = await admin.request('GET', `/console/api/audit?entityId=${kase.caseId}`);
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['case.view', 'idNumber.reveal', 'case.decide']));
    const decide = audit.body.entries.find((e: { action: string }) => e.action === 'case.decide');
    expect(decide).toMatchObject({ username: expect.stringMatching(/^approver-/), stationId: s.stationId, detail: { outcome: 'approved', amountFen: 26_000 } });
    expect(JSON.stringify(audit.body)).not.toContain(kase.idNumber);
    // Append-only: the database refuses to rewrite history.
    await expect(c.server.db.query(`UPDATE county_audit SET action = 'x' WHERE entity_id = $1`, [kase.caseId])).rejects.toThrow(/append-only/);
    await expect(c.server.db.query(`DELETE FROM county_audit`)).rejects.toThrow(/append-only/);
  });

  it('a rejection needs a written reason, which reaches the station', async () => {
    const c = county();
    const { approver } = await staffFor(c);
    const s = await c.station();
    const kase = await pushCase(s, { firstId: 1 });
    const noReason = await approver.request('POST', `/console/api/cases/${kase.caseId}/decision`, { outcome: 'rejected', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect((await c.admin('GET', `/admin/cases/${kase.caseId}`)).body.county.decision).toBeNull();
    const res = await approver.request('POST', `/console/api/cases/${kase.caseId}/decision`, { outcome: 'rejected', reason: '家庭存款超过规定标准' });
    expect(res.status).toBe(200);
    const change = (await s.pullAll(null)).flatMap((p) => p.changes).find((ch) => ch.table === 'case_county' && ch.key === kase.caseId);
    expect((change?.data as CaseCountyData).decision).toMatchObject({ outcome: 'rejected', reason: '家庭存款超过规定标准', amountFen: null });
  });

  it('a case the township has not handed over cannot be decided', async () => {
    const c = county();
    const { approver } = await staffFor(c);
    const s = await c.station();
    const kase = await pushCase(s, { firstId: 1, state: 'investigating' });
    const res = await approver.request('POST', `/console/api/cases/${kase.caseId}/decision`, { outcome: 'approved', amountFen: 100, paymentStartMonth: '2025-04' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('尚未由乡镇报县级审批');
  });

  it('economic-check requests are listed; the result flows back through pull', async () => {
    const c = county();
    const { checker, approver } = await staffFor(c);
    const s = await c.station();
    const kase = await pushCase(s, { firstId: 1, state: 'investigating' });
    const req = await s.push([
      {
        id: kase.nextId,
        name: 'case.event',
        args: { caseId: kase.caseId, eventId: crypto.randomUUID(), action: 'requestEconomicCheck', payload: { note: '请核对车辆和存款' }, at: '2025-03-02T10:00:00+08:00', fromState: 'accepted', toState: 'investigating', baseCountyVersion: 0 },
      },
    ]);
    expect(req.body.results[0].status).toBe('applied');
    const list = await checker.request('GET', '/console/api/checks');
    const row = list.body.checks.find((r: { caseId: string }) => r.caseId === kase.caseId);
    expect(row).toMatchObject({ pending: true, note: '请核对车辆和存款', applicantName: '张秀英' });

    expect((await approver.request('POST', `/console/api/cases/${kase.caseId}/economic-checks`, { finding: 'withinLimits', summary: 'x' })).status).toBe(403);
    const rec = await checker.request('POST', `/console/api/cases/${kase.caseId}/economic-checks`, { finding: 'exceedsLimits', summary: '名下有小型轿车一辆' });
    expect(rec.status).toBe(200);
    const after = await checker.request('GET', '/console/api/checks');
    expect(after.body.checks.some((r: { caseId: string }) => r.caseId === kase.caseId)).toBe(false);
    const change = (await s.pullAll(null)).flatMap((p) => p.changes).find((ch) => ch.table === 'case_county' && ch.key === kase.caseId);
    expect((change?.data as CaseCountyData).economicChecks).toEqual([
      expect.objectContaining({ result: 'fail', findings: '【收入或财产超过规定】名下有小型轿车一辆', checkedBy: '李核对' }),
    ]);
  });

  it('standards and the township limit are published to stations with their effective dates', async () => {
    const c = county();
    const { admin, approver } = await staffFor(c);
    const s = await c.station({ township: '西河镇' });
    expect((await approver.request('PUT', '/console/api/standards', { kind: 'dibao', areaClass: 'urban', amountFen: 80_000, effectiveFrom: '2026-01-01' })).status).toBe(403);
    const set = await admin.request('PUT', '/console/api/standards', { kind: 'dibao', areaClass: 'urban', amountFen: 80_000, effectiveFrom: '2026-01-01' });
    expect(set.status).toBe(200);
    const badDate = await admin.request('PUT', '/console/api/standards', { kind: 'dibao', areaClass: 'urban', amountFen: 80_000, effectiveFrom: '2026-02-30' });
    expect(badDate.status).toBe(400);
    const limit = await admin.request('PUT', `/console/api/townships/${encodeURIComponent('西河镇')}/temporary-assistance-limit`, { amountFen: 300_000, effectiveFrom: '2026-01-01' });
    expect(limit.status).toBe(200);
    const changes = (await s.pullAll(null)).flatMap((p) => p.changes);
    expect(changes.find((ch) => ch.table === 'policy_standard' && ch.key === 'dibao/urban/2026-01-01')?.data as PolicyStandard).toEqual({
      kind: 'dibao',
      areaClass: 'urban',
      amountFen: 80_000,
      effectiveFrom: '2026-01-01',
    });
    expect(changes.find((ch) => ch.table === 'township_limit')?.data as TownshipLimit).toEqual({ township: '西河镇', amountFen: 300_000, effectiveFrom: '2026-01-01' });
    const listed = await admin.request('GET', '/console/api/standards');
    expect(listed.body.townships).toContain('西河镇');
  });

  it('stations: enrol with a one-time code, see sync status, revoke', async () => {
    const c = county();
    const { admin } = await staffFor(c);
    const code = `E${Date.now() % 1_000_000}`;
    const created = await admin.request('POST', '/console/api/stations', { code, township: '南岭镇', name: '南岭镇民政办' });
    expect(created.status).toBe(201);
    const clientId = `client-${crypto.randomUUID()}`;
    const enrol = await fetch(`${c.url}/sync/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: created.body.enrolment.code, clientId }) });
    expect(enrol.status).toBe(200);
    const { credential } = (await enrol.json()) as { credential: string };
    const pull = () =>
      fetch(`${c.url}/sync/v1/pull`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
        body: JSON.stringify({ protocolVersion: 1, clientId, cursor: null, pendingCount: 7 }),
      });
    expect((await pull()).status).toBe(200);
    const listed = (await admin.request('GET', '/console/api/stations')).body.stations.find((x: { code: string }) => x.code === code);
    expect(listed).toMatchObject({ township: '南岭镇', activeCredentials: 1, pendingCount: 7, failedCount: 0 });
    expect(listed.lastSyncAt).not.toBeNull();
    const revoked = await admin.request('POST', `/console/api/stations/${created.body.station.id}/revoke`);
    expect(revoked.body).toEqual({ revokedCredentials: 1 });
    expect((await pull()).status).toBe(401);
    const fresh = await admin.request('POST', `/console/api/stations/${created.body.station.id}/enrolment-codes`);
    expect(fresh.status).toBe(201);
    expect(fresh.body.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });
});
