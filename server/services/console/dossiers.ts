import { z } from 'zod';
import { maskIdNumber } from '../../../shared/domain/idNumber';
import { itemByCode } from '../../../shared/domain/items';
import { uuidText } from '../../../shared/sync/mutations';
import type { CountyDb, Queryable } from '../../db/types';
import { getCase } from '../cases';
import { describeIssue, ServiceError } from '../errors';
import { duplicatesOfCase } from './duplicates';
import type { CaseDossier, CheckRequest, DossierPerson, InboxItem } from './model';

/**
 * Read side of the console: the approval inbox, the economic-check requests and the full dossier of one case,
 * assembled from what the stations pushed (server/services/push.ts stores their rows as sent). Station rows are
 * read defensively: their shape belongs to the station and may evolve.
 */

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function perCapita(household: Json | null): number | null {
  const income = num(household?.monthlyIncomeFen);
  const members = num(household?.memberCount);
  return income !== null && members !== null && members > 0 ? Math.floor(income / members) : null;
}

export const inboxQuery = z.object({
  stationId: uuidText.optional(),
  itemCode: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Cases the stations handed to the county (state awaitingCounty) that have no county decision yet, oldest first. */
export async function listInbox(db: CountyDb, input: z.input<typeof inboxQuery> = {}): Promise<{ total: number; items: InboxItem[] }> {
  const parsed = inboxQuery.safeParse(input);
  if (!parsed.success) throw new ServiceError('INVALID_INPUT', describeIssue(parsed.error.issues));
  const q = parsed.data;
  const where = [`c.station_state = 'awaitingCounty'`, 'c.decision IS NULL'];
  const params: unknown[] = [];
  if (q.stationId) where.push(`c.station_id = $${params.push(q.stationId)}`);
  if (q.itemCode) where.push(`c.data->>'itemCode' = $${params.push(q.itemCode)}`);
  const filter = `WHERE ${where.join(' AND ')}`;
  return db.transaction(
    async (tx) => {
      const total = await tx.query<{ n: string | number }>(`SELECT count(*) AS n FROM cases c ${filter}`, params);
      const { rows } = await tx.query<{
        id: string;
        station_id: string;
        code: string;
        township: string;
        data: Json | null;
        station_state: string | null;
        updated_at: Date;
        person: Json | null;
        household: Json | null;
        handed_off_at: string | null;
        duplicate: boolean;
      }>(
        `SELECT c.id::text AS id, c.station_id::text AS station_id, s.code, s.township, c.data, c.station_state, c.updated_at,
                p.data AS person, h.data AS household,
                (SELECT max(e.at) FROM case_events e WHERE e.case_id = c.id AND e.action = 'handOffToCounty') AS handed_off_at,
                EXISTS (SELECT 1 FROM duplicate_flags f WHERE f.case_id = c.id) AS duplicate
           FROM cases c
           JOIN stations s ON s.id = c.station_id
           LEFT JOIN persons p ON p.id::text = c.data->>'applicantId'
           LEFT JOIN households h ON h.id::text = c.data->>'householdId'
           ${filter}
          ORDER BY c.updated_at, c.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, q.limit, q.offset],
      );
      return {
        total: Number(total.rows[0]?.n ?? 0),
        items: rows.map((r) => {
          const idNumber = str(r.person?.idNumber);
          return {
            caseId: r.id,
            caseNumber: str(r.data?.caseNumber),
            itemCode: str(r.data?.itemCode),
            subKind: str(r.data?.subKind),
            stationId: r.station_id,
            stationCode: r.code,
            township: r.township,
            applicantName: str(r.person?.name),
            applicantIdMasked: idNumber ? maskIdNumber(idNumber) : null,
            village: str(r.household?.village),
            perCapitaFen: perCapita(r.household),
            memberCount: num(r.household?.memberCount),
            stationState: r.station_state,
            handedOffAt: r.handed_off_at,
            updatedAt: r.updated_at.toISOString(),
            duplicate: r.duplicate,
          };
        }),
      };
    },
    { isolation: 'repeatable read', readOnly: true },
  );
}

function toPerson(id: string, data: Json | null, relation: string | null, reveal: boolean): DossierPerson {
  const idNumber = str(data?.idNumber);
  return {
    id,
    name: str(data?.name),
    idNumber: idNumber ? (reveal ? idNumber : maskIdNumber(idNumber)) : null,
    idRevealed: reveal && idNumber !== null,
    sex: str(data?.sex),
    birthDate: str(data?.birthDate),
    relation,
    hukou: str(data?.hukou),
    disabilityCategory: str(data?.disabilityCategory),
    disabilityGrade: num(data?.disabilityGrade),
    workAbility: str(data?.workAbility),
    health: str(data?.health),
    phone: str(data?.phone),
  };
}

async function personsById(q: Queryable, ids: string[]): Promise<Map<string, Json>> {
  const valid = ids.filter((id) => uuidText.safeParse(id).success);
  if (valid.length === 0) return new Map();
  const { rows } = await q.query<{ id: string; data: Json }>('SELECT id::text AS id, data FROM persons WHERE id = ANY($1::uuid[])', [valid]);
  return new Map(rows.map((r) => [r.id, r.data]));
}

/**
 * Everything the county holds about one case: the station's case row, applicant, household with members and
 * income, materials and scans, the procedure's events (home visit, democratic review, public notice …), the county's
 * own data and duplicate flags. ID numbers are masked unless `reveal` (the caller audits the reveal).
 */
export async function caseDossier(db: CountyDb, caseId: string, options: { reveal?: boolean } = {}): Promise<CaseDossier> {
  const base = await getCase(db, caseId);
  const reveal = options.reveal === true;
  const data = base.data;
  const itemCode = str(data?.itemCode);
  const applicantId = str(data?.applicantId);
  const householdId = str(data?.householdId);

  const extra = await db.transaction(
    async (tx) => {
      const station = await tx.query<{ township: string }>('SELECT township FROM stations WHERE id = $1', [base.stationId]);
      const household =
        householdId && uuidText.safeParse(householdId).success
          ? ((await tx.query<{ data: Json }>('SELECT data FROM households WHERE id = $1', [householdId])).rows[0]?.data ?? null)
          : null;
      const memberRefs = arr(household?.members)
        .map(obj)
        .filter((m): m is Json => m !== null && typeof m.personId === 'string');
      const people = await personsById(tx, [...new Set([...(applicantId ? [applicantId] : []), ...memberRefs.map((m) => m.personId as string)])]);
      const duplicates = await duplicatesOfCase(tx, base.id);
      return { township: station.rows[0]?.township ?? '', household, memberRefs, people, duplicates };
    },
    { isolation: 'repeatable read', readOnly: true },
  );

  const item = itemCode ? itemByCode(itemCode) : undefined;
  const materialName = (key: string) => item?.materials.find((m) => m.key === key)?.name ?? key;
  const h = extra.household;
  const applicantRelation = extra.memberRefs.find((m) => m.personId === applicantId);
  return {
    caseId: base.id,
    caseNumber: str(data?.caseNumber),
    itemCode,
    subKind: str(data?.subKind),
    cause: str(data?.cause),
    stationId: base.stationId,
    stationCode: base.stationCode,
    township: extra.township,
    stationState: base.stationState,
    snapshot: obj(data?.snapshot),
    applicant: applicantId
      ? toPerson(applicantId, extra.people.get(applicantId) ?? null, str(applicantRelation?.relation), reveal)
      : null,
    household: h
      ? {
          id: householdId!,
          hukou: str(h.hukou),
          village: str(h.village),
          address: str(h.address),
          memberCount: num(h.memberCount),
          monthlyIncomeFen: num(h.monthlyIncomeFen),
          perCapitaFen: perCapita(h),
          incomeItems: arr(h.incomeItems)
            .map(obj)
            .filter((i): i is Json => i !== null)
            .map((i) => ({
              kind: str(i.kind) ?? 'other',
              monthlyFen: num(i.monthlyFen) ?? 0,
              ...(str(i.note) ? { note: str(i.note)! } : {}),
              personId: str(i.personId),
            })),
          assets: obj(h.assets),
        }
      : null,
    members: extra.memberRefs.map((m) => toPerson(m.personId as string, extra.people.get(m.personId as string) ?? null, str(m.relation), reveal)),
    materials: arr(data?.materials)
      .map(obj)
      .filter((m): m is Json => m !== null && typeof m.key === 'string')
      .map((m) => ({ key: m.key as string, name: materialName(m.key as string), required: m.required === true, received: m.received === true })),
    attachments: base.attachments,
    events: base.events.map((e) => ({
      eventId: e.eventId,
      action: e.action,
      at: e.at,
      fromState: e.fromState,
      toState: e.toState,
      payload: obj(e.payload) ?? {},
    })),
    county: base.county,
    duplicates: extra.duplicates,
    awaitingDecision: base.stationState === 'awaitingCounty' && base.county.decision === null,
  };
}

/** The persons whose full ID numbers a reveal shows, for the audit entry (ids only). */
export function personIdsOf(d: CaseDossier): string[] {
  return [...new Set([...(d.applicant ? [d.applicant.id] : []), ...d.members.map((m) => m.id)])];
}

/**
 * Economic-check requests (核对申请): cases with a requestEconomicCheck event. Pending while no county result was
 * recorded after the latest request.
 */
export async function listCheckRequests(db: CountyDb, options: { pendingOnly?: boolean } = {}): Promise<CheckRequest[]> {
  const { rows } = await db.query<{
    id: string;
    code: string;
    township: string;
    data: Json | null;
    person: Json | null;
    requested_at: string;
    received_at: Date;
    payload: Json;
    last_check: { result: 'pass' | 'fail'; findings: string; checked_at: string; checked_by: string } | null;
  }>(
    `SELECT c.id::text AS id, s.code, s.township, c.data, p.data AS person, r.at AS requested_at, r.received_at, r.payload,
            (SELECT jsonb_build_object('result', k.result, 'findings', k.findings, 'checked_at', k.checked_at, 'checked_by', k.checked_by)
               FROM economic_checks k WHERE k.case_id = c.id ORDER BY k.checked_at DESC, k.id LIMIT 1) AS last_check
       FROM cases c
       JOIN stations s ON s.id = c.station_id
       JOIN LATERAL (SELECT e.at, e.received_at, e.payload FROM case_events e
                      WHERE e.case_id = c.id AND e.action = 'requestEconomicCheck' ORDER BY e.received_at DESC, e.at DESC LIMIT 1) r ON true
       LEFT JOIN persons p ON p.id::text = c.data->>'applicantId'
      ORDER BY r.received_at, c.id
      LIMIT 2000`,
  );
  const out: CheckRequest[] = rows.map((r) => {
    const last = r.last_check;
    const pending = !last || new Date(last.checked_at).getTime() < r.received_at.getTime();
    const idNumber = str(r.person?.idNumber);
    return {
      caseId: r.id,
      caseNumber: str(r.data?.caseNumber),
      itemCode: str(r.data?.itemCode),
      stationCode: r.code,
      township: r.township,
      applicantName: str(r.person?.name),
      applicantIdMasked: idNumber ? maskIdNumber(idNumber) : null,
      requestedAt: r.requested_at,
      note: str(r.payload?.note),
      pending,
      lastResult: last ? { result: last.result, findings: last.findings, checkedAt: new Date(last.checked_at).toISOString(), checkedBy: last.checked_by } : null,
    };
  });
  return options.pendingOnly ? out.filter((r) => r.pending) : out;
}
