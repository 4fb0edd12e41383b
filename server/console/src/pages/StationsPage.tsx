import { Alert, App, Button, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { StationSummary } from '../../../services/stations';
import { api, errorText } from '../api';
import { dateTime } from '../labels';

interface Enrolment {
  code: string;
  expiresAt: string;
}

/** Enrolment (one-time code, shown once), revocation, and the sync health of every station. */
export function StationsPage() {
  const { message } = App.useApp();
  const [stations, setStations] = useState<StationSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<{ station: string; enrolment: Enrolment } | null>(null);
  const [form] = Form.useForm();

  const load = useCallback(() => {
    api<{ stations: StationSummary[] }>('GET', '/stations').then((r) => setStations(r.stations), (err) => setError(errorText(err)));
  }, []);
  useEffect(load, [load]);

  const create = async (v: { code: string; township: string; name?: string }) => {
    try {
      const res = await api<{ station: { code: string; township: string }; enrolment: Enrolment }>('POST', '/stations', { ...v, name: v.name || undefined });
      setCreating(false);
      form.resetFields();
      setShown({ station: `${res.station.township}（${res.station.code}）`, enrolment: res.enrolment });
      load();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const newCode = async (s: StationSummary) => {
    try {
      setShown({ station: `${s.township}（${s.code}）`, enrolment: await api<Enrolment>('POST', `/stations/${s.id}/enrolment-codes`) });
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const revoke = async (s: StationSummary) => {
    try {
      const r = await api<{ revokedCredentials: number }>('POST', `/stations/${s.id}/revoke`);
      message.success(`已吊销 ${r.revokedCredentials} 个凭据，该工作站须凭新注册码重新注册。`);
      load();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  return (
    <>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3}>工作站管理</Typography.Title>
        <Button type="primary" onClick={() => setCreating(true)}>
          登记工作站
        </Button>
      </Space>
      {error && <Alert type="error" title={error} showIcon />}
      <Table<StationSummary>
        rowKey="id"
        loading={stations === null && !error}
        dataSource={stations ?? []}
        columns={[
          { title: '编码', dataIndex: 'code' },
          { title: '乡镇', dataIndex: 'township' },
          { title: '名称', render: (_, s) => s.name ?? s.reportedName ?? '—' },
          { title: '凭据', dataIndex: 'activeCredentials', render: (v: number) => (v > 0 ? <Tag color="green">有效 {v}</Tag> : <Tag>未注册/已吊销</Tag>) },
          { title: '最近同步', dataIndex: 'lastSyncAt', render: (v: string | null) => dateTime(v) },
          { title: '待上传变更', dataIndex: 'pendingCount', render: (v: number | null) => v ?? '—' },
          { title: '被拒变更', dataIndex: 'failedCount', render: (v: number) => (v > 0 ? <Tag color="red">{v}</Tag> : 0) },
          { title: '未决冲突', dataIndex: 'openConflicts', render: (v: number) => (v > 0 ? <Tag color="orange">{v}</Tag> : 0) },
          {
            title: '',
            render: (_, s) => (
              <Space>
                <Button size="small" onClick={() => newCode(s)}>
                  新注册码
                </Button>
                <Popconfirm title="吊销后该工作站立即无法同步，确定？" okText="吊销" cancelText="取消" onConfirm={() => revoke(s)}>
                  <Button size="small" danger disabled={s.activeCredentials === 0}>
                    吊销凭据
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal title="登记工作站" open={creating} onCancel={() => setCreating(false)} onOk={() => form.submit()} okText="登记" cancelText="取消">
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item label="站点编码" name="code" rules={[{ required: true, message: '请输入站点编码' }]}>
            <Input placeholder="例如 430102001" />
          </Form.Item>
          <Form.Item label="乡镇（街道）" name="township" rules={[{ required: true, message: '请输入乡镇' }]}>
            <Input />
          </Form.Item>
          <Form.Item label="名称（可选）" name="name">
            <Input />
          </Form.Item>
        </Form>
      </Modal>
      <Modal title="一次性注册码" open={shown !== null} onOk={() => setShown(null)} onCancel={() => setShown(null)} cancelButtonProps={{ style: { display: 'none' } }} okText="我已记下">
        {shown && (
          <>
            <p>工作站：{shown.station}</p>
            <Typography.Title level={2} copyable data-testid="enrolment-code" style={{ fontFamily: 'monospace' }}>
              {shown.enrolment.code}
            </Typography.Title>
            <Alert type="warning" showIcon title={`注册码只显示这一次，仅可使用一次，有效期至 ${dateTime(shown.enrolment.expiresAt)}。`} />
          </>
        )}
      </Modal>
    </>
  );
}
