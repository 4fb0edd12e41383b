/**
 * Issue 6 at the station, end to end in Chromium against the real browser host: the hand-made fixture of the unit
 * tests (tests/unit/reports/fixture.ts) is written into an encrypted store, then a reviewer opens 统计 for 2025 H1,
 * checks figures and drills into one, looks at the charts, reads the work-summary paragraph and downloads it as
 * .docx, exports the list behind a figure, and prints the June 低保 payment roster to a Chromium PDF.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { chromiumUnavailable, launchChromium, withFailureScreenshot } from '../support/chromium';
import { clientFor, openTestCore } from '../support/stationCore';
import { startWebHost, type RunningWebHost } from '../support/webHost';
import { makeTempDir, randomKeyHex } from '../support/tempDir';
import { newSession } from '../../main/core/api/context';
import { buildFixture } from '../unit/reports/fixture';

const unavailable = chromiumUnavailable();
if (unavailable) console.log(`[skip] reports end-to-end test: ${unavailable}`);
const OUT = 'tests/output/e2e';
const btn = (label: string) => new RegExp(`^\\s*${[...label].join('\\s*')}\\s*$`);
const readable = (text: string) => text.normalize('NFKC');

async function must<T>(p: Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.code} ${r.message}`);
  return r.value;
}
async function settle(page: Page) {
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))));
}
async function closeDrawer(page: Page) {
  await page.locator('.ant-drawer-open .ant-drawer-close').click();
  await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
}
/** Chooses an option of an antd Select found by test id inside `scope`. */
async function choose(page: Page, scope: ReturnType<Page['locator']>, testId: string, option: string) {
  await scope.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

describe.skipIf(!!unavailable)('browser host end to end: statistics, work summary, exports, roster', () => {
  let browser: Browser;
  let host: RunningWebHost | null = null;
  let current: Page | null = null;
  const data = makeTempDir('station-e2e-reports-');
  const key = randomKeyHex();

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    const core = openTestCore(data.dir, key);
    const admin = clientFor(core, newSession());
    await must(admin.call('settings.save', { townshipName: '城关镇', stationCode: '430102001' }));
    await must(admin.call('auth.setupAdmin', { username: 'admin', displayName: '周站长', password: 'admin-pass-1' }));
    await must(admin.call('staff.create', { username: 'reviewer', displayName: '李审核', password: 'review-pass-1', role: 'reviewer' }));
    buildFixture(core.db);
    await core.close();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    data.cleanup();
  });

  it('shows the figures, drills down, charts, writes the summary, exports and prints', async () => {
    await withFailureScreenshot(() => current, `${OUT}/reports-failure.png`, scenario);
  }, 180_000);

  async function scenario() {
    host = await startWebHost(data.dir, key);
    const page = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN', acceptDownloads: true });
    page.setDefaultTimeout(20_000);
    current = page;
    await page.goto(host.openUrl);
    await page.getByLabel('用户名').fill('reviewer');
    await page.getByLabel('密码').fill('review-pass-1');
    await page.getByRole('button', { name: btn('登录') }).click();
    await expect.poll(() => page.getByTestId('session-bar').count()).toBe(1);
    await page.getByRole('menuitem', { name: '统计' }).click();

    // 2025 上半年, all items.
    const filters = page.locator('.ant-card').first();
    await choose(page, filters, 'period-year', '2025年');
    await choose(page, filters, 'period-part', '上半年');
    const atEnd = page.getByTestId('fig-dibao-activeAtEnd-households');
    await expect.poll(() => atEnd.textContent()).toBe('2');
    expect(await page.getByTestId('fig-dibao-exited-households').textContent()).toBe('2');
    expect(await page.getByTestId('fig-dibao-paid-amountFen').textContent()).toBe('4,750.00');
    expect(await page.getByTestId('fig-temporaryAssistance-aided-cases').textContent()).toBe('1');
    await page.screenshot({ path: `${OUT}/reports-table.png`, fullPage: true });

    // Drill into 退出户: the two exited households, masked.
    await page.getByTestId('fig-dibao-exited-households').click();
    await expect.poll(() => page.getByTestId('drill-summary').textContent()).toContain('共 2 件；2 户 3 人');
    const drillText = (await page.getByTestId('drill-table').textContent()) ?? '';
    expect(drillText).toContain('本人死亡');
    expect(drillText).toMatch(/430102\*{8}\d{3}[\dX]/);
    await settle(page);
    await page.screenshot({ path: `${OUT}/reports-drill.png` });
    const listDownload = page.waitForEvent('download');
    await page.getByTestId('drill-export').click();
    const list = await listDownload;
    expect(list.suggestedFilename()).toMatch(/退出名单\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await list.path())!) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('名单')!.getRow(3).getCell(6).value).toBe('身份证号码');
    await closeDrawer(page);

    // Charts.
    await page.getByRole('tab', { name: '图表' }).click();
    await expect.poll(() => page.getByTestId('chart-trend').locator('canvas').count()).toBeGreaterThan(0);
    await settle(page);
    await page.screenshot({ path: `${OUT}/reports-charts.png`, fullPage: true });

    // Work summary for 2025 上半年, linked numbers, .docx download.
    await page.getByRole('tab', { name: '工作总结数据' }).click();
    const pane = page.getByTestId('summary-panel');
    await choose(page, pane, 'period-year', '2025年');
    await choose(page, pane, 'period-part', '上半年');
    await expect.poll(() => page.getByTestId('summary-text').textContent()).toContain('支出低保金0.48万元');
    expect(await page.getByTestId('summary-text').textContent()).toContain('实施临时救助1人次');
    await page.screenshot({ path: `${OUT}/reports-summary.png`, fullPage: true });
    await page.getByTestId('summary-figure').first().click();
    await expect.poll(() => page.getByTestId('drill-summary').textContent()).toContain('2 户 5 人');
    await closeDrawer(page);
    const docxDownload = page.waitForEvent('download');
    await page.getByTestId('summary-docx').click();
    const docx = await docxDownload;
    expect(docx.suggestedFilename()).toBe('2025年上半年城关镇社会救助工作统计数据.docx');
    const zip = await JSZip.loadAsync(readFileSync((await docx.path())!));
    expect(await zip.file('word/document.xml')!.async('string')).toContain('农村低保2户5人');

    // Payment roster: June 低保, printed to a Chromium PDF.
    await page.getByRole('tab', { name: '发放名册' }).click();
    const juneRow = page.getByTestId('roster-table').locator('tr', { hasText: '2025-06' });
    await juneRow.getByTestId('roster-print').click();
    const frame = page.getByTestId('print-frame');
    await expect.poll(() => frame.count()).toBe(1);
    const html = (await frame.getAttribute('srcdoc'))!;
    expect(html).toContain('张大山');
    await settle(page);
    await page.screenshot({ path: `${OUT}/reports-roster-print.png` });
    const printer = await browser.newPage();
    await printer.setContent(html);
    const pdf = await printer.pdf({ format: 'A4', printBackground: true });
    await printer.close();
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
    const plain = readable(text).replace(/\s+/g, '');
    expect(plain).toContain('发放名册');
    expect(plain).toContain('1,150.00');
  }
});
