/**
 * Electron shell: lifecycle, the one window and its hardening, safeStorage, IPC wiring. Everything else lives in the
 * station core (main/core), which knows nothing of Electron.
 */
import { app, BrowserWindow, session, type WebContents } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { openStationCore, type StationCore } from '../core/station';
import { createLogger } from '../core/log';
import { startSyncFromEnv } from '../core/sync/fromEnv';
import { registerIpc } from './ipc';
import { safeStorageKeyProvider } from './keyStore';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './protocol';

const here = dirname(fileURLToPath(import.meta.url));
const log = createLogger();
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // A second window on the same store would race the first for the outbox sequence; hand over and quit.
  app.quit();
} else {
  let win: BrowserWindow | null = null;
  let core: StationCore | null = null;

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    const rendererDir = join(here, '..', 'renderer');
    serveRenderer(rendererDir);

    const dataDir = process.env.STATION_DATA_DIR ?? app.getPath('userData');
    // The Electron-ABI build of the native module sits beside the Node one (see scripts/electron-native.mjs).
    const electronBinding = join(here, '..', 'native', 'electron', 'better_sqlite3.node');
    core = openStationCore({
      dataDir,
      keys: safeStorageKeyProvider(dataDir),
      host: 'electron',
      log,
      ...(existsSync(electronBinding) ? { nativeBinding: electronBinding } : {}),
    });

    startSyncFromEnv(core);

    win = new BrowserWindow({
      width: 1366,
      height: 860,
      minWidth: 1024,
      minHeight: 700,
      show: false,
      title: '乡镇民政一门受理工作站',
      webPreferences: {
        preload: join(here, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        spellcheck: false,
        // Middle-click would open links in new windows without passing setWindowOpenHandler's review.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    const mainContents = win.webContents;
    registerIpc(core, (wc) => wc === mainContents);
    win.once('ready-to-show', () => win?.show());
    void win.loadURL(`${APP_ORIGIN}/index.html`);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    void core?.close();
  });
}
