import type { FastifyRequest } from 'fastify';
import type { CountyDb } from '../db/types';
import type { CredentialCache } from '../services/credentialCache';
import { ServiceError } from '../services/errors';
import { sameSecret } from '../services/secrets';
import { authenticate, type SyncPrincipal } from '../services/stations';

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/**
 * SP-7: the station behind the request's credential; 401 when missing, unknown or revoked. With `cache` (pushes only,
 * see CredentialCache) a credential seen in the last minute is not looked up again.
 */
export async function requireStation(db: CountyDb, request: FastifyRequest, cache?: CredentialCache): Promise<SyncPrincipal> {
  const token = bearer(request);
  const who = token ? await (cache ? cache.authenticate(token) : authenticate(db, token)) : null;
  if (!who) throw new ServiceError('UNAUTHENTICATED');
  return who;
}

/** SP-3: a credential speaks for one clientId only. */
export function requireOwnClient(who: SyncPrincipal, clientId: string): void {
  if (who.clientId !== clientId) throw new ServiceError('CLIENT_MISMATCH');
}

/** Admin routes: the county admin token until the console brings staff sessions (issue 5). */
export function requireAdmin(adminToken: string, request: FastifyRequest): void {
  const token = bearer(request);
  if (!token || !sameSecret(token, adminToken)) throw new ServiceError('UNAUTHENTICATED', '管理令牌无效。');
}
