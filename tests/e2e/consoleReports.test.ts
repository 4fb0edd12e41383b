/**
 * Issue 6, county side, end to end: a station's data (the report fixture of tests/unit/reports/fixture.ts) is pushed
 * to a county server process over real HTTP, payment ledger included (`payment.record`, SP-16); a county officer
 * signs in to the console in Chromium, opens 统计报表, picks 2025 上半年 and sees the 低保 figures the station has
 * (期末在保 2 户, 支出 4,750.00 元); a click on a figure opens its list with masked ID numbers.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber } from '../../shared/domain/idNumber';
import { consoleClient, STAFF_PASSWORD } from '../integration/console/consoleClient';
import { http, newClientId, stationClient } from '../integration/server/harness';
import { pushAll, stationMutations } from '../integration/server/reportPush';
import { chromiumUnavailable, launchChromium, withFailureScreenshot } from '../support/chromium';
import { startCountyProcess, type CountyProcess } from '../support/countyProcess';
import { startPostgresOrPglite, type PostgresCluster } from '../support/postgres';
import { makeTempDir } from '../support/tempDir';
import { openStation, type Station } from '../unit/cases/fixtures';
import { buildFixture, type Fixture } from '../unit/reports/fixture';

const unavailable = chromiumUnavailable();
if (unavailable) console.log(`[skip] console reports end-to-end test: ${unavailable}`);
const OUT = 'tests/output/e2e';
const btn = (label: string) => new RegExp(`^\\s*${[...label].join('\\s*')}\\s*$`);

describe.skipIf(!!unavailable)('county console 统计报表 end to end', () => {
  let browser: Browser;
  let county: CountyProcess | null = null;
  let cluster: PostgresCluster | undefined;
  let station: Station | null = null;
  let current: Page | null = null;
  const data = makeTempDir('console-reports-e2e-');

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await launchChromium();
    cluster = await startPostgresOrPglite('e2e console reports');
  });
  afterAll(async () => {
    await browser?.close();
    await county?.stop();
    await cluster?.stop();
    await station?.cleanup();
    data.cleanup();
  });

  it('an officer opens 统计报表 and sees the station’s figures, and a figure’s masked list', async () => {
    await withFailureScreenshot(() => current, `${OUT}/console-reports-failure.png`, scenario);
  }, 180_000);

  async function scenario() {
    station = await openStation();
    const fx: Fixture = buildFixture(station.core.db);
    county = await startCountyProcess({ dataDir: join(data.dir, 'county'), entry: 'dist', ...(cluster ? { databaseUrl: cluster.url } : {}) });
    const auth = { authorization: `Bearer ${county.adminToken}`, 'content-type': 'application/json' };
    const created = await http(`${county.url}/admin/stations`, 'POST', { body: JSON.stringify({ code: 'E2E-RPT', township: '城关镇' }), headers: auth });
    expect(created.status).toBe(201);
    const clientId = newClientId();
    const enrolled = await http(`${county.url}/sync/v1/enrol`, 'POST', {
      body: JSON.stringify({ code: created.body.enrolment.code, clientId }),
      headers: { 'content-type': 'application/json' },
    });
    expect(enrolled.status).toBe(200);
    const pusher = stationClient(county.url, { stationId: created.body.station.id, code: 'E2E-RPT', township: '城关镇', clientId, credential: enrolled.body.credential });
    await pushAll(pusher.push, stationMutations(station.core.db));

    // First administrator and a checker account, through the API the first-run screen and 账号管理 use.
    const admin = consoleClient(county.url);
    expect((await admin.request('POST', '/console/api/setup', { adminToken: county.adminToken, username: 'admin', displayName: '县局管理员', password: 'county-admin-2025' })).status).toBe(201);
    expect((await admin.login('admin', 'county-admin-2025')).status).toBe(200);
    expect((await admin.request('POST', '/console/api/staff', { username: 'tongji', displayName: '钱统计', roles: ['checker'], password: STAFF_PASSWORD })).status).toBe(201);

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    page.setDefaultTimeout(15_000);
    current = page;
    await page.goto(`${county.url}/console/`);
    await page.getByLabel('用户名').fill('tongji');
    await page.getByLabel('密码').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: btn('登录') }).click();
    await expect.poll(() => page.getByTestId('signed-in-as').textContent()).toContain('钱统计');
    await page.getByRole('menuitem', { name: '统计报表' }).click();
    await expect.poll(() => page.getByTestId('report-caption').count()).toBe(1);

    // 2025 上半年.
    await page.getByTestId('period-year').click();
    await page.locator('.ant-select-item-option', { hasText: '2025年' }).click();
    await page.getByTestId('period-part').click();
    await page.locator('.ant-select-item-option', { hasText: '上半年' }).click();
    await expect.poll(() => page.getByTestId('report-caption').textContent()).toContain('2025-01-01 至 2025-06-30');

    const atEnd = page.getByTestId('fig-dibao-activeAtEnd-households');
    await expect.poll(() => atEnd.textContent()).toBe('2');
    expect(await page.getByTestId('fig-dibao-paid-amountFen').textContent()).toBe('4,750.00');
    // County-wide, 分乡镇 has the township's row.
    expect(await page.getByTestId('report-by-group').textContent()).toContain('城关镇');
    await page.screenshot({ path: `${OUT}/console-reports.png`, fullPage: true });

    await page.getByTestId('fig-dibao-exited-households').click();
    const drawer = page.getByTestId('drill-table');
    await expect.poll(() => drawer.locator('tr.ant-table-row').count()).toBe(2);
    const text = (await drawer.textContent())!;
    const d2 = fx.persons['h2.0']!.idNumber;
    expect(text).toContain(maskIdNumber(d2));
    expect(text).not.toContain(d2);
    await page.screenshot({ path: `${OUT}/console-reports-drill.png` });

    // 工作总结数据 as Word: the same document the station writes (shared/reports/summaryFiles.ts), built in the browser.
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: '工作总结数据' }).click();
    const shown = (await page.getByTestId('summary-text').textContent())!;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('summary-docx').click()]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const zip = await JSZip.loadAsync(readFileSync((await download.path())!));
    const body = await zip.file('word/document.xml')!.async('string');
    // The paragraph's figures are in the document as the officer saw them.
    expect(body).toContain(shown.slice(0, 20));
  }
});
