import { Buffer } from 'node:buffer';
import { maskIdNumber } from '../../../../shared/domain/idNumber';
import { AppError } from '../../../../shared/ipc/errors';
import { FULL_ID_ROLES } from '../../../../shared/ipc/calls/reports';
import type { Report } from '../../../../shared/reports/model';
import type { ExportFile } from '../../reports/jobs';
import {
  confirmRoster,
  generateRoster,
  JobCancelled,
  listRosters,
  placeName,
  prepareLedger,
  rosterInfo,
  rosterLines,
  runnerFor,
  stationToday,
} from '../../reports';
import { rosterHtml } from '../../reports/rosterPrint';
import { write } from '../../services/unitOfWork';
import type { HandlerContext } from '../context';
import type { HandlerMap } from '../handlerTypes';

type ReportCall =
  | 'reports.run'
  | 'reports.drill'
  | 'reports.summary'
  | 'reports.export'
  | 'reports.cancel'
  | 'payments.rosters'
  | 'payments.generateRoster'
  | 'payments.confirmRoster'
  | 'payments.rosterLines'
  | 'print.paymentRoster';

/** Full ID numbers only for the roles that need them, and only when asked; asking without the role is refused. */
function fullIds(ctx: HandlerContext, requested: boolean): boolean {
  if (!requested) return false;
  const role = ctx.staff?.role;
  if (!role || !(FULL_ID_ROLES as readonly string[]).includes(role)) {
    throw new AppError('FORBIDDEN', '只有审核人或管理员可以查看或导出完整身份证号码');
  }
  return true;
}

const audit = (ctx: HandlerContext, action: string, entity: string, entityId: string | null, changes: Record<string, unknown>) =>
  write(ctx.core.db, ctx.actor, (tx) => tx.audit({ action, entity, entityId, changes }));

const progressOf = (ctx: HandlerContext, jobId: string) => (p: { phase: string; done: number; total: number }) =>
  ctx.core.emit('reports.progress', { jobId, ...p });

export const reportHandlers: HandlerMap<ReportCall> = {
  'reports.run': async (input, ctx) => {
    prepareLedger(ctx.core, ctx.actor);
    const jobId = crypto.randomUUID();
    return runnerFor(ctx.core).run<Report>(jobId, {
      kind: 'report',
      period: input.period,
      filter: input.filter,
      asOf: input.asOf ?? stationToday(),
    });
  },
  'reports.drill': async (input, ctx) => {
    const full = fullIds(ctx, input.fullIdNumbers);
    prepareLedger(ctx.core, ctx.actor);
    const result = await runnerFor(ctx.core).run<{ total: number; rows: unknown[] }>(crypto.randomUUID(), {
      kind: 'drill',
      period: input.period,
      filter: input.filter,
      asOf: input.asOf ?? stationToday(),
      metric: input.metric,
      offset: input.offset,
      limit: input.limit,
      fullIdNumbers: full,
    });
    audit(ctx, 'report.drill', 'case', null, {
      view: 'list',
      metric: input.metric,
      period: input.period,
      filter: input.filter,
      rows: result.rows.length,
      masked: !full,
    });
    return result as never;
  },
  'reports.summary': async (input, ctx) => {
    prepareLedger(ctx.core, ctx.actor);
    return runnerFor(ctx.core).run(crypto.randomUUID(), {
      kind: 'summary',
      period: input.period,
      asOf: stationToday(),
      placeName: placeName(ctx.core),
    });
  },
  'reports.export': async (input, ctx) => {
    const full = fullIds(ctx, input.fullIdNumbers);
    if (input.spec.what === 'roster') rosterInfo(ctx.core.db, input.spec.rosterId);
    prepareLedger(ctx.core, ctx.actor);
    let file: ExportFile;
    try {
      file = await runnerFor(ctx.core).run<ExportFile>(
        input.jobId,
        { kind: 'export', spec: input.spec, asOf: stationToday(), placeName: placeName(ctx.core), fullIdNumbers: full },
        progressOf(ctx, input.jobId),
      );
    } catch (err) {
      if (err instanceof JobCancelled) return { status: 'cancelled' as const };
      throw err;
    }
    // Summaries carry no personal data but are recorded all the same: every export leaves a trace.
    audit(ctx, 'report.export', input.spec.what === 'roster' ? 'payment_roster' : 'report', input.spec.what === 'roster' ? input.spec.rosterId : null, {
      export: input.spec.what,
      spec: input.spec,
      fileName: file.fileName,
      rows: file.rows,
      masked: !full,
    });
    return {
      status: 'done' as const,
      fileName: file.fileName,
      mime: file.mime,
      dataBase64: Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength).toString('base64'),
      rows: file.rows,
      masked: !full,
    };
  },
  'reports.cancel': (input, ctx) => ({ cancelled: runnerFor(ctx.core).cancel(input.jobId) }),
  'payments.rosters': (input, ctx) => listRosters(ctx.core.db, input),
  'payments.generateRoster': (input, ctx) =>
    write(ctx.core.db, ctx.actor, (tx) => generateRoster(tx, input.itemCode, input.month)),
  'payments.confirmRoster': (input, ctx) => write(ctx.core.db, ctx.actor, (tx) => confirmRoster(tx, input.rosterId)),
  'payments.rosterLines': (input, ctx) => {
    const full = fullIds(ctx, input.fullIdNumbers);
    const roster = rosterInfo(ctx.core.db, input.rosterId);
    const lines = rosterLines(ctx.core.db, input.rosterId).map((l) => (full ? l : { ...l, idNumber: maskIdNumber(l.idNumber) }));
    audit(ctx, 'payments.roster.view', 'payment_roster', input.rosterId, { view: 'roster', rows: lines.length, masked: !full });
    return { roster, lines, masked: !full };
  },
  'print.paymentRoster': (input, ctx) => {
    const full = fullIds(ctx, input.fullIdNumbers);
    const roster = rosterInfo(ctx.core.db, input.rosterId);
    const lines = rosterLines(ctx.core.db, input.rosterId);
    const html = rosterHtml(placeName(ctx.core), roster, lines, full);
    audit(ctx, 'print.paymentRoster', 'payment_roster', input.rosterId, { export: 'paymentRoster', rows: lines.length, masked: !full });
    return { title: `${roster.month} ${roster.itemName}发放名册`, html };
  },
};
