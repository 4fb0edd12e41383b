import { readOutbox } from '../../../main/core/services/outbox';
import { personData } from '../../../main/core/services/persons';
import { caseData, type CaseRow } from '../../../main/core/services/cases/rows';
import type { Db } from '../../../main/core/db/open';
import type { PushResponse } from '../../../shared/sync/protocol';
import type { HttpAnswer } from './harness';

/**
 * What a station's outbox carries for a store built by fixture code (tests/unit/reports/fixture.ts writes rows
 * directly, not through use cases): its persons, households, events and cases shaped by the station's own data
 * builders, in dependency order, then the payment ledger exactly as the station queued it (`payment.record`, SP-16).
 */
export function stationMutations(db: Db): { name: string; args: unknown }[] {
  const out: { name: string; args: unknown }[] = [];
  for (const p of db.prepare('SELECT * FROM persons').all() as Parameters<typeof personData>[0][]) {
    out.push({ name: 'person.save', args: { id: p.id, data: personData(p) } });
  }
  for (const h of db.prepare('SELECT * FROM households').all() as Record<string, unknown>[]) {
    const members = db.prepare('SELECT person_id AS personId, relation FROM household_members WHERE household_id = ?').all(h.id);
    out.push({
      name: 'household.save',
      args: { id: h.id, data: { id: h.id, headId: h.head_id, hukou: h.hukou, village: h.village, members, memberCount: h.member_count } },
    });
  }
  for (const e of db.prepare('SELECT * FROM case_events ORDER BY case_id, seq').all() as Record<string, string>[]) {
    out.push({
      name: 'case.event',
      args: { caseId: e.case_id, eventId: e.id, action: e.action, payload: JSON.parse(e.payload!), at: e.at, fromState: e.from_state, toState: e.to_state, baseCountyVersion: 0 },
    });
  }
  // Last per case, so the county's station state is the case's current one.
  for (const c of db.prepare('SELECT * FROM cases').all() as CaseRow[]) {
    out.push({ name: 'case.save', args: { id: c.id, data: caseData(db, c), baseCountyVersion: 0 } });
  }
  for (const q of readOutbox(db, 0, 100_000)) if (q.name === 'payment.record') out.push({ name: q.name, args: q.args });
  return out;
}

/** Pushes the list in batches from mutation id `firstId`; throws on any refusal. Returns the next free id. */
export async function pushAll(
  push: (mutations: unknown[]) => Promise<HttpAnswer<PushResponse>>,
  list: readonly { name: string; args: unknown }[],
  firstId = 1,
): Promise<number> {
  let id = firstId;
  for (let i = 0; i < list.length; i += 500) {
    const batch = list.slice(i, i + 500).map((x) => ({ id: id++, ...x }));
    const res = await push(batch);
    if (res.status !== 200) throw new Error(`push: ${res.status} ${JSON.stringify(res.body)}`);
    const refused = res.body.results.filter((r) => r.status !== 'applied');
    if (refused.length > 0) throw new Error(`push refused: ${JSON.stringify(refused.slice(0, 3))}`);
  }
  return id;
}
