import { mkdirSync, readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { resolveAdminToken } from './adminToken';
import { openCountyDb } from './db/open';
import type { CountyDb } from './db/types';
import { buildCountyApp, type CountyAppExtension } from './http/app';
import { createCountyLogger } from './log';
import { DEFAULT_COMPACTION, scheduleCompaction, type CompactionSchedule } from './services/compactionSchedule';

export interface CountyServerOptions {
  /** Data folder: embedded database (unless databaseUrl) and the generated admin token. */
  dataDir?: string | undefined;
  /** PostgreSQL connection string; without it PGlite runs in `<dataDir>/pgdata` (in memory when no dataDir). */
  databaseUrl?: string | undefined;
  /** 0 picks a free port (see the returned url). */
  port: number;
  /** Default 127.0.0.1. Anything but loopback requires TLS. */
  host?: string | undefined;
  /** Admin token for /admin routes; default: <dataDir>/admin-token, generated on first start. */
  adminToken?: string | undefined;
  /** PEM file paths; with both set the server speaks HTTPS. */
  tlsCertFile?: string | undefined;
  tlsKeyFile?: string | undefined;
  /** pino level; default COUNTY_LOG_LEVEL or 'info'. Tests pass 'silent' or 'warn'. */
  logLevel?: string | undefined;
  logger?: Logger | undefined;
  /** Extra routes on the same server (the county console registers itself here). */
  extend?: CountyAppExtension | undefined;
  /** Tombstone retention and run interval of change-log compaction (SP-35); default 60 days, every 6 hours. */
  compaction?: CompactionSchedule | undefined;
}

export interface CountyServer {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  adminToken: string;
  /** True when this start created the admin token (print it once). */
  adminTokenGenerated: boolean;
  /** The open database, for tests and in-process tools calling server/services directly. */
  db: CountyDb;
  /** Stops accepting, lets in-flight requests finish, closes the database. Idempotent. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Starts the county server (HTTP API of docs/sync-protocol.md) and resolves once it is listening. */
export async function startCountyServer(options: CountyServerOptions): Promise<CountyServer> {
  const host = options.host ?? '127.0.0.1';
  const tls =
    options.tlsCertFile && options.tlsKeyFile
      ? { cert: readFileSync(options.tlsCertFile), key: readFileSync(options.tlsKeyFile) }
      : undefined;
  if ((options.tlsCertFile || options.tlsKeyFile) && !tls) throw new Error('TLS needs both a certificate and a key file');
  if (!tls && !LOOPBACK.has(host)) {
    throw new Error(
      `refusing plain HTTP on ${host}: station credentials and personal data would travel unencrypted. ` +
        'Set COUNTY_TLS_CERT and COUNTY_TLS_KEY, or listen on 127.0.0.1 behind a TLS-terminating proxy (docs/sync-protocol.md, HTTPS).',
    );
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const admin = resolveAdminToken(options.adminToken, options.dataDir);
  const logger = options.logger ?? createCountyLogger(options.logLevel);
  const db = await openCountyDb({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
  let app;
  try {
    app = await buildCountyApp({ db, adminToken: admin.token, logger, tls, extend: options.extend });
    await app.listen({ port: options.port, host });
  } catch (err) {
    await app?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  logger.info({ port, database: db.kind, tls: Boolean(tls) }, 'county server listening');

  const stopCompaction = scheduleCompaction(db, logger, options.compaction ?? DEFAULT_COMPACTION);
  let closing: Promise<void> | null = null;
  const started = app;
  return {
    url: `${tls ? 'https' : 'http'}://${urlHost}:${port}`,
    adminToken: admin.token,
    adminTokenGenerated: admin.generated,
    db,
    close() {
      closing ??= (async () => {
        await started.close();
        await stopCompaction();
        await db.close();
        logger.info('county server stopped');
      })();
      return closing;
    },
  };
}
