import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Content-addressed store for scanned materials: <dataDir>/attachments/<sha256[0:2]>/<sha256>. The name is the
 * content's hash, so the same scan attached twice is stored once, a file can be checked against its name, and the
 * sync engine can upload it by hash. A file only ever appears under its final name complete and on disk:
 * written to a temporary name, fsynced, renamed, and the folder fsynced (a power cut leaves either nothing or
 * the whole file, never a torn one under a valid name).
 */
export const attachmentsDir = (dataDir: string): string => join(dataDir, 'attachments');

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function blobPath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError('not a sha256');
  return join(attachmentsDir(dataDir), sha256.slice(0, 2), sha256);
}

function fsyncDir(dir: string): void {
  // Directories can't be opened for fsync on Windows; there NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Stores bytes under their hash; returns the hash and whether the content was already there. */
export function putBlob(dataDir: string, bytes: Uint8Array): { sha256: string; existed: boolean } {
  const sha256 = sha256Of(bytes);
  const final = blobPath(dataDir, sha256);
  if (existsSync(final) && statSync(final).size === bytes.length) return { sha256, existed: true };
  const dir = join(attachmentsDir(dataDir), sha256.slice(0, 2));
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, final);
  fsyncDir(dir);
  return { sha256, existed: false };
}

/** The stored bytes, verified against their name: a damaged file is reported, never shown as the scan. */
export function readBlob(dataDir: string, sha256: string): Uint8Array | null {
  const path = blobPath(dataDir, sha256);
  if (!existsSync(path)) return null;
  const bytes = readFileSync(path);
  if (sha256Of(bytes) !== sha256) throw new Error(`attachment ${sha256.slice(0, 12)}… is damaged`);
  return bytes;
}
