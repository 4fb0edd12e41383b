import { createHash } from 'node:crypto';
import type { Db } from '../db/open';

export interface Actor {
  id: string | null;
  name: string;
}
export const SYSTEM_ACTOR: Actor = { id: null, name: '系统' };

export interface AuditInput {
  action: string;
  entity: string;
  entityId?: string | null;
  /** Changed fields as { field: [before, after] }, or a description of what was viewed/exported. */
  changes?: Record<string, unknown> | null;
}

export const GENESIS_HASH = '0'.repeat(64);

interface AuditRow {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string | null;
  changes: string | null;
  prev_hash: string;
  hash: string;
}

function rowHash(r: Omit<AuditRow, 'hash'>): string {
  // A fixed field order (not JSON.stringify of the row) so that the hash does not depend on property order.
  return createHash('sha256')
    .update(
      [r.prev_hash, r.seq, r.at, r.actor_id ?? '', r.actor_name, r.action, r.entity, r.entity_id ?? '', r.changes ?? '']
        .map(String)
        .join('\u001f'),
    )
    .digest('hex');
}

/** Appends one entry. Must run inside the caller's transaction so that the entry commits with the change. */
export function appendAudit(db: Db, actor: Actor, entry: AuditInput, at: string): void {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at,
    actor_id: actor.id,
    actor_name: actor.name,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId ?? null,
    changes: entry.changes == null ? null : JSON.stringify(entry.changes),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  db.prepare(
    `INSERT INTO audit_log (seq, at, actor_id, actor_name, action, entity, entity_id, changes, prev_hash, hash)
     VALUES (@seq, @at, @actor_id, @actor_name, @action, @entity, @entity_id, @changes, @prev_hash, @hash)`,
  ).run({ ...row, hash: rowHash(row) });
}

export type ChainVerdict = { ok: true; entries: number } | { ok: false; entries: number; firstBrokenSeq: number; why: string };

/** Walks the whole chain; reports the first entry whose hash or link does not match. */
export function verifyAuditChain(db: Db): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let n = 0;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    n++;
    if (r.seq !== expectedSeq) return { ok: false, entries: n, firstBrokenSeq: expectedSeq, why: 'entry missing' };
    if (r.prev_hash !== prev) return { ok: false, entries: n, firstBrokenSeq: r.seq, why: 'link to previous entry broken' };
    const { hash, ...rest } = r;
    if (rowHash(rest) !== hash) return { ok: false, entries: n, firstBrokenSeq: r.seq, why: 'entry content altered' };
    prev = hash;
    expectedSeq++;
  }
  return { ok: true, entries: n };
}

/** Field-level before/after for the audit log; unchanged fields are left out. */
export function diffFields(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const k of keys) {
    const b = before?.[k] ?? null;
    const a = after?.[k] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) out[k] = [b, a];
  }
  return out;
}
