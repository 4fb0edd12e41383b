import {
  ACTION_LABELS,
  availableActions,
  CASE_ACTIONS,
  STATE_LABELS,
  type CaseAction,
  type CaseState,
} from '../../../../shared/domain/caseMachine';
import { maskIdNumber } from '../../../../shared/domain/idNumber';
import { itemByCode } from '../../../../shared/domain/items';
import type { StaffRole } from '../../../../shared/domain/roles';
import { AppError } from '../../../../shared/ipc/errors';
import type {
  AttachmentInfo,
  CaseDetail,
  CaseEventInfo,
  CaseListInput,
  CaseSummary,
  UploadMime,
} from '../../../../shared/schemas/cases';
import type { Db } from '../../db/open';
import type { DuplicateFlag } from '../../../../shared/sync/protocol';
import { readCountyRow } from '../../sync/countyRows';
import { localIso } from './clock';
import { materialRows, snapshotOf, type CaseRow } from './rows';

/** Labels for the timeline entry that opens every case (creation is not a machine action). */
export const CREATE_EVENT = 'create';
const eventLabel = (action: string) =>
  action === CREATE_EVENT ? '登记申请' : (CASE_ACTIONS as readonly string[]).includes(action) ? ACTION_LABELS[action as CaseAction] : action;

interface SummaryRow extends CaseRow {
  applicant_name: string;
  applicant_id_number: string;
  village: string | null;
}

const SUMMARY_SELECT = `
  SELECT c.*, p.name AS applicant_name, p.id_number AS applicant_id_number, h.village AS village
  FROM cases c
  JOIN persons p ON p.id = c.applicant_id
  LEFT JOIN households h ON h.id = c.household_id`;

function toSummary(r: SummaryRow, today: string): CaseSummary {
  const item = itemByCode(r.item_code);
  return {
    id: r.id,
    caseNumber: r.case_number,
    itemCode: r.item_code,
    itemName: item?.name ?? r.item_code,
    subKind: r.sub_kind,
    subKindName: item?.subKinds.find((k) => k.code === r.sub_kind)?.name ?? null,
    state: r.state,
    stateLabel: STATE_LABELS[r.state],
    applicantId: r.applicant_id,
    applicantName: r.applicant_name,
    applicantIdMasked: maskIdNumber(r.applicant_id_number),
    village: r.village,
    dueDate: r.due_date,
    // Same rule as isOverdue() in the machine: due_date is dueDate(snapshot), stored for the index.
    overdue: r.due_date !== null && today > r.due_date,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function attachmentsOf(db: Db, caseId: string): AttachmentInfo[] {
  return (
    db
      .prepare('SELECT id, material_key, sha256, size, mime, file_name, created_at FROM attachments WHERE case_id = ? ORDER BY created_at, id')
      .all(caseId) as { id: string; material_key: string; sha256: string; size: number; mime: UploadMime; file_name: string; created_at: string }[]
  ).map((a) => ({ id: a.id, materialKey: a.material_key, sha256: a.sha256, size: a.size, mime: a.mime, fileName: a.file_name, createdAt: a.created_at }));
}

export function caseEvents(db: Db, caseId: string): CaseEventInfo[] {
  return (
    db.prepare('SELECT * FROM case_events WHERE case_id = ? ORDER BY seq').all(caseId) as {
      id: string;
      seq: number;
      action: string;
      from_state: CaseState | null;
      to_state: CaseState;
      payload: string;
      actor_name: string;
      actor_role: string;
      at: string;
    }[]
  ).map((e) => ({
    id: e.id,
    seq: e.seq,
    action: e.action,
    actionLabel: eventLabel(e.action),
    fromState: e.from_state,
    toState: e.to_state,
    payload: JSON.parse(e.payload) as Record<string, unknown>,
    actorName: e.actor_name,
    actorRole: e.actor_role,
    at: e.at,
  }));
}

/** Everything the case screen shows; `role` decides which actions are offered. */
export function caseDetail(db: Db, id: string, role: StaffRole, now: Date = new Date()): CaseDetail {
  const r = db.prepare(`${SUMMARY_SELECT} WHERE c.id = ?`).get(id) as SummaryRow | undefined;
  if (!r) throw new AppError('NOT_FOUND', '未找到该案件');
  const nowLocal = localIso(now);
  const snapshot = snapshotOf(r);
  const attachments = attachmentsOf(db, id);
  const materials = materialRows(db, id).map((m) => {
    const own = attachments.filter((a) => a.materialKey === m.material_key);
    return {
      key: m.material_key,
      name: m.name,
      required: m.required === 1,
      received: m.received === 1 || own.length > 0,
      note: m.note,
      attachments: own,
    };
  });
  const item = itemByCode(r.item_code);
  return {
    ...toSummary(r, nowLocal.slice(0, 10)),
    householdId: r.household_id,
    cause: r.cause,
    causeName: item?.causes.find((c) => c.code === r.cause)?.name ?? null,
    version: r.version,
    countyVersion: r.county_version,
    duplicateReason: r.duplicate_reason,
    countyDuplicates: (readCountyRow<DuplicateFlag>(db, 'duplicate_flag', id)?.others ?? []).map((o) => ({
      stationCode: o.stationCode,
      township: o.township,
      caseNumber: o.caseNumber,
      state: o.state,
    })),
    snapshot: snapshot as unknown as Record<string, unknown>,
    materials,
    missingRequired: materials.filter((m) => m.required && !m.received).map((m) => m.name),
    events: caseEvents(db, id),
    availableActions: availableActions(snapshot, role, nowLocal),
  };
}

const GROUP_WHERE: Record<string, string> = {
  all: '',
  open: 'c.is_open = 1',
  active: 'c.is_active = 1',
  ended: 'c.is_open = 0 AND c.is_active = 0',
};

export function listCases(db: Db, input: Required<Omit<CaseListInput, 'state' | 'itemCode' | 'applicantId'>> & Pick<CaseListInput, 'state' | 'itemCode' | 'applicantId'>, now: Date = new Date()) {
  const today = localIso(now).slice(0, 10);
  const where: string[] = [];
  const params: unknown[] = [];
  if (input.state) {
    where.push('c.state = ?');
    params.push(input.state);
  }
  const group = GROUP_WHERE[input.group ?? 'all'];
  if (group) where.push(group);
  if (input.itemCode) {
    where.push('c.item_code = ?');
    params.push(input.itemCode);
  }
  if (input.applicantId) {
    where.push('c.applicant_id = ?');
    params.push(input.applicantId);
  }
  if (input.overdue) {
    where.push('c.due_date IS NOT NULL AND c.due_date < ?');
    params.push(today);
  }
  const q = (input.query ?? '').trim();
  if (q) {
    if (/^\d{4,}$/.test(q)) {
      // A run of digits is (the tail of) a case number: the clerk reads the last digits off a receipt.
      where.push('(c.case_number = ? OR c.case_number LIKE ?)');
      params.push(q, `%${q}`);
    } else {
      where.push('p.name LIKE ?');
      params.push(`%${q.replace(/[%_]/g, '')}%`);
    }
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM cases c JOIN persons p ON p.id = c.applicant_id ${whereSql}`).get(...params) as { n: number }).n;
  const rows = db
    .prepare(`${SUMMARY_SELECT} ${whereSql} ORDER BY c.created_at DESC, c.id DESC LIMIT ? OFFSET ?`)
    .all(...params, input.limit ?? 1000, input.offset ?? 0) as SummaryRow[];
  return { items: rows.map((r) => toSummary(r, today)), total };
}
