import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { KeyProvider } from '../core/db/key';

/**
 * The database key wrapped by the OS keychain (DPAPI on Windows, libsecret/kwallet on Linux). A stolen disk alone
 * does not open the store. Where the OS offers no encryption backend we refuse rather than fall back silently.
 */
export function safeStorageKeyProvider(dataDir: string): KeyProvider {
  const file = join(dataDir, 'station.key.enc');
  return {
    description: `safeStorage-wrapped key ${file}`,
    getKey() {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new Error('OS encryption (safeStorage) is not available; cannot protect the database key');
      }
      if (!existsSync(file)) {
        const key = randomBytes(32);
        writeFileSync(file, safeStorage.encryptString(key.toString('hex')), { mode: 0o600, flag: 'wx' });
      }
      return Buffer.from(safeStorage.decryptString(readFileSync(file)), 'hex');
    },
  };
}
