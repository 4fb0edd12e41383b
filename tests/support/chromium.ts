import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or null. On CI a missing browser is a failure, never a skip. */
export function chromiumUnavailable(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const why = `Chromium not found at ${CHROMIUM_PATH} (install Debian's chromium package)`;
  if (process.env.CI) throw new Error(why);
  return why;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

/**
 * Runs an end-to-end scenario; if a step fails, saves a full-page screenshot of the page in use before rethrowing,
 * so a red CI run leaves a picture of what the clerk would have seen.
 */
export async function withFailureScreenshot(page: () => Page | null, file: string, scenario: () => Promise<void>): Promise<void> {
  try {
    await scenario();
  } catch (err) {
    await page()?.screenshot({ path: file, fullPage: true }).catch(() => {});
    throw err;
  }
}
