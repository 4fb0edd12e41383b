import type { FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../../services/errors';
import { sameSecret } from '../../services/secrets';
import type { Actor } from '../../services/console/audit';
import { can, type Permission } from '../../services/console/model';
import type { Session } from '../../services/console/sessions';

/** Cookie of a console session: HttpOnly, SameSite=Strict, Secure over TLS, scoped to /console. */
export const SESSION_COOKIE = 'county_console';
/** Header carrying the session's CSRF token on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';

export interface CookieSettings {
  secure: boolean;
}

export function setSessionCookie(reply: FastifyReply, token: string, settings: CookieSettings): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/console', httpOnly: true, sameSite: 'strict', secure: settings.secure });
}

export function clearSessionCookie(reply: FastifyReply, settings: CookieSettings): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/console', httpOnly: true, sameSite: 'strict', secure: settings.secure });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isStateChanging = (request: FastifyRequest) => !SAFE_METHODS.has(request.method);

/**
 * Origin check for state-changing requests: the browser's Origin (or, failing that, Referer) must name this server.
 * Compared by host, so the check holds behind a TLS-terminating proxy that forwards Host. A request naming neither
 * is refused: every browser sends Origin on fetch POST/PUT/DELETE, so only scripts omit both.
 */
export function requireSameOrigin(request: FastifyRequest, allowedOrigins: readonly string[]): void {
  const source = request.headers.origin ?? request.headers.referer;
  let host: string | null = null;
  let origin: string | null = null;
  try {
    if (source && source !== 'null') {
      const u = new URL(source);
      host = u.host;
      origin = u.origin;
    }
  } catch {
    host = null;
  }
  const ok = host !== null && (host === request.headers.host || (origin !== null && allowedOrigins.includes(origin)));
  if (!ok) throw new ServiceError('FORBIDDEN', '请求来源不是本控制台，已拒绝（跨站请求防护）。');
}

/** The synchronizer token of the session must come back in the header: a token of another session does not count. */
export function requireCsrf(request: FastifyRequest, session: Session): void {
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || sent.length === 0 || !sameSecret(sent, session.csrfToken)) {
    throw new ServiceError('FORBIDDEN', '安全校验失败（CSRF 令牌缺失或不符），请刷新页面后重试。');
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession: Session | null;
  }
}

export function sessionOf(request: FastifyRequest): Session {
  if (!request.consoleSession) throw new ServiceError('UNAUTHENTICATED', '请先登录县级控制台。');
  return request.consoleSession;
}

/** The signed-in officer, refused with 403 unless one of their roles grants `permission`. */
export function requirePermission(request: FastifyRequest, permission: Permission): Actor & { displayName: string } {
  const s = sessionOf(request);
  if (!can(s.staff.roles, permission)) throw new ServiceError('FORBIDDEN', '您的角色没有此操作的权限。');
  return { staffId: s.staff.id, username: s.staff.username, displayName: s.staff.displayName, ip: request.ip };
}
