import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { uuidText } from '../../shared/sync/mutations';
import { PROTOCOL_VERSION, type EnrolRequest, type EnrolResponse } from '../../shared/sync/protocol';
import type { CountyDb } from '../db/types';
import { describeIssue, ServiceError } from './errors';
import { newCredential, newEnrolmentCode, normaliseEnrolmentCode, sha256Hex } from './secrets';

/** Station management and station authentication (docs/sync-protocol.md SP-5 … SP-8). */

export const DEFAULT_ENROLMENT_CODE_TTL_HOURS = 72;

/** Who a sync request comes from, as established by its credential. */
export interface SyncPrincipal {
  stationId: string;
  stationCode: string;
  township: string;
  clientId: string;
  /** SHA-256 of the bearer credential: a push re-checks in its own transaction that it is still live (SP-7). */
  credentialHash: string;
}

export interface Station {
  id: string;
  code: string;
  township: string;
  name: string | null;
  createdAt: string;
}

export interface EnrolmentCode {
  stationId: string;
  /** Shown once to the county admin; only its hash is stored. */
  code: string;
  expiresAt: string;
}

export const createStationInput = z.object({
  code: z.string().trim().regex(/^[A-Za-z0-9_-]{1,32}$/, '站点编码为 1-32 位字母、数字、- 或 _'),
  township: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(100).optional(),
});
export type CreateStationInput = z.input<typeof createStationInput>;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const res = schema.safeParse(input);
  if (!res.success) throw new ServiceError('INVALID_INPUT', describeIssue(res.error.issues));
  return res.data;
}

/** Registers a station and issues its first one-time enrolment code. */
export async function createStation(
  db: CountyDb,
  input: CreateStationInput,
  ttlHours = DEFAULT_ENROLMENT_CODE_TTL_HOURS,
): Promise<{ station: Station; enrolment: EnrolmentCode }> {
  const { code, township, name } = parse(createStationInput, input);
  return db.transaction(async (tx) => {
    const id = randomUUID();
    const inserted = await tx.query<{ created_at: Date }>(
      `INSERT INTO stations (id, code, township, name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO NOTHING RETURNING created_at`,
      [id, code, township, name ?? null],
    );
    if (inserted.rows.length === 0) throw new ServiceError('DUPLICATE', `站点编码 ${code} 已存在。`);
    const enrolment = await insertEnrolmentCode(tx, id, ttlHours);
    return {
      station: { id, code, township, name: name ?? null, createdAt: inserted.rows[0]!.created_at.toISOString() },
      enrolment,
    };
  });
}

/** A fresh one-time code for an existing station (new PC, reinstalled station, revoked credential). */
export async function issueEnrolmentCode(
  db: CountyDb,
  stationId: string,
  ttlHours = DEFAULT_ENROLMENT_CODE_TTL_HOURS,
): Promise<EnrolmentCode> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query('SELECT 1 FROM stations WHERE id = $1', [parse(uuidText, stationId)]);
    if (rows.length === 0) throw new ServiceError('NOT_FOUND', '未找到该工作站。');
    return insertEnrolmentCode(tx, stationId, ttlHours);
  });
}

async function insertEnrolmentCode(
  tx: Parameters<Parameters<CountyDb['transaction']>[0]>[0],
  stationId: string,
  ttlHours: number,
): Promise<EnrolmentCode> {
  const code = newEnrolmentCode();
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000).toISOString();
  await tx.query('INSERT INTO enrolment_codes (code_hash, station_id, expires_at) VALUES ($1, $2, $3)', [
    sha256Hex(normaliseEnrolmentCode(code)),
    stationId,
    expiresAt,
  ]);
  return { stationId, code, expiresAt };
}

/**
 * Exchanges a one-time code for a credential bound to one clientId (SP-5). The code is spent in the same transaction
 * that stores the credential's hash, so two concurrent attempts cannot both succeed. A clientId already enrolled for
 * the same station gets a new credential (older ones of that client are revoked); one of another station is refused.
 */
export async function enrolClient(db: CountyDb, request: EnrolRequest): Promise<EnrolResponse> {
  const codeHash = sha256Hex(normaliseEnrolmentCode(request.code));
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ station_id: string; code: string; township: string }>(
      `UPDATE enrolment_codes e SET used_at = now(), used_by = $2
         FROM stations s
        WHERE e.code_hash = $1 AND e.used_at IS NULL AND e.expires_at > now() AND s.id = e.station_id
       RETURNING e.station_id::text AS station_id, s.code, s.township`,
      [codeHash, request.clientId],
    );
    const station = rows[0];
    if (!station) throw new ServiceError('ENROLMENT_CODE_INVALID');
    const client = await tx.query(
      `INSERT INTO clients (client_id, station_id) VALUES ($1, $2) ON CONFLICT (client_id) DO NOTHING RETURNING 1`,
      [request.clientId, station.station_id],
    );
    if (client.rows.length === 0) {
      // Re-enrolling the same install (after a revocation, or a lost credential) keeps its clientId and with it the
      // continuity of its mutation ids; a clientId of another station is never handed over.
      const owner = await tx.query<{ station_id: string }>('SELECT station_id::text AS station_id FROM clients WHERE client_id = $1', [
        request.clientId,
      ]);
      if (owner.rows[0]?.station_id !== station.station_id) throw new ServiceError('CLIENT_ID_TAKEN');
      await tx.query('UPDATE credentials SET revoked_at = now() WHERE client_id = $1 AND revoked_at IS NULL', [request.clientId]);
    }
    const credential = newCredential();
    await tx.query('INSERT INTO credentials (token_hash, client_id, station_id) VALUES ($1, $2, $3)', [
      sha256Hex(credential),
      request.clientId,
      station.station_id,
    ]);
    return {
      credential,
      stationId: station.station_id,
      stationCode: station.code,
      township: station.township,
      clientId: request.clientId,
      protocolVersion: PROTOCOL_VERSION,
    };
  });
}

