import { z } from 'zod';
import { uuidText } from '../../shared/sync/mutations';
import type { CaseCountyData, CaseDecision } from '../../shared/sync/protocol';
import type { CountyDb } from '../db/types';
import { decisionFromRow, readCaseCountyData, type CaseCountyRow } from './caseCounty';
import { describeIssue, ServiceError } from './errors';

/** Read side of station-owned records and conflicts, for the county console and for tests of convergence. */

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const res = schema.safeParse(input);
  if (!res.success) throw new ServiceError('INVALID_INPUT', describeIssue(res.error.issues));
  return res.data;
}

export interface CaseEventRecord {
  eventId: string;
  action: string;
  payload: unknown;
  at: string;
  fromState: string | null;
  toState: string;
  baseCountyVersion: number;
}

export interface CaseAttachmentRecord {
  materialKey: string;
  sha256: string;
  size: number;
  mime: string;
  fileName: string;
  /** Whether the file itself has arrived and passed its hash check. */
  uploaded: boolean;
}

export interface CaseRecord {
  id: string;
  stationId: string;
  stationCode: string;
  /** The station's full case row as last pushed; null while only events or attachments arrived. */
  data: Record<string, unknown> | null;
  stationState: string | null;
  county: CaseCountyData;
  events: CaseEventRecord[];
  attachments: CaseAttachmentRecord[];
}

export async function getCase(db: CountyDb, caseId: string): Promise<CaseRecord> {
  const id = parse(uuidText, caseId);
  return db.transaction(
    async (tx) => {
      const { rows } = await tx.query<{ station_id: string; code: string; data: Record<string, unknown> | null; station_state: string | null }>(
        `SELECT c.station_id::text AS station_id, s.code, c.data, c.station_state
           FROM cases c JOIN stations s ON s.id = c.station_id WHERE c.id = $1`,
        [id],
      );
      const row = rows[0];
      if (!row) throw new ServiceError('NOT_FOUND', '未找到该案件。');
      const county = (await readCaseCountyData(tx, id))!.data;
      const events = await tx.query<{
        event_id: string;
        action: string;
        payload: unknown;
        at: string;
        from_state: string | null;
        to_state: string;
        base_county_version: number;
      }>(
        `SELECT event_id::text AS event_id, action, payload, at, from_state, to_state, base_county_version
           FROM case_events WHERE case_id = $1 ORDER BY at, event_id`,
        [id],
      );
      const attachments = await tx.query<{ material_key: string; sha256: string; size: string | number; mime: string; file_name: string; complete: boolean | null }>(
        `SELECT a.material_key, a.sha256, a.size, a.mime, a.file_name, b.complete
           FROM case_attachments a LEFT JOIN attachments b ON b.sha256 = a.sha256
          WHERE a.case_id = $1 ORDER BY a.material_key, a.registered_at`,
        [id],
      );
      return {
        id,
        stationId: row.station_id,
        stationCode: row.code,
        data: row.data,
        stationState: row.station_state,
        county,
        events: events.rows.map((e) => ({
          eventId: e.event_id,
          action: e.action,
          payload: e.payload,
          at: e.at,
          fromState: e.from_state,
          toState: e.to_state,
          baseCountyVersion: Number(e.base_county_version),
        })),
        attachments: attachments.rows.map((a) => ({
          materialKey: a.material_key,
          sha256: a.sha256,
          size: Number(a.size),
          mime: a.mime,
          fileName: a.file_name,
          uploaded: a.complete === true,
        })),
      };
    },
    { isolation: 'repeatable read', readOnly: true },
  );
}

export const listCasesInput = z.object({
  stationId: uuidText.optional(),
  stationState: z.string().max(64).optional(),
  decided: z.boolean().optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});
export type ListCasesInput = z.input<typeof listCasesInput>;

export interface CaseSummary {
  id: string;
  stationId: string;
  stationCode: string;
  stationState: string | null;
  countyVersion: number;
  decision: CaseDecision | null;
  updatedAt: string;
}

