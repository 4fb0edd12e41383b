import { Badge, Space, Tooltip, Typography } from 'antd';
import { useStatus } from '../stores/status';

const CONNECTION = {
  online: { status: 'success', text: '已连接县级平台' },
  offline: { status: 'warning', text: '离线（数据已保存在本机）' },
  unknown: { status: 'default', text: '尚未连接县级平台' },
} as const;

export function StatusBar() {
  const { status, error } = useStatus();
  const conn = CONNECTION[status?.connection ?? 'unknown'];
  return (
    <div className="status-bar" role="status" aria-label="状态栏" data-testid="status-bar">
      <Space size="large" wrap>
        <span data-testid="status-station">
          站点：{status?.townshipName ?? '未设置'}
          {status?.stationCode ? `（${status.stationCode}）` : ''}
        </span>
        <Badge status={conn.status} text={<span data-testid="status-connection">{conn.text}</span>} />
        <Tooltip title="已在本机保存、尚未被县级平台确认的操作条数">
          <span data-testid="status-pending">待同步：{status?.pendingOutbox ?? '—'} 条</span>
        </Tooltip>
        {status?.lastSyncAt ? <span>上次同步：{new Date(status.lastSyncAt).toLocaleString('zh-CN')}</span> : null}
        {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
      </Space>
    </div>
  );
}
