import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { blobPath, putBlob } from '../../../main/core/services/materials/blobStore';
import { sniffMime } from '../../../main/core/services/materials/magic';
import { MAX_UPLOAD_BASE64_CHARS } from '../../../shared/schemas/cases';
import { counts, must, openStation, PNG_1x1, registerHousehold, TINY_PDF, type Station } from './fixtures';

const stations: Station[] = [];
afterEach(async () => {
  for (const s of stations.splice(0)) await s.cleanup();
});
async function withCase() {
  const s = await openStation();
  stations.push(s);
  const { head } = await registerHousehold(s.clerk);
  const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
  return { s, c };
}
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
/** Every file under the attachments folder, temporary ones included. */
function storedFiles(dir: string): string[] {
  const root = join(dir, 'attachments');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe('materials.attach', () => {
  it('stores the scan content-addressed, ticks the line, and writes row + audit + attachment.register together', async () => {
    const { s, c } = await withCase();
    const before = counts(s.core);
    const a = await must(s.clerk.call('materials.attach', { caseId: c.id, materialKey: 'idCard', fileName: '身份证正面.png', dataBase64: b64(PNG_1x1) }));
    expect(a).toMatchObject({ materialKey: 'idCard', mime: 'image/png', size: PNG_1x1.length, sha256: sha(PNG_1x1) });
    const path = join(s.dir, 'attachments', a.sha256.slice(0, 2), a.sha256);
    expect(readFileSync(path).equals(PNG_1x1)).toBe(true);
    expect(storedFiles(s.dir)).toEqual([path]); // no temporary file left behind
    const after = counts(s.core);
    expect(after.attachments - before.attachments).toBe(1);
    expect(after.audit - before.audit).toBe(1);
    const outbox = s.core.db.prepare('SELECT name, args FROM outbox ORDER BY id DESC LIMIT 2').all() as { name: string; args: string }[];
    expect(outbox.map((o) => o.name).sort()).toEqual(['attachment.register', 'case.save']);
    expect(JSON.parse(outbox.find((o) => o.name === 'attachment.register')!.args)).toEqual({
      caseId: c.id,
      sha256: a.sha256,
      size: PNG_1x1.length,
      mime: 'image/png',
      materialKey: 'idCard',
      fileName: '身份证正面.png',
    });
    const detail = await must(s.clerk.call('cases.get', { id: c.id }));
    const line = detail.materials.find((m) => m.key === 'idCard')!;
    expect(line.received).toBe(true);
    expect(line.attachments.map((x) => x.id)).toEqual([a.id]);
    expect(detail.missingRequired).not.toContain('申请人居民身份证');
  });

  it('dedupes: the same content again on the same line is the same attachment; on another line, one stored file', async () => {
    const { s, c } = await withCase();
    const first = await must(s.clerk.call('materials.attach', { caseId: c.id, materialKey: 'applicationForm', fileName: 'a.pdf', dataBase64: b64(TINY_PDF) }));
    const before = counts(s.core);
    const again = await must(s.clerk.call('materials.attach', { caseId: c.id, materialKey: 'applicationForm', fileName: 'a-copy.pdf', dataBase64: b64(TINY_PDF) }));
    expect(again.id).toBe(first.id);
    expect(counts(s.core)).toEqual(before);
    const other = await must(s.clerk.call('materials.attach', { caseId: c.id, materialKey: 'incomeStatement', fileName: 'b.pdf', dataBase64: b64(TINY_PDF) }));
    expect(other.id).not.toBe(first.id);
    expect(other.mime).toBe('application/pdf');
    expect(storedFiles(s.dir)).toHaveLength(1);
  });

  it.each([
    ['a text file named .pdf', Buffer.from('just some text, not a scan'), 'x.pdf'],
    ['an HTML page named .png', Buffer.from('<html><script>alert(1)</script></html>'), 'x.png'],
    ['an executable named .jpg', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]), 'x.jpg'],
  ])('refuses %s by its bytes, writes nothing and stores nothing', async (_l, bytes, fileName) => {
    const { s, c } = await withCase();
    const before = counts(s.core);
    const r = await s.clerk.raw('materials.attach', { caseId: c.id, materialKey: 'idCard', fileName, dataBase64: b64(bytes) });
    expect(r).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(r.message).toContain('PDF、JPEG 或 PNG');
    expect(counts(s.core)).toEqual(before);
    expect(storedFiles(s.dir)).toEqual([]);
  });

  it('refuses a file over 20 MB before decoding it, a line the item does not have, and a file name with a path', async () => {
    const { s, c } = await withCase();
    const before = counts(s.core);
    const big = await s.clerk.raw('materials.attach', { caseId: c.id, materialKey: 'idCard', fileName: 'big.pdf', dataBase64: 'A'.repeat(MAX_UPLOAD_BASE64_CHARS + 4) });
    expect(big).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(big.message).toContain('20 MB');
    expect(await s.clerk.raw('materials.attach', { caseId: c.id, materialKey: 'passport', fileName: 'p.png', dataBase64: b64(PNG_1x1) })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await s.clerk.raw('materials.attach', { caseId: c.id, materialKey: 'idCard', fileName: '../../etc/passwd', dataBase64: b64(PNG_1x1) })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(counts(s.core)).toEqual(before);
    expect(storedFiles(s.dir)).toEqual([]);
  });

  it('previews the bytes and records the view; a damaged file is reported, not shown', async () => {
    const { s, c } = await withCase();
    const a = await must(s.clerk.call('materials.attach', { caseId: c.id, materialKey: 'idCard', fileName: 'id.png', dataBase64: b64(PNG_1x1) }));
    const auditBefore = counts(s.core).audit;
    const p = await must(s.reviewer.call('materials.preview', { id: a.id }));
    expect(Buffer.from(p.dataBase64, 'base64').equals(PNG_1x1)).toBe(true);
    expect(p.mime).toBe('image/png');
    expect(counts(s.core).audit).toBe(auditBefore + 1);
    const view = s.core.db.prepare('SELECT action, actor_name FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(view).toEqual({ action: 'attachment.view', actor_name: '李审核' });
    writeFileSync(blobPath(s.dir, a.sha256), Buffer.from('tampered'));
    expect(await s.reviewer.raw('materials.preview', { id: a.id })).toMatchObject({ ok: false, code: 'STORE_UNAVAILABLE' });
  });
});

describe('blob store and magic bytes', () => {
  it('recognises PDF, JPEG and PNG by their first bytes only', () => {
    expect(sniffMime(TINY_PDF)).toBe('application/pdf');
    expect(sniffMime(PNG_1x1)).toBe('image/png');
    expect(sniffMime(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffMime(Uint8Array.from([0x89, 0x50, 0x4e]))).toBeNull(); // truncated PNG signature
    expect(sniffMime(new Uint8Array())).toBeNull();
  });

  it('puts a blob once, under its hash, and reports a repeat', async () => {
    const { s } = await withCase();
    const first = putBlob(s.dir, PNG_1x1);
    expect(first).toEqual({ sha256: sha(PNG_1x1), existed: false });
    expect(putBlob(s.dir, PNG_1x1)).toEqual({ sha256: sha(PNG_1x1), existed: true });
    expect(storedFiles(s.dir)).toEqual([blobPath(s.dir, first.sha256)]);
  });
});
