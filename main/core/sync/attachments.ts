import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { MAX_ATTACHMENT_CHUNK_BYTES } from '../../../shared/sync/protocol';
import type { Db } from '../db/open';
import { blobPath } from '../services/materials/blobStore';
import { SyncFailure, type CountyTransport } from './transport';

/**
 * Resumable upload of scans (docs/sync-protocol.md SP-40 … SP-44): HEAD for what the county has, then PUT chunks
 * from there. Only files whose attachment.register the county confirmed are queued (state.ts confirmUpTo).
 */

export interface UploadStep {
  uploaded: number;
  failed: number;
  remaining: number;
}

export function pendingUploads(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM attachment_uploads WHERE uploaded_at IS NULL').get() as { n: number }).n;
}

function readChunk(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

async function uploadOne(dataDir: string, transport: CountyTransport, sha256: string, size: number, chunkBytes: number): Promise<void> {
  const path = blobPath(dataDir, sha256);
  if (!existsSync(path) || statSync(path).size !== size) {
    throw new SyncFailure('stop', 'FILE_MISSING', '本机找不到该扫描件文件（或大小不符），无法上传。');
  }
  let status = await transport.attachmentStatus(sha256);
  if (status?.complete) return; // SP-44: already there (from this or another station)
  let offset = status?.received ?? 0;
  let restarts = 0;
  for (;;) {
    const chunk = readChunk(path, offset, Math.min(chunkBytes, size - offset));
    try {
      status = await transport.putChunk(sha256, offset, size, chunk);
    } catch (err) {
      if (err instanceof SyncFailure && err.code === 'OFFSET_MISMATCH' && typeof err.body?.received === 'number') {
        offset = err.body.received; // SP-41: continue where the county stands
        continue;
      }
      if (err instanceof SyncFailure && err.code === 'HASH_MISMATCH' && restarts++ < 1) {
        offset = 0; // SP-43: the county discarded what it had; start over once
        continue;
      }
      throw err;
    }
    if (status.complete) return;
    if (status.received <= offset) throw new SyncFailure('retry', 'UPLOAD_STALLED', '附件上传没有进展，稍后重试。');
    offset = status.received;
  }
}

/** Uploads every queued file; one failing file is recorded and does not hold up the others. */
export async function uploadPending(
  db: Db,
  dataDir: string,
  transport: CountyTransport,
  onProgress: (done: number, total: number) => void,
  chunkBytes = MAX_ATTACHMENT_CHUNK_BYTES,
): Promise<UploadStep> {
  const rows = db.prepare('SELECT sha256, size FROM attachment_uploads WHERE uploaded_at IS NULL ORDER BY mutation_id').all() as {
    sha256: string;
    size: number;
  }[];
  let uploaded = 0;
  let failed = 0;
  for (const [i, r] of rows.entries()) {
    try {
      await uploadOne(dataDir, transport, r.sha256, r.size, Math.min(chunkBytes, MAX_ATTACHMENT_CHUNK_BYTES));
      db.prepare('UPDATE attachment_uploads SET uploaded_at = ?, last_error = NULL WHERE sha256 = ?').run(new Date().toISOString(), r.sha256);
      uploaded++;
    } catch (err) {
      // Network trouble ends this round (the engine backs off); a per-file problem is recorded and skipped.
      if (err instanceof SyncFailure && err.kind !== 'stop') throw err;
      failed++;
      db.prepare('UPDATE attachment_uploads SET attempts = attempts + 1, last_error = ? WHERE sha256 = ?').run(
        err instanceof Error ? err.message : String(err),
        r.sha256,
      );
    }
    onProgress(i + 1, rows.length);
  }
  return { uploaded, failed, remaining: pendingUploads(db) };
}
