import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, statSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the 32-byte database key comes from. Electron wraps it with safeStorage (see main/electron/keyStore.ts);
 * under plain Node (tests, benchmarks, browser host) it comes from STATION_DB_KEY or an owner-only key file.
 */
export interface KeyProvider {
  /** Returns the key, creating one on first use. */
  getKey(): Buffer;
  readonly description: string;
}

const KEY_HEX = /^[0-9a-f]{64}$/i;

export function envOrFileKeyProvider(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeyProvider {
  const fromEnv = env.STATION_DB_KEY;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!KEY_HEX.test(fromEnv)) throw new Error('STATION_DB_KEY must be 64 hexadecimal characters (32 bytes)');
    return { getKey: () => Buffer.from(fromEnv, 'hex'), description: 'environment variable STATION_DB_KEY' };
  }
  const file = join(dataDir, 'station.key');
  return {
    description: `key file ${file}`,
    getKey() {
      if (!existsSync(file)) {
        // wx: never overwrite a key that appeared meanwhile; losing a key loses the whole store.
        writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
      }
      if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
        chmodSync(file, 0o600);
      }
      const hex = readFileSync(file, 'utf8').trim();
      if (!KEY_HEX.test(hex)) throw new Error(`key file ${file} is damaged (expected 64 hex characters)`);
      return Buffer.from(hex, 'hex');
    },
  };
}
