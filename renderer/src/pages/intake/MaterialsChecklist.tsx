import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Checkbox, List, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { MAX_UPLOAD_BYTES, type CaseDetail } from '../../../../shared/schemas/cases';
import { call } from '../../api/client';
import { AttachmentPreview } from './AttachmentPreview';
import { fileToBase64, formatSize } from './files';

/**
 * The item's checklist for one case: tick what was handed in on paper, attach scans to a line, preview them.
 * Read-only once the case has left the counter stages.
 */
export function MaterialsChecklist({ detail, editable, onChange }: { detail: CaseDetail; editable: boolean; onChange(next: CaseDetail): void }) {
  const { message } = AntApp.useApp();
  const fileInput = useRef<HTMLInputElement>(null);
  const [target, setTarget] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [preview, setPreview] = useState<string | null>(null);

  const ticked = detail.materials.filter((m) => m.received && m.attachments.length === 0).map((m) => m.key);
  const toggle = async (key: string, on: boolean) => {
    const received = on ? [...new Set([...ticked, key])] : ticked.filter((k) => k !== key);
    const r = await call('cases.setMaterials', { caseId: detail.id, received });
    if (r.ok) onChange(r.value);
    else message.error(r.message);
  };
  const pick = (key: string) => {
    setTarget(key);
    fileInput.current?.click();
  };
  const upload = async (file: File | undefined) => {
    if (!file || !target) return;
    if (file.size > MAX_UPLOAD_BYTES) {
      message.error(`文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB，请压缩或分页扫描后再上传`);
      return;
    }
    setBusy(target);
    const r = await call('materials.attach', { caseId: detail.id, materialKey: target, fileName: file.name, dataBase64: await fileToBase64(file) });
    setBusy(null);
    if (fileInput.current) fileInput.current.value = '';
    if (!r.ok) {
      message.error(r.message);
      return;
    }
    message.success(`已上传：${file.name}`);
    const next = await call('cases.get', { id: detail.id });
    if (next.ok) onChange(next.value);
  };

  return (
    <>
      <input
        ref={fileInput}
        type="file"
        accept="application/pdf,image/jpeg,image/png"
        style={{ display: 'none' }}
        data-testid="material-file-input"
        onChange={(e) => void upload(e.target.files?.[0])}
      />
      <List
        size="small"
        bordered
        dataSource={detail.materials}
        renderItem={(m) => (
          <List.Item
            data-testid={`material-${m.key}`}
            actions={
              editable
                ? [
                    <Button key="up" size="small" icon={<UploadOutlined />} loading={busy === m.key} onClick={() => pick(m.key)} aria-label={`上传扫描件：${m.name}`}>
                      扫描件
                    </Button>,
                  ]
                : []
            }
          >
            <Space orientation="vertical" size={2} style={{ width: '100%' }}>
              <Space>
                <Checkbox
                  checked={m.received}
                  disabled={!editable || m.attachments.length > 0}
                  onChange={(e) => void toggle(m.key, e.target.checked)}
                  aria-label={m.name}
                >
                  {m.name}
                </Checkbox>
                {m.required ? <Tag color="red">必交</Tag> : <Tag>选交</Tag>}
                {m.note && <Typography.Text type="secondary">{m.note}</Typography.Text>}
              </Space>
              {m.attachments.map((a) => (
                <Button key={a.id} type="link" size="small" icon={<PaperClipOutlined />} onClick={() => setPreview(a.id)}>
                  {a.fileName}（{formatSize(a.size)}）
                </Button>
              ))}
            </Space>
          </List.Item>
        )}
      />
      <AttachmentPreview attachmentId={preview} onClose={() => setPreview(null)} />
    </>
  );
}
