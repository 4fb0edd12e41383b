import type { PushResponse } from '../../../shared/sync/protocol';
import { MAX_PUSH_MUTATIONS } from '../../../shared/sync/protocol';
import type { Db } from '../db/open';
import { confirmUpTo, lastAllocatedId, readSyncState, recordIdOf, recordOutcome, outboxSize } from './state';
import { SyncFailure, type CountyTransport } from './transport';

/** Push (docs/sync-protocol.md SP-20 … SP-24): the outbox front in bounded batches, applied in one transaction each. */

export interface PushLimits {
  /** Most mutations per request (≤ MAX_PUSH_MUTATIONS). */
  batchSize: number;
  /** Most bytes of args text per request, so a batch of large rows stays well under the 32 MiB limit. */
  batchBytes: number;
}

export const DEFAULT_PUSH_LIMITS: PushLimits = { batchSize: 500, batchBytes: 4 * 1024 * 1024 };

interface OutboxText {
  id: number;
  name: string;
  args: string;
}

function readFront(db: Db, limits: PushLimits): OutboxText[] {
  const rows = db.prepare('SELECT id, name, args FROM outbox ORDER BY id LIMIT ?').all(Math.min(limits.batchSize, MAX_PUSH_MUTATIONS)) as OutboxText[];
  let bytes = 0;
  const out: OutboxText[] = [];
  for (const r of rows) {
    bytes += r.args.length;
    // Always at least one row, however large: a single big row must still go (the county bounds it at 256 KiB).
    if (out.length > 0 && bytes > limits.batchBytes) break;
    out.push(r);
  }
  return out;
}

export interface PushStep {
  sent: number;
  confirmed: number;
  refused: number;
  remaining: number;
}

/**
 * Sends one batch from the front of the outbox and applies the answer: refused results recorded (with the station's
 * args, for the reviewer) and the outbox trimmed up to the confirmed id — in ONE SQLite transaction (SP-22).
 * Returns null when the outbox is empty.
 */
export async function pushBatch(db: Db, transport: CountyTransport, clientId: string, limits: PushLimits): Promise<PushStep | null> {
  const batch = readFront(db, limits);
  if (batch.length === 0) return null;
  const pending = outboxSize(db);
  const json = `[${batch.map((m) => `{"id":${m.id},"name":${JSON.stringify(m.name)},"args":${m.args}}`).join(',')}]`;
  const res = await transport.pushRaw(clientId, json, pending);
  return applyPushResponse(db, batch, res);
}

export function applyPushResponse(db: Db, batch: OutboxText[], res: PushResponse): PushStep {
  if (!Number.isSafeInteger(res.lastMutationId) || !Array.isArray(res.results)) {
    throw new SyncFailure('retry', 'BAD_RESPONSE', '县级服务器的应答格式不正确，稍后重试。');
  }
  const allocated = lastAllocatedId(db);
  if (res.lastMutationId > allocated) {
    // The county confirms ids this install never wrote: the store was restored from an older backup (or enrolled
    // with another install's clientId). Pushing on would make new changes look like duplicates and lose them.
    throw new SyncFailure(
      'stop',
      'AHEAD_OF_STATION',
      `县级已确认到第 ${res.lastMutationId} 条变更，但本机只记录到第 ${allocated} 条：本机数据可能从旧备份恢复，已停止同步，请联系县民政局。`,
    );
  }
  const byId = new Map(batch.map((m) => [m.id, m]));
  const now = new Date().toISOString();
  let refused = 0;
  const step = db
    .transaction(() => {
      for (const r of res.results) {
        const m = byId.get(r.id);
        const outcome =
          r.status === 'rejected' || r.status === 'conflict'
            ? { status: r.status, code: r.code ?? 'UNKNOWN', message: r.message ?? '' }
            : r.status === 'duplicate' && r.original
              ? r.original
              : null;
        if (!outcome || !m) continue;
        refused++;
        recordOutcome(db, { ...outcome, id: r.id, name: m.name, recordId: recordIdOf(m.name, JSON.parse(m.args)), args: m.args }, now);
      }
      return confirmUpTo(db, res.lastMutationId);
    })
    .immediate();
  const remaining = outboxSize(db);
  if (res.gap) {
    const front = (db.prepare('SELECT min(id) AS id FROM outbox').get() as { id: number | null }).id;
    if (front !== null && front > res.gap.expected) {
      // SP-23: the county expects rows this station no longer has — lost without confirmation. Not retryable.
      throw new SyncFailure(
        'stop',
        'GAP',
        `县级等待第 ${res.gap.expected} 条变更，但本机待同步队列从第 ${front} 条开始：有变更在确认前丢失，已停止同步，请联系技术支持。`,
      );
    }
  }
  return { sent: batch.length, confirmed: step.confirmed, refused, remaining };
}

export function confirmedId(db: Db): number {
  return readSyncState(db).confirmedMutationId;
}
