import { createHash } from 'node:crypto';
import { MAX_ATTACHMENT_BYTES } from '../../shared/sync/mutations';
import { MAX_ATTACHMENT_CHUNK_BYTES, type AttachmentStatus } from '../../shared/sync/protocol';
import type { CountyDb, Queryable } from '../db/types';
import { ServiceError } from './errors';

/**
 * Content-addressed attachment store (docs/sync-protocol.md SP-40 … SP-44). A file is known by its SHA-256; chunks
 * are appended at the offset the county reports, so an interrupted upload resumes where it stopped, and the same
 * file sent by two stations is stored once.
 */

interface Row {
  size: string | number;
  received: string | number;
  complete: boolean;
}

const toStatus = (sha256: string, r: Row): AttachmentStatus => ({
  sha256,
  size: Number(r.size),
  received: Number(r.received),
  complete: r.complete,
});

export async function attachmentStatus(db: CountyDb, sha256: string): Promise<AttachmentStatus | null> {
  const { rows } = await db.query<Row>('SELECT size, received, complete FROM attachments WHERE sha256 = $1', [sha256]);
  return rows[0] ? toStatus(sha256, rows[0]) : null;
}

export interface ChunkInput {
  sha256: string;
  /** Where this chunk starts; must equal what the county has received so far. */
  offset: number;
  /** Size of the whole file. */
  size: number;
  chunk: Uint8Array;
}

/**
 * Appends one chunk. When the last byte arrives the whole file is hashed: a mismatch discards everything received and
 * answers HASH_MISMATCH (SP-43). Sending to a file that is already complete changes nothing and reports it complete.
 */
export async function writeAttachmentChunk(db: CountyDb, input: ChunkInput): Promise<AttachmentStatus> {
  const { sha256, offset, size, chunk } = input;
  if (size > MAX_ATTACHMENT_BYTES) throw new ServiceError('PAYLOAD_TOO_LARGE', `附件超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB。`);
  if (chunk.length > MAX_ATTACHMENT_CHUNK_BYTES) throw new ServiceError('PAYLOAD_TOO_LARGE', '附件分块过大。');
  if (offset + chunk.length > size) throw new ServiceError('BAD_REQUEST', '附件分块超出声明的文件大小。');

  const outcome = await db.transaction(async (tx) => {
    await tx.query('INSERT INTO attachments (sha256, size) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING', [sha256, size]);
    // Serialises uploads of the same file: two stations sending it at once take turns, and the second one is told
    // where the first got to (content addressing makes their bytes interchangeable).
    const { rows } = await tx.query<Row>('SELECT size, received, complete FROM attachments WHERE sha256 = $1 FOR UPDATE', [sha256]);
    const row = rows[0]!;
    if (row.complete) return { status: toStatus(sha256, row) };
    if (Number(row.size) !== size) {
      if (Number(row.received) > 0) throw new ServiceError('BAD_REQUEST', '附件大小与之前上传时声明的不一致。');
      await tx.query('UPDATE attachments SET size = $2 WHERE sha256 = $1', [sha256, size]);
    }
    const received = Number(row.received);
    if (offset !== received) throw new ServiceError('OFFSET_MISMATCH', undefined, { received });
    if (chunk.length > 0) {
      await tx.query('INSERT INTO attachment_chunks (sha256, start_offset, data) VALUES ($1, $2, $3)', [sha256, offset, chunk]);
    }
    const now = received + chunk.length;
    if (now < size) {
      await tx.query('UPDATE attachments SET received = $2 WHERE sha256 = $1', [sha256, now]);
      return { status: { sha256, size, received: now, complete: false } };
    }
    if ((await hashStored(tx, sha256)) !== sha256) {
      await tx.query('DELETE FROM attachments WHERE sha256 = $1', [sha256]);
      return { mismatch: true as const };
    }
    await tx.query('UPDATE attachments SET received = $2, complete = true, completed_at = now() WHERE sha256 = $1', [sha256, now]);
    return { status: { sha256, size, received: now, complete: true } };
  });
  // Thrown after commit: the discard must stick even though the request fails.
  if ('mismatch' in outcome) throw new ServiceError('HASH_MISMATCH');
  return outcome.status;
}

async function hashStored(tx: Queryable, sha256: string): Promise<string> {
  const hash = createHash('sha256');
  let next = 0;
  for (;;) {
    // A few chunks at a time keeps memory flat for large scans.
    const { rows } = await tx.query<{ start_offset: string | number; data: Uint8Array }>(
      'SELECT start_offset, data FROM attachment_chunks WHERE sha256 = $1 AND start_offset >= $2 ORDER BY start_offset LIMIT 8',
      [sha256, next],
    );
    if (rows.length === 0) return hash.digest('hex');
    for (const r of rows) {
      if (Number(r.start_offset) !== next) throw new Error(`attachment ${sha256}: chunk gap at ${next}`);
      hash.update(r.data);
      next += r.data.length;
    }
  }
}

/** The whole file, or null while it is missing or incomplete (for the county console's material previews). */
export async function readAttachment(db: CountyDb, sha256: string): Promise<Buffer | null> {
  return db.transaction(
    async (tx) => {
      const { rows } = await tx.query<Row>('SELECT size, received, complete FROM attachments WHERE sha256 = $1', [sha256]);
      if (!rows[0]?.complete) return null;
      const chunks = await tx.query<{ data: Uint8Array }>('SELECT data FROM attachment_chunks WHERE sha256 = $1 ORDER BY start_offset', [sha256]);
      return Buffer.concat(chunks.rows.map((c) => c.data));
    },
    { isolation: 'repeatable read', readOnly: true },
  );
}
