import { homedir } from 'node:os';
import { join } from 'node:path';

/** Data folder outside Electron. Electron uses app.getPath('userData') instead (see main/electron/main.ts). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STATION_DATA_DIR) return env.STATION_DATA_DIR;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'township-intake-station');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'township-intake-station');
}
