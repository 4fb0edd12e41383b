import type { CountyDb } from '../db/types';
import { sha256Hex } from './secrets';
import { principalsByHash, type SyncPrincipal } from './stations';

/**
 * Who a push credential belongs to, remembered for a minute (SP-7). A push is the county's hottest request; looking
 * its credential up costs a database round trip before the push even starts. The cache is safe for pushes only:
 * applyPush checks, under the client's row lock and in the same transaction as the effects, that the credential is
 * still live, so a revoked credential's push changes nothing and is answered 401 (SP-8) however fresh the entry.
 * Every other route authenticates against the database on each request.
 *
 * Misses are looked up together: when hundreds of stations push at the same moment (a county after an outage, the
 * load bench), the credentials that arrive while one lookup is running are fetched by the next, in one query.
 */
interface Waiter {
  resolve(who: SyncPrincipal | null): void;
  reject(err: unknown): void;
}

export class CredentialCache {
  private readonly entries = new Map<string, { who: SyncPrincipal; until: number }>();
  private waiting = new Map<string, Waiter[]>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: CountyDb,
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  async authenticate(credential: string): Promise<SyncPrincipal | null> {
    if (credential.length === 0 || credential.length > 200) return null;
    const hash = sha256Hex(credential);
    const hit = this.entries.get(hash);
    if (hit && hit.until > Date.now()) return hit.who;
    return new Promise<SyncPrincipal | null>((resolve, reject) => {
      const list = this.waiting.get(hash) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(hash, list);
      this.running ??= this.drain();
    });
  }

  /** The push found the credential dead: the next request asks the database again. */
  forget(credentialHash: string): void {
    this.entries.delete(credentialHash);
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.size > 0) {
        const batch = this.waiting;
        this.waiting = new Map();
        let found: Map<string, SyncPrincipal>;
        try {
          found = await principalsByHash(this.db, [...batch.keys()]);
        } catch (err) {
          // Everyone of this batch gets the failure (503 by the error handler); a later request tries again.
          for (const list of batch.values()) for (const w of list) w.reject(err);
          continue;
        }
        const until = Date.now() + this.ttlMs;
        for (const [hash, list] of batch) {
          const who = found.get(hash) ?? null;
          if (who) this.remember(hash, who, until);
          else this.entries.delete(hash);
          for (const w of list) w.resolve(who);
        }
      }
    } finally {
      this.running = null;
    }
  }

  private remember(hash: string, who: SyncPrincipal, until: number): void {
    // Map order is insertion order: dropping the first key drops the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.delete(hash);
    this.entries.set(hash, { who, until });
  }
}
