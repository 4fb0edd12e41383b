import { DEFAULT_PULL_LIMIT, PULLED_TABLES, type Change, type PullResponse } from '../../../shared/sync/protocol';
import type { Db } from '../db/open';
import { write } from '../services/unitOfWork';
import { applyChange, COUNTY_ACTOR, dropCountyRows } from './county';
import { confirmUpTo, readSyncState, recordPulledOutcome, setCursor, outboxSize } from './state';
import { SyncFailure, type CountyTransport } from './transport';

/** Pull (docs/sync-protocol.md SP-30 … SP-37). */

export interface PullStep {
  changes: number;
  outcomes: number;
  reset: boolean;
  hasMore: boolean;
}

/**
 * Applies one page and its cursor in ONE transaction (SP-32): a crash before commit repeats the page, after it
 * continues from the new cursor. The outbox is trimmed by the page's lastMutationId only on the last page of a
 * pull: the outcomes of every id up to it are then certain to have arrived (SP-36), so no refused mutation can be
 * trimmed before its outcome — and its args — are recorded.
 */
export function applyPullPage(db: Db, page: PullResponse): PullStep {
  if (typeof page.cursor !== 'string' || !Array.isArray(page.changes) || !Array.isArray(page.mutationResults)) {
    throw new SyncFailure('retry', 'BAD_RESPONSE', '县级服务器的应答格式不正确，稍后重试。');
  }
  const known = new Set<string>(PULLED_TABLES);
  return write(db, COUNTY_ACTOR, (tx) => {
    if (page.reset) dropCountyRows(tx);
    let changes = 0;
    for (const c of page.changes as Change[]) {
      // SP-2: tables this build does not know are ignored.
      if (!known.has(c.table)) continue;
      applyChange(tx, c);
      changes++;
    }
    for (const o of page.mutationResults) recordPulledOutcome(tx.db, o, tx.now);
    if (!page.hasMore) confirmUpTo(tx.db, page.lastMutationId);
    setCursor(tx.db, page.cursor);
    return { changes, outcomes: page.mutationResults.length, reset: page.reset, hasMore: page.hasMore };
  });
}

export async function pullPage(db: Db, transport: CountyTransport, clientId: string, limit = DEFAULT_PULL_LIMIT): Promise<PullStep> {
  const cursor = readSyncState(db).cursor;
  const pending = outboxSize(db);
  const page = await transport.pull(clientId, cursor, limit, pending);
  return applyPullPage(db, page);
}
