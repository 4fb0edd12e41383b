/**
 * Issue 4 "Checked by", end to end: the browser host (real station core, encrypted store) in Chromium and a real
 * county server process (real PostgreSQL when its binaries are present, else embedded PGlite — printed). The admin
 * enrols the station on the 同步 page; the county goes down; three intakes are made; the county comes back; 立即同步
 * in the UI; the county holds each of the three exactly once; a county decision is pulled and the case shows it.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../shared/domain/idNumber';
import { chromiumUnavailable, launchChromium, withFailureScreenshot } from '../support/chromium';
import { startCountyProcess, type CountyProcess } from '../support/countyProcess';
import { startPostgresOrPglite, type PostgresCluster } from '../support/postgres';
import { makeTempDir, randomKeyHex } from '../support/tempDir';
import { startWebHost, type RunningWebHost } from '../support/webHost';

const unavailable = chromiumUnavailable();
if (unavailable) console.log(`[skip] sync end-to-end test: ${unavailable}`);
const OUT = 'tests/output/e2e';
const btn = (label: string) => new RegExp(`^\\s*${[...label].join('\\s*')}\\s*$`);

/** A contract call exactly as the page makes it (same token, same signed-in session). */
async function rawCall<T = unknown>(page: Page, name: string, input: unknown): Promise<T> {
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

describe.skipIf(!!unavailable)('browser host end to end: sync with the county server', () => {
  let browser: Browser;
  let host: RunningWebHost | null = null;
  let county: CountyProcess | null = null;
  let cluster: PostgresCluster | undefined;
  let current: Page | null = null;
  const data = makeTempDir('station-e2e-sync-');
  const countyDir = join(data.dir, 'county');
  const stationDir = join(data.dir, 'station');

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await launchChromium();
    cluster = await startPostgresOrPglite('e2e sync');
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await county?.stop();
    await cluster?.stop();
    data.cleanup();
  });

  it('delivers three offline intakes exactly once and shows a pulled county decision on the case', async () => {
    await withFailureScreenshot(() => current, `${OUT}/sync-failure.png`, scenario);
  });

  const startCounty = (port = 0, adminToken?: string) =>
    startCountyProcess({ dataDir: countyDir, entry: 'dist', port, ...(cluster ? { databaseUrl: cluster.url } : {}), ...(adminToken ? { adminToken } : {}) });
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${county!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${county!.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  async function scenario() {
    county = await startCounty();
    const created = await admin('POST', '/admin/stations', { code: 'S430102001', township: '城关镇', name: '城关镇民政办' });
    expect(created.status).toBe(201);
    host = await startWebHost(stationDir, randomKeyHex(), { STATION_COUNTY_URL: county.url, STATION_SYNC_INTERVAL_MS: '3600000' });
    const page = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN' });
    page.setDefaultTimeout(15_000);
    current = page;
    await page.goto(host.openUrl);
    await page.getByLabel('管理员用户名').fill('admin');
    await page.getByLabel('管理员姓名').fill('周站长');
    await page.getByLabel('密码', { exact: true }).fill('admin-pass-1');
    await page.getByLabel('确认密码').fill('admin-pass-1');
    await page.getByRole('button', { name: '创建管理员并登录' }).click();
    await expect.poll(() => page.getByTestId('session-bar').count()).toBe(1);
    await rawCall(page, 'settings.save', { townshipName: '城关镇', stationCode: '430102001' });

    // Enrolment on the 同步 page: the county address is pre-filled from the host's configuration.
    await page.getByRole('menuitem', { name: '同步' }).click();
    await expect.poll(() => page.getByLabel('县级服务器地址').inputValue()).toBe(county.url);
    await page.getByLabel('一次性注册码').fill(created.body.enrolment.code);
    await page.getByRole('button', { name: btn('注册') }).click();
    await expect.poll(() => page.getByText('注册成功，已开始同步').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('sync-connection').textContent()).toBe('已连接');

    // The county goes down; three intakes are made at the counter meanwhile.
    const port = county.port;
    const token = county.adminToken;
    await county.stop();
    const cases: { id: string; caseNumber: string }[] = [];
    for (const [i, name] of ['张大山', '李秀英', '王建国'].entries()) {
      const person = await rawCall<{ id: string }>(page, 'people.savePerson', {
        idNumber: makeIdNumber('430102', '1962-07-15', 20 + i),
        name,
        hukou: 'rural',
        workAbility: 'partial',
        health: 'chronic',
      });
      cases.push(await rawCall<{ id: string; caseNumber: string }>(page, 'cases.create', { applicantId: person.id, itemCode: 'medicalAssistance' }));
    }
    // The first is taken to the county for approval (accept, township review, hand-off).
    const first = await rawCall<{ materials: { key: string }[] }>(page, 'cases.get', { id: cases[0]!.id });
    await rawCall(page, 'cases.act', { caseId: cases[0]!.id, action: 'accept', payload: { materialsReceived: first.materials.map((m) => m.key) } });
    await rawCall(page, 'cases.act', { caseId: cases[0]!.id, action: 'townshipReview', payload: { opinion: 'agree', note: '情况属实，同意上报' } });
    await rawCall(page, 'cases.act', { caseId: cases[0]!.id, action: 'handOffToCounty', payload: {} });

    await page.getByRole('button', { name: btn('立即同步') }).click();
    await expect.poll(() => page.getByTestId('sync-connection').textContent()).toBe('无法连接');
    await expect.poll(() => page.getByText(/无法连接县级服务器/).count()).toBeGreaterThan(0);
    const pendingOffline = Number(await page.getByTestId('sync-pending').textContent());
    expect(pendingOffline).toBeGreaterThanOrEqual(9);
    await page.screenshot({ path: `${OUT}/sync-offline.png`, fullPage: true });

    // The county is back (same address, same data): 立即同步.
    county = await startCounty(port, token);
    await page.getByRole('button', { name: btn('立即同步') }).click();
    await expect.poll(() => page.getByTestId('sync-pending').textContent(), { timeout: 30_000 }).toBe('0');
    await expect.poll(() => page.getByTestId('sync-connection').textContent()).toBe('已连接');
    await expect.poll(() => page.getByText(/同步完成/).count()).toBeGreaterThan(0);

    // The county has all three, each exactly once, and every mutation the station wrote.
    const stationId = created.body.station.id as string;
    const list = await admin('GET', `/admin/cases?stationId=${stationId}`);
    expect(list.body.total).toBe(3);
    expect((list.body.cases as { id: string }[]).map((c) => c.id).sort()).toEqual(cases.map((c) => c.id).sort());
    const projection = (await admin('GET', `/admin/stations/${stationId}/projection`)).body;
    expect(Object.keys(projection.persons)).toHaveLength(3);
    const status = await rawCall<{ confirmedMutationId: number; pending: number }>(page, 'sync.status', {});
    expect(Object.values(projection.lastMutationIds)).toEqual([status.confirmedMutationId]);
    expect(projection.cases[cases[0]!.id].stationState).toBe('awaitingCounty');

    // A county decision, pulled by 立即同步, moves the case; the case screen shows it.
    const decided = await admin('POST', `/admin/cases/${cases[0]!.id}/decision`, {
      outcome: 'approved',
      amountFen: 150_000,
      paymentStartMonth: '2099-01',
      decidedBy: '县民政局 赵科长',
    });
    expect(decided.status).toBe(200);
    await page.getByRole('button', { name: btn('立即同步') }).click();
    await expect.poll(async () => (await rawCall<{ state: string }>(page, 'cases.get', { id: cases[0]!.id })).state, { timeout: 30_000 }).toBe('approved');
    // The approval the station applied went back up in the same run: nothing left to send.
    await expect.poll(() => page.getByTestId('sync-pending').textContent()).toBe('0');
    await page.screenshot({ path: `${OUT}/sync-online.png`, fullPage: true });
    await page.getByRole('menuitem', { name: '案件' }).click();
    await page.getByLabel('查找案件').fill(cases[0]!.caseNumber);
    await page.getByLabel('查找案件').press('Enter');
    await page.locator('.ant-table').getByText(cases[0]!.caseNumber, { exact: true }).click();
    await expect.poll(() => page.getByTestId('case-number').textContent()).toBe(cases[0]!.caseNumber);
    await expect.poll(() => page.getByTestId('case-state').textContent()).toMatch(/已批准/);
    const timeline = page.getByTestId('case-timeline');
    await expect.poll(() => timeline.getByText('县级批准').count()).toBeGreaterThan(0);
    await expect.poll(() => timeline.getByText(/1,500\.00/).count()).toBeGreaterThan(0);
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
    await page.screenshot({ path: `${OUT}/sync-decision.png`, fullPage: true });
  }
});
