import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { applyFieldErrors } from '../../forms';
import { useSession } from '../../stores/session';
import { AuthScreen } from './AuthScreen';

export function SignInPage() {
  const [form] = Form.useForm<{ username: string; password: string }>();
  const signIn = useSession((s) => s.signIn);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    const fail = await signIn(v.username, v.password);
    setBusy(false);
    if (fail) {
      applyFieldErrors(form, fail);
      setError(fail.message);
      form.setFieldValue('password', '');
    }
  };

  return (
    <AuthScreen>
      <Card title="登录 乡镇民政一门受理工作站" style={{ width: 420 }}>
        {error ? <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" /> : null}
        <Form form={form} layout="vertical" onFinish={onFinish} aria-label="登录">
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
          忘记密码请联系本站系统管理员重置。
        </Typography.Paragraph>
      </Card>
    </AuthScreen>
  );
}
