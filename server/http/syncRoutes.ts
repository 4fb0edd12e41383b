import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ATTACHMENT_HEADERS,
  attachmentParamsSchema,
  attachmentQuerySchema,
  enrolRequestSchema,
  MAX_ATTACHMENT_CHUNK_BYTES,
  MAX_PUSH_BODY_BYTES,
  pullRequestSchema,
  PUSH_FRAMES_CONTENT_TYPE,
  pushRequestSchema,
  type AttachmentStatus,
} from '../../shared/sync/protocol';
import type { CountyDb } from '../db/types';
import { attachmentStatus, writeAttachmentChunk } from '../services/attachments';
import type { DuplicateScope } from '../services/console/duplicates';
import { CredentialCache } from '../services/credentialCache';
import { ServiceError } from '../services/errors';
import { pull } from '../services/pull';
import { applyPush, preparePush } from '../services/push';
import { enrolClient, type SyncPrincipal } from '../services/stations';
import { requireOwnClient, requireStation } from './auth';
import { parseOr, requireProtocolVersion } from './parse';
import { inflatePushBody, pushAnswer } from './pushBody';
import { decodePushFrames, FramedPush } from './pushFrames';
import { PushGate } from './pushGate';

declare module 'fastify' {
  interface FastifyRequest {
    station: SyncPrincipal | null;
  }
}

function station(request: FastifyRequest): SyncPrincipal {
  if (!request.station) throw new ServiceError('UNAUTHENTICATED');
  return request.station;
}

function setAttachmentHeaders(reply: { header(k: string, v: string): unknown }, s: AttachmentStatus): void {
  reply.header(ATTACHMENT_HEADERS.size, String(s.size));
  reply.header(ATTACHMENT_HEADERS.received, String(s.received));
  reply.header(ATTACHMENT_HEADERS.complete, s.complete ? '1' : '0');
}

/**
 * SP-28: pushes of one credential are applied in the order they arrived. A station keeps a couple of push requests
 * in flight; without this the later one could reach the client's row lock first and be answered with a stale gap
 * (harmless — the station resends it — but wasted work). Only an optimisation: exactly-once rests on the row lock
 * (SP-22), so a turn that takes too long is not waited for.
 */
class ArrivalOrder {
  private readonly tails = new Map<string, Promise<void>>();

  /** Takes a place in the queue of `key`; `ready` settles when the requests before it are done (or too slow). */
  enter(key: string, maxWaitMs = 2_000): { ready: Promise<void>; leave: () => void } {
    const before = this.tails.get(key) ?? Promise.resolve();
    let leave!: () => void;
    const mine = new Promise<void>((r) => (leave = r));
    this.tails.set(key, mine);
    void mine.then(() => {
      if (this.tails.get(key) === mine) this.tails.delete(key);
    });
    let timer: NodeJS.Timeout | undefined;
    const ready = Promise.race([before, new Promise<void>((r) => (timer = setTimeout(r, maxWaitMs)))]).finally(() => clearTimeout(timer));
    return { ready, leave };
  }
}

/** Pushes worked on at once (pushGate.ts): about twice the transaction pool on 2 cores; 6, 12 and 24 measured. */
const PUSHES_AT_ONCE = 12;

