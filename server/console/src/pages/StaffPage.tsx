import { Alert, App, Button, Checkbox, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { COUNTY_ROLE_LABELS, COUNTY_ROLES, type StaffMember } from '../../../services/console/model';
import { api, errorText } from '../api';
import { dateTime } from '../labels';

/** County staff accounts: create with roles, deactivate, reset a password. */
export function StaffPage({ selfId }: { selfId: string }) {
  const { message } = App.useApp();
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<StaffMember | null>(null);
  const [form] = Form.useForm();
  const [pwForm] = Form.useForm();

  const load = useCallback(() => {
    api<{ staff: StaffMember[] }>('GET', '/staff').then((r) => setStaff(r.staff), (err) => setError(errorText(err)));
  }, []);
  useEffect(load, [load]);

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      message.success(ok);
      load();
      return true;
    } catch (err) {
      message.error(errorText(err));
      return false;
    }
  };

  return (
    <>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3}>账号管理</Typography.Title>
        <Button type="primary" onClick={() => setCreating(true)}>
          新建账号
        </Button>
      </Space>
      {error && <Alert type="error" title={error} showIcon />}
      <Table<StaffMember>
        rowKey="id"
        loading={staff === null && !error}
        dataSource={staff ?? []}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'displayName' },
          { title: '角色', dataIndex: 'roles', render: (v: StaffMember['roles']) => v.map((r) => <Tag key={r}>{COUNTY_ROLE_LABELS[r]}</Tag>) },
          { title: '状态', dataIndex: 'active', render: (v: boolean) => (v ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
          { title: '创建时间', dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
          {
            title: '',
            render: (_, s) => (
              <Space>
                <Button size="small" onClick={() => setResetting(s)}>
                  重设密码
                </Button>
                {s.id !== selfId && (
                  <Button size="small" onClick={() => act(() => api('POST', `/staff/${s.id}/active`, { active: !s.active }), s.active ? '已停用' : '已启用')}>
                    {s.active ? '停用' : '启用'}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal title="新建账号" open={creating} onCancel={() => setCreating(false)} onOk={() => form.submit()} okText="创建" cancelText="取消">
        <Form
          form={form}
          layout="vertical"
          onFinish={async (v) => {
            if (await act(() => api('POST', '/staff', v), '账号已创建')) {
              setCreating(false);
              form.resetFields();
            }
          }}
        >
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item label="姓名" name="displayName" rules={[{ required: true, message: '请输入姓名' }]}>
            <Input />
          </Form.Item>
          <Form.Item label="角色" name="roles" rules={[{ required: true, message: '至少选择一个角色' }]}>
            <Checkbox.Group options={COUNTY_ROLES.map((r) => ({ value: r, label: COUNTY_ROLE_LABELS[r] }))} />
          </Form.Item>
          <Form.Item label="初始密码（至少 10 位，含字母和数字）" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
      <Modal title={`重设密码：${resetting?.displayName ?? ''}`} open={resetting !== null} onCancel={() => setResetting(null)} onOk={() => pwForm.submit()} okText="重设" cancelText="取消">
        <Form
          form={pwForm}
          layout="vertical"
          onFinish={async (v: { password: string }) => {
            if (resetting && (await act(() => api('POST', `/staff/${resetting.id}/password`, v), '密码已重设，该账号需重新登录'))) {
              setResetting(null);
              pwForm.resetFields();
            }
          }}
        >
          <Form.Item label="新密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
