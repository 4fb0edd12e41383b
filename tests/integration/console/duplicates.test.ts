import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { DuplicateFlag, PullResponse } from '../../../shared/sync/protocol';
import { refreshDuplicateFlags } from '../../../server/services/console/duplicates';
import { applyPush } from '../../../server/services/push';
import { authenticate, type SyncPrincipal } from '../../../server/services/stations';
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

  it('SP-38: a check limited to what pushes touched leaves nothing for a full recompute to change', async () => {
    const c = county();
    const db = c.server.db;
    // Stations are made over HTTP (which asks for a full run); then everything goes straight to applyPush, so that no
    // background run can repair what a limited run might have missed.
    const stations: { who: SyncPrincipal; next: number }[] = [];
    for (const township of ['东山乡', '西河镇', '南湖镇']) {
      const s = await c.station({ township });
      stations.push({ who: (await authenticate(db, s.credential))!, next: 1 });
    }
    await new Promise((r) => setTimeout(r, 1500));
    await refreshDuplicateFlags(db);

    // mulberry32, seeded: the same scenario on every run.
    let seed = 20261124;
    const rand = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const pool = [newIdNumber(), newIdNumber(), newIdNumber()];
    const cases: { station: number; caseId: string; personId: string; item: string; state: string }[] = [];
    const persons = new Map<string, { station: number; idNumber: string }>();
    const push = async (station: number, build: (id: number) => { id: number; name: string; args: unknown }[]) => {
      const st = stations[station]!;
      const mutations = build(st.next);
      st.next += mutations.length;
      const res = await applyPush(db, st.who, { mutations });
      expect(res.results.every((r) => r.status === 'applied')).toBe(true);
    };
    const saveCase = (k: (typeof cases)[number]) => (id: number) => [m.caseSave(id, k.caseId, { applicantId: k.personId, itemCode: k.item, state: k.state })];

    let raised = 0;
    let withdrawn = 0;
    for (let step = 0; step < 30; step++) {
      const touched = { caseIds: [] as string[], personIds: [] as string[] };
      const op = cases.length < 4 ? 0 : rand(4);
      if (op === 0) {
        const k = { station: rand(3), caseId: randomUUID(), personId: randomUUID(), item: ['dibao', 'medicalAssistance'][rand(2)]!, state: 'investigating' };
        const idNumber = pool[rand(pool.length)]!;
        persons.set(k.personId, { station: k.station, idNumber });
        cases.push(k);
        await push(k.station, (id) => [m.person(id, k.personId, { idNumber }), ...saveCase(k)(id + 1)]);
        touched.caseIds.push(k.caseId);
        touched.personIds.push(k.personId);
      } else if (op === 1) {
        // An applicant's ID number is corrected at the station.
        const k = cases[rand(cases.length)]!;
        const p = persons.get(k.personId)!;
        p.idNumber = pool[rand(pool.length)]!;
        await push(p.station, (id) => [m.person(id, k.personId, { idNumber: p.idNumber })]);
        touched.personIds.push(k.personId);
      } else {
        // A case closes, reopens or changes item.
        const k = cases[rand(cases.length)]!;
        if (op === 2) k.state = k.state === 'withdrawn' ? 'investigating' : 'withdrawn';
        else k.item = k.item === 'dibao' ? 'medicalAssistance' : 'dibao';
        await push(k.station, saveCase(k));
        touched.caseIds.push(k.caseId);
      }
      const limited = await refreshDuplicateFlags(db, touched);
      raised += limited.raised;
      withdrawn += limited.withdrawn;
      expect(await refreshDuplicateFlags(db), `step ${step}`).toEqual({ raised: 0, changed: 0, withdrawn: 0 });
    }
    // The scenario did exercise the check both ways.
    expect(raised).toBeGreaterThan(0);
    expect(withdrawn).toBeGreaterThan(0);
  });
});
