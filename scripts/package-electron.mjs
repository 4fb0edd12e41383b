// `npm run dist`: installers via electron-builder (electron-builder.yml), with the native module built for Electron.
import { spawnSync } from 'node:child_process';
import { ensureElectron } from './ensure-electron.mjs';
import { buildNativeForElectron } from './electron-native.mjs';

const step = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
const electron = ensureElectron();
if (!electron.path) {
  console.error(`cannot package: ${electron.error}`);
  process.exit(1);
}
step('npm', ['run', '--silent', 'build']);
await buildNativeForElectron();
step('npx', ['electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)]);
