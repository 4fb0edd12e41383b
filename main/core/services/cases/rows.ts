import { CaseSnapshotSchema, type CaseSnapshot, type CaseState } from '../../../../shared/domain/caseMachine';
import { AppError } from '../../../../shared/ipc/errors';
import { parseMutation, type MutationName } from '../../../../shared/sync/mutations';
import type { Db } from '../../db/open';
import type { WriteTx } from '../unitOfWork';

export interface CaseRow {
  id: string;
  case_number: string;
  item_code: string;
  sub_kind: string | null;
  cause: string | null;
  applicant_id: string;
  household_id: string | null;
  state: CaseState;
  is_open: number;
  is_active: number;
  due_date: string | null;
  snapshot: string;
  duplicate_reason: string | null;
  county_version: number;
  version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface MaterialRow {
  case_id: string;
  material_key: string;
  name: string;
  required: number;
  position: number;
  received: number;
  note: string | null;
}

export function caseRow(db: Db, id: string): CaseRow | null {
  return (db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined) ?? null;
}

export function requireCase(db: Db, id: string): CaseRow {
  const row = caseRow(db, id);
  if (!row) throw new AppError('NOT_FOUND', '未找到该案件');
  return row;
}

/** The stored snapshot, checked: a damaged one is an internal error, never silently "fixed". */
export function snapshotOf(row: CaseRow): CaseSnapshot {
  return CaseSnapshotSchema.parse(JSON.parse(row.snapshot));
}

export function materialRows(db: Db, caseId: string): MaterialRow[] {
  return db.prepare('SELECT * FROM case_materials WHERE case_id = ? ORDER BY position').all(caseId) as MaterialRow[];
}

/** Keys of checklist lines that count as received: ticked on paper, or with a scan attached. */
export function receivedKeys(db: Db, caseId: string): Set<string> {
  const rows = db
    .prepare(
      `SELECT material_key FROM case_materials WHERE case_id = ? AND received = 1
       UNION SELECT material_key FROM attachments WHERE case_id = ?`,
    )
    .all(caseId, caseId) as { material_key: string }[];
  return new Set(rows.map((r) => r.material_key));
}

/** The case as it travels to the county (`case.save` data): the full current row, checklist included. */
export function caseData(db: Db, row: CaseRow): Record<string, unknown> {
  const received = receivedKeys(db, row.id);
  return {
    id: row.id,
    caseNumber: row.case_number,
    itemCode: row.item_code,
    subKind: row.sub_kind,
    cause: row.cause,
    applicantId: row.applicant_id,
    householdId: row.household_id,
    state: row.state,
    dueDate: row.due_date,
    snapshot: JSON.parse(row.snapshot) as unknown,
    duplicateReason: row.duplicate_reason,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    materials: materialRows(db, row.id).map((m) => ({ key: m.material_key, required: m.required === 1, received: received.has(m.material_key) })),
  };
}

/**
 * Queues a mutation after checking it against the same schema the county applies (shared/sync/mutations.ts): a
 * mutation the county would refuse must fail here, inside the transaction, and not days later at sync time.
 */
export function queue(tx: WriteTx, name: MutationName, args: unknown): number {
  const checked = parseMutation(0, name, args);
  if (!checked.ok) throw new Error(`outbox mutation refused by its own schema: ${checked.message}`);
  return tx.mutate(name, checked.mutation.args);
}

export function queueCaseSave(tx: WriteTx, caseId: string): void {
  const row = requireCase(tx.db, caseId);
  queue(tx, 'case.save', { id: row.id, data: caseData(tx.db, row), baseCountyVersion: row.county_version });
}
