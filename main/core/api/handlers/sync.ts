import { enrolStation, issueDetail, listIssues, resolveIssue, syncStatus } from '../../sync/service';
import { syncControlFor } from '../../sync/thread/control';
import type { HandlerMap } from '../handlerTypes';

export const syncHandlers: HandlerMap<'sync.status' | 'sync.enrol' | 'sync.now' | 'sync.issues' | 'sync.issue' | 'sync.resolve'> = {
  'sync.status': (_input, { core }) => syncStatus(core),
  'sync.enrol': (input, { core, actor }) => enrolStation(core, input, actor),
  'sync.now': async (_input, { core }) => {
    const { skipped, ...rest } = await syncControlFor(core).syncNow();
    return skipped ? { ...rest, skipped } : rest;
  },
  'sync.issues': (input, { core }) => listIssues(core, input.includeResolved),
  'sync.issue': (input, { core, actor }) => issueDetail(core, input.mutationId, actor),
  'sync.resolve': (input, { core, actor }) => resolveIssue(core, input, actor),
};
