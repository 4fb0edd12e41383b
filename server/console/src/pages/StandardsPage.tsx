import { Alert, App, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { parseYuanToFen } from '../../../../shared/domain/income';
import type { PolicyStandard, TownshipLimit } from '../../../../shared/sync/protocol';
import { api, errorText } from '../api';
import { yuan } from '../labels';

const KIND_LABELS: Record<string, string> = { dibao: '低保标准（每人每月）', destitute: '特困人员基本生活标准（每人每月）' };
const AREA_LABELS: Record<string, string> = { urban: '城市', rural: '农村' };
const DATE_RULE = { pattern: /^\d{4}-\d{2}-\d{2}$/, message: '格式为 YYYY-MM-DD' };

/** Dibao / destitute standards per urban-rural class and the township temporary-assistance limits, by effective date. */
export function StandardsPage() {
  const { message } = App.useApp();
  const [data, setData] = useState<{ standards: PolicyStandard[]; townshipLimits: TownshipLimit[]; townships: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [standardForm] = Form.useForm();
  const [limitForm] = Form.useForm();

  const load = useCallback(() => {
    api<{ standards: PolicyStandard[]; townshipLimits: TownshipLimit[]; townships: string[] }>('GET', '/standards').then(setData, (err) => setError(errorText(err)));
  }, []);
  useEffect(load, [load]);

  const fen = (form: ReturnType<typeof Form.useForm>[0], text: string) => {
    const v = parseYuanToFen(text ?? '');
    if (v === undefined) form.setFields([{ name: 'amountYuan', errors: ['请输入金额（元，最多两位小数）'] }]);
    return v;
  };
  const saveStandard = async (v: { kind: string; areaClass: string; amountYuan: string; effectiveFrom: string }) => {
    const amountFen = fen(standardForm, v.amountYuan);
    if (amountFen === undefined) return;
    try {
      await api('PUT', '/standards', { kind: v.kind, areaClass: v.areaClass, amountFen, effectiveFrom: v.effectiveFrom });
      message.success('标准已发布，各工作站下次同步时收到。');
      load();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const saveLimit = async (v: { township: string; amountYuan: string; effectiveFrom: string }) => {
    const amountFen = fen(limitForm, v.amountYuan);
    if (amountFen === undefined) return;
    try {
      await api('PUT', `/townships/${encodeURIComponent(v.township)}/temporary-assistance-limit`, { amountFen, effectiveFrom: v.effectiveFrom });
      message.success('限额已发布。');
      load();
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const remove = async (s: PolicyStandard) => {
    try {
      await api('DELETE', '/standards', { kind: s.kind, areaClass: s.areaClass, effectiveFrom: s.effectiveFrom });
      load();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3}>保障标准</Typography.Title>
      {error && <Alert type="error" title={error} showIcon />}
      <Card title="低保 / 特困供养标准">
        <Form form={standardForm} layout="inline" onFinish={saveStandard} initialValues={{ kind: 'dibao', areaClass: 'urban' }} style={{ marginBottom: 16 }}>
          <Form.Item name="kind" rules={[{ required: true }]}>
            <Select style={{ width: 260 }} options={Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="areaClass" rules={[{ required: true }]}>
            <Select style={{ width: 100 }} options={Object.entries(AREA_LABELS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="amountYuan" rules={[{ required: true, message: '请输入金额' }]}>
            <Input placeholder="金额（元）" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="effectiveFrom" rules={[{ required: true, message: '请输入生效日期' }, DATE_RULE]}>
            <Input placeholder="生效日期 YYYY-MM-DD" style={{ width: 190 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            发布
          </Button>
        </Form>
        <Table<PolicyStandard>
          size="small"
          rowKey={(s) => `${s.kind}/${s.areaClass}/${s.effectiveFrom}`}
          loading={data === null && !error}
          dataSource={data?.standards ?? []}
          pagination={false}
          columns={[
            { title: '类别', dataIndex: 'kind', render: (v: string) => KIND_LABELS[v] ?? v },
            { title: '城乡', dataIndex: 'areaClass', render: (v: string) => AREA_LABELS[v] ?? v },
            { title: '金额', dataIndex: 'amountFen', render: (v: number) => yuan(v) },
            { title: '生效日期', dataIndex: 'effectiveFrom' },
            {
              title: '',
              render: (_, s) => (
                <Popconfirm title="撤回这条标准？工作站将同步删除。" okText="撤回" cancelText="取消" onConfirm={() => remove(s)}>
                  <Button size="small" danger>
                    撤回
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </Card>
      <Card title="乡镇临时救助审批限额（每案）">
        <Form form={limitForm} layout="inline" onFinish={saveLimit} style={{ marginBottom: 16 }}>
          <Form.Item name="township" rules={[{ required: true, message: '请选择乡镇' }]}>
            <Select style={{ width: 180 }} placeholder="乡镇" options={(data?.townships ?? []).map((t) => ({ value: t, label: t }))} />
          </Form.Item>
          <Form.Item name="amountYuan" rules={[{ required: true, message: '请输入金额' }]}>
            <Input placeholder="限额（元）" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="effectiveFrom" rules={[{ required: true, message: '请输入生效日期' }, DATE_RULE]}>
            <Input placeholder="生效日期 YYYY-MM-DD" style={{ width: 190 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            发布
          </Button>
        </Form>
        <Table<TownshipLimit>
          size="small"
          rowKey={(l) => `${l.township}/${l.effectiveFrom}`}
          dataSource={data?.townshipLimits ?? []}
          pagination={false}
          columns={[
            { title: '乡镇', dataIndex: 'township' },
            { title: '限额', dataIndex: 'amountFen', render: (v: number) => yuan(v) },
            { title: '生效日期', dataIndex: 'effectiveFrom' },
          ]}
        />
      </Card>
    </Space>
  );
}
