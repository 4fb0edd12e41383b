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

// STATION_SYNC_PUSH_BATCH: smaller batches for the fault harness, so that its few mutations per schedule still fill
// a pipeline (SP-28); production keeps the largest batch the county accepts.
export const DEFAULT_PUSH_LIMITS: PushLimits = {
  batchSize: Math.min(MAX_PUSH_MUTATIONS, Number(process.env.STATION_SYNC_PUSH_BATCH) || MAX_PUSH_MUTATIONS),
  batchBytes: 4 * 1024 * 1024,
};

/** An outbox row as pushed: args as the stored UTF-8 bytes of its JSON, never decoded on the way out. */
interface OutboxRow {
  id: number;
  name: string;
  args: Buffer;
}

function readFront(db: Db, limits: PushLimits, afterId = 0): OutboxRow[] {
  // CAST … AS BLOB hands over SQLite's UTF-8 as it is: decoding 1,000 rows of Chinese text into JS strings only to
  // encode them again for the request body was a fifth of the station's CPU in a large sync.
  const rows = db
    .prepare('SELECT id, name, CAST(args AS BLOB) AS args FROM outbox WHERE id > ? ORDER BY id LIMIT ?')
    .all(afterId, Math.min(limits.batchSize, MAX_PUSH_MUTATIONS)) as OutboxRow[];
  let bytes = 0;
  const out: OutboxRow[] = [];
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
  /**
   * SP-28: the county answered a gap at an id this station already has confirmed — the request overtook an earlier
   * one of the same pipeline at the county's row lock. Nothing of it was applied; it is sent again.
   */
  overtaken?: true;
}

/** SP-28: requests of one push run in flight at once (the county still applies them one after another). */
export const PUSH_PIPELINE_DEPTH = 2;

/**
 * Applies the county's answer to one batch: refused results recorded (with the station's args, for the reviewer) and
 * the outbox trimmed up to the confirmed id — in ONE SQLite transaction (SP-22). `behind`: the request was sent while
 * an earlier one of the same run was still unanswered (SP-28).
 */
export function applyPushResponse(db: Db, batch: OutboxRow[], res: PushResponse, behind = false): PushStep {
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
        const args = m.args.toString();
        recordOutcome(db, { ...outcome, id: r.id, name: m.name, recordId: recordIdOf(m.name, JSON.parse(args)), args }, now);
      }
      // Never past this batch: rows beyond it may have been refused, and their outcomes (with the station's args)
      // come only in their own batch's answer (SP-28). A late duplicate of an earlier request reports a higher L.
      return confirmUpTo(db, Math.min(res.lastMutationId, batch[batch.length - 1]!.id));
    })
    .immediate();
  const remaining = outboxSize(db);
  if (res.gap) {
    if (behind && res.gap.expected < batch[0]!.id) {
      // SP-28: the county had not yet applied the earlier request this one was sent behind (it reached the row lock
      // later, or failed): nothing of this batch was applied, and no row is lost — it is sent again.
      return { sent: 0, confirmed: step.confirmed, refused, remaining, overtaken: true };
    }
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

interface InFlight {
  batch: OutboxRow[];
  answer: Promise<PushResponse>;
  /** Sent while an earlier request of the run was still unanswered. */
  behind: boolean;
}

/**
 * Pushes the whole outbox (SP-20 … SP-28): up to `depth` requests in flight, so the station reads and compresses
 * the next batch and the county parses it while the previous one commits. Answers are applied strictly in the
 * order the batches were sent, each in its own SQLite transaction, and trim only up to the id the county confirmed
 * (SP-22) and never past their own batch: an answer applied late can never move the confirmed id backwards. A gap
 * answer that an earlier request has overtaken is stale: the pipeline drains and starts again from the outbox front.
 * Any failure stops sending, waits for the requests still out (so none is left running into the next run) and is
 * thrown.
 * `onStep` sees every applied answer; rows queued meanwhile go out in the same run.
 */
export async function pushOutbox(
  db: Db,
  transport: CountyTransport,
  clientId: string,
  limits: PushLimits,
  onStep: (step: PushStep) => void = () => undefined,
  depth = PUSH_PIPELINE_DEPTH,
): Promise<void> {
  const inFlight: InFlight[] = [];
  let afterId = 0;
  let draining = false;
  let lastConfirmed = confirmedId(db);
  try {
    for (;;) {
      while (!draining && inFlight.length < Math.max(1, depth)) {
        const batch = readFront(db, limits, afterId);
        if (batch.length === 0) break;
        afterId = batch[batch.length - 1]!.id;
        const answer = transport.pushRows(clientId, batch, outboxSize(db));
        // Awaited in order below; until then a failure must not count as unhandled.
        answer.catch(() => undefined);
        inFlight.push({ batch, answer, behind: inFlight.length > 0 });
      }
      const head = inFlight.shift();
      if (!head) break;
      const step = applyPushResponse(db, head.batch, await head.answer, head.behind);
      onStep(step);
      if (step.overtaken) draining = true;
      else if (step.confirmed <= lastConfirmed && step.remaining > 0) {
        throw new SyncFailure('retry', 'NO_PROGRESS', '县级服务器未确认本批变更，稍后重试。');
      }
      lastConfirmed = Math.max(lastConfirmed, step.confirmed);
      if (draining && inFlight.length === 0) {
        // Everything sent was answered: resend from the front, which is exactly what the county still lacks.
        draining = false;
        afterId = 0;
      }
    }
  } finally {
    await Promise.allSettled(inFlight.map((f) => f.answer));
  }
}

export function confirmedId(db: Db): number {
  return readSyncState(db).confirmedMutationId;
}
