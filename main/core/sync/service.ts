import { maskIdNumber } from '../../../shared/domain/idNumber';
import { AppError } from '../../../shared/ipc/errors';
import type { SyncIssue, SyncStatus } from '../../../shared/ipc/calls/sync';
import { parseMutation, type MutationName } from '../../../shared/sync/mutations';
import type { CaseCountyData } from '../../../shared/sync/protocol';
import type { Actor } from '../services/audit';
import { caseRow, queueCaseSave } from '../services/cases/rows';
import { write } from '../services/unitOfWork';
import type { StationCore } from '../station';
import { pendingUploads } from './attachments';
import { readCountyRow } from './county';
import { clientIdOf, readEnrolment, readSyncState, saveEnrolment, outboxSize } from './state';
import { syncControlFor } from './thread/control';
import { CountyTransport, normaliseCountyUrl, SyncFailure } from './transport';

/** Use cases of the 同步 page (shared/ipc/calls/sync.ts). */

// Every mutation name needs a label (the type makes a new mutation without one a compile error).
const LABELS: Record<MutationName, string> = {
  'station.settings': '站点设置',
  'person.save': '人员信息',
  'household.save': '家庭信息',
  'case.save': '案件',
  'case.event': '案件办理环节',
  'attachment.register': '材料扫描件',
  'payment.record': '发放记录',
};

export function syncStatus(core: StationCore): SyncStatus {
  const db = core.db;
  const engine = syncControlFor(core);
  const e = readEnrolment(db);
  const s = readSyncState(db);
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    enrolment: e
      ? { countyUrl: e.countyUrl, stationCode: e.stationCode, township: e.township, clientId: e.clientId, enrolledAt: e.enrolledAt, revoked: e.revokedAt !== null }
      : null,
    defaultCountyUrl: engine.options.defaultCountyUrl ?? null,
    connection: e ? core.connection.state : 'unknown',
    running: engine.isRunning,
    progress: engine.progress,
    lastSuccessAt: s.lastSuccessAt,
    lastAttemptAt: s.lastAttemptAt,
    lastError: s.lastErrorCode ? { code: s.lastErrorCode, message: s.lastError ?? '' } : null,
    nextRunAt: engine.nextRunAt ? new Date(engine.nextRunAt).toISOString() : null,
    pending: outboxSize(db),
    confirmedMutationId: s.confirmedMutationId,
    uploadsPending: pendingUploads(db),
    openIssues: n('SELECT count(*) AS n FROM sync_outcomes WHERE resolution IS NULL'),
    pendingCountyEffects: n(`SELECT count(*) AS n FROM county_effects WHERE status = 'pending'`),
  };
}

/**
 * SP-5: exchanges the one-time code for a credential, kept only in the encrypted store. Re-enrolment of the same
 * station (after a revocation or a lost credential) keeps the client id, so the county continues its counter.
 */
