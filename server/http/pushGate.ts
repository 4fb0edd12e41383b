/**
 * How many pushes the county works on at once, from the moment their body has arrived whole until they are answered;
 * the others wait their turn, first come first served. Without it a burst (300 stations pushing at the same moment)
 * was worked on all at once: every body inflated, parsed and validated before the first answers went out, so the
 * whole first wave finished late together. A dozen at a time, the first pushes of a burst are answered first and the
 * burst's slowest push comes ~150–180 ms sooner (bench:countyLoad, p99 alternated with and without).
 *
 * A place is taken only once the body is in, so a slow rural upload holds none. A station's later push may hold a
 * place while it waits for its earlier one (SP-28 arrival order); that wait is bounded (2 s), so places always come
 * back.
 */
export class PushGate {
  private readonly waiting: (() => void)[] = [];
  private readonly holders = new WeakSet<object>();
  private readonly gaveUp = new WeakSet<object>();

  constructor(private free: number) {}

  /** Waits for a place for `who` (the request). Resolves false when `who` gave up meanwhile (see giveUp). */
  async enter(who: object): Promise<boolean> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.gaveUp.has(who)) {
      this.pass();
      return false;
    }
    this.holders.add(who);
    return true;
  }

  /** Gives `who`'s place to the next in line. Idempotent; a no-op for one that holds none. */
  leave(who: object): void {
    if (this.holders.delete(who)) this.pass();
  }

  /** `who` will not need its place (the request was aborted): leaves it now, or as soon as it is granted. */
  giveUp(who: object): void {
    this.gaveUp.add(who);
    this.leave(who);
  }

  private pass(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
