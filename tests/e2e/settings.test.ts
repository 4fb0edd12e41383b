import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from '../support/chromium';
import { startWebHost, type RunningWebHost } from '../support/webHost';
import { makeTempDir, randomKeyHex } from '../support/tempDir';

const unavailable = chromiumUnavailable();
if (unavailable) console.log(`[skip] browser end-to-end tests: ${unavailable}`);

const OUT = 'tests/output/e2e';

describe.skipIf(!!unavailable)('browser host end to end: station settings', () => {
  let browser: Browser;
  let host: RunningWebHost | null = null;
  const data = makeTempDir('station-e2e-');
  const key = randomKeyHex();

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await host?.stop();
    await browser?.close();
    data.cleanup();
  });

  it('saves the station name and code, and they survive a restart of the host process', async () => {
    host = await startWebHost(data.dir, key);
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    await page.goto(host.openUrl);
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByLabel('乡镇名称').fill('城关镇');
    await page.getByLabel('站点编码').fill('4301');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    // Client-side validation speaks Chinese and nothing is saved.
    await expect.poll(() => page.getByText('站点编码为 6 至 12 位数字').count()).toBeGreaterThan(0);
    await page.getByLabel('站点编码').fill('430102001');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => page.getByText('站点设置已保存').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('status-station').textContent()).toContain('城关镇（430102001）');
    await expect.poll(() => page.getByTestId('status-pending').textContent()).toContain('待同步：1 条');
    await page.close();

    // A hard kill: what was committed must still be there.
    await host.stop('SIGKILL');
    host = await startWebHost(data.dir, key);
    const again = await browser.newPage({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
    await again.goto(host.openUrl);
    await again.getByRole('menuitem', { name: '设置' }).click();
    await expect.poll(() => again.getByLabel('乡镇名称').inputValue()).toBe('城关镇');
    await expect.poll(() => again.getByLabel('站点编码').inputValue()).toBe('430102001');
    await expect.poll(() => again.getByTestId('status-station').textContent()).toContain('城关镇（430102001）');
    await again.screenshot({ path: `${OUT}/main-window.png` });
    await again.close();
  });

  it('the page runs under the strict CSP and cannot reach the API without the token', async () => {
    host ??= await startWebHost(data.dir, key);
    const page = await browser.newPage();
    const response = await page.goto(host.url + '/');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const status = await page.evaluate(async () => (await fetch('/api/call/status.get', { method: 'POST', body: '{}' })).status);
    expect(status).toBe(401);
    await page.close();
  });
});
