import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { applyFieldErrors } from '../../forms';
import { useSession } from '../../stores/session';
import { SettingsPage } from '../SettingsPage';
import { DISPLAY_NAME_RULES, NEW_PASSWORD_RULES } from './staffRules';

interface AdminForm {
  username: string;
  displayName: string;
  password: string;
  confirm: string;
}

/**
 * First run, inside the normal window frame (menu and status bar): station settings and the first administrator
 * account. Whatever menu entry is chosen, this page stays until the admin exists.
 */
export function FirstRunPage() {
  const [form] = Form.useForm<AdminForm>();
  const setupAdmin = useSession((s) => s.setupAdmin);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async ({ confirm: _confirm, ...v }: AdminForm) => {
    setBusy(true);
    const fail = await setupAdmin(v);
    setBusy(false);
    if (fail) {
      applyFieldErrors(form, fail);
      setError(fail.message);
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: 640 }}>
      <Typography.Title level={3}>首次使用：设置工作站</Typography.Title>
      <SettingsPage />
      <Card title="创建系统管理员">
        <Typography.Paragraph type="secondary">
          系统管理员负责新增窗口受理员和审核人账号。请牢记密码，本机不保存明文密码。
        </Typography.Paragraph>
        {error ? <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" /> : null}
        <Form form={form} layout="vertical" onFinish={onFinish} aria-label="创建系统管理员">
          <Form.Item
            label="管理员用户名"
            name="username"
            rules={[
              { required: true, message: '请输入用户名' },
              { pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: '用户名为 3 至 32 位字母、数字或 _ . -' },
            ]}
          >
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item label="管理员姓名" name="displayName" rules={DISPLAY_NAME_RULES}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={NEW_PASSWORD_RULES}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            label="确认密码"
            name="confirm"
            dependencies={['password']}
            rules={[
              { required: true, message: '请再次输入密码' },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  !value || value === getFieldValue('password')
                    ? Promise.resolve()
                    : Promise.reject(new Error('两次输入的密码不一致')),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            创建管理员并登录
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
