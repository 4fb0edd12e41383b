import type { CountyDb, Queryable } from '../../db/types';
import type { AuditEntry } from './model';

/**
 * The county audit log (append-only: migration 0002 refuses UPDATE, DELETE and TRUNCATE). Who did what to which
 * record, never the personal data itself: detail carries ids, counts and outcomes only.
 */

export interface Actor {
  staffId: string | null;
  username: string;
  ip?: string | null;
}

export interface AuditInput {
  action: string;
  entity?: string | null;
  entityId?: string | null;
  stationId?: string | null;
  detail?: Record<string, unknown>;
}

export async function appendAudit(q: Queryable, actor: Actor, entry: AuditInput): Promise<void> {
  await q.query(
    `INSERT INTO county_audit (staff_id, username, action, entity, entity_id, station_id, detail, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
    [
      actor.staffId,
      actor.username,
      entry.action,
      entry.entity ?? null,
      entry.entityId ?? null,
      entry.stationId ?? null,
      JSON.stringify(entry.detail ?? {}),
      actor.ip ?? null,
    ],
  );
}

export interface AuditQuery {
  action?: string | undefined;
  entityId?: string | undefined;
  username?: string | undefined;
  limit?: number | undefined;
  beforeId?: number | undefined;
}

/** Newest first; page backwards with beforeId. */
export async function listAudit(db: CountyDb, q: AuditQuery = {}): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.action) where.push(`action = $${params.push(q.action)}`);
  if (q.entityId) where.push(`entity_id = $${params.push(q.entityId)}`);
  if (q.username) where.push(`username = $${params.push(q.username)}`);
  if (q.beforeId) where.push(`id < $${params.push(q.beforeId)}`);
  const limit = Math.min(Math.max(1, q.limit ?? 200), 1000);
  const { rows } = await db.query<{
    id: string | number;
    at: Date;
    username: string;
    action: string;
    entity: string | null;
    entity_id: string | null;
    station_id: string | null;
    detail: Record<string, unknown>;
    ip: string | null;
  }>(
    `SELECT id, at, username, action, entity, entity_id, station_id::text AS station_id, detail, ip FROM county_audit
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at.toISOString(),
    username: r.username,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    stationId: r.station_id,
    detail: r.detail,
    ip: r.ip,
  }));
}