/** The principal behind a bearer credential, or null when it is unknown or revoked (SP-7). */
export async function authenticate(db: CountyDb, credential: string): Promise<SyncPrincipal | null> {
  if (credential.length === 0 || credential.length > 200) return null;
  const credentialHash = sha256Hex(credential);
  return (await principalsByHash(db, [credentialHash])).get(credentialHash) ?? null;
}

/** The principals of live credentials, by credential hash (SP-7); unknown or revoked hashes are absent. */
export async function principalsByHash(db: CountyDb, hashes: readonly string[]): Promise<Map<string, SyncPrincipal>> {
  const { rows } = await db.lookup<{ token_hash: string; client_id: string; station_id: string; code: string; township: string }>(
    `SELECT c.token_hash, c.client_id, c.station_id::text AS station_id, s.code, s.township
       FROM credentials c JOIN stations s ON s.id = c.station_id
      WHERE c.token_hash = ANY($1::text[]) AND c.revoked_at IS NULL`,
    [hashes],
  );
  return new Map(
    rows.map((r) => [
      r.token_hash,
      { stationId: r.station_id, stationCode: r.code, township: r.township, clientId: r.client_id, credentialHash: r.token_hash },
    ]),
  );
}

/**
 * Revokes every credential and unused enrolment code of a station (SP-8): its next request is refused with 401.
 * The station's records stay; a new enrolment code brings it back.
 */
export async function revokeStation(db: CountyDb, stationId: string): Promise<{ revokedCredentials: number }> {
  const id = parse(uuidText, stationId);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query('SELECT 1 FROM stations WHERE id = $1', [id]);
    if (rows.length === 0) throw new ServiceError('NOT_FOUND', '未找到该工作站。');
    const revoked = await tx.query(
      'UPDATE credentials SET revoked_at = now() WHERE station_id = $1 AND revoked_at IS NULL RETURNING 1',
      [id],
    );
    await tx.query(`UPDATE enrolment_codes SET expires_at = now() WHERE station_id = $1 AND used_at IS NULL AND expires_at > now()`, [id]);
    return { revokedCredentials: revoked.rows.length };
  });
}

export interface StationSummary extends Station {
  /** Name and code the station itself reports (station.settings); differing from the enrolled code is worth a look. */
  reportedName: string | null;
  reportedCode: string | null;
  activeCredentials: number;
  lastPushAt: string | null;
  lastPullAt: string | null;
  /** Latest of push and pull. */
  lastSyncAt: string | null;
  /** Outbox size the station last reported: mutations not yet received by the county. */
  pendingCount: number | null;
  /** Mutations the county refused permanently (rejected). */
  failedCount: number;
  /** Conflicts with county decisions still waiting for a reviewer. */
  openConflicts: number;
}

/** The station list of the county console: who is enrolled, when each last synced, what is stuck. */
export async function listStations(db: CountyDb): Promise<StationSummary[]> {
  const { rows } = await db.query<{
    id: string;
    code: string;
    township: string;
    name: string | null;
    created_at: Date;
    reported_name: string | null;
    reported_code: string | null;
    active_credentials: string | number;
    last_push_at: Date | null;
    last_pull_at: Date | null;
    pending_count: number | null;
    failed_count: string | number;
    open_conflicts: string | number;
  }>(
    `SELECT s.id::text AS id, s.code, s.township, s.name, s.created_at, s.reported_name, s.reported_code,
            (SELECT count(*) FROM credentials c WHERE c.station_id = s.id AND c.revoked_at IS NULL) AS active_credentials,
            (SELECT max(last_push_at) FROM clients c WHERE c.station_id = s.id) AS last_push_at,
            (SELECT max(last_pull_at) FROM clients c WHERE c.station_id = s.id) AS last_pull_at,
            (SELECT sum(pending_count)::int FROM clients c WHERE c.station_id = s.id) AS pending_count,
            (SELECT count(*) FROM mutation_results r WHERE r.station_id = s.id AND r.status = 'rejected') AS failed_count,
            (SELECT count(*) FROM conflicts k WHERE k.station_id = s.id AND k.status = 'open') AS open_conflicts
       FROM stations s ORDER BY s.township, s.code`,
  );
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map((r) => {
    const lastSync = [r.last_push_at, r.last_pull_at].filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
    return {
      id: r.id,
      code: r.code,
      township: r.township,
      name: r.name,
      createdAt: r.created_at.toISOString(),
      reportedName: r.reported_name,
      reportedCode: r.reported_code,
      activeCredentials: Number(r.active_credentials),
      lastPushAt: iso(r.last_push_at),
      lastPullAt: iso(r.last_pull_at),
      lastSyncAt: iso(lastSync),
      pendingCount: r.pending_count,
      failedCount: Number(r.failed_count),
      openConflicts: Number(r.open_conflicts),
    };
  });
}
