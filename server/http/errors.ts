import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { SYNC_ERROR_CODES, type SyncErrorBody } from '../../shared/sync/protocol';
import { isUnavailableError, sqlState } from '../db/errors';
import { ServiceError } from '../services/errors';

/** Replies `{ code, message, …extra }` with the code's status (docs/sync-protocol.md SP-50). */
export function sendServiceError(reply: FastifyReply, err: ServiceError): FastifyReply {
  return reply.code(err.status).send({ code: err.code, message: err.message, ...err.extra } as SyncErrorBody);
}

/**
 * One error shape for every route. Parser and limit errors from Fastify become BAD_REQUEST / PAYLOAD_TOO_LARGE /
 * UNSUPPORTED_ENCODING; an unreachable database becomes UNAVAILABLE (503, retry later); anything else is INTERNAL
 * and logged with its class only, never with the request body.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ServiceError) return sendServiceError(reply, error);
    const status = error.statusCode ?? 500;
    if (status === 413) return sendServiceError(reply, new ServiceError('PAYLOAD_TOO_LARGE'));
    if (status === 415) return sendServiceError(reply, new ServiceError('UNSUPPORTED_ENCODING', `${SYNC_ERROR_CODES.UNSUPPORTED_ENCODING.message}（${error.code ?? ''}）`));
    if (status >= 400 && status < 500) {
      return sendServiceError(reply, new ServiceError('BAD_REQUEST', `${SYNC_ERROR_CODES.BAD_REQUEST.message}（${error.code ?? status}）`));
    }
    if (isUnavailableError(error)) {
      request.log.warn({ errClass: error.name, code: error.code }, 'database unavailable');
      return sendServiceError(reply, new ServiceError('UNAVAILABLE'));
    }
    // The message line is dropped: database messages can quote the values they refused.
    const frames = error.stack?.split('\n').slice(1).join('\n');
    request.log.error({ errClass: error.name, code: error.code, sqlState: sqlState(error), frames }, 'request failed');
    return sendServiceError(reply, new ServiceError('INTERNAL'));
  });
  app.setNotFoundHandler((_request, reply) => sendServiceError(reply, new ServiceError('NOT_FOUND', '没有这个接口。')));
}
