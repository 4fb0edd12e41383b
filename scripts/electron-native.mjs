// Builds better-sqlite3-multiple-ciphers for Electron's ABI into dist/native/electron/, beside (never instead of)
// the Node build in node_modules that tests, benchmarks and the browser host use. Needs Electron's headers, which
// are only reachable where Electron itself can be downloaded; called by start.mjs and package-electron.mjs.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export async function buildNativeForElectron() {
  const target = 'dist/native/electron/better_sqlite3.node';
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const stamp = `${target}.${electronVersion}`;
  if (existsSync(target) && existsSync(stamp)) return target;
  const work = mkdtempSync(join(tmpdir(), 'electron-native-'));
  const pkgDir = join(work, 'node_modules', 'better-sqlite3-multiple-ciphers');
  cpSync('node_modules/better-sqlite3-multiple-ciphers', pkgDir, { recursive: true, filter: (p) => !p.includes('/build/') });
  // electron-builder brings @electron/rebuild (the newest standalone release depends on a git-hosted package).
  const { rebuild } = require('@electron/rebuild');
  await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3-multiple-ciphers'], force: true });
  mkdirSync('dist/native/electron', { recursive: true });
  copyFileSync(join(pkgDir, 'build', 'Release', 'better_sqlite3.node'), target);
  copyFileSync(target, stamp);
  return target;
}
