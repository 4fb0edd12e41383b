import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { sha256Hex as sha256HexSchema, uuidText } from '../../../shared/sync/mutations';
import type { CountyDb } from '../../db/types';
import { readAttachment } from '../../services/attachments';
import { listPolicyStandards } from '../../services/countyData';
import { ServiceError } from '../../services/errors';
import { sameSecret } from '../../services/secrets';
import { createStationInput, listStations } from '../../services/stations';
import {
  decideCase,
  enrolNewStation,
  listTownshipLimits,
  newEnrolmentCode,
  recordCheck,
  removeStandard,
  revokeStationCredentials,
  saveStandard,
  saveTownshipLimit,
} from '../../services/console/actions';
import { appendAudit, listAudit } from '../../services/console/audit';
import { caseDossier, inboxQuery, listCheckRequests, listInbox, personIdsOf } from '../../services/console/dossiers';
import { listDuplicateGroups, refreshDuplicateFlags } from '../../services/console/duplicates';
import { createStaffInput, loginInput, setupInput, type SessionInfo } from '../../services/console/model';
import { createSession, endSession, touchSession } from '../../services/console/sessions';
import { checkLogin, countStaff, createFirstAdmin, createStaff, listStaff, resetPassword, setStaffActive } from '../../services/console/staff';
import { parseOr } from '../parse';
import {
  clearSessionCookie,
  isStateChanging,
  requireCsrf,
  requirePermission,
  requireSameOrigin,
  SESSION_COOKIE,
  sessionOf,
  setSessionCookie,
} from './guard';
import { reportRoutes } from './reportRoutes';

export interface ConsoleRouteOptions {
  db: CountyDb;
  adminToken: string;
  /** Built console (vite build of server/console); absent → /console/ explains how to build it. */
  staticDir: string;
  /** Secure cookies: on when the server speaks TLS or sits behind a TLS proxy (COUNTY_SECURE_COOKIES=1). */
  secureCookies: boolean;
  /** Extra origins accepted for state-changing requests (e.g. the public https origin behind a proxy). */
  allowedOrigins?: readonly string[];
}

const idParam = z.object({ id: uuidText });
const shaParam = z.object({ sha256: sha256HexSchema });
const object = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Routes that work without a session: they establish one (and check Origin themselves). */
const OPEN_ROUTES = new Set(['/console/api/setup', '/console/api/login']);

