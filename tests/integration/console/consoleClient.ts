import { randomUUID } from 'node:crypto';
import { makeIdNumber } from '../../../shared/domain/idNumber';
import { http, m, type HttpAnswer, type TestCounty, type TestStation } from '../server/harness';

/**
 * A browser-like client of the county console over real HTTP: keeps the session cookie, sends the CSRF token and
 * an Origin header on state-changing requests, exactly as the React app does.
 */
export interface ConsoleClient {
  cookie: string | null;
  csrf: string | null;
  setCookieHeader: string | null;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  login(username: string, password: string): Promise<HttpAnswer>;
}

export function consoleClient(url: string): ConsoleClient {
  const c: ConsoleClient = {
    cookie: null,
    csrf: null,
    setCookieHeader: null,
    async request(method, path, body, headers = {}) {
      const h: Record<string, string> = { ...(method !== 'GET' ? { origin: url } : {}) };
      if (c.cookie) h.cookie = c.cookie;
      if (c.csrf && method !== 'GET') h['x-csrf-token'] = c.csrf;
      if (body !== undefined) h['content-type'] = 'application/json';
      const res = await http(`${url}${path}`, method, { ...(body !== undefined ? { body: JSON.stringify(body) } : {}), headers: { ...h, ...headers } });
      const set = res.headers.get('set-cookie');
      if (set) {
        c.setCookieHeader = set;
        const m = /county_console=([^;]*)/.exec(set);
        if (m) c.cookie = m[1] ? `county_console=${m[1]}` : null;
      }
      return res;
    },
    async login(username, password) {
      const res = await c.request('POST', '/console/api/login', { username, password });
      if (res.status === 200) c.csrf = res.body.csrfToken;
      return res;
    },
  };
  return c;
}

export const ADMIN_PASSWORD = 'county-admin-2025';
export const STAFF_PASSWORD = 'officer-pass-2025';

/** First admin through the first-run screen (once per county), then accounts for the given roles. */
export async function staffFor(county: TestCounty): Promise<{ admin: ConsoleClient; approver: ConsoleClient; checker: ConsoleClient }> {
  const admin = consoleClient(county.url);
  const setup = await admin.request('GET', '/console/api/setup');
  if (setup.body.needsSetup) {
    const made = await admin.request('POST', '/console/api/setup', {
      adminToken: county.server.adminToken,
      username: 'admin',
      displayName: '县局管理员',
      password: ADMIN_PASSWORD,
    });
    if (made.status !== 201) throw new Error(`setup: ${made.status} ${JSON.stringify(made.body)}`);
  }
  const login = await admin.login('admin', ADMIN_PASSWORD);
  if (login.status !== 200) throw new Error(`admin login: ${login.status} ${JSON.stringify(login.body)}`);
  const suffix = randomUUID().slice(0, 8);
  const make = async (role: 'approver' | 'checker', displayName: string) => {
    const username = `${role}-${suffix}`;
    const res = await admin.request('POST', '/console/api/staff', { username, displayName, roles: [role], password: STAFF_PASSWORD });
    if (res.status !== 201) throw new Error(`create ${role}: ${res.status} ${JSON.stringify(res.body)}`);
    const client = consoleClient(county.url);
    const l = await client.login(username, STAFF_PASSWORD);
    if (l.status !== 200) throw new Error(`${role} login: ${l.status}`);
    return client;
  };
  return { admin, approver: await make('approver', '王审批'), checker: await make('checker', '李核对') };
}

let seq = 100;
/** A valid, unique synthetic ID number (region 430102, Changsha). */
export const newIdNumber = () => makeIdNumber('430102', '1968-05-17', (seq++ % 999) + 1);

export interface PushedCase {
  caseId: string;
  personId: string;
  householdId: string;
  idNumber: string;
  nextId: number;
}

/**
 * Pushes what a station holds for one application, shaped like the station core's rows (persons.ts personData,
 * households.ts householdData, cases/rows.ts caseData): applicant, household, the case and its procedure events.
 */
export async function pushCase(
  station: TestStation,
  opts: { firstId: number; idNumber?: string; itemCode?: string; state?: string; name?: string; caseNumber?: string },
): Promise<PushedCase> {
  const caseId = randomUUID();
  const personId = randomUUID();
  const householdId = randomUUID();
  const idNumber = opts.idNumber ?? newIdNumber();
  const state = opts.state ?? 'awaitingCounty';
  let id = opts.firstId;
  const event = (action: string, fromState: string, toState: string, payload: Record<string, unknown>) => ({
    id: id++,
    name: 'case.event',
    args: { caseId, eventId: randomUUID(), action, payload, at: '2025-03-01T09:30:00+08:00', fromState, toState, baseCountyVersion: 0 },
  });
  const mutations = [
    m.person(id++, personId, { idNumber, name: opts.name ?? '张秀英', sex: 'female', birthDate: '1968-05-17', hukou: 'rural', phone: '13800000000' }),
    m.household(id++, householdId, {
      headId: personId,
      hukou: 'rural',
      village: '东山村',
      address: '东山村三组 12 号',
      members: [{ personId, relation: 'self' }],
      incomeItems: [{ kind: 'farming', monthlyFen: 30_000, note: '种植水稻' }],
      assets: { depositsFen: 0, vehicles: [], housing: [] },
      monthlyIncomeFen: 30_000,
      memberCount: 1,
    }),
    event('recordHomeVisit', 'investigating', 'investigating', {
      visitedOn: '2025-03-05',
      investigators: ['赵一', '钱二'],
      fiveClears: { householdMembers: '独居', income: '务农', hardshipCause: '因病', difficulties: '无劳动力', employment: '无' },
      summary: '情况属实',
    }),
    event('recordDemocraticReview', 'investigating', 'investigating', { heldOn: '2025-03-08', outcome: 'agree', summary: '一致同意' }),
    event('startNotice', 'investigating', 'inNotice', { startDate: '2025-03-10', endDate: '2025-03-17', place: '村务公开栏' }),
    ...(state === 'awaitingCounty' ? [event('handOffToCounty', 'townshipReviewed', 'awaitingCounty', {})] : []),
    // Last, so its state is the one the county holds (events set the station state to their toState).
    m.caseSave(id++, caseId, {
      caseNumber: opts.caseNumber ?? `43010220250301${String(seq++).padStart(4, '0')}`,
      itemCode: opts.itemCode ?? 'dibao',
      subKind: 'rural',
      applicantId: personId,
      householdId,
      state,
      snapshot: { itemCode: opts.itemCode ?? 'dibao', state, noticeStart: '2025-03-10', noticeEnd: '2025-03-17' },
      materials: [{ key: 'application', required: true, received: true }],
    }),
  ];
  const res = await station.push(mutations);
  if (res.status !== 200 || res.body.gap || res.body.results.some((r) => r.status !== 'applied')) {
    throw new Error(`push case: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { caseId, personId, householdId, idNumber, nextId: id };
}
