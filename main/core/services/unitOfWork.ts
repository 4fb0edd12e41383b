import type { Db } from '../db/open';
import { appendAudit, type Actor, type AuditInput } from './audit';
import { enqueueMutation } from './outbox';

/**
 * The only way a use case writes. Domain rows, the audit entry and the outbox mutation commit together or not at
 * all (rule: ARCHITECTURE "Data flow" 3). BEGIN IMMEDIATE takes the write lock up front so that a long read inside
 * the function can't be invalidated by another writer half-way.
 */
export interface WriteTx {
  db: Db;
  now: string;
  actor: Actor;
  audit(entry: AuditInput): void;
  /** Queues an intent-level mutation for the county; returns its per-client id. */
  mutate(name: string, args: unknown): number;
}

export function write<T>(db: Db, actor: Actor, fn: (tx: WriteTx) => T, clock: () => Date = () => new Date()): T {
  return db
    .transaction(() => {
      const now = clock().toISOString();
      const tx: WriteTx = {
        db,
        now,
        actor,
        audit: (entry) => appendAudit(db, actor, entry, now),
        mutate: (name, args) => enqueueMutation(db, name, args, now),
      };
      return fn(tx);
    })
    .immediate();
}
