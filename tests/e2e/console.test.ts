/**
 * Issue 5 "Checked by", end to end across both apps: a station (browser host: real station core, encrypted store,
 * its sync engine) takes two 低保 applications through intake, economic check, home visit, public notice and
 * township review, and hands them to the county; the county officer signs in to the console in Chromium (first-run
 * screen, then an approver account), approves one (amount entered in yuan, payment start month) and rejects the
 * other with a written reason; the station syncs (立即同步) and shows 已批准 with the amount and month, and the
 * rejection with its reason. The county runs as its own process on real PostgreSQL when present (else PGlite).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../shared/domain/idNumber';
import { consoleClient, STAFF_PASSWORD } from '../integration/console/consoleClient';
import { chromiumUnavailable, launchChromium, withFailureScreenshot } from '../support/chromium';
import { startCountyProcess, type CountyProcess } from '../support/countyProcess';
import { startPostgresOrPglite, type PostgresCluster } from '../support/postgres';
import { makeTempDir, randomKeyHex } from '../support/tempDir';
import { startWebHost, type RunningWebHost } from '../support/webHost';

const unavailable = chromiumUnavailable();
if (unavailable) console.log(`[skip] console end-to-end test: ${unavailable}`);
const OUT = 'tests/output/e2e';
const TEN_DAYS_MS = 10 * 86_400_000;
const btn = (label: string) => new RegExp(`^\\s*${[...label].join('\\s*')}\\s*$`);

/** Node preload that moves the station host's clock: the 7-day public notice ends without waiting a week. */
function clockShiftModule(dir: string): string {
  const file = join(dir, 'clock-shift.mjs');
  writeFileSync(
    file,
    `const offset = Number(process.env.STATION_TEST_CLOCK_OFFSET_MS || 0);
const Real = Date;
class Shifted extends Real {
  constructor(...args) { if (args.length === 0) super(Real.now() + offset); else super(...args); }
  static now() { return Real.now() + offset; }
}
globalThis.Date = Shifted;
`,
  );
  return pathToFileURL(file).href;
}

