import { describe, expect, it } from 'vitest';
import { PushGate } from '../../../server/http/pushGate';

// server/http/pushGate.ts: the county works on a bounded number of pushes at once, first come first served, and a
// place always comes back — also when a request is aborted while it waits.

const tick = () => new Promise((r) => setImmediate(r));

describe('push gate', () => {
  it('admits two at once; the others in the order they came, as places are given back', async () => {
    const gate = new PushGate(2);
    const order: string[] = [];
    const reqs = ['a', 'b', 'c', 'd'].map((name) => ({ name }));
    const entered = reqs.map((r) => gate.enter(r).then((ok) => ok && order.push(r.name)));
    await tick();
    expect(order).toEqual(['a', 'b']);
    gate.leave(reqs[1]!);
    gate.leave(reqs[1]!); // twice is once
    await tick();
    expect(order).toEqual(['a', 'b', 'c']);
    gate.leave(reqs[0]!);
    await Promise.all(entered);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a request that gave up while waiting passes its place on when it comes, and is told so', async () => {
    const gate = new PushGate(1);
    const first = { n: 1 };
    const aborted = { n: 2 };
    const next = { n: 3 };
    expect(await gate.enter(first)).toBe(true);
    const abortedEnter = gate.enter(aborted);
    const nextEnter = gate.enter(next);
    gate.giveUp(aborted);
    gate.leave(first);
    expect(await abortedEnter).toBe(false);
    expect(await nextEnter).toBe(true);
    gate.leave(next);
    // All places are back: a new request enters at once.
    expect(await gate.enter({ n: 4 })).toBe(true);
  });
});
