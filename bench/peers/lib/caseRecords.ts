/**
 * N case records for the sync comparison: the `case.save` data of one real accepted 低保 intake (realIntake.ts),
 * with fresh ids, case number and references per record. Our station queues each as one `case.save` mutation; the
 * peer stores each as one document with the same fields. Same content, same size on both sides.
 */
import { uuidv7 } from 'uuidv7';
import { benchStore } from '../../lib/store';
import { intakeOutput, prepareStation, realIntake } from '../../lib/realIntake';

export interface CaseTemplate {
  json: string;
  caseId: string;
  caseNumber: string;
  applicantId: string;
  householdId: string;
}

export function caseTemplate(): CaseTemplate {
  const store = benchStore('bench-case-template-');
  try {
    prepareStation(store.db);
    realIntake(store.db, 1);
    const save = intakeOutput(store.db, 0, 0)
      .mutations.filter((m) => m.name === 'case.save')
      .at(-1)!;
    const data = (save.args as { data: Record<string, unknown> }).data;
    return {
      json: JSON.stringify(data),
      caseId: data.id as string,
      caseNumber: data.caseNumber as string,
      applicantId: data.applicantId as string,
      householdId: data.householdId as string,
    };
  } finally {
    store.cleanup();
  }
}

/** The i-th record as JSON text (data of `case.save`), with its id. */
export function caseRecord(t: CaseTemplate, i: number): { id: string; json: string } {
  const id = uuidv7();
  const json = t.json
    .replaceAll(t.caseId, id)
    .replaceAll(t.caseNumber, `${t.caseNumber.slice(0, -6)}${String(i).padStart(6, '0')}`)
    .replaceAll(t.applicantId, uuidv7())
    .replaceAll(t.householdId, uuidv7());
  return { id, json };
}
