import { expect, it } from 'vitest';
import type { DuplicateFlag, PullResponse } from '../../../shared/sync/protocol';
import { describeEachBackend, m, type TestStation } from '../server/harness';
import { newIdNumber, pushCase, staffFor } from './consoleClient';

// County-wide duplicate check (issue 5, deliverable 6; docs/sync-protocol.md SP-38): the same ID number with an
// open or active case of the same item at two stations is flagged in the console and returned to both stations.

async function pulledFlags(s: TestStation): Promise<Map<string, DuplicateFlag | null>> {
  const flags = new Map<string, DuplicateFlag | null>();
  const pages: PullResponse[] = await s.pullAll(null);
  for (const ch of pages.flatMap((p) => p.changes)) if (ch.table === 'duplicate_flag') flags.set(ch.key, ch.data);
  return flags;
}

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeEachBackend('county-wide duplicate check', (county) => {
  it('the same person with an open dibao case at two stations is flagged in the console and pulled by both', async () => {
    const c = county();
    const { approver } = await staffFor(c);
    const a = await c.station({ township: '东山乡' });
    const b = await c.station({ township: '西河镇' });
    const idNumber = newIdNumber();
    const caseA = await pushCase(a, { firstId: 1, idNumber, caseNumber: '430102202503010001' });
    const caseB = await pushCase(b, { firstId: 1, idNumber, state: 'investigating', caseNumber: '430103202503020002' });
    // A different item for the same person, and another person with the same item, are not duplicates.
    const other = await pushCase(b, { firstId: caseB.nextId, idNumber, itemCode: 'medicalAssistance', state: 'investigating' });
    const last = await pushCase(b, { firstId: other.nextId, state: 'investigating' });

    // The push schedules the check; both stations receive their flag without anyone opening the console.
    const flagsA = await eventually(() => pulledFlags(a), (f) => f.size > 0);
    const flagsB = await pulledFlags(b);
    expect([...flagsA.keys()]).toEqual([caseA.caseId]);
    expect(flagsA.get(caseA.caseId)).toMatchObject({ itemCode: 'dibao', others: [{ caseId: caseB.caseId, stationCode: b.code, township: '西河镇', caseNumber: '430103202503020002' }] });
    expect([...flagsB.keys()]).toEqual([caseB.caseId]);
    expect(flagsB.get(caseB.caseId)?.others[0]).toMatchObject({ stationCode: a.code, caseNumber: '430102202503010001' });
    // Neither station learns the other's applicant data.
    expect(JSON.stringify([...flagsA.values()])).not.toContain(idNumber);

    const dup = await approver.request('GET', '/console/api/duplicates');
    expect(dup.status).toBe(200);
    const group = dup.body.groups.find((g: { cases: { caseId: string }[] }) => g.cases.some((x) => x.caseId === caseA.caseId));
    expect(group.itemCode).toBe('dibao');
    expect(group.idNumberMasked).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
    expect(group.cases.map((x: { stationCode: string }) => x.stationCode).sort()).toEqual([a.code, b.code].sort());
    expect(JSON.stringify(dup.body)).not.toContain(idNumber);
    const inbox = await approver.request('GET', '/console/api/inbox');
    expect(inbox.body.items.find((i: { caseId: string }) => i.caseId === caseA.caseId).duplicate).toBe(true);

    // Station B's case is withdrawn: the flag is withdrawn at both stations.
    const withdrawn = await b.push([m.caseSave(last.nextId, caseB.caseId, { applicantId: caseB.personId, state: 'withdrawn' })]);
    expect(withdrawn.body.results[0]!.status).toBe('applied');
    const cleared = await eventually(() => pulledFlags(a), (f) => f.get(caseA.caseId) === null);
    expect(cleared.get(caseA.caseId)).toBeNull();
    // A full snapshot replays the delete (a tombstone, SP-35).
    expect((await pulledFlags(b)).get(caseB.caseId)).toBeNull();
  });
});
