import { Button, Modal, Space } from 'antd';
import { useRef } from 'react';

/**
 * Shows a print document from the core (print.receipt / print.noticeList) and prints it.
 *
 * The HTML goes into a sandboxed frame (no scripts: the sandbox has no allow-scripts and the CSP forbids inline
 * script anyway), so whatever text a record carries can't act in the app. "打印" prints the frame itself:
 * - browser host: Chromium's print dialog, where "另存为 PDF" gives Chromium's PDF;
 * - Electron: the shell may instead render the same HTML with webContents.printToPDF (hook: if the preload ever
 *   exposes `stationBridge.printToPdf`, call it with this HTML; the core stays free of Electron either way).
 */
export function PrintPreview({ title, html, open, onClose }: { title: string; html: string | null; open: boolean; onClose(): void }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const print = () => frame.current?.contentWindow?.print();
  return (
    <Modal
      title={title}
      open={open}
      onCancel={onClose}
      width={880}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>关闭</Button>
          <Button type="primary" onClick={print} autoFocus data-testid="print-button">
            打印
          </Button>
        </Space>
      }
    >
      {html && (
        <iframe
          ref={frame}
          title={title}
          data-testid="print-frame"
          sandbox="allow-same-origin allow-modals"
          srcDoc={html}
          style={{ width: '100%', height: '70vh', border: '1px solid #ddd', background: '#fff' }}
        />
      )}
    </Modal>
  );
}
