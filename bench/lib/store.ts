import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Db } from '../../main/core/db/open';

/**
 * A real station store for a benchmark: encrypted, WAL, synchronous=FULL, all migrations — the same openStore the
 * app uses — in a temporary folder removed by cleanup().
 */
export function benchStore(prefix = 'station-bench-'): { db: Db; dir: string; sizeMb(): number; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const key = randomBytes(32);
  const db = openStore({ file: join(dir, 'station.db'), keys: { getKey: () => key, description: 'benchmark key' } });
  return {
    db,
    dir,
    sizeMb: () =>
      Math.round((readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0) / 1024 / 1024) * 10) / 10,
    cleanup: () => {
      try {
        db.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
