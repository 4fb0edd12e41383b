import { Alert, Input, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { AUDIT_ACTION_LABELS, type AuditEntry } from '../../../services/console/model';
import { api, errorText } from '../api';
import { dateTime } from '../labels';

/** The county audit log: decisions and every view of personal data, newest first. */
export function AuditPage() {
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    const q = filter.trim() ? `?entityId=${encodeURIComponent(filter.trim())}` : '';
    api<{ entries: AuditEntry[] }>('GET', `/audit${q}`).then((r) => setEntries(r.entries), (err) => setError(errorText(err)));
  }, [filter]);
  return (
    <>
      <Typography.Title level={3}>审计日志</Typography.Title>
      <Input.Search placeholder="按案件/记录编号筛选" allowClear onSearch={setFilter} style={{ width: 360, marginBottom: 16 }} />
      {error && <Alert type="error" title={error} showIcon />}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={entries === null && !error}
        dataSource={entries ?? []}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: '时间', dataIndex: 'at', render: (v: string) => dateTime(v) },
          { title: '账号', dataIndex: 'username' },
          { title: '操作', dataIndex: 'action', render: (v: string) => AUDIT_ACTION_LABELS[v] ?? v },
          { title: '对象', render: (_, e) => (e.entity ? `${e.entity} ${e.entityId ?? ''}` : '—') },
          { title: '详情', dataIndex: 'detail', render: (v: Record<string, unknown>) => (Object.keys(v).length > 0 ? JSON.stringify(v) : '') },
          { title: 'IP', dataIndex: 'ip' },
        ]}
      />
    </>
  );
}
