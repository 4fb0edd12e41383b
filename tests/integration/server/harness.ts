import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe } from 'vitest';
import type { PullResponse, PushResponse } from '../../../shared/sync/protocol';
import { startCountyServer, type CountyServer } from '../../../server/main';
import { reportPostgresSkip, startPostgres, type PostgresCluster } from '../../support/postgres';

/**
 * Runs a suite against both county databases: embedded PGlite and a real PostgreSQL 15 cluster (skipped, with the
 * reason printed, when the binaries are absent). Each backend gets its own server on 127.0.0.1:0, over real HTTP.
 */

export type Backend = 'pglite' | 'postgres';

// Tests probe JSON answers of every shape (errors, admin views); asserting on them is the type check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface HttpAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestStation {
  stationId: string;
  code: string;
  township: string;
  clientId: string;
  credential: string;
  push(mutations: unknown[], extra?: Record<string, unknown>): Promise<HttpAnswer<PushResponse>>;
  pull(cursor: string | null, limit?: number): Promise<HttpAnswer<PullResponse>>;
  /** Pulls until hasMore is false; returns every page. */
  pullAll(cursor: string | null, limit?: number): Promise<PullResponse[]>;
  request(method: string, path: string, init?: { body?: BodyInit; headers?: Record<string, string> }): Promise<HttpAnswer>;
}

export interface TestCounty {
  backend: Backend;
  server: CountyServer;
  url: string;
  admin(method: string, path: string, body?: unknown): Promise<HttpAnswer>;
  /** Creates a station through the admin API and enrols one client for it. */
  station(opts?: { township?: string; code?: string; clientId?: string }): Promise<TestStation>;
}

let counter = 0;
export const uniqueCode = (prefix = 'S') => `${prefix}${process.pid}x${++counter}`;
export const newClientId = () => `client-${randomUUID()}`;

export async function http(url: string, method: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
  const res = await fetch(url, { method, ...(init.body !== undefined ? { body: init.body } : {}), headers: init.headers ?? {} });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body, headers: res.headers };
}

export const json = (body: unknown, extra: Record<string, string> = {}) => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...extra },
});

export const gzipJson = (body: unknown, extra: Record<string, string> = {}) => ({
  body: new Uint8Array(gzipSync(JSON.stringify(body))),
  headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...extra },
});

export function countyClient(backend: Backend, server: CountyServer): TestCounty {
  const admin = (method: string, path: string, body?: unknown) => {
    const authorization = `Bearer ${server.adminToken}`;
    return http(
      `${server.url}${path}`,
      method,
      body === undefined ? { headers: { authorization } } : { body: JSON.stringify(body), headers: { authorization, 'content-type': 'application/json' } },
    );
  };
  return {
    backend,
    server,
    url: server.url,
    admin,
    async station(opts = {}) {
      const code = opts.code ?? uniqueCode();
      const township = opts.township ?? '城关镇';
      const created = await admin('POST', '/admin/stations', { code, township });
      if (created.status !== 201) throw new Error(`create station: ${created.status} ${JSON.stringify(created.body)}`);
      const clientId = opts.clientId ?? newClientId();
      const enrolled = await http(`${server.url}/sync/v1/enrol`, 'POST', json({ code: created.body.enrolment.code, clientId }));
      if (enrolled.status !== 200) throw new Error(`enrol: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
      return stationClient(server.url, { stationId: created.body.station.id, code, township, clientId, credential: enrolled.body.credential });
    },
  };
}

export function stationClient(
  url: string,
  s: { stationId: string; code: string; township: string; clientId: string; credential: string },
): TestStation {
  const auth = { authorization: `Bearer ${s.credential}` };
  const station: TestStation = {
    ...s,
    push: (mutations, extra = {}) =>
      http(`${url}/sync/v1/push`, 'POST', json({ protocolVersion: 1, clientId: s.clientId, mutations, ...extra }, auth)),
    pull: (cursor, limit) =>
      http(`${url}/sync/v1/pull`, 'POST', json({ protocolVersion: 1, clientId: s.clientId, cursor, ...(limit ? { limit } : {}) }, auth)),
    async pullAll(cursor, limit) {
      const pages: PullResponse[] = [];
      for (let c = cursor; ; ) {
        const res = await station.pull(c, limit);
        if (res.status !== 200) throw new Error(`pull: ${res.status} ${JSON.stringify(res.body)}`);
        pages.push(res.body);
        c = res.body.cursor;
        if (!res.body.hasMore) return pages;
      }
    },
    request: (method, path, init = {}) => http(`${url}${path}`, method, { ...init, headers: { ...auth, ...(init.headers ?? {}) } }),
  };
  return station;
}

/**
 * `describe` once per backend. `get()` inside tests returns that backend's running county. The server is fresh per
 * backend and shared by the tests of the block, so tests use their own stations (uniqueCode) to stay independent.
 */
export function describeEachBackend(title: string, body: (get: () => TestCounty) => void): void {
  for (const backend of ['pglite', 'postgres'] as const) {
    const skip = backend === 'postgres' ? reportPostgresSkip(title) : null;
    describe.skipIf(skip !== null)(`${title} [${backend}]`, () => {
      let county: TestCounty | undefined;
      let cluster: PostgresCluster | undefined;
      beforeAll(async () => {
        if (backend === 'postgres') cluster = await startPostgres({ fast: true });
        const server = await startCountyServer({ port: 0, databaseUrl: cluster?.url, logLevel: 'silent' });
        county = countyClient(backend, server);
      });
      afterAll(async () => {
        await county?.server.close();
        await cluster?.stop();
      });
      body(() => {
        if (!county) throw new Error('county server not started');
        return county;
      });
    });
  }
}

// ----------------------------------------------------------------------------------------------------------------
// Mutation builders (args shaped by shared/sync/mutations.ts)

export const uuid = () => randomUUID();

export const m = {
  settings: (id: number, name = '城关镇民政办', code = 'S') => ({ id, name: 'station.settings', args: { name, code } }),
  person: (id: number, personId: string, data: Record<string, unknown> = {}) => ({
    id,
    name: 'person.save',
    args: { id: personId, data: { id: personId, name: '张三', idNumber: '430102199001011234', ...data } },
  }),
  household: (id: number, householdId: string, data: Record<string, unknown> = {}) => ({
    id,
    name: 'household.save',
    args: { id: householdId, data: { id: householdId, headPersonId: null, ...data } },
  }),
  caseSave: (id: number, caseId: string, data: Record<string, unknown> = {}, baseCountyVersion = 0) => ({
    id,
    name: 'case.save',
    args: { id: caseId, data: { id: caseId, itemCode: 'dibao', state: 'submitted', ...data }, baseCountyVersion },
  }),
  caseEvent: (id: number, caseId: string, opts: { eventId?: string; action?: string; toState?: string; base?: number } = {}) => ({
    id,
    name: 'case.event',
    args: {
      caseId,
      eventId: opts.eventId ?? randomUUID(),
      action: opts.action ?? 'accept',
      payload: { note: '材料齐全' },
      at: '2025-03-01T09:30:00+08:00',
      fromState: 'submitted',
      toState: opts.toState ?? 'accepted',
      baseCountyVersion: opts.base ?? 0,
    },
  }),
  attachment: (id: number, caseId: string, sha256: string, size: number) => ({
    id,
    name: 'attachment.register',
    args: { caseId, sha256, size, mime: 'image/jpeg', materialKey: 'idCard', fileName: '身份证.jpg' },
  }),
};
