import { randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { STATION_EVENT_NAMES } from '../../../shared/ipc/events';
import { dispatch } from '../api/dispatch';
import { newSession, type Session } from '../api/context';
import type { StationCore } from '../station';
import { CONTENT_SECURITY_POLICY } from './csp';

export interface LoopbackOptions {
  core: StationCore;
  /** Folder with the production renderer build; omitted in tests that only call the API. */
  rendererDir?: string;
  port?: number;
  token?: string;
}

export interface LoopbackHost {
  url: string;
  /** URL to open in the browser: carries the token in the fragment, which never reaches server logs. */
  openUrl: string;
  token: string;
  close(): Promise<void>;
  app: FastifyInstance;
}

/**
 * The contract over HTTP on 127.0.0.1, for the browser host. Anyone on the machine can reach a loopback port, so
 * every API request must carry the per-run token, and the Host header must be ours (defeats DNS rebinding).
 */
export async function startLoopbackHost(opts: LoopbackOptions): Promise<LoopbackHost> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  const session: Session = newSession();
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });
  let allowedHosts = new Set<string>();

  const tokenOk = (header: string | undefined): boolean => {
    if (!header) return false;
    const got = Buffer.from(header);
    return got.length === expected.length && timingSafeEqual(got, expected);
  };

  app.addHook('onRequest', async (req, reply) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      return reply.code(421).send({ ok: false, code: 'FORBIDDEN', message: '非法的访问地址' });
    }
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cache-Control', 'no-store');
  });

  app.post<{ Params: { name: string } }>('/api/call/:name', async (req, reply) => {
    if (!tokenOk(req.headers.authorization)) {
      return reply.code(401).send({ ok: false, code: 'UNAUTHENTICATED', message: '访问令牌无效' });
    }
    return dispatch(opts.core, session, req.params.name, req.body);
  });

  // Server-sent events: the browser's EventSource cannot set headers, so the token comes as a query parameter here.
  app.get<{ Querystring: { token?: string } }>('/api/events', async (req, reply) => {
    if (!tokenOk(`Bearer ${req.query.token ?? ''}`)) return reply.code(401).send();
    reply.hijack();
    reply.raw.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    const offs = STATION_EVENT_NAMES.map((name) =>
      opts.core.on(name, (payload) => reply.raw.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)),
    );
    const ping = setInterval(() => reply.raw.write(': ping\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(ping);
      offs.forEach((off) => off());
    });
  });

  if (opts.rendererDir) {
    await app.register(fastifyStatic, { root: opts.rendererDir, index: 'index.html' });
  }

  await app.listen({ host: '127.0.0.1', port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openUrl: `${url}/#token=${token}`,
    token,
    app,
    close: async () => {
      await app.close();
    },
  };
}
