import compress from '@fastify/compress';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { SCHEMA_VERSION } from '../db/migrate';
import type { CountyDb } from '../db/types';
import { duplicateCheckScheduler, refreshDuplicateFlags } from '../services/console/duplicates';
import { adminRoutes } from './adminRoutes';
import { consoleRoutes } from './console/routes';
import { installErrorHandler } from './errors';
import { syncRoutes } from './syncRoutes';

export interface CountyAppOptions {
  db: CountyDb;
  adminToken: string;
  logger: Logger;
  /** PEM contents; when given the server speaks HTTPS. */
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined;
  /** Registers further routes (the county console, issue 5) on the same server, after the sync and admin routes. */
  extend?: CountyAppExtension | undefined;
  /** Built county console (issue 5); default COUNTY_CONSOLE_DIR or ./dist/console. */
  consoleDir?: string | undefined;
}

export type CountyAppExtension = (app: FastifyInstance, context: { db: CountyDb; adminToken: string; logger: Logger }) => Promise<void>;

/** Default body limit; push and attachment routes set their own (docs/sync-protocol.md SP-20, SP-41). */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

export async function buildCountyApp(options: CountyAppOptions): Promise<FastifyInstance> {
  const common = {
    loggerInstance: options.logger,
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Stations on flaky links: do not keep half-open requests forever, but allow a slow 1 MiB chunk.
    requestTimeout: 120_000,
    keepAliveTimeout: 10_000,
    return503OnClosing: true,
  };
  // Both branches yield the same instance type for our purposes; Fastify types HTTPS servers separately.
  const app = (
    options.tls ? Fastify({ ...common, https: { cert: options.tls.cert, key: options.tls.key } }) : Fastify(common)
  ) as unknown as FastifyInstance;

  installErrorHandler(app);
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['gzip', 'deflate'],
    requestEncodings: ['gzip', 'deflate'],
    // Turned into the usual { code, message } body by the error handler.
    onUnsupportedRequestEncoding: (encoding) => statusError(415, 'UNSUPPORTED_ENCODING', `unsupported content-encoding ${encoding}`),
    onInvalidRequestPayload: (encoding) => statusError(400, 'BAD_REQUEST', `invalid ${encoding} payload`),
  });

  app.get('/health', async (_request, reply) => {
    try {
      await options.db.query('SELECT 1');
      return { status: 'ok', database: options.db.kind, schemaVersion: SCHEMA_VERSION, protocolVersion: PROTOCOL_VERSION };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: options.db.kind });
    }
  });
  // The county-wide duplicate check (SP-38) runs shortly after pushes, off their path. Hooks reach only the plugins
  // registered after them, so this comes before the sync routes.
  const duplicates = duplicateCheckScheduler((scope) => refreshDuplicateFlags(options.db, scope), (err) =>
    options.logger.error({ errClass: (err as Error).name, code: (err as { code?: unknown }).code }, 'duplicate check failed'),
  );
  // Pushes name what they touched (syncRoutes); a change made at the county (a decision, a station renamed) asks
  // for a full run. Reads change nothing.
  app.addHook('onResponse', async (request, reply) => {
    const url = request.routeOptions.url ?? '';
    if (request.method !== 'GET' && request.method !== 'HEAD' && !url.startsWith('/sync/') && reply.statusCode < 400) duplicates.schedule();
  });
  app.addHook('onClose', async () => duplicates.close());
  // The first run is a full one: what pushes touched just before a restart was known only to the process that ended.
  duplicates.schedule();
  await app.register(syncRoutes, { db: options.db, onPushed: (touched) => duplicates.schedule(touched) });
  await app.register(adminRoutes, { db: options.db, adminToken: options.adminToken });
  // County console (issue 5): staff sessions, approval inbox, checks, standards, stations, duplicates, audit.
  await app.register(consoleRoutes, {
    db: options.db,
    adminToken: options.adminToken,
    staticDir: options.consoleDir ?? process.env.COUNTY_CONSOLE_DIR ?? resolve('dist/console'),
    secureCookies: Boolean(options.tls) || process.env.COUNTY_SECURE_COOKIES === '1',
    allowedOrigins: process.env.COUNTY_PUBLIC_ORIGIN ? [process.env.COUNTY_PUBLIC_ORIGIN] : [],
  });
  if (options.extend) await options.extend(app, { db: options.db, adminToken: options.adminToken, logger: options.logger });
  return app;
}

function statusError(statusCode: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { statusCode, code });
}
