import { Button, Space, Typography } from 'antd';
import { ROLE_LABELS } from '../../../../shared/domain/roles';
import { useSession } from '../../stores/session';

/** Who is signed in, and the way out. Sits at the top of every page. */
export function SessionBar() {
  const { auth, signOut } = useSession();
  if (!auth?.staff) return null;
  return (
    <div data-testid="session-bar" style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 12 }}>
      <Space>
        <Typography.Text>
          当前用户：{auth.staff.displayName}（{ROLE_LABELS[auth.staff.role]}）
        </Typography.Text>
        <Button size="small" onClick={() => void signOut()}>
          退出登录
        </Button>
      </Space>
    </div>
  );
}
