import { AppError } from '../../../../shared/ipc/errors';
import { actOnCase, caseDetail, createCase, listCases, setMaterials } from '../../services/cases';
import { attachMaterial, decodeBase64, previewAttachment } from '../../services/materials/attach';
import { noticeListFor, receiptFor } from '../../services/print/receipt';
import { write } from '../../services/unitOfWork';
import type { HandlerContext, StaffIdentity } from '../context';
import type { HandlerMap } from '../handlerTypes';

type CaseCall =
  | 'cases.create'
  | 'cases.get'
  | 'cases.list'
  | 'cases.act'
  | 'cases.setMaterials'
  | 'materials.attach'
  | 'materials.preview'
  | 'print.receipt'
  | 'print.noticeList';

/** Access 'signedIn' guarantees a staff member; this keeps the type honest without a non-null assertion. */
function staffOf(ctx: HandlerContext): StaffIdentity {
  if (!ctx.staff) throw new AppError('UNAUTHENTICATED');
  return ctx.staff;
}

/** Detail after a write: the write is already committed, so the view is recorded in its own entry. */
function detailAfterWrite(ctx: HandlerContext, id: string) {
  const staff = staffOf(ctx);
  ctx.core.emit('status.changed', {});
  return caseDetail(ctx.core.db, id, staff.role);
}

export const caseHandlers: HandlerMap<CaseCall> = {
  'cases.create': (input, ctx) => {
    const staff = staffOf(ctx);
    const { id } = write(ctx.core.db, ctx.actor, (tx) => createCase(tx, input, staff));
    return detailAfterWrite(ctx, id);
  },
  'cases.get': (input, ctx) => {
    const staff = staffOf(ctx);
    const detail = caseDetail(ctx.core.db, input.id, staff.role);
    write(ctx.core.db, ctx.actor, (tx) => tx.audit({ action: 'case.view', entity: 'case', entityId: input.id, changes: { view: 'detail' } }));
    return detail;
  },
  'cases.list': (input, ctx) => {
    const result = listCases(ctx.core.db, input);
    write(ctx.core.db, ctx.actor, (tx) =>
      tx.audit({
        action: 'case.list',
        entity: 'case',
        entityId: null,
        changes: { view: 'list', filter: { ...input, query: input.query ? '(已输入)' : '' }, rows: result.items.length },
      }),
    );
    return result;
  },
  'cases.act': (input, ctx) => {
    const staff = staffOf(ctx);
    write(ctx.core.db, ctx.actor, (tx) => actOnCase(tx, input, staff));
    return detailAfterWrite(ctx, input.caseId);
  },
  'cases.setMaterials': (input, ctx) => {
    write(ctx.core.db, ctx.actor, (tx) => setMaterials(tx, input.caseId, input.received));
    return detailAfterWrite(ctx, input.caseId);
  },
  'materials.attach': (input, ctx) => {
    const info = attachMaterial(ctx.core.db, ctx.core.dataDir, ctx.actor, {
      caseId: input.caseId,
      materialKey: input.materialKey,
      fileName: input.fileName,
      bytes: decodeBase64(input.dataBase64),
    });
    ctx.core.emit('status.changed', {});
    return info;
  },
  'materials.preview': (input, ctx) => previewAttachment(ctx.core.db, ctx.core.dataDir, ctx.actor, input.id),
  'print.receipt': (input, ctx) => receiptFor(ctx.core.db, ctx.actor, input.caseId),
  'print.noticeList': (input, ctx) => noticeListFor(ctx.core.db, ctx.actor, input),
};
