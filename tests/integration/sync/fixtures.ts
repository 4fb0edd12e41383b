import { makeIdNumber } from '../../../shared/domain/idNumber';
import type { TestClient } from '../../support/stationCore';

export async function must<T>(p: Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`call failed: ${r.code} ${r.message}`);
  return r.value;
}

let seq = 300;
/** One intake: a person and a medical-assistance application (a county-approved item that needs no household). */
export async function intake(clerk: TestClient, name = '王春花') {
  const person = await must(
    clerk.call('people.savePerson', {
      idNumber: makeIdNumber('430102', '1968-04-02', seq++),
      name,
      hukou: 'rural',
      workAbility: 'partial',
      health: 'chronic',
    }),
  );
  const c = await must(clerk.call('cases.create', { applicantId: person.id, itemCode: 'medicalAssistance' }));
  return { person, case: c };
}

/** Takes a medical-assistance case to 已报县级审批 (awaitingCounty): accept, township review, hand-off. */
export async function toAwaitingCounty(clerk: TestClient, reviewer: TestClient, caseId: string) {
  const c = await must(clerk.call('cases.get', { id: caseId }));
  await must(clerk.call('cases.act', { caseId, action: 'accept', payload: { materialsReceived: c.materials.map((m) => m.key) } }));
  await must(reviewer.call('cases.act', { caseId, action: 'townshipReview', payload: { opinion: 'agree', note: '情况属实，同意上报' } }));
  return must(reviewer.call('cases.act', { caseId, action: 'handOffToCounty', payload: {} }));
}