export async function enrolStation(core: StationCore, input: { countyUrl: string; code: string }, actor: Actor): Promise<SyncStatus> {
  let url: string;
  try {
    url = normaliseCountyUrl(input.countyUrl);
  } catch (err) {
    throw new AppError('INVALID_INPUT', (err as Error).message, [{ path: 'countyUrl', message: (err as Error).message }]);
  }
  const clientId = write(core.db, actor, () => clientIdOf(core.db));
  const before = readEnrolment(core.db);
  const engine = syncControlFor(core);
  let res;
  try {
    res = await new CountyTransport({ baseUrl: url, timeoutMs: 30_000, fetchImpl: engine.options.fetchImpl }).enrol(input.code, clientId);
  } catch (err) {
    if (err instanceof SyncFailure) {
      const field = err.code === 'ENROLMENT_CODE_INVALID' ? 'code' : 'countyUrl';
      const message = err.code === 'NETWORK' ? '无法连接县级服务器，请检查地址和网络后重试。' : err.message;
      throw new AppError('INVALID_INPUT', message, [{ path: field, message }]);
    }
    throw err;
  }
  if (before && before.stationId !== res.stationId && readSyncState(core.db).confirmedMutationId > 0) {
    throw new AppError('CONFLICT', '本机已作为另一个工作站同步过数据，不能改注册为其他工作站，请联系县民政局。');
  }
  write(core.db, actor, (tx) => {
    saveEnrolment(tx.db, {
      countyUrl: url,
      stationId: res.stationId,
      stationCode: res.stationCode,
      township: res.township,
      clientId: res.clientId,
      credential: res.credential,
      enrolledAt: tx.now,
    });
    // Another county (or a rebuilt one) starts from a full snapshot; the same one continues from the cursor.
    if (!before || before.countyUrl !== url || before.stationId !== res.stationId) tx.db.prepare('UPDATE sync_state SET cursor = NULL WHERE id = 1').run();
    tx.db.prepare('UPDATE sync_state SET last_error_code = NULL, last_error = NULL WHERE id = 1').run();
    // The credential itself is never audited or logged.
    tx.audit({
      action: 'sync.enrol',
      entity: 'sync',
      entityId: res.stationId,
      changes: { countyUrl: [before?.countyUrl ?? null, url], stationCode: [before?.stationCode ?? null, res.stationCode], township: [null, res.township] },
    });
  });
  core.log.info({ stationCode: res.stationCode }, 'station enrolled with the county');
  core.emit('status.changed', {});
  void engine.syncNow().catch(() => undefined);
  return syncStatus(core);
}

interface OutcomeRow {
  mutation_id: number;
  name: string;
  args: string | null;
  record_id: string | null;
  status: 'rejected' | 'conflict';
  code: string;
  message: string;
  received_at: string;
  resolution: SyncIssue['resolution'];
  resolution_reason: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
}

const toIssue = (r: OutcomeRow): SyncIssue => ({
  mutationId: r.mutation_id,
  name: r.name,
  label: LABELS[r.name as MutationName] ?? r.name,
  recordId: r.record_id,
  status: r.status,
  code: r.code,
  message: r.message,
  receivedAt: r.received_at,
  resolution: r.resolution,
  resolutionReason: r.resolution_reason,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at,
});

export function listIssues(core: StationCore, includeResolved: boolean) {
  const rows = core.db
    .prepare(`SELECT * FROM sync_outcomes ${includeResolved ? '' : 'WHERE resolution IS NULL'} ORDER BY mutation_id DESC LIMIT 500`)
    .all() as OutcomeRow[];
  const effects = core.db
    .prepare(
      `SELECT e.case_id, c.case_number, e.effect, e.note, e.updated_at FROM county_effects e LEFT JOIN cases c ON c.id = e.case_id
        WHERE e.status = 'pending' ORDER BY e.updated_at DESC LIMIT 500`,
    )
    .all() as { case_id: string; case_number: string | null; effect: string; note: string | null; updated_at: string }[];
  return {
    issues: rows.map(toIssue),
    countyEffects: effects.map((e) => ({ caseId: e.case_id, caseNumber: e.case_number, effect: e.effect, note: e.note, updatedAt: e.updated_at })),
  };
}

const ID_NUMBER = /^\d{17}[\dXx]$/;
/** Copies a value with every ID number masked: the 同步 page is a list, and lists never show full ID numbers. */
export function maskPersonal(value: unknown): unknown {
  if (typeof value === 'string') return ID_NUMBER.test(value) ? maskIdNumber(value) : value;
  if (Array.isArray(value)) return value.map(maskPersonal);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, k === 'idNumber' && typeof v === 'string' ? maskIdNumber(v) : maskPersonal(v)]),
    );
  }
  return value;
}

function outcomeRow(core: StationCore, mutationId: number): OutcomeRow {
  const r = core.db.prepare('SELECT * FROM sync_outcomes WHERE mutation_id = ?').get(mutationId) as OutcomeRow | undefined;
  if (!r) throw new AppError('NOT_FOUND', '未找到该同步问题');
  return r;
}

