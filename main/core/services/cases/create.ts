import { uuidv7 } from 'uuidv7';
import { dueDate, isActive, isOpen, newCaseSnapshot, type CaseSnapshot } from '../../../../shared/domain/caseMachine';
import { itemByCode } from '../../../../shared/domain/items';
import type { StaffRole } from '../../../../shared/domain/roles';
import { AppError } from '../../../../shared/ipc/errors';
import type { CreateCaseInputSchema } from '../../../../shared/schemas/cases';
import type { z } from 'zod';
import type { WriteTx } from '../unitOfWork';
import { allocateCaseNumber } from './caseNumber';
import { localDateOf, localIso } from './clock';
import { findDuplicates } from './duplicates';
import { CREATE_EVENT } from './read';
import { queue, queueCaseSave } from './rows';

type CreateInput = z.output<typeof CreateCaseInputSchema>;

/** Insert/update columns that follow from the snapshot (kept beside it for lists and the duplicate check). */
export function derivedColumns(s: CaseSnapshot) {
  return { state: s.state, is_open: isOpen(s.state) ? 1 : 0, is_active: isActive(s.state) ? 1 : 0, due_date: dueDate(s) ?? null };
}

/**
 * Registers an application (state `submitted`) with the item's checklist. Refuses with NEEDS_REASON when the
 * person already has a case of the item (see duplicates.ts) unless a reason is given; the reason is stored on the
 * case and in the audit entry.
 */
export function createCase(tx: WriteTx, input: CreateInput, staff: { id: string; role: StaffRole }): { id: string } {
  const item = itemByCode(input.itemCode);
  if (!item) throw new AppError('INVALID_INPUT', '未知的救助事项');
  const applicant = tx.db
    .prepare(
      `SELECT p.id, p.hukou, m.household_id FROM persons p LEFT JOIN household_members m ON m.person_id = p.id WHERE p.id = ?`,
    )
    .get(input.applicantId) as { id: string; hukou: 'urban' | 'rural'; household_id: string | null } | undefined;
  if (!applicant) throw new AppError('NOT_FOUND', '未找到申请人，请先登记人员信息');

  const householdId = input.householdId ?? applicant.household_id;
  if (input.householdId && input.householdId !== applicant.household_id) {
    throw new AppError('INVALID_INPUT', '申请人不是所选家庭的成员');
  }
  const hukou = householdId
    ? ((tx.db.prepare('SELECT hukou FROM households WHERE id = ?').get(householdId) as { hukou: 'urban' | 'rural' } | undefined)?.hukou ??
      applicant.hukou)
    : applicant.hukou;
  if (!householdId && item.requiredFields.includes('householdMembers')) {
    throw new AppError('INVALID_INPUT', `申请“${item.shortName}”需要先登记申请人的家庭（户主、成员、收入）`);
  }

  // 城市/农村低保 follows the household's registration unless the clerk chose otherwise.
  let subKind = input.subKind;
  if (subKind === undefined && item.subKinds.some((k) => k.code === hukou)) subKind = hukou;
  if (item.causes.length > 0 && !input.cause) throw new AppError('INVALID_INPUT', '请选择申请事由');
  if (input.cause && !item.causes.some((c) => c.code === input.cause)) throw new AppError('INVALID_INPUT', '申请事由不在该事项的事由清单中');

  let snapshot: CaseSnapshot;
  try {
    snapshot = newCaseSnapshot(item.code, subKind);
  } catch (err) {
    throw new AppError('INVALID_INPUT', (err as Error).message);
  }

  const localNow = localIso(new Date(tx.now));
  const existing = findDuplicates(tx.db, {
    item,
    applicantId: applicant.id,
    householdId,
    cause: input.cause ?? null,
    localYear: Number(localNow.slice(0, 4)),
  });
  if (existing.length > 0 && !input.duplicateReason) {
    const first = existing[0]!;
    const what =
      first.why === 'sameCauseThisYear'
        ? `本年度已因同一事由申请过“${item.shortName}”（案件编号 ${first.caseNumber}，${first.stateLabel}）`
        : `该人员（或其家庭）已有未办结或正在享受的“${item.shortName}”案件（案件编号 ${first.caseNumber}，${first.stateLabel}）`;
    throw new AppError('NEEDS_REASON', `${what}。如确需继续申请，请填写原因。`, { existing });
  }

  const id = uuidv7();
  const caseNumber = allocateCaseNumber(tx, localDateOf(tx.now));
  const derived = derivedColumns(snapshot);
  const duplicateReason = existing.length > 0 ? (input.duplicateReason ?? null) : null;
  tx.db
    .prepare(
      `INSERT INTO cases (id, case_number, item_code, sub_kind, cause, applicant_id, household_id, state, is_open, is_active,
         due_date, snapshot, duplicate_reason, county_version, version, created_by, created_at, updated_at)
       VALUES (@id, @case_number, @item_code, @sub_kind, @cause, @applicant_id, @household_id, @state, @is_open, @is_active,
         @due_date, @snapshot, @duplicate_reason, 0, 1, @created_by, @now, @now)`,
    )
    .run({
      id,
      case_number: caseNumber,
      item_code: item.code,
      sub_kind: subKind ?? null,
      cause: input.cause ?? null,
      applicant_id: applicant.id,
      household_id: householdId,
      ...derived,
      snapshot: JSON.stringify(snapshot),
      duplicate_reason: duplicateReason,
      created_by: staff.id,
      now: tx.now,
    });
  const insertMaterial = tx.db.prepare(
    `INSERT INTO case_materials (case_id, material_key, name, required, position, received, note) VALUES (?, ?, ?, ?, ?, 0, ?)`,
  );
  item.materials.forEach((m, i) => insertMaterial.run(id, m.key, m.name, m.required ? 1 : 0, i, m.note ?? null));

  const eventId = uuidv7();
  tx.db
    .prepare(
      `INSERT INTO case_events (id, case_id, seq, action, from_state, to_state, payload, actor_id, actor_name, actor_role, at)
       VALUES (?, ?, 1, ?, NULL, ?, ?, ?, ?, ?, ?)`,
    )
    .run(eventId, id, CREATE_EVENT, snapshot.state, JSON.stringify({ itemCode: item.code, subKind: subKind ?? null }), staff.id, tx.actor.name, staff.role, localNow);

  tx.audit({
    action: 'case.create',
    entity: 'case',
    entityId: id,
    changes: {
      caseNumber: [null, caseNumber],
      itemCode: [null, item.code],
      subKind: [null, subKind ?? null],
      cause: [null, input.cause ?? null],
      applicantId: [null, applicant.id],
      householdId: [null, householdId],
      state: [null, snapshot.state],
      ...(duplicateReason ? { duplicateReason: [null, duplicateReason], duplicateOf: [null, existing.map((e) => e.caseNumber)] } : {}),
    },
  });
  queueCaseSave(tx, id);
  queue(tx, 'case.event', {
    caseId: id,
    eventId,
    action: CREATE_EVENT,
    payload: { itemCode: item.code, subKind: subKind ?? null },
    at: localNow,
    fromState: null,
    toState: snapshot.state,
    baseCountyVersion: 0,
  });
  return { id };
}
