/**
 * Browser host: the station core behind the same contract over loopback HTTP, serving the production renderer build.
 * Used where the Electron binary is unavailable, and by the Playwright end-to-end tests.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envOrFileKeyProvider } from './core/db/key';
import { StoreOpenError } from './core/db/open';
import { defaultDataDir } from './core/paths';
import { openStationCore } from './core/station';
import { startLoopbackHost } from './core/host/loopbackServer';
import { createLogger } from './core/log';
import { startSyncFromEnv } from './core/sync/fromEnv';

const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const log = createLogger();
  const dataDir = defaultDataDir();
  let core;
  try {
    core = openStationCore({ dataDir, keys: envOrFileKeyProvider(dataDir), host: 'browser', log });
  } catch (err) {
    if (err instanceof StoreOpenError) {
      console.error(`无法打开本地数据库（${err.reason}）：${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  startSyncFromEnv(core);
  const port = process.env.STATION_PORT ? Number(process.env.STATION_PORT) : 0;
  const host = await startLoopbackHost({ core, rendererDir: join(here, '..', 'renderer'), port });
  // One machine-readable line first: tests and scripts wait for it.
  console.log(JSON.stringify({ event: 'station-web-host-ready', url: host.url, openUrl: host.openUrl, dataDir }));
  console.log(`\n乡镇民政一门受理工作站（浏览器模式）已启动。请在本机浏览器打开：\n  ${host.openUrl}\n数据目录：${dataDir}\n按 Ctrl+C 退出。\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping browser host');
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
