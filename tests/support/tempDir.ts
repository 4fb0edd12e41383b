import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A fresh folder per test; removed afterwards unless KEEP_TEST_DATA is set (to inspect a failure). */
export function makeTempDir(prefix = 'station-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => (process.env.KEEP_TEST_DATA ? undefined : rmSync(dir, { recursive: true, force: true })) };
}

export const randomKeyHex = (): string => randomBytes(32).toString('hex');
