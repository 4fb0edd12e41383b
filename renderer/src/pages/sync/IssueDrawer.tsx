import { App as AntApp, Button, Descriptions, Drawer, Form, Input, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { SyncIssueDetailSchema } from '../../../../shared/ipc/calls/sync';
import { call } from '../../api/client';

type Detail = z.infer<typeof SyncIssueDetailSchema>;
type Action = 'retry' | 'discard' | 'keepCounty' | 'resubmit';

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** Both versions of a refused or conflicting change, and the reviewer's choices (each needs a written reason). */
export function IssueDrawer({ mutationId, onClose, onResolved }: { mutationId: number | null; onClose: () => void; onResolved: () => void }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [busy, setBusy] = useState<Action | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const { message } = AntApp.useApp();

  useEffect(() => {
    setDetail(null);
    form.resetFields();
    if (mutationId === null) return;
    void call('sync.issue', { mutationId }).then((r) => {
      if (r.ok) setDetail(r.value);
      else message.error(r.message);
    });
  }, [mutationId, form, message]);

  const resolve = async (action: Action) => {
    if (mutationId === null) return;
    const { reason } = await form.validateFields();
    setBusy(action);
    const r = await call('sync.resolve', { mutationId, action, reason });
    setBusy(null);
    if (!r.ok) {
      message.error(r.message);
      return;
    }
    message.success('已处理');
    onResolved();
    onClose();
  };

  const conflict = detail?.status === 'conflict';
  return (
    <Drawer open={mutationId !== null} onClose={onClose} size="large" title={conflict ? '与县级决定冲突' : '县级拒绝的变更'}>
      {detail ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="变更">
              第 {detail.mutationId} 条 · {detail.label}
            </Descriptions.Item>
            <Descriptions.Item label="县级答复">{detail.message}</Descriptions.Item>
          </Descriptions>
          <div style={{ display: 'flex', gap: 12 }}>
            <div style={{ flex: 1, minWidth: 0 }}>
              <Typography.Title level={5}>本站版本</Typography.Title>
              <pre aria-label="本站版本" style={{ maxHeight: 360, overflow: 'auto', background: '#fafafa', padding: 8, fontSize: 12 }}>
                {pretty(detail.stationVersion)}
              </pre>
            </div>
            {conflict ? (
              <div style={{ flex: 1, minWidth: 0 }}>
                <Typography.Title level={5}>县级版本</Typography.Title>
                <pre aria-label="县级版本" style={{ maxHeight: 360, overflow: 'auto', background: '#fff7e6', padding: 8, fontSize: 12 }}>
                  {detail.countyVersion ? pretty(detail.countyVersion) : '尚未下载县级版本，请先同步'}
                </pre>
              </div>
            ) : null}
          </div>
          <Form form={form} layout="vertical">
            <Form.Item label="处理原因" name="reason" rules={[{ required: true, min: 2, message: '请填写处理原因（至少 2 个字）' }]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </Form>
          <Space wrap>
            {conflict ? (
              <>
                <Button onClick={() => void resolve('keepCounty')} loading={busy === 'keepCounty'}>
                  以县级为准（本站这项修改不再上传）
                </Button>
                <Button type="primary" onClick={() => void resolve('resubmit')} loading={busy === 'resubmit'}>
                  按县级最新版本重新提交本站修改
                </Button>
              </>
            ) : (
              <>
                <Button danger onClick={() => void resolve('discard')} loading={busy === 'discard'}>
                  放弃此变更
                </Button>
                <Button type="primary" onClick={() => void resolve('retry')} loading={busy === 'retry'}>
                  重试
                </Button>
              </>
            )}
          </Space>
        </Space>
      ) : null}
    </Drawer>
  );
}
