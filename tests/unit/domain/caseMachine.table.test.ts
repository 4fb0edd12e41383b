/**
 * SM-2 / SM-3: every transition of every variant, legal and illegal, generated from the machine's own table.
 * Legal rows run on real snapshots reached through applyAction; every (state, action) pair not in the table is
 * refused with ILLEGAL_TRANSITION for every actor; every actor not allowed an action is refused with FORBIDDEN.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTION_ACTORS,
  ACTION_RULES,
  ACTORS,
  applyAction,
  availableActions,
  CASE_ACTIONS,
  CASE_STATES,
  findTransition,
  isTerminal,
  TRANSITIONS,
  VARIANT_STATES,
  WORKFLOW_VARIANTS,
  type CaseSnapshot,
} from '../../../shared/domain';
import { at, explore, LIMIT_FEN, samplePayload, type Explored } from './machineFixtures';

const explored = explore();

function tryRow(node: Explored, action: (typeof CASE_ACTIONS)[number], role: (typeof ACTORS)[number]) {
  return applyAction(node.snapshot, action, samplePayload(action, node.snapshot, node.today), {
    role,
    now: at(node.today),
    townshipLimitFen: LIMIT_FEN,
  });
}

describe.each(WORKFLOW_VARIANTS)('variant %s', (variant) => {
  const nodes = explored.get(variant) ?? [];
  const inState = (state: string) => nodes.filter((n) => n.snapshot.state === state);

  it('SM-2 every state of the variant is reachable from submitted, and no other state is', () => {
    const reached = new Set(nodes.map((n) => n.snapshot.state));
    expect([...reached].sort()).toEqual([...VARIANT_STATES[variant]].sort());
  });

  describe.each(
    TRANSITIONS[variant].map((t) => [`${ACTION_RULES[t.action]} ${t.from} —${t.action}→ ${t.to}`, t] as const),
  )('%s', (_name, t) => {
    it('is taken by an allowed actor and lands in the table’s state', () => {
      const allowed = ACTION_ACTORS[t.action];
      const witness = inState(t.from).find((n) => tryRow(n, t.action, allowed[0]!).ok);
      expect(witness, `no reachable ${t.from} snapshot of ${variant} accepts ${t.action}`).toBeDefined();
      for (const role of allowed) {
        const r = tryRow(witness!, t.action, role);
        expect(r.ok && r.snapshot.state).toBe(t.to);
        if (r.ok) expect(r.event).toMatchObject({ action: t.action, actor: role, fromState: t.from, toState: t.to });
      }
    });

    it('SM-3 is refused with FORBIDDEN for every other actor, changing nothing', () => {
      const node = inState(t.from)[0]!;
      const before = JSON.stringify(node.snapshot);
      for (const role of ACTORS.filter((a) => !ACTION_ACTORS[t.action].includes(a))) {
        const r = tryRow(node, t.action, role);
        expect(r, `${role} ${t.action}`).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        if (!r.ok) expect(r.message).toMatch(/只能由/);
      }
      expect(JSON.stringify(node.snapshot)).toBe(before);
    });
  });

  const illegal = VARIANT_STATES[variant].flatMap((state) =>
    CASE_ACTIONS.filter((a) => !findTransition(variant, state, a)).map((a) => [state, a] as const),
  );
  describe.each(VARIANT_STATES[variant])('SM-2 illegal actions from %s', (state) => {
    it('are refused with ILLEGAL_TRANSITION for every actor, whatever the payload', () => {
      const node = inState(state)[0]!;
      for (const [, action] of illegal.filter(([s]) => s === state)) {
        for (const role of ACTORS) {
          const r = tryRow(node, action, role);
          expect(r, `${state} ${action} by ${role}`).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
          if (!r.ok) expect(r.message).toContain('不能办理');
        }
      }
    });
  });

  it('SM-2 availableActions offers only table rows the role may take', () => {
    for (const node of nodes) {
      for (const role of ACTORS) {
        for (const action of availableActions(node.snapshot, role, at(node.today))) {
          expect(findTransition(variant, node.snapshot.state, action)).toBeDefined();
          expect(ACTION_ACTORS[action]).toContain(role);
        }
      }
    }
  });

  it('SM-26 terminal states have no way out', () => {
    for (const t of TRANSITIONS[variant]) expect(isTerminal(t.from), `${t.from} —${t.action}→`).toBe(false);
  });
});

describe('machine-wide', () => {
  it('SM-2 states outside a variant are refused for every action', () => {
    const node = explored.get('oneOffSubsidy')![0]!;
    const alien: CaseSnapshot = { ...node.snapshot, state: 'inNotice' };
    expect(VARIANT_STATES.oneOffSubsidy).not.toContain('inNotice');
    for (const action of CASE_ACTIONS) {
      expect(applyAction(alien, action, {}, { role: 'admin', now: at(node.today) })).toMatchObject({
        code: 'ILLEGAL_TRANSITION',
      });
    }
  });

  it('SM-2 each variant table has one target per (state, action)', () => {
    for (const v of WORKFLOW_VARIANTS) {
      const keys = TRANSITIONS[v].map((t) => `${t.from}/${t.action}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('SM-26 every state is exactly one of open, active (benefit granted) or terminal', async () => {
    const { isOpen, isActive } = await import('../../../shared/domain');
    for (const s of CASE_STATES) expect([isOpen(s), isActive(s), isTerminal(s)].filter(Boolean)).toHaveLength(1);
  });
});