/** A station contract call exactly as its page makes it (same token, same signed-in session). */
async function call<T = unknown>(page: Page, name: string, input: unknown): Promise<T> {
  const r = await page.evaluate(
    async ([n, i]) => {
      const token = sessionStorage.getItem('station.loopbackToken') ?? '';
      const res = await fetch(`/api/call/${n}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(i) });
      return (await res.json()) as { ok: boolean; code?: string; message?: string; value?: unknown };
    },
    [name, input] as const,
  );
  if (!r.ok) throw new Error(`${name}: ${r.code} ${r.message}`);
  return r.value as T;
}

async function settle(page: Page) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}

describe.skipIf(!!unavailable)('county console end to end: approve and reject station cases', () => {
  let browser: Browser;
  let host: RunningWebHost | null = null;
  let county: CountyProcess | null = null;
  let cluster: PostgresCluster | undefined;
  let current: Page | null = null;
  const data = makeTempDir('console-e2e-');
  const countyDir = join(data.dir, 'county');
  const stationDir = join(data.dir, 'station');
  const key = randomKeyHex();

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await launchChromium();
    cluster = await startPostgresOrPglite('e2e console');
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await county?.stop();
    await cluster?.stop();
    data.cleanup();
  });

  it('a county approval and a rejection made in the console reach the station', async () => {
    await withFailureScreenshot(() => current, `${OUT}/console-failure.png`, scenario);
  });

  async function scenario() {
    county = await startCountyProcess({ dataDir: countyDir, entry: 'dist', ...(cluster ? { databaseUrl: cluster.url } : {}) });
    const adminApi = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${county!.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${county!.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const created = await adminApi('POST', '/admin/stations', { code: 'S430102009', township: '石桥镇', name: '石桥镇民政办' });
    expect(created.status).toBe(201);

    // ---- the station: two 低保 applications up to the township's hand-off ---------------------------------------
    host = await startWebHost(stationDir, key, { STATION_COUNTY_URL: county.url, STATION_SYNC_INTERVAL_MS: '3600000' });
    let station = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN' });
    station.setDefaultTimeout(15_000);
    current = station;
    await station.goto(host.openUrl);
    await station.getByLabel('管理员用户名').fill('admin');
    await station.getByLabel('管理员姓名').fill('周站长');
    await station.getByLabel('密码', { exact: true }).fill('admin-pass-1');
    await station.getByLabel('确认密码').fill('admin-pass-1');
    await station.getByRole('button', { name: '创建管理员并登录' }).click();
    await expect.poll(() => station.getByTestId('session-bar').count()).toBe(1);
    await call(station, 'settings.save', { townshipName: '石桥镇', stationCode: '430102009' });
    await call(station, 'sync.enrol', { countyUrl: county.url, code: created.body.enrolment.code });

    const applicants = [
      { name: '陈桂花', idNumber: makeIdNumber('430102', '1958-04-12', 122), village: '石桥村' },
      { name: '刘德胜', idNumber: makeIdNumber('430102', '1961-09-03', 233), village: '龙潭村' },
    ];
    const cases: { id: string; caseNumber: string }[] = [];
    for (const a of applicants) {
      const person = await call<{ id: string }>(station, 'people.savePerson', { idNumber: a.idNumber, name: a.name, hukou: 'rural', workAbility: 'none', health: 'chronic' });
      await call(station, 'people.saveHousehold', {
        headId: person.id,
        hukou: 'rural',
        village: a.village,
        address: `${a.village}二组 8 号`,
        members: [{ personId: person.id, relation: 'self' }],
        incomeItems: [{ kind: 'farming', monthlyFen: 25_000, note: '种植' }],
        assets: { depositsFen: 120_000, vehicles: [], housing: [{ description: '自建砖木房', areaSqm: 60 }] },
      });
      const kase = await call<{ id: string; caseNumber: string; materials: { key: string }[] }>(station, 'cases.create', { applicantId: person.id, itemCode: 'dibao', subKind: 'rural' });
      const act = (action: string, payload: Record<string, unknown> = {}) => call(station, 'cases.act', { caseId: kase.id, action, payload });
      await act('accept', { materialsReceived: kase.materials.map((m) => m.key) });
      await act('requestEconomicCheck', { note: '请核对存款与车辆' });
      await act('recordEconomicCheckResult', { finding: 'withinLimits', summary: '未发现车辆、工商登记，存款 1200 元' });
      const today = new Date().toISOString().slice(0, 10);
      await act('recordHomeVisit', {
        visitedOn: today,
        investigators: ['李审核', '张村干'],
        fiveClears: { householdMembers: '独居', income: '少量种植收入', hardshipCause: '慢性病，无劳动能力', difficulties: '医药费负担重', employment: '无' },
        summary: '情况属实，建议纳入低保',
      });
      await act('recordDemocraticReview', { heldOn: today, outcome: 'agree', summary: '村民代表 9 人一致同意' });
      await act('startNotice', { place: `${a.village}村务公开栏` });
      cases.push({ id: kase.id, caseNumber: kase.caseNumber });
    }
    await station.close();

    // Ten days later the notice is over: township review and hand-off to the county, then 立即同步.
    await host.stop();
    host = await startWebHost(stationDir, key, {
      STATION_COUNTY_URL: county.url,
      STATION_SYNC_INTERVAL_MS: '3600000',
      NODE_OPTIONS: `--import ${clockShiftModule(data.dir)}`,
      STATION_TEST_CLOCK_OFFSET_MS: String(TEN_DAYS_MS),
    });
    station = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN' });
    station.setDefaultTimeout(15_000);
    current = station;
    await station.goto(host.openUrl);
    await station.getByLabel('用户名').fill('admin');
    await station.getByLabel('密码').fill('admin-pass-1');
    await station.getByRole('button', { name: btn('登录') }).click();
    await expect.poll(() => station.getByTestId('session-bar').count()).toBe(1);
    for (const c of cases) {
      const act = (action: string, payload: Record<string, unknown> = {}) => call(station, 'cases.act', { caseId: c.id, action, payload });
      await act('completeNotice');
      await act('townshipReview', { opinion: 'agree', note: '经审核，同意上报县民政局审批' });
      await act('handOffToCounty');
    }
    await call(station, 'sync.now', {});
    expect((await call<{ pending: number }>(station, 'sync.status', {})).pending).toBe(0);

    // ---- the county console in Chromium -----------------------------------------------------------------------
    const officer = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    officer.setDefaultTimeout(15_000);
    current = officer;
    await officer.goto(`${county.url}/console/`);
    expect(await officer.getAttribute('html', 'lang')).toBe('zh-CN');
    // First run: the admin token (printed by the server on first start) creates the first administrator.
    await officer.getByLabel('管理令牌').fill(county.adminToken);
    await officer.getByLabel('用户名').fill('admin');
    await officer.getByLabel('姓名').fill('县局管理员');
    await officer.getByLabel(/^密码/).fill('county-admin-2025');
    await settle(officer);
    await officer.screenshot({ path: `${OUT}/console-first-run.png` });
    await officer.getByRole('button', { name: '创建管理员' }).click();
    await expect.poll(() => officer.getByText('管理员账号已创建，请登录。').count()).toBe(1);
    // The administrator opens an approver account (through the same API the 账号管理 page uses).
    const adminSession = consoleClient(county.url);
    expect((await adminSession.login('admin', 'county-admin-2025')).status).toBe(200);
    expect((await adminSession.request('POST', '/console/api/staff', { username: 'zhao', displayName: '赵科长', roles: ['approver'], password: STAFF_PASSWORD })).status).toBe(201);

    await officer.getByLabel('用户名').fill('zhao');
    await officer.getByLabel('密码').fill(STAFF_PASSWORD);
    await officer.getByRole('button', { name: btn('登录') }).click();
    await expect.poll(() => officer.getByTestId('signed-in-as').textContent()).toContain('赵科长');
    const rows = officer.locator('.ant-table-tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    const inboxText = (await officer.locator('.ant-table').textContent())!;
    expect(inboxText).toContain('陈桂花');
    expect(inboxText).toContain(`${applicants[0]!.idNumber.slice(0, 6)}********${applicants[0]!.idNumber.slice(-4)}`);
    expect(inboxText).not.toContain(applicants[0]!.idNumber);
    await settle(officer);
    await officer.screenshot({ path: `${OUT}/console-inbox.png` });

    // Approve the first: 260.50 yuan a month.
    await officer.locator('.ant-table').getByText(cases[0]!.caseNumber, { exact: true }).click();
    await expect.poll(() => officer.getByText('办理过程（入户调查、民主评议、公示等）').count()).toBe(1);
    const dossier = (await officer.locator('.ant-layout-content').textContent())!;
    expect(dossier).toContain('情况属实，建议纳入低保');
    expect(dossier).toContain('村民代表 9 人一致同意');
    expect(dossier).toContain('石桥村村务公开栏');
    const month = await officer.getByLabel('发放起始月份').inputValue();
    expect(month).toMatch(/^\d{4}-\d{2}$/);
    await officer.getByLabel('每月发放金额（元）').fill('260.5');
    await settle(officer);
    await officer.screenshot({ path: `${OUT}/console-case-dossier.png`, fullPage: true });
    await officer.getByRole('button', { name: btn('批准') }).click();
    await officer.getByRole('button', { name: btn('确认') }).click();
    await expect.poll(() => officer.getByTestId('decision').textContent()).toContain(`已批准：每月 260.50 元，自 ${month} 起发放`);
    await settle(officer);
    await officer.screenshot({ path: `${OUT}/console-approved.png` });

    // Reject the second, with a written reason.
    await officer.getByRole('button', { name: /返回列表/ }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await officer.locator('.ant-table').getByText(cases[1]!.caseNumber, { exact: true }).click();
    await officer.getByText('不予批准', { exact: true }).first().click();
    const reason = '经核对，家庭人均收入高于当地低保标准';
    await officer.getByLabel('不予批准的理由（将告知申请人）').fill(reason);
    await officer.getByRole('button', { name: btn('不予批准') }).click();
    await officer.getByRole('button', { name: btn('确认') }).click();
    await expect.poll(() => officer.getByTestId('decision').textContent()).toContain(reason);

    // Every decision is in the county audit log.
    const audit = await adminSession.request('GET', '/console/api/audit?action=case.decide');
    expect(audit.body.entries.map((e: { entityId: string }) => e.entityId).sort()).toEqual(cases.map((c) => c.id).sort());

    // The administrator's pages: stations with their sync state, standards, the audit log.
    const adminCtx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const adminPage = await adminCtx.newPage();
    adminPage.setDefaultTimeout(15_000);
    current = adminPage;
    await adminPage.goto(`${county.url}/console/`);
    await adminPage.getByLabel('用户名').fill('admin');
    await adminPage.getByLabel('密码').fill('county-admin-2025');
    await adminPage.getByRole('button', { name: btn('登录') }).click();
    await expect.poll(() => adminPage.getByTestId('signed-in-as').textContent()).toContain('县局管理员');
    await adminPage.getByRole('menuitem', { name: '工作站管理' }).click();
    await expect.poll(() => adminPage.locator('.ant-table').getByText('S430102009').count()).toBe(1);
    await settle(adminPage);
    await adminPage.screenshot({ path: `${OUT}/console-stations.png` });
    await adminPage.getByRole('menuitem', { name: '审计日志' }).click();
    await expect.poll(() => adminPage.locator('.ant-table').getByText('审批决定').count()).toBe(2);
    await settle(adminPage);
    await adminPage.screenshot({ path: `${OUT}/console-audit.png` });
    await adminCtx.close();

    // ---- back at the station: 立即同步 shows both decisions ----------------------------------------------------
    current = station;
    await station.getByRole('menuitem', { name: '同步' }).click();
    await station.getByRole('button', { name: btn('立即同步') }).click();
    await expect.poll(async () => (await call<{ state: string }>(station, 'cases.get', { id: cases[0]!.id })).state, { timeout: 30_000 }).toBe('approved');
    await expect.poll(async () => (await call<{ state: string }>(station, 'cases.get', { id: cases[1]!.id })).state, { timeout: 30_000 }).toBe('rejected');

    const openCase = async (caseNumber: string) => {
      await station.getByRole('menuitem', { name: '案件' }).click();
      await station.getByLabel('查找案件').fill(caseNumber);
      await station.getByLabel('查找案件').press('Enter');
      await station.locator('.ant-table').getByText(caseNumber, { exact: true }).click();
      await expect.poll(() => station.getByTestId('case-number').textContent()).toBe(caseNumber);
    };
    await openCase(cases[0]!.caseNumber);
    await expect.poll(() => station.getByTestId('case-state').textContent()).toMatch(/已批准/);
    const detail = station.getByTestId('case-detail');
    await expect.poll(() => detail.getByText(/260\.50/).count()).toBeGreaterThan(0);
    await expect.poll(() => detail.getByText(new RegExp(month)).count()).toBeGreaterThan(0);
    await detail.getByText(new RegExp(month)).last().scrollIntoViewIfNeeded();
    await settle(station);
    await station.screenshot({ path: `${OUT}/console-station-approved.png` });
    await station.keyboard.press('Escape');
    await expect.poll(() => station.getByTestId('case-detail').count()).toBe(0);
    await openCase(cases[1]!.caseNumber);
    await expect.poll(() => station.getByTestId('case-state').textContent()).toMatch(/不予批准/);
    await expect.poll(() => station.getByTestId('case-detail').getByText(reason).count()).toBeGreaterThan(0);
    await station.getByTestId('case-detail').getByText(reason).first().scrollIntoViewIfNeeded();
    await settle(station);
    await station.screenshot({ path: `${OUT}/console-station-rejected.png` });
  }
});
