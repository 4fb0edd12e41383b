// Electron's binary is fetched here, at launch/package time, not in postinstall: on machines that cannot download it,
// `npm ci` must still succeed (allowScripts in package.json keeps electron's own install script from running).
// Exit 0 with the binary's path on stdout, or exit 1 with the reason on stderr.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export function ensureElectron() {
  let path = electronBinary();
  if (path) return { path };
  let installer;
  try {
    installer = require.resolve('electron/install.js');
  } catch {
    return { error: 'the electron package is not installed' };
  }
  const r = spawnSync(process.execPath, [installer], { encoding: 'utf8', timeout: 300_000 });
  path = electronBinary();
  if (path) return { path };
  const why = (r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ');
  return { error: `the Electron binary could not be downloaded${why ? ` (${why})` : ''}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = ensureElectron();
  if (r.path) console.log(r.path);
  else {
    console.error(r.error);
    process.exit(1);
  }
}
