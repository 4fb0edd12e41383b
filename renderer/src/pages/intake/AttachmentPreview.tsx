import { App as AntApp, Modal, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { call } from '../../api/client';
import { base64ToBlob } from './files';

/**
 * Scan preview. The bytes come back from the core (the view is audited there) and are shown through a blob: URL:
 * an <img> for JPEG/PNG, Chromium's PDF viewer in a frame for PDF (the CSP allows frames and images from blob:).
 */
export function AttachmentPreview({ attachmentId, onClose }: { attachmentId: string | null; onClose(): void }) {
  const [view, setView] = useState<{ url: string; mime: string; name: string } | null>(null);
  const { message } = AntApp.useApp();
  // The parent's onClose is usually a fresh arrow each render; the fetch must not re-run for that.
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);
  useEffect(() => {
    if (!attachmentId) return;
    let url: string | null = null;
    let cancelled = false;
    void call('materials.preview', { id: attachmentId }).then((r) => {
      if (cancelled) return;
      if (!r.ok) {
        message.error(r.message);
        closeRef.current();
        return;
      }
      url = URL.createObjectURL(base64ToBlob(r.value.dataBase64, r.value.mime));
      setView({ url, mime: r.value.mime, name: r.value.fileName });
    });
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
      setView(null);
    };
  }, [attachmentId, message]);
  return (
    <Modal title={view?.name ?? '扫描件'} open={attachmentId !== null} onCancel={onClose} footer={null} width={900} destroyOnHidden>
      {!view && <Spin />}
      {view && view.mime === 'application/pdf' && (
        <iframe title={view.name} src={view.url} data-testid="attachment-pdf" style={{ width: '100%', height: '72vh', border: 0 }} />
      )}
      {view && view.mime !== 'application/pdf' && (
        <img src={view.url} alt={view.name} data-testid="attachment-image" style={{ maxWidth: '100%', maxHeight: '72vh', display: 'block', margin: '0 auto' }} />
      )}
    </Modal>
  );
}
