// `npm start`: the Electron app where Electron can run; otherwise says so plainly and starts the browser host.
import { spawn, spawnSync } from 'node:child_process';
import { ensureElectron } from './ensure-electron.mjs';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('npm', ['run', '--silent', 'build']);
const electron = process.env.STATION_FORCE_WEB ? { error: 'STATION_FORCE_WEB is set' } : ensureElectron();
let child;
if (electron.path) {
  try {
    const { buildNativeForElectron } = await import('./electron-native.mjs');
    await buildNativeForElectron();
    child = spawn(electron.path, ['.'], { stdio: 'inherit' });
  } catch (err) {
    console.log(`\n无法为 Electron 编译本地数据库模块（${err.message}），改用浏览器模式。`);
  }
} else {
  console.log(`\n本机无法运行 Electron：${electron.error}。`);
  console.log('改为启动浏览器模式：同一界面与同一工作站内核，经本机回环地址提供服务。\n');
}
child ??= spawn(process.execPath, ['dist/main/web-host.mjs'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
