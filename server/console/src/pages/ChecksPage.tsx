import { Alert, App, Button, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ECONOMIC_CHECK_FINDING_LABELS, ECONOMIC_CHECK_FINDINGS } from '../../../../shared/domain/caseMachine';
import { can, type CheckRequest, type CountyRole } from '../../../services/console/model';
import { api, errorText } from '../api';
import { navigate } from '../App';
import { dateTime, itemName } from '../labels';

/** Economic-check requests (家庭经济状况核对) from the stations; a checker records the result, which flows back. */
export function ChecksPage({ roles }: { roles: CountyRole[] }) {
  const { message } = App.useApp();
  const [status, setStatus] = useState<'pending' | 'all'>('pending');
  const [rows, setRows] = useState<CheckRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<CheckRequest | null>(null);
  const [form] = Form.useForm();

  const load = useCallback(() => {
    setRows(null);
    api<{ checks: CheckRequest[] }>('GET', `/checks?status=${status}`).then((r) => setRows(r.checks), (err) => setError(errorText(err)));
  }, [status]);
  useEffect(load, [load]);

  const save = async (v: { finding: string; summary: string }) => {
    if (!editing) return;
    try {
      await api('POST', `/cases/${editing.caseId}/economic-checks`, v);
      message.success('核对结果已保存，工作站下次同步时收到。');
      setEditing(null);
      form.resetFields();
      load();
    } catch (err) {
      message.error(errorText(err));
    }
  };

  return (
    <>
      <Typography.Title level={3}>经济状况核对</Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Select
          value={status}
          onChange={setStatus}
          options={[
            { value: 'pending', label: '待核对' },
            { value: 'all', label: '全部' },
          ]}
          style={{ width: 140 }}
        />
      </Space>
      {error && <Alert type="error" title={error} showIcon />}
      <Table<CheckRequest>
        rowKey="caseId"
        loading={rows === null && !error}
        dataSource={rows ?? []}
        columns={[
          { title: '案件编号', dataIndex: 'caseNumber', render: (v: string | null, r) => <a onClick={() => navigate(`case/${r.caseId}`)}>{v ?? r.caseId}</a> },
          { title: '事项', render: (_, r) => itemName(r.itemCode) },
          { title: '申请人', dataIndex: 'applicantName' },
          { title: '身份证号码', dataIndex: 'applicantIdMasked' },
          { title: '乡镇', render: (_, r) => `${r.township}（${r.stationCode}）` },
          { title: '申请时间', dataIndex: 'requestedAt', render: (v: string) => dateTime(v) },
          { title: '乡镇说明', dataIndex: 'note' },
          {
            title: '状态',
            render: (_, r) =>
              r.pending ? <Tag color="orange">待核对</Tag> : <Tag color={r.lastResult?.result === 'pass' ? 'green' : 'red'}>{r.lastResult?.findings}</Tag>,
          },
          {
            title: '',
            render: (_, r) =>
              can(roles, 'recordChecks') ? (
                <Button size="small" type={r.pending ? 'primary' : 'default'} onClick={() => setEditing(r)}>
                  录入结果
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal title={`录入核对结果：${editing?.applicantName ?? ''}`} open={editing !== null} onCancel={() => setEditing(null)} onOk={() => form.submit()} okText="保存" cancelText="取消">
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item label="核对结论" name="finding" rules={[{ required: true, message: '请选择核对结论' }]}>
            <Radio.Group options={ECONOMIC_CHECK_FINDINGS.map((f) => ({ value: f, label: ECONOMIC_CHECK_FINDING_LABELS[f] }))} />
          </Form.Item>
          <Form.Item label="核对情况摘要（户籍、税务、社保、不动产、车辆、存款、工商等）" name="summary" rules={[{ required: true, message: '请填写核对情况摘要' }]}>
            <Input.TextArea rows={5} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