/** The station-facing API under /sync/v1 (docs/sync-protocol.md). */
export async function syncRoutes(app: FastifyInstance, opts: { db: CountyDb; onPushed?: (touched: DuplicateScope) => void }): Promise<void> {
  const { db } = opts;
  app.decorateRequest('station', null);
  // Authenticate before the body is read: an unauthenticated sender never gets a 32 MiB body parsed.
  const authenticated = {
    onRequest: async (request: FastifyRequest) => {
      request.station = await requireStation(db, request);
    },
  };
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(PUSH_FRAMES_CONTENT_TYPE, { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, decodePushFrames(body as Buffer));
    } catch (err) {
      done(err as Error);
    }
  });

  app.post('/sync/v1/enrol', async (request) => {
    const body = parseOr(enrolRequestSchema, request.body);
    const res = await enrolClient(db, body);
    request.log.info({ stationId: res.stationId, clientId: res.clientId }, 'station enrolled');
    return res;
  });

  const arrival = new ArrivalOrder();
  const pushCredentials = new CredentialCache(db);
  const turns = new WeakMap<FastifyRequest, { ready: Promise<void>; leave: () => void }>();
  const working = new PushGate(PUSHES_AT_ONCE);
  const leave = async (request: FastifyRequest) => {
    turns.get(request)?.leave();
    working.leave(request);
  };
  app.post(
    '/sync/v1/push',
    {
      bodyLimit: MAX_PUSH_BODY_BYTES,
      // Inflated and compressed here in one piece rather than streamed through the thread pool (see pushBody.ts).
      decompress: false,
      preParsing: inflatePushBody(MAX_PUSH_BODY_BYTES, async (request) => {
        if (!(await working.enter(request))) throw new ServiceError('BAD_REQUEST', '请求已中断。');
      }),
      compress: false,
      // The turn is taken when the headers arrive, before anything asynchronous, so arrival order is kept.
      onRequest: [
        async (request) => void turns.set(request, arrival.enter(request.headers.authorization ?? '')),
        async (request) => void (request.station = await requireStation(db, request, pushCredentials)),
      ],
      onResponse: leave,
      onRequestAbort: async (request) => {
        turns.get(request)?.leave();
        working.giveUp(request);
      },
    },
    async (request, reply) => {
      const who = station(request);
      const framed = request.body instanceof FramedPush ? request.body : null;
      const sent = framed ? framed.asRequest() : request.body;
      requireProtocolVersion(sent);
      const body = parseOr(pushRequestSchema, sent);
      requireOwnClient(who, body.clientId);
      // Validated and planned before waiting for the turn: this CPU work overlaps the earlier batch's commit.
      const prepared = preparePush(who, framed ? { ...body, rawArgs: framed.rawArgs } : body);
      const turn = turns.get(request);
      await turn?.ready;
      const { stats, ...res } = await applyPush(db, who, prepared)
        .catch((err: unknown) => {
          if (err instanceof ServiceError && err.code === 'UNAUTHENTICATED') pushCredentials.forget(who.credentialHash);
          throw err;
        })
        .finally(() => turn?.leave());
      request.log.info({ clientId: who.clientId, count: body.mutations.length, lastMutationId: res.lastMutationId, gap: res.gap?.expected, ...stats }, 'push');
      if (stats.applied > 0) opts.onPushed?.(prepared.touched);
      return pushAnswer(request, reply, res);
    },
  );

  app.post('/sync/v1/pull', authenticated, async (request) => {
    const who = station(request);
    requireProtocolVersion(request.body);
    const body = parseOr(pullRequestSchema, request.body);
    requireOwnClient(who, body.clientId);
    const res = await pull(db, who, body);
    request.log.info({ clientId: who.clientId, changes: res.changes.length, results: res.mutationResults.length, reset: res.reset, hasMore: res.hasMore }, 'pull');
    return res;
  });

  // GET answers JSON; HEAD (generated by Fastify from GET) answers the same status in headers, for a cheap resume check.
  app.get('/sync/v1/attachments/:sha256', authenticated, async (request, reply) => {
    const { sha256 } = parseOr(attachmentParamsSchema, request.params);
    const status = await attachmentStatus(db, sha256);
    if (!status) throw new ServiceError('NOT_FOUND', '县级尚无此附件。');
    setAttachmentHeaders(reply, status);
    return status;
  });

  app.put('/sync/v1/attachments/:sha256', { ...authenticated, bodyLimit: MAX_ATTACHMENT_CHUNK_BYTES }, async (request, reply) => {
    const { sha256 } = parseOr(attachmentParamsSchema, request.params);
    const { offset, size } = parseOr(attachmentQuerySchema, request.query);
    // A zero-byte file arrives with no body at all.
    const chunk = request.body ?? new Uint8Array(0);
    if (!(chunk instanceof Uint8Array)) throw new ServiceError('BAD_REQUEST', '附件分块必须以 application/octet-stream 发送。');
    const status = await writeAttachmentChunk(db, { sha256, offset, size, chunk });
    if (status.complete) request.log.info({ sha256, size }, 'attachment complete');
    setAttachmentHeaders(reply, status);
    return status;
  });
}
