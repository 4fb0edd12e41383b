import type { Db } from '../db/open';

export interface OutboxMutation {
  id: number;
  name: string;
  args: unknown;
  createdAt: string;
}

/** Allocates the next per-client mutation id and queues the mutation. Runs inside the caller's transaction. */
export function enqueueMutation(db: Db, name: string, args: unknown, at: string): number {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'next_mutation_id'`).get() as { value: string } | undefined;
  const id = row ? Number(row.value) : 1;
  db.prepare(`INSERT INTO meta (key, value) VALUES ('next_mutation_id', ?)
              ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(String(id + 1));
  db.prepare('INSERT INTO outbox (id, name, args, created_at) VALUES (?, ?, ?, ?)').run(id, name, JSON.stringify(args), at);
  return id;
}

/**
 * Rows in the outbox, without a full count: the outbox is always a contiguous id range (ids are gapless and trimmed
 * only from the front, SP-10, SP-22), so its two ends give the size. count(*) would decrypt every page of a large
 * outbox; the status bar asks after every sync batch. Two statements on purpose: SQLite answers a lone min or max
 * from the b-tree edge, but both in one query scan the table.
 */
export function pendingCount(db: Db): number {
  const lo = db.prepare('SELECT id FROM outbox ORDER BY id LIMIT 1').get() as { id: number } | undefined;
  const hi = db.prepare('SELECT id FROM outbox ORDER BY id DESC LIMIT 1').get() as { id: number } | undefined;
  return lo && hi ? hi.id - lo.id + 1 : 0;
}

export function readOutbox(db: Db, afterId: number, limit: number): OutboxMutation[] {
  return (
    db.prepare('SELECT id, name, args, created_at FROM outbox WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as {
      id: number;
      name: string;
      args: string;
      created_at: string;
    }[]
  ).map((r) => ({ id: r.id, name: r.name, args: JSON.parse(r.args) as unknown, createdAt: r.created_at }));
}

/**
 * Removes mutations the county confirmed, and only from the front: ids ≤ confirmed.
 *
 * Without zeroing the freed pages (secure_delete FAST for this one statement): the store zeroes deleted content
 * everywhere else, but an outbox row is a transport copy of what the store keeps anyway — the record in its table
 * and every field's old and new value in the audit trail (留痕, never deleted) — so zeroing it removes nothing from
 * the file, and it cost more than half of the station's CPU in a 100k-record sync: every trimmed page was
 * rewritten as zeros, encrypted, authenticated and written twice (WAL, then checkpoint). Freed pages stay encrypted
 * and are reused by the next writes.
 */
export function trimOutbox(db: Db, confirmedId: number): number {
  const before = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = FAST');
  try {
    return db.prepare('DELETE FROM outbox WHERE id <= ?').run(confirmedId).changes;
  } finally {
    db.pragma(`secure_delete = ${before === 1 ? 'ON' : before === 2 ? 'FAST' : 'OFF'}`);
  }
}
