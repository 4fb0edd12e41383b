import { uuidv7 } from 'uuidv7';
import { isOpen } from '../../../../shared/domain/caseMachine';
import { AppError } from '../../../../shared/ipc/errors';
import { MAX_UPLOAD_BYTES, type AttachmentInfo, type UploadMime } from '../../../../shared/schemas/cases';
import type { Db } from '../../db/open';
import { queue, queueCaseSave, requireCase } from '../cases/rows';
import { write } from '../unitOfWork';
import type { Actor } from '../audit';
import { putBlob, readBlob } from './blobStore';
import { sniffMime } from './magic';

export interface AttachRequest {
  caseId: string;
  materialKey: string;
  fileName: string;
  bytes: Uint8Array;
}

/** Strict base64 → bytes; the schema has checked the alphabet, this checks the length adds up. */
export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new AppError('INVALID_INPUT', '文件内容编码不正确');
  return Buffer.from(text, 'base64');
}

interface AttachmentRow {
  id: string;
  case_id: string;
  material_key: string;
  sha256: string;
  size: number;
  mime: UploadMime;
  file_name: string;
  created_at: string;
}

const toInfo = (a: AttachmentRow): AttachmentInfo => ({
  id: a.id,
  materialKey: a.material_key,
  sha256: a.sha256,
  size: a.size,
  mime: a.mime,
  fileName: a.file_name,
  createdAt: a.created_at,
});

/**
 * Attaches a scan to a checklist line. The bytes go to the content-addressed store first (durable before the row
 * that points at them commits); then row + audit + outbox `attachment.register` in one transaction. If that
 * transaction fails the file stays as an unreferenced blob, which is harmless and reused by the next attempt.
 * Attaching the same content to the same line again returns the existing attachment.
 */
export function attachMaterial(db: Db, dataDir: string, actor: Actor, req: AttachRequest): AttachmentInfo {
  if (req.bytes.length === 0) throw new AppError('INVALID_INPUT', '文件为空，请重新扫描');
  if (req.bytes.length > MAX_UPLOAD_BYTES) {
    throw new AppError('INVALID_INPUT', `文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB，请压缩或分页扫描后再上传`);
  }
  const mime = sniffMime(req.bytes);
  if (!mime) throw new AppError('INVALID_INPUT', '只能上传 PDF、JPEG 或 PNG 格式的扫描件（文件内容与格式不符）');
  // Checked before touching the disk, so a bad request leaves no file behind either.
  const row = requireCase(db, req.caseId);
  if (!isOpen(row.state)) throw new AppError('ILLEGAL_TRANSITION', '案件已办结，不能再添加材料');
  const line = db.prepare('SELECT material_key FROM case_materials WHERE case_id = ? AND material_key = ?').get(req.caseId, req.materialKey);
  if (!line) throw new AppError('INVALID_INPUT', '该案件的材料清单中没有这一项');

  const { sha256 } = putBlob(dataDir, req.bytes);
  return write(db, actor, (tx) => {
    const existing = tx.db
      .prepare('SELECT * FROM attachments WHERE case_id = ? AND material_key = ? AND sha256 = ?')
      .get(req.caseId, req.materialKey, sha256) as AttachmentRow | undefined;
    if (existing) return toInfo(existing);
    const current = requireCase(tx.db, req.caseId);
    if (!isOpen(current.state)) throw new AppError('ILLEGAL_TRANSITION', '案件已办结，不能再添加材料');
    const a: AttachmentRow = {
      id: uuidv7(),
      case_id: req.caseId,
      material_key: req.materialKey,
      sha256,
      size: req.bytes.length,
      mime,
      file_name: req.fileName,
      created_at: tx.now,
    };
    tx.db
      .prepare(
        `INSERT INTO attachments (id, case_id, material_key, sha256, size, mime, file_name, created_by, created_at)
         VALUES (@id, @case_id, @material_key, @sha256, @size, @mime, @file_name, @created_by, @created_at)`,
      )
      .run({ ...a, created_by: actor.id });
    tx.db.prepare('UPDATE case_materials SET received = 1 WHERE case_id = ? AND material_key = ?').run(req.caseId, req.materialKey);
    tx.db.prepare('UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ?').run(tx.now, req.caseId);
    tx.audit({
      action: 'attachment.register',
      entity: 'case',
      entityId: req.caseId,
      changes: { attachment: [null, { id: a.id, materialKey: a.material_key, sha256, size: a.size, mime }] },
    });
    queue(tx, 'attachment.register', {
      caseId: req.caseId,
      sha256,
      size: a.size,
      mime,
      materialKey: a.material_key,
      fileName: a.file_name,
    });
    queueCaseSave(tx, req.caseId);
    return toInfo(a);
  });
}

/** The scan's bytes for the preview; the view is recorded (scans are personal data). */
export function previewAttachment(db: Db, dataDir: string, actor: Actor, id: string) {
  const a = db.prepare('SELECT * FROM attachments WHERE id = ?').get(id) as AttachmentRow | undefined;
  if (!a) throw new AppError('NOT_FOUND', '未找到该扫描件');
  let bytes: Uint8Array | null;
  try {
    bytes = readBlob(dataDir, a.sha256);
  } catch {
    throw new AppError('STORE_UNAVAILABLE', '扫描件文件已损坏，请重新扫描上传');
  }
  if (!bytes) throw new AppError('NOT_FOUND', '扫描件文件不在本机（可能尚未从县级平台下载）');
  write(db, actor, (tx) =>
    tx.audit({ action: 'attachment.view', entity: 'case', entityId: a.case_id, changes: { view: a.id } }),
  );
  return { id: a.id, fileName: a.file_name, mime: a.mime, size: a.size, dataBase64: Buffer.from(bytes).toString('base64') };
}
