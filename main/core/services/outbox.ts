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

export function pendingCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
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

/** Removes mutations the county confirmed, and only from the front: ids ≤ confirmed. */
export function trimOutbox(db: Db, confirmedId: number): number {
  return db.prepare('DELETE FROM outbox WHERE id <= ?').run(confirmedId).changes;
}
