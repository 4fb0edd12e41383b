import { App as AntApp, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { StaffInfo } from '../../../../shared/ipc/calls/auth';
import { ROLE_LABELS, STAFF_ROLES, type StaffRole } from '../../../../shared/domain/roles';
import { call } from '../../api/client';
import { applyFieldErrors } from '../../forms';
import { useSession } from '../../stores/session';
import { DISPLAY_NAME_RULES, NEW_PASSWORD_RULES } from './staffRules';

interface NewStaff {
  username: string;
  displayName: string;
  role: StaffRole;
  password: string;
}

/** 设置 → 工作人员 (admin only): add clerks and reviewers, switch accounts off, reset passwords, idle lock time. */
export function StaffPanel() {
  const { message } = AntApp.useApp();
  const [staff, setStaff] = useState<StaffInfo[]>([]);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<NewStaff>();
  const [resetFor, setResetFor] = useState<StaffInfo | null>(null);
  const [resetForm] = Form.useForm<{ password: string }>();
  const me = useSession((s) => s.auth?.staff);
  const idle = useSession((s) => s.auth?.idleLockMinutes ?? 10);
  const refreshSession = useSession((s) => s.refresh);

  const load = useCallback(async () => {
    const r = await call('staff.list', {});
    if (r.ok) setStaff(r.value);
    else message.error(r.message);
  }, [message]);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async (v: NewStaff) => {
    const r = await call('staff.create', v);
    if (!r.ok) {
      applyFieldErrors(form, r);
      message.error(r.message);
      return;
    }
    message.success(`已新增${ROLE_LABELS[r.value.role]}：${r.value.displayName}`);
    form.resetFields();
    setAdding(false);
    void load();
  };

  const setActive = async (s: StaffInfo, active: boolean) => {
    const r = await call('staff.setActive', { id: s.id, active });
    if (r.ok) void load();
    else message.error(r.message);
  };

  const resetPassword = async ({ password }: { password: string }) => {
    if (!resetFor) return;
    const r = await call('staff.resetPassword', { id: resetFor.id, password });
    if (!r.ok) {
      applyFieldErrors(resetForm, r);
      return;
    }
    message.success(`已重置 ${resetFor.displayName} 的密码`);
    setResetFor(null);
    resetForm.resetFields();
  };

  const saveIdle = async (minutes: number | null) => {
    if (!minutes) return;
    const r = await call('auth.savePolicy', { idleLockMinutes: minutes });
    if (r.ok) {
      message.success(`空闲 ${minutes} 分钟后自动锁定`);
      void refreshSession();
    } else message.error(r.message);
  };

  return (
    <Card
      title="工作人员"
      style={{ maxWidth: 900, marginTop: 16 }}
      extra={
        <Space>
          <span>空闲锁定（分钟）</span>
          <InputNumber
            min={1}
            max={120}
            defaultValue={idle}
            onBlur={(e) => void saveIdle(Number(e.target.value))}
            aria-label="空闲锁定分钟数"
          />
          <Button type="primary" onClick={() => setAdding(true)}>
            新增工作人员
          </Button>
        </Space>
      }
    >
      <Table<StaffInfo>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={staff}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'displayName' },
          { title: '角色', dataIndex: 'role', render: (r: StaffRole) => <Tag>{ROLE_LABELS[r]}</Tag> },
          {
            title: '启用',
            dataIndex: 'active',
            render: (active: boolean, s) => (
              <Switch
                checked={active}
                disabled={s.id === me?.id}
                onChange={(v) => void setActive(s, v)}
                aria-label={`启用 ${s.username}`}
              />
            ),
          },
          {
            title: '操作',
            render: (_, s) => (
              <Button size="small" onClick={() => setResetFor(s)}>
                重置密码
              </Button>
            ),
          },
        ]}
      />
      <Modal title="新增工作人员" open={adding} onCancel={() => setAdding(false)} footer={null} destroyOnHidden>
        <Form
          form={form}
          layout="vertical"
          onFinish={create}
          initialValues={{ role: 'clerk' }}
          aria-label="新增工作人员"
        >
          <Form.Item
            label="用户名"
            name="username"
            rules={[
              { required: true, message: '请输入用户名' },
              { pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: '用户名为 3 至 32 位字母、数字或 _ . -' },
            ]}
          >
            <Input autoFocus />
          </Form.Item>
          <Form.Item label="姓名" name="displayName" rules={DISPLAY_NAME_RULES}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
            <Select options={STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
          </Form.Item>
          <Form.Item label="初始密码" name="password" rules={NEW_PASSWORD_RULES}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            保存
          </Button>
        </Form>
      </Modal>
      <Modal
        title={`重置密码：${resetFor?.displayName ?? ''}`}
        open={!!resetFor}
        onCancel={() => setResetFor(null)}
        footer={null}
        destroyOnHidden
      >
        <Form form={resetForm} layout="vertical" onFinish={resetPassword}>
          <Form.Item label="新密码" name="password" rules={NEW_PASSWORD_RULES}>
            <Input.Password autoFocus autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            重置
          </Button>
        </Form>
      </Modal>
    </Card>
  );
}
