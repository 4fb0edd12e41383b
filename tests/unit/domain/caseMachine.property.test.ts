import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTION_ACTORS,
  ACTORS,
  addDays,
  applyAction,
  CASE_ACTIONS,
  CASE_STATES,
  findTransition,
  isTerminal,
  TRANSITIONS,
  isOverdue,
  newCaseSnapshot,
  VARIANT_STATES,
  WORKFLOW_VARIANTS,
  type CaseSnapshot,
} from '../../../shared/domain';
import { at, explorationCatalogue, samplePayload, START_DAY } from './machineFixtures';

const catalogue = explorationCatalogue();
type Start = readonly [code: string, subKind: string | undefined];
const starts: Start[] = catalogue.flatMap((item): Start[] =>
  item.subKinds.length > 0 ? item.subKinds.map((k) => [item.code, k.code]) : [[item.code, undefined]],
);
/** Variant first, then one of its items: each variant gets its share of walks however many items it has. */
const start = fc.noBias(
  fc
    .constantFrom(...WORKFLOW_VARIANTS)
    .chain((v) => fc.constantFrom(...starts.filter(([code]) => catalogue.find((i) => i.code === code)!.variant === v))),
);

// Unbiased: fast-check otherwise favours the first element and 0, which would steer every walk down the same rows.
const step = fc.noBias(
  fc.record({
    /** Mostly an action the table offers from the current state, by an actor allowed it (so sequences get deep). */
    fromTable: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
    pick: fc.nat(),
    pickActor: fc.nat(),
    action: fc.constantFrom(...CASE_ACTIONS),
    actor: fc.constantFrom(...ACTORS),
    /** Mostly well-formed payloads, so sequences get deep; sometimes anything at all. */
    payload: fc.oneof(
      { arbitrary: fc.constant('sample' as const), weight: 4 },
      { arbitrary: fc.anything(), weight: 1 },
    ),
    days: fc.integer({ min: 0, max: 20 }),
    limit: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
  }),
);

describe('case machine under random action sequences', () => {
  it('SM-2 never reaches a state outside its variant, and every success is a row of the table', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(start, fc.array(step, { minLength: 20, maxLength: 50 }), ([code, sub], steps) => {
        let s: CaseSnapshot = newCaseSnapshot(code, sub, catalogue);
        let day = START_DAY;
        for (const st of steps) {
          day = addDays(day, st.days);
          const before = JSON.stringify(s);
          // Exits (withdraw, refuse…) end a walk, so they are offered one time in three: the walks get deep.
          const rows = TRANSITIONS[s.variant].filter((t) => t.from === s.state);
          const onward = rows.filter((t) => !isTerminal(t.to));
          const offered = onward.length > 0 && st.pick % 3 !== 0 ? onward : rows;
          const action = st.fromTable && offered.length > 0 ? offered[st.pick % offered.length]!.action : st.action;
          const allowed = ACTION_ACTORS[action];
          const actor = st.fromTable ? allowed[st.pickActor % allowed.length]! : st.actor;
          const payload = st.payload === 'sample' ? samplePayload(action, s, day) : st.payload;
          const r = applyAction(s, action, payload, {
            role: actor,
            now: at(day),
            ...(st.limit === undefined ? {} : { townshipLimitFen: st.limit }),
          });
          expect(JSON.stringify(s)).toBe(before);
          if (!r.ok) {
            expect(['ILLEGAL_TRANSITION', 'FORBIDDEN', 'INVALID_INPUT']).toContain(r.code);
            expect(r.message).toMatch(/[\u4e00-\u9fff]/);
            continue;
          }
          const row = findTransition(s.variant, s.state, action);
          expect(row?.to).toBe(r.snapshot.state);
          expect(allowed).toContain(actor);
          expect(VARIANT_STATES[s.variant]).toContain(r.snapshot.state);
          expect(r.event).toMatchObject({ fromState: s.state, toState: r.snapshot.state, at: at(day) });
          expect(r.snapshot.variant).toBe(s.variant);
          expect(() => isOverdue(r.snapshot, day)).not.toThrow();
          s = r.snapshot;
          reached.add(`${s.variant}/${s.state}`);
        }
      }),
      // A fixed seed makes the coverage check below reproducible; the walks themselves are still 300 random ones.
      { numRuns: 300, seed: 20250303 },
    );
    // The walk is only evidence if it went everywhere: every state of every variant was reached at least once.
    const expected = Object.entries(VARIANT_STATES).flatMap(([v, states]) =>
      states.filter((st) => st !== 'submitted').map((st) => `${v}/${st}`),
    );
    expect(expected.filter((k) => !reached.has(k))).toEqual([]);
  });

  it('SM-4 never throws, whatever the payload, actor or clock', () => {
    const weird = fc.oneof(fc.anything(), fc.constantFrom(undefined, null, '', 'not-a-date'));
    fc.assert(
      fc.property(
        fc.constantFrom(...starts),
        fc.constantFrom(...CASE_ACTIONS, 'bogus'),
        weird,
        weird,
        weird,
        weird,
        fc.constantFrom(...CASE_STATES, 'limbo'),
        ([code, sub], action, payload, role, now, limit, state) => {
          const s = { ...newCaseSnapshot(code, sub, catalogue), state } as CaseSnapshot;
          const r = applyAction(s, action as (typeof CASE_ACTIONS)[number], payload, {
            role,
            now,
            townshipLimitFen: limit,
          } as never);
          return typeof r.ok === 'boolean';
        },
      ),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        fc.anything(),
        fc.anything(),
        (snapshot, ctx) => typeof applyAction(snapshot as never, 'accept', {}, ctx as never).ok === 'boolean',
      ),
    );
  });
});
