import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useSession } from '../../stores/session';

/**
 * Covers everything, including drawers and dialogs that antd renders outside the app root, and makes all of it
 * inert (no focus, no clicks, hidden from screen readers) until the password is entered: a locked station shows no
 * personal data and takes no input, while the work underneath is kept as it was.
 */
function useLockOverlay(): HTMLDivElement {
  const [host] = useState(() => document.createElement('div'));
  useEffect(() => {
    document.body.appendChild(host);
    const others = [...document.body.children].filter(
      (el): el is HTMLElement => el !== host && el instanceof HTMLElement && !el.inert,
    );
    for (const el of others) {
      el.inert = true;
      el.setAttribute('aria-hidden', 'true');
    }
    return () => {
      for (const el of others) {
        el.inert = false;
        el.removeAttribute('aria-hidden');
      }
      host.remove();
    };
  }, [host]);
  return host;
}

export function LockScreen() {
  const overlay = useLockOverlay();
  const [form] = Form.useForm<{ password: string }>();
  const { auth, unlock, signOut } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async ({ password }: { password: string }) => {
    setBusy(true);
    const fail = await unlock(password);
    setBusy(false);
    if (fail) {
      setError(fail.message);
      form.setFieldValue('password', '');
    }
  };

  return createPortal(
    <div
      data-testid="lock-screen"
      style={{
        position: 'fixed',
        inset: 0,
        zIndex: 3000,
        background: '#f0f2f5',
        overflow: 'auto',
        display: 'flex',
        justifyContent: 'center',
        alignItems: 'flex-start',
        padding: '48px 16px',
      }}
    >
      <Card title="工作站已锁定" style={{ width: 420 }}>
        <Typography.Paragraph>
          {auth?.staff?.displayName}（{auth?.staff?.username}）已超过 {auth?.idleLockMinutes}{' '}
          分钟未操作，工作站已锁定。请输入密码继续。
        </Typography.Paragraph>
        {error ? <Alert type="error" title={error} showIcon style={{ marginBottom: 16 }} role="alert" /> : null}
        <Form form={form} layout="vertical" onFinish={onFinish} aria-label="解锁">
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoFocus autoComplete="current-password" />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              解锁
            </Button>
            <Button onClick={() => void signOut()}>切换用户</Button>
          </Space>
        </Form>
      </Card>
    </div>,
    overlay,
  );
}