// Inline styles are antd's CSS-in-JS; scripts only from this origin.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** The county console: its JSON API under /console/api and the built React app under /console/. */
export async function consoleRoutes(app: FastifyInstance, opts: ConsoleRouteOptions): Promise<void> {
  const { db, adminToken } = opts;
  const cookieSettings = { secure: opts.secureCookies };
  const allowed = opts.allowedOrigins ?? [];
  await app.register(cookie);
  app.decorateRequest('consoleSession', null);

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (request.url.startsWith('/console/api/')) reply.header('cache-control', 'no-store');
    else if (!request.url.startsWith('/console/api')) {
      reply.header('content-security-policy', CSP);
      reply.header('x-frame-options', 'DENY');
    }
    return payload;
  });

  // Session, Origin and CSRF checks run before the body is parsed: an anonymous or forged request costs nothing.
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.url.startsWith('/console/api/')) return;
    const path = request.url.split('?')[0]!;
    const token = request.cookies[SESSION_COOKIE];
    request.consoleSession = token ? await touchSession(db, token) : null;
    if (isStateChanging(request)) requireSameOrigin(request, allowed);
    if (OPEN_ROUTES.has(path) || (path === '/console/api/session' && request.method === 'GET')) return;
    const session = sessionOf(request);
    if (isStateChanging(request)) requireCsrf(request, session);
  });

  const sessionInfo = (s: { staff: SessionInfo['staff']; csrfToken: string; expiresAt: string }): SessionInfo => ({
    staff: s.staff,
    csrfToken: s.csrfToken,
    expiresAt: s.expiresAt,
  });

  // ---- first run, sign-in, sign-out -------------------------------------------------------------------------------
  app.get('/console/api/setup', async () => ({ needsSetup: (await countStaff(db)) === 0 }));
  app.post('/console/api/setup', async (request, reply) => {
    const body = parseOr(setupInput, request.body, 'INVALID_INPUT');
    if (!sameSecret(body.adminToken, adminToken)) throw new ServiceError('UNAUTHENTICATED', '管理令牌不正确。');
    const staff = await createFirstAdmin(db, body, { ip: request.ip, via: 'console' });
    request.log.info({ staffId: staff.id }, 'first console admin created');
    return reply.code(201).send({ staff });
  });

  app.post('/console/api/login', async (request, reply) => {
    const body = parseOr(loginInput, request.body, 'INVALID_INPUT');
    const outcome = await checkLogin(db, body.username, body.password, request.ip);
    if (!outcome.ok) {
      const message =
        outcome.reason === 'locked'
          ? '密码错误次数过多，账号已临时锁定，请 15 分钟后再试。'
          : outcome.reason === 'inactive'
            ? '该账号已停用，请联系系统管理员。'
            : '用户名或密码错误。';
      throw new ServiceError('UNAUTHENTICATED', message);
    }
    // A new session on every sign-in: a cookie planted before sign-in never becomes an authenticated one.
    if (request.consoleSession) await endSession(db, request.consoleSession.tokenHash);
    const s = await createSession(db, outcome.staff.id);
    await appendAudit(db, { staffId: outcome.staff.id, username: outcome.staff.username, ip: request.ip }, { action: 'session.login', entity: 'staff', entityId: outcome.staff.id });
    setSessionCookie(reply, s.token, cookieSettings);
    return sessionInfo({ staff: outcome.staff, csrfToken: s.csrfToken, expiresAt: s.expiresAt });
  });

  app.get('/console/api/session', async (request, reply) => {
    if (!request.consoleSession) {
      if (request.cookies[SESSION_COOKIE]) clearSessionCookie(reply, cookieSettings);
      throw new ServiceError('UNAUTHENTICATED', '登录已过期，请重新登录。');
    }
    return sessionInfo(request.consoleSession);
  });

  app.post('/console/api/logout', async (request, reply) => {
    const s = sessionOf(request);
    await endSession(db, s.tokenHash);
    await appendAudit(db, { staffId: s.staff.id, username: s.staff.username, ip: request.ip }, { action: 'session.logout', entity: 'staff', entityId: s.staff.id });
    clearSessionCookie(reply, cookieSettings);
    return reply.code(204).send();
  });

  reportRoutes(app, db);

  // ---- approval inbox and dossiers --------------------------------------------------------------------------------
  app.get('/console/api/inbox', async (request) => {
    const actor = requirePermission(request, 'viewCases');
    const res = await listInbox(db, parseOr(inboxQuery, request.query, 'INVALID_INPUT'));
    await appendAudit(db, actor, { action: 'inbox.view', detail: { count: res.items.length } });
    return res;
  });

  app.get('/console/api/cases/:id', async (request) => {
    const actor = requirePermission(request, 'viewCases');
    const { id } = parseOr(idParam, request.params);
    const dossier = await caseDossier(db, id);
    await appendAudit(db, actor, { action: 'case.view', entity: 'case', entityId: id, stationId: dossier.stationId });
    return dossier;
  });

  // POST: showing full ID numbers is an audited act, not a harmless read, so it carries the CSRF token too.
  app.post('/console/api/cases/:id/reveal', async (request) => {
    const actor = requirePermission(request, 'revealIdNumbers');
    const { id } = parseOr(idParam, request.params);
    const dossier = await caseDossier(db, id, { reveal: true });
    await appendAudit(db, actor, {
      action: 'idNumber.reveal',
      entity: 'case',
      entityId: id,
      stationId: dossier.stationId,
      detail: { personIds: personIdsOf(dossier) },
    });
    return dossier;
  });

  app.post('/console/api/cases/:id/decision', async (request) => {
    const actor = requirePermission(request, 'decide');
    const { id } = parseOr(idParam, request.params);
    const res = await decideCase(db, id, object(request.body) as never, actor);
    request.log.info({ caseId: id, countyVersion: res.countyVersion }, 'county decision recorded');
    return res;
  });

  app.get('/console/api/cases/:id/attachments/:sha256', async (request, reply: FastifyReply) => {
    const actor = requirePermission(request, 'viewCases');
    const { id } = parseOr(idParam, { id: (request.params as { id?: string }).id });
    const { sha256 } = parseOr(shaParam, { sha256: (request.params as { sha256?: string }).sha256 });
    // Only a file registered to this case: knowing a hash must not open any file the county holds.
    const { rows } = await db.query<{ mime: string; file_name: string; station_id: string }>(
      'SELECT mime, file_name, station_id::text AS station_id FROM case_attachments WHERE case_id = $1 AND sha256 = $2 LIMIT 1',
      [id, sha256],
    );
    const reg = rows[0];
    if (!reg) throw new ServiceError('NOT_FOUND', '该案件没有这份材料。');
    const bytes = await readAttachment(db, sha256);
    if (!bytes) throw new ServiceError('NOT_FOUND', '材料文件尚未从工作站上传完成。');
    await appendAudit(db, actor, { action: 'attachment.view', entity: 'case', entityId: id, stationId: reg.station_id, detail: { sha256 } });
    const inline = ['image/jpeg', 'image/png', 'application/pdf'].includes(reg.mime);
    reply.header('content-type', inline ? reg.mime : 'application/octet-stream');
    reply.header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(reg.file_name)}`);
    reply.header('cache-control', 'private, no-store');
    // A scanned PDF may carry scripts: render it sandboxed, never with this origin's rights.
    reply.header('content-security-policy', "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'");
    return reply.send(bytes);
  });

  // ---- economic checks --------------------------------------------------------------------------------------------
  app.get('/console/api/checks', async (request) => {
    const actor = requirePermission(request, 'viewCases');
    const pendingOnly = object(request.query).status !== 'all';
    const checks = await listCheckRequests(db, { pendingOnly });
    await appendAudit(db, actor, { action: 'checks.view', detail: { count: checks.length } });
    return { checks };
  });
  app.post('/console/api/cases/:id/economic-checks', async (request) => {
    const actor = requirePermission(request, 'recordChecks');
    const { id } = parseOr(idParam, request.params);
    return recordCheck(db, id, object(request.body) as never, actor);
  });

  // ---- duplicates ---------------------------------------------------------------------------------------------------
  app.get('/console/api/duplicates', async (request) => {
    const actor = requirePermission(request, 'viewDuplicates');
    // Opening the page re-checks at once rather than waiting for the next push to schedule it.
    await refreshDuplicateFlags(db);
    const groups = await listDuplicateGroups(db);
    await appendAudit(db, actor, { action: 'duplicates.view', detail: { groups: groups.length } });
    return { groups };
  });

  // ---- standards --------------------------------------------------------------------------------------------------
  app.get('/console/api/standards', async (request) => {
    requirePermission(request, 'editStandards');
    const [standards, townshipLimits, stations] = await Promise.all([listPolicyStandards(db), listTownshipLimits(db), listStations(db)]);
    return { standards, townshipLimits, townships: [...new Set(stations.map((s) => s.township))].sort() };
  });
  app.put('/console/api/standards', async (request) => saveStandard(db, request.body, requirePermission(request, 'editStandards')));
  app.delete('/console/api/standards', async (request, reply) => {
    await removeStandard(db, request.body, requirePermission(request, 'editStandards'));
    return reply.code(204).send();
  });
  app.put('/console/api/townships/:township/temporary-assistance-limit', async (request) => {
    const actor = requirePermission(request, 'editStandards');
    const { township } = parseOr(z.object({ township: z.string().trim().min(1).max(64) }), request.params, 'INVALID_INPUT');
    return saveTownshipLimit(db, township, request.body, actor);
  });

  // ---- stations -----------------------------------------------------------------------------------------------------
  app.get('/console/api/stations', async (request) => {
    requirePermission(request, 'manageStations');
    return { stations: await listStations(db) };
  });
  app.post('/console/api/stations', async (request, reply) => {
    const actor = requirePermission(request, 'manageStations');
    const res = await enrolNewStation(db, parseOr(createStationInput, request.body, 'INVALID_INPUT'), actor);
    return reply.code(201).send(res);
  });
  app.post('/console/api/stations/:id/enrolment-codes', async (request, reply) => {
    const actor = requirePermission(request, 'manageStations');
    return reply.code(201).send(await newEnrolmentCode(db, parseOr(idParam, request.params).id, actor));
  });
  app.post('/console/api/stations/:id/revoke', async (request) => {
    const actor = requirePermission(request, 'manageStations');
    return revokeStationCredentials(db, parseOr(idParam, request.params).id, actor);
  });

  // ---- staff and audit ----------------------------------------------------------------------------------------------
  app.get('/console/api/staff', async (request) => {
    requirePermission(request, 'manageStaff');
    return { staff: await listStaff(db) };
  });
  app.post('/console/api/staff', async (request, reply) => {
    const actor = requirePermission(request, 'manageStaff');
    return reply.code(201).send({ staff: await createStaff(db, parseOr(createStaffInput, request.body, 'INVALID_INPUT'), actor) });
  });
  app.post('/console/api/staff/:id/active', async (request, reply) => {
    const actor = requirePermission(request, 'manageStaff');
    const { active } = parseOr(z.object({ active: z.boolean() }), request.body, 'INVALID_INPUT');
    await setStaffActive(db, parseOr(idParam, request.params).id, active, actor);
    return reply.code(204).send();
  });
  app.post('/console/api/staff/:id/password', async (request, reply) => {
    const actor = requirePermission(request, 'manageStaff');
    const { password } = parseOr(z.object({ password: z.string() }), request.body, 'INVALID_INPUT');
    await resetPassword(db, parseOr(idParam, request.params).id, password, actor);
    return reply.code(204).send();
  });

  app.get('/console/api/audit', async (request) => {
    const actor = requirePermission(request, 'viewAudit');
    const q = parseOr(
      z.object({
        action: z.string().max(64).optional(),
        entityId: z.string().max(100).optional(),
        username: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
        beforeId: z.coerce.number().int().min(1).optional(),
      }),
      request.query,
      'INVALID_INPUT',
    );
    const entries = await listAudit(db, q);
    await appendAudit(db, actor, { action: 'audit.view', detail: { count: entries.length } });
    return { entries };
  });

  // ---- the app itself -----------------------------------------------------------------------------------------------
  if (existsSync(opts.staticDir)) {
    await app.register(fastifyStatic, { root: opts.staticDir, prefix: '/console/', decorateReply: false, index: ['index.html'], cacheControl: false });
  } else {
    app.get('/console/', async (_request, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('县级控制台尚未构建：请运行 npm run build:console'),
    );
  }
  app.get('/console', async (_request, reply) => reply.redirect('/console/'));
}