/** Both versions of one issue. Shows personal data of the record, so the view is audited. */
export function issueDetail(core: StationCore, mutationId: number, actor: Actor) {
  const r = outcomeRow(core, mutationId);
  const county = r.status === 'conflict' && r.record_id ? readCountyRow<CaseCountyData>(core.db, 'case_county', r.record_id) : null;
  write(core.db, actor, (tx) => tx.audit({ action: 'sync.issue.view', entity: 'sync_outcome', entityId: String(mutationId), changes: { view: r.name } }));
  return {
    ...toIssue(r),
    stationVersion: r.args ? maskPersonal(JSON.parse(r.args)) : null,
    countyVersion: county,
  };
}

/**
 * A reviewer's decision on a refused mutation (SP-24) or a conflict (SP-25). Nothing is resent silently: retry and
 * resubmit queue NEW mutations (new ids), built on the county version the station holds now; discard and
 * keep-county only close the issue. Every decision is audited with its reason.
 */
export function resolveIssue(
  core: StationCore,
  input: { mutationId: number; action: 'retry' | 'discard' | 'keepCounty' | 'resubmit'; reason: string },
  actor: Actor,
): SyncIssue {
  const result = write(core.db, actor, (tx) => {
    const r = outcomeRow(core, input.mutationId);
    if (r.resolution) throw new AppError('CONFLICT', '该问题已经处理过了');
    if ((input.action === 'keepCounty' || input.action === 'resubmit') && r.status !== 'conflict') {
      throw new AppError('INVALID_INPUT', '只有与县级决定冲突的变更才能“以县级为准”或“重新提交”');
    }
    if (input.action === 'retry' && r.status !== 'rejected') throw new AppError('INVALID_INPUT', '冲突请选择“以县级为准”或“重新提交”');
    let requeued: number | null = null;
    if (input.action === 'retry' || input.action === 'resubmit') {
      if (!r.args) throw new AppError('NOT_FOUND', '本机没有该变更的内容，无法重新提交，请修改记录后保存');
      const args = JSON.parse(r.args) as Record<string, unknown>;
      const caseId = r.name === 'case.save' ? (args.id as string) : r.name === 'case.event' || r.name === 'attachment.register' ? (args.caseId as string) : null;
      const current = caseId ? caseRow(tx.db, caseId) : null;
      if (r.name === 'case.save' && current) {
        // The case as it is now, on top of the county version the station has pulled.
        queueCaseSave(tx, current.id);
        requeued = Number((tx.db.prepare(`SELECT value FROM meta WHERE key = 'next_mutation_id'`).get() as { value: string }).value) - 1;
      } else {
        if ('baseCountyVersion' in args && current) args.baseCountyVersion = current.county_version;
        const checked = parseMutation(0, r.name, args);
        if (!checked.ok) throw new AppError('INVALID_INPUT', `该变更内容不符合同步协议，重试也会被拒绝：${checked.message}。请放弃并修改记录。`);
        requeued = tx.mutate(r.name as MutationName, checked.mutation.args);
        // The county takes the station state of a case from its latest save; send one after a re-sent event.
        if (r.name === 'case.event' && current) queueCaseSave(tx, current.id);
      }
    }
    const resolution = { retry: 'retried', discard: 'discarded', keepCounty: 'keptCounty', resubmit: 'resubmitted' }[input.action];
    tx.db
      .prepare(
        `UPDATE sync_outcomes SET resolution = ?, resolution_reason = ?, resolved_by = ?, resolved_at = ?, requeued_as = ? WHERE mutation_id = ?`,
      )
      .run(resolution, input.reason, actor.name, tx.now, requeued, input.mutationId);
    tx.audit({
      action: `sync.issue.${input.action}`,
      entity: 'sync_outcome',
      entityId: String(input.mutationId),
      changes: { resolution: [null, resolution], reason: [null, input.reason], ...(requeued ? { requeuedAs: [null, requeued] } : {}) },
    });
    return toIssue(outcomeRow(core, input.mutationId));
  });
  core.emit('status.changed', {});
  return result;
}
