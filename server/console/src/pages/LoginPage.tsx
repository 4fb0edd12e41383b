import { Alert, Button, Card, Form, Input, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { SessionInfo } from '../../../services/console/model';
import { api, errorText } from '../api';

/** Sign-in, and on a fresh county the first-run screen that creates the first administrator (needs the admin token). */
export function LoginPage({ onSignedIn }: { onSignedIn: (s: SessionInfo) => void }) {
  const [needsSetup, setNeedsSetup] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    api<{ needsSetup: boolean }>('GET', '/setup').then((r) => setNeedsSetup(r.needsSetup), () => undefined);
  }, []);

  const login = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api<SessionInfo>('POST', '/login', v));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const setup = async (v: { adminToken: string; username: string; displayName: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/setup', v);
      setNeedsSetup(false);
      setNotice('管理员账号已创建，请登录。');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const loginForm = (
    <Form layout="vertical" onFinish={login} requiredMark={false}>
      <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
        <Input autoComplete="username" autoFocus />
      </Form.Item>
      <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        登录
      </Button>
    </Form>
  );
  const setupForm = (
    <Form layout="vertical" onFinish={setup} requiredMark={false}>
      <Typography.Paragraph type="secondary">
        本县尚无控制台账号。请输入县级服务器首次启动时显示的管理令牌（保存在数据目录 admin-token 文件中），创建第一个系统管理员。
      </Typography.Paragraph>
      <Form.Item label="管理令牌" name="adminToken" rules={[{ required: true, message: '请输入管理令牌' }]}>
        <Input.Password autoComplete="off" />
      </Form.Item>
      <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
        <Input autoComplete="username" />
      </Form.Item>
      <Form.Item label="姓名" name="displayName" rules={[{ required: true, message: '请输入姓名' }]}>
        <Input />
      </Form.Item>
      <Form.Item label="密码（至少 10 位，含字母和数字）" name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        创建管理员
      </Button>
    </Form>
  );

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card title="县民政局 · 救助审批控制台" style={{ width: 420 }}>
        {error && <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} />}
        {notice && <Alert type="success" title={notice} showIcon style={{ marginBottom: 16 }} />}
        {needsSetup ? (
          <Tabs items={[{ key: 'setup', label: '首次使用：创建管理员', children: setupForm }, { key: 'login', label: '登录', children: loginForm }]} />
        ) : (
          loginForm
        )}
      </Card>
    </div>
  );
}
