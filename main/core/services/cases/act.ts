import { uuidv7 } from 'uuidv7';
import { applyAction, isOpen, type CaseAction, type CaseSnapshot } from '../../../../shared/domain/caseMachine';
import type { StaffRole } from '../../../../shared/domain/roles';
import { AppError } from '../../../../shared/ipc/errors';
import { diffFields } from '../audit';
import { standardOn } from '../standards';
import type { WriteTx } from '../unitOfWork';
import { localIso } from './clock';
import { derivedColumns } from './create';
import { postPaymentOfEvent } from '../../reports/ledger';
import { materialRows, queue, queueCaseSave, receivedKeys, requireCase, snapshotOf } from './rows';

export interface ActRequest {
  caseId: string;
  action: CaseAction;
  payload: Record<string, unknown>;
  expectedVersion?: number | undefined;
}

/**
 * The checklist decides what the counter actions say about materials, not the form: `accept` counts everything
 * ticked or scanned, and the one-time notice (一次性告知) lists exactly the required lines still missing, so the
 * applicant is told everything once and nothing twice.
 */
function counterPayload(tx: WriteTx, req: ActRequest): Record<string, unknown> {
  if (req.action !== 'accept' && req.action !== 'requestMaterials') return req.payload;
  const lines = materialRows(tx.db, req.caseId);
  const keys = new Set(lines.map((l) => l.material_key));
  const received = receivedKeys(tx.db, req.caseId);
  if (req.action === 'accept') {
    const claimed = Array.isArray(req.payload.materialsReceived) ? (req.payload.materialsReceived as unknown[]) : [];
    for (const k of claimed) {
      if (typeof k !== 'string' || !keys.has(k)) throw new AppError('INVALID_INPUT', '已收材料中有不属于该事项清单的项目');
      received.add(k);
    }
    return { ...req.payload, materialsReceived: lines.filter((l) => received.has(l.material_key)).map((l) => l.material_key) };
  }
  const missing = lines.filter((l) => l.required === 1 && !received.has(l.material_key)).map((l) => l.name);
  if (missing.length === 0) throw new AppError('INVALID_INPUT', '必备材料已经齐全，无需一次性告知，请直接受理');
  return { ...req.payload, missing };
}

/** One step of the procedure, checked by the state machine for the signed-in staff member's role. */
export function actOnCase(tx: WriteTx, req: ActRequest, staff: { id: string; role: StaffRole }): void {
  const row = requireCase(tx.db, req.caseId);
  if (req.expectedVersion !== undefined && req.expectedVersion !== row.version) {
    throw new AppError('CONFLICT', '案件已被他人办理或修改，请刷新后重试');
  }
  const before = snapshotOf(row);
  const localNow = localIso(new Date(tx.now));
  const payload = counterPayload(tx, req);
  const hukou =
    (tx.db.prepare('SELECT hukou FROM households WHERE id = ?').get(row.household_id) as { hukou: 'urban' | 'rural' } | undefined)?.hukou ?? 'rural';
  const limit = standardOn(tx.db, 'temporaryLimit', hukou, localNow.slice(0, 10));
  const result = applyAction(before, req.action, payload, {
    role: staff.role,
    now: localNow,
    ...(limit ? { townshipLimitFen: limit.amountFen } : {}),
  });
  if (!result.ok) throw new AppError(result.code, result.message);
  const after: CaseSnapshot = result.snapshot;

  if (req.action === 'accept') {
    const set = tx.db.prepare('UPDATE case_materials SET received = 1 WHERE case_id = ? AND material_key = ?');
    for (const k of (result.event.payload as { materialsReceived: string[] }).materialsReceived) set.run(row.id, k);
  }
  tx.db
    .prepare(
      `UPDATE cases SET state = @state, is_open = @is_open, is_active = @is_active, due_date = @due_date, snapshot = @snapshot,
         version = version + 1, updated_at = @now WHERE id = @id`,
    )
    .run({ id: row.id, ...derivedColumns(after), snapshot: JSON.stringify(after), now: tx.now });
  const seq = (tx.db.prepare('SELECT max(seq) AS s FROM case_events WHERE case_id = ?').get(row.id) as { s: number }).s + 1;
  const eventId = uuidv7();
  const eventPayload = result.event.payload as Record<string, unknown>;
  tx.db
    .prepare(
      `INSERT INTO case_events (id, case_id, seq, action, from_state, to_state, payload, actor_id, actor_name, actor_role, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(eventId, row.id, seq, req.action, before.state, after.state, JSON.stringify(eventPayload), staff.id, tx.actor.name, staff.role, localNow);
  tx.audit({
    action: `case.${req.action}`,
    entity: 'case',
    entityId: row.id,
    changes: { ...diffFields(before as Record<string, unknown>, after as Record<string, unknown>), payload: [null, eventPayload] },
  });
  queue(tx, 'case.event', {
    caseId: row.id,
    eventId,
    action: req.action,
    payload: eventPayload,
    at: localNow,
    fromState: before.state,
    toState: after.state,
    baseCountyVersion: row.county_version,
  });
  queueCaseSave(tx, row.id);
  // The money leaves with the action that pays it, so a report never misses it (the ledger's catch-up is a backstop).
  postPaymentOfEvent(tx, { id: eventId, caseId: row.id, action: req.action, at: localNow, payload: eventPayload });
}

/** Ticks the paper materials received. A line with a scan attached stays received whatever the ticks say. */
export function setMaterials(tx: WriteTx, caseId: string, received: readonly string[]): void {
  const row = requireCase(tx.db, caseId);
  if (!isOpen(row.state)) throw new AppError('ILLEGAL_TRANSITION', '案件已办结，不能再修改材料');
  const lines = materialRows(tx.db, caseId);
  const keys = new Set(lines.map((l) => l.material_key));
  const wanted = new Set(received);
  for (const k of wanted) if (!keys.has(k)) throw new AppError('INVALID_INPUT', '勾选的材料不属于该事项的材料清单');
  const beforeKeys = lines.filter((l) => l.received === 1).map((l) => l.material_key);
  const set = tx.db.prepare('UPDATE case_materials SET received = ? WHERE case_id = ? AND material_key = ?');
  for (const l of lines) set.run(wanted.has(l.material_key) ? 1 : 0, caseId, l.material_key);
  const afterKeys = lines.filter((l) => wanted.has(l.material_key)).map((l) => l.material_key);
  const changes = diffFields({ received: beforeKeys }, { received: afterKeys });
  if (Object.keys(changes).length === 0) return;
  tx.db.prepare('UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ?').run(tx.now, caseId);
  tx.audit({ action: 'case.materials', entity: 'case', entityId: caseId, changes });
  queueCaseSave(tx, caseId);
}