/** Cases by station, station state and whether decided; newest change first. */
export async function listCases(db: CountyDb, input: ListCasesInput = {}): Promise<{ total: number; cases: CaseSummary[] }> {
  const q = parse(listCasesInput, input);
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.stationId) where.push(`c.station_id = $${params.push(q.stationId)}`);
  if (q.stationState) where.push(`c.station_state = $${params.push(q.stationState)}`);
  if (q.decided !== undefined) where.push(q.decided ? 'c.decision IS NOT NULL' : 'c.decision IS NULL');
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  return db.transaction(
    async (tx) => {
      const total = await tx.query<{ n: string | number }>(`SELECT count(*) AS n FROM cases c ${filter}`, params);
      const { rows } = await tx.query<CaseCountyRow & { station_id: string; code: string; station_state: string | null; updated_at: Date }>(
        `SELECT c.id::text AS id, c.station_id::text AS station_id, s.code, c.station_state, c.updated_at, c.county_version,
                c.decision, c.amount_fen, c.reason, c.payment_start_month, c.decided_at, c.decided_by
           FROM cases c JOIN stations s ON s.id = c.station_id ${filter}
          ORDER BY c.updated_at DESC, c.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, q.limit, q.offset],
      );
      return {
        total: Number(total.rows[0]?.n ?? 0),
        cases: rows.map((r) => ({
          id: r.id,
          stationId: r.station_id,
          stationCode: r.code,
          stationState: r.station_state,
          countyVersion: Number(r.county_version),
          decision: decisionFromRow(r),
          updatedAt: r.updated_at.toISOString(),
        })),
      };
    },
    { isolation: 'repeatable read', readOnly: true },
  );
}

/**
 * Everything the county holds from one station, keyed by id, read in one snapshot: what a station replica must
 * converge to (fault harness invariant) and what an audit of a station compares against.
 */
export interface StationProjection {
  persons: Record<string, unknown>;
  households: Record<string, unknown>;
  cases: Record<string, { data: unknown; stationState: string | null; countyVersion: number; decision: CaseDecision | null }>;
  events: Record<string, { caseId: string; action: string; payload: unknown; at: string; fromState: string | null; toState: string }>;
  attachments: { caseId: string; materialKey: string; sha256: string; size: number; mime: string; fileName: string }[];
  lastMutationIds: Record<string, number>;
}

export async function stationProjection(db: CountyDb, stationId: string): Promise<StationProjection> {
  const id = parse(uuidText, stationId);
  return db.transaction(
    async (tx) => {
      const out: StationProjection = { persons: {}, households: {}, cases: {}, events: {}, attachments: [], lastMutationIds: {} };
      for (const table of ['persons', 'households'] as const) {
        const { rows } = await tx.query<{ id: string; data: unknown }>(`SELECT id::text AS id, data FROM ${table} WHERE station_id = $1 ORDER BY id`, [id]);
        for (const r of rows) out[table][r.id] = r.data;
      }
      const cases = await tx.query<CaseCountyRow & { data: unknown; station_state: string | null }>(
        `SELECT id::text AS id, data, station_state, county_version, decision, amount_fen, reason, payment_start_month, decided_at, decided_by
           FROM cases WHERE station_id = $1 ORDER BY id`,
        [id],
      );
      for (const r of cases.rows) {
        out.cases[r.id] = { data: r.data, stationState: r.station_state, countyVersion: Number(r.county_version), decision: decisionFromRow(r) };
      }
      const events = await tx.query<{ event_id: string; case_id: string; action: string; payload: unknown; at: string; from_state: string | null; to_state: string }>(
        `SELECT event_id::text AS event_id, case_id::text AS case_id, action, payload, at, from_state, to_state
           FROM case_events WHERE station_id = $1 ORDER BY event_id`,
        [id],
      );
      for (const e of events.rows) {
        out.events[e.event_id] = { caseId: e.case_id, action: e.action, payload: e.payload, at: e.at, fromState: e.from_state, toState: e.to_state };
      }
      const att = await tx.query<{ case_id: string; material_key: string; sha256: string; size: string | number; mime: string; file_name: string }>(
        `SELECT case_id::text AS case_id, material_key, sha256, size, mime, file_name FROM case_attachments
          WHERE station_id = $1 ORDER BY case_id, material_key, sha256`,
        [id],
      );
      out.attachments = att.rows.map((a) => ({
        caseId: a.case_id,
        materialKey: a.material_key,
        sha256: a.sha256,
        size: Number(a.size),
        mime: a.mime,
        fileName: a.file_name,
      }));
      const clients = await tx.query<{ client_id: string; last_mutation_id: string | number }>(
        'SELECT client_id, last_mutation_id FROM clients WHERE station_id = $1',
        [id],
      );
      for (const c of clients.rows) out.lastMutationIds[c.client_id] = Number(c.last_mutation_id);
      return out;
    },
    { isolation: 'repeatable read', readOnly: true },
  );
}

export interface ConflictRecord {
  id: number;
  caseId: string;
  stationId: string;
  clientId: string;
  mutationId: number;
  mutationName: string;
  /** The station's mutation args: its version of the change. */
  stationVersion: unknown;
  baseCountyVersion: number;
  /** The county's version when the station's change arrived. */
  countyVersion: number;
  countySnapshot: unknown;
  status: 'open' | 'resolved';
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  note: string | null;
  createdAt: string;
}

export const listConflictsInput = z.object({
  status: z.enum(['open', 'resolved']).optional(),
  stationId: uuidText.optional(),
  caseId: uuidText.optional(),
});
export type ListConflictsInput = z.input<typeof listConflictsInput>;

export async function listConflicts(db: CountyDb, input: ListConflictsInput = {}): Promise<ConflictRecord[]> {
  const q = parse(listConflictsInput, input);
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.status) where.push(`status = $${params.push(q.status)}`);
  if (q.stationId) where.push(`station_id = $${params.push(q.stationId)}`);
  if (q.caseId) where.push(`case_id = $${params.push(q.caseId)}`);
  const { rows } = await db.query<{
    id: string | number;
    case_id: string;
    station_id: string;
    client_id: string;
    mutation_id: string | number;
    mutation_name: string;
    station_version: unknown;
    base_county_version: number;
    county_version: number;
    county_snapshot: unknown;
    status: 'open' | 'resolved';
    resolution: string | null;
    resolved_by: string | null;
    resolved_at: Date | null;
    note: string | null;
    created_at: Date;
  }>(
    `SELECT id, case_id::text AS case_id, station_id::text AS station_id, client_id, mutation_id, mutation_name,
            station_version, base_county_version, county_version, county_snapshot, status, resolution, resolved_by,
            resolved_at, note, created_at
       FROM conflicts ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT 1000`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    caseId: r.case_id,
    stationId: r.station_id,
    clientId: r.client_id,
    mutationId: Number(r.mutation_id),
    mutationName: r.mutation_name,
    stationVersion: r.station_version,
    baseCountyVersion: Number(r.base_county_version),
    countyVersion: Number(r.county_version),
    countySnapshot: r.county_snapshot,
    status: r.status,
    resolution: r.resolution,
    resolvedBy: r.resolved_by,
    resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null,
    note: r.note,
    createdAt: r.created_at.toISOString(),
  }));
}

export const resolveConflictInput = z.object({
  id: z.number().int().min(1),
  /** keptCounty: the decision stands, the station's edit is dropped; stationResubmitted: the station re-did its edit on top. */
  resolution: z.enum(['keptCounty', 'stationResubmitted']),
  resolvedBy: z.string().trim().min(1).max(100),
  note: z.string().trim().max(2000).optional(),
});
export type ResolveConflictInput = z.input<typeof resolveConflictInput>;

/** Closes a conflict with the reviewer's choice. The county's decision is never changed here. */
export async function resolveConflict(db: CountyDb, input: ResolveConflictInput): Promise<void> {
  const r = parse(resolveConflictInput, input);
  const { rows } = await db.query(
    `UPDATE conflicts SET status = 'resolved', resolution = $2, resolved_by = $3, note = $4, resolved_at = now()
      WHERE id = $1 AND status = 'open' RETURNING 1`,
    [r.id, r.resolution, r.resolvedBy, r.note ?? null],
  );
  if (rows.length === 0) throw new ServiceError('NOT_FOUND', '未找到待处理的冲突。');
}
