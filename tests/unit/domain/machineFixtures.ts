/**
 * Test fixtures for the case state machine: a valid sample payload for every action, and an explorer that walks
 * each item's machine from `submitted` with those payloads, collecting real snapshots (made by applyAction, never
 * hand-built) for every state each variant can reach.
 */
import {
  addDays,
  applyAction,
  CASE_ACTIONS,
  findTransition,
  ITEM_CATALOGUE,
  ItemDefinitionSchema,
  newCaseSnapshot,
  type Actor,
  type CaseAction,
  type CaseSnapshot,
  type ItemDefinition,
  type WorkflowVariant,
  ACTION_ACTORS,
} from '../../../shared/domain';

export const LIMIT_FEN = 300_000;
export const START_DAY = '2025-03-03';

export function at(date: string): string {
  return `${date}T10:00:00+08:00`;
}

export const FULL_VISIT = {
  investigators: ['王调查', '李调查'],
  fiveClears: {
    householdMembers: '户籍4人，共同生活4人',
    income: '务农及零工，月均约1200元',
    hardshipCause: '户主患慢性病',
    difficulties: '医疗支出大',
    employment: '户主无法外出务工',
  },
  summary: '情况属实',
};

export function samplePayload(action: CaseAction, s: CaseSnapshot, today: string): unknown {
  switch (action) {
    case 'accept':
      return { materialsReceived: s.rules.requiredMaterials.map((m) => m.key) };
    case 'requestMaterials':
      return { missing: ['户口簿'] };
    case 'urgentAid':
      return { amountFen: 50_000, reason: '房屋失火，急需生活救助' };
    case 'requestEconomicCheck':
    case 'completeNotice':
    case 'handOffToCounty':
    case 'startPayment':
      return {};
    case 'recordEconomicCheckResult':
      return { finding: 'withinLimits', summary: '无车辆、无商品房，存款低于规定' };
    case 'recordHomeVisit':
      return { visitedOn: today, ...FULL_VISIT };
    case 'recordDemocraticReview':
      return { heldOn: today, outcome: 'agree', summary: '村民代表11人参加，同意' };
    case 'startNotice':
      return {};
    case 'raiseObjection':
      return { summary: '村民反映其子女有稳定收入' };
    case 'townshipReview':
      return { opinion: 'agree', note: '符合条件，同意' };
    case 'townshipApprove':
    case 'countyApprove':
      return { amountFen: s.rules.payment === 'none' ? 0 : 50_000 };
    case 'recordRecheck':
      return { checkedOn: today, outcome: 'continue', note: '家庭情况无变化' };
    case 'completeService':
      return { summary: '改造完成并验收' };
    case 'notAccept':
    case 'withdraw':
    case 'countyReject':
    case 'reject':
    case 'suspend':
    case 'resume':
    case 'terminate':
      return { reason: '测试用的书面理由' };
  }
}

/** The built-in items plus county-style variants so every approval authority of every variant is exercised. */
export function explorationCatalogue(): ItemDefinition[] {
  const variant = (code: string, changes: Partial<ItemDefinition>): ItemDefinition =>
    ItemDefinitionSchema.parse({ ...ITEM_CATALOGUE.find((i) => i.code === code)!, ...changes });
  return [
    ...ITEM_CATALOGUE,
    variant('dibao', { code: 'dibaoDelegated', approval: 'township' }),
    variant('disabilityLivingSubsidy', { code: 'livingSubsidyDelegated', approval: 'township' }),
    variant('funeralFeeWaiver', { code: 'funeralDelegated', approval: 'township' }),
  ];
}

export interface Explored {
  snapshot: CaseSnapshot;
  /** The counter day to act on this snapshot (ten days after the step that made it). */
  today: string;
}

/** Snapshot shape without dates, so the walk (which moves the clock on) still terminates. */
const shape = (s: CaseSnapshot) =>
  JSON.stringify(s, (_k, v) => (typeof v === 'string' && /^\d{4}-\d{2}/.test(v) ? 'D' : v));

export function firstAllowedActor(action: CaseAction): Actor {
  return ACTION_ACTORS[action][0]!;
}

/** Every distinct snapshot shape reachable per variant, walking each item with sample payloads. */
export function explore(): Map<WorkflowVariant, Explored[]> {
  const catalogue = explorationCatalogue();
  const out = new Map<WorkflowVariant, Explored[]>();
  for (const item of catalogue) {
    const roots = item.subKinds.length > 0 ? item.subKinds.map((k) => k.code) : [undefined];
    for (const sub of roots) {
      const seen = new Set<string>();
      const queue: Explored[] = [{ snapshot: newCaseSnapshot(item.code, sub, catalogue), today: START_DAY }];
      while (queue.length > 0) {
        const node = queue.shift()!;
        const key = shape(node.snapshot);
        if (seen.has(key)) continue;
        seen.add(key);
        const list = out.get(item.variant) ?? [];
        list.push(node);
        out.set(item.variant, list);
        for (const action of CASE_ACTIONS) {
          if (!findTransition(node.snapshot.variant, node.snapshot.state, action)) continue;
          const r = applyAction(node.snapshot, action, samplePayload(action, node.snapshot, node.today), {
            role: firstAllowedActor(action),
            now: at(node.today),
            townshipLimitFen: LIMIT_FEN,
          });
          if (r.ok) queue.push({ snapshot: r.snapshot, today: addDays(node.today, 10) });
        }
      }
    }
  }
  return out;
}
