import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newCredential } from './services/secrets';

export interface AdminToken {
  token: string;
  /** True when this start generated it: the caller prints it once, it is never logged. */
  generated: boolean;
  /** Where it is kept, when it is kept in the data folder. */
  file: string | null;
}

/**
 * The admin token, in order: given explicitly (COUNTY_ADMIN_TOKEN), kept in `<dataDir>/admin-token` (owner-only),
 * or generated now — into the data folder when there is one, otherwise for this process only.
 */
export function resolveAdminToken(explicit: string | undefined, dataDir: string | undefined): AdminToken {
  if (explicit) {
    if (explicit.length < 16) throw new Error('COUNTY_ADMIN_TOKEN must be at least 16 characters');
    return { token: explicit, generated: false, file: null };
  }
  if (!dataDir) return { token: newCredential(), generated: true, file: null };
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: false, file };
  const token = newCredential();
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, generated: true, file };
}
