import { Alert, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { InboxItem } from '../../../services/console/model';
import { api, errorText } from '../api';
import { navigate } from '../App';
import { dateTime, itemName, yuan } from '../labels';

/** Cases the townships handed to the county and that wait for its decision, oldest first. */
export function InboxPage() {
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ total: number; items: InboxItem[] }>('GET', '/inbox?limit=500').then(
      (r) => {
        setItems(r.items);
        setTotal(r.total);
      },
      (err) => setError(errorText(err)),
    );
  }, []);

  return (
    <>
      <Typography.Title level={3}>待审批案件</Typography.Title>
      <Typography.Paragraph type="secondary">乡镇已审核并报县级审批的案件（共 {total} 件）。点击一行查看完整档案并作出决定。</Typography.Paragraph>
      {error && <Alert type="error" title={error} showIcon />}
      <Table<InboxItem>
        rowKey="caseId"
        loading={items === null && !error}
        dataSource={items ?? []}
        onRow={(r) => ({ onClick: () => navigate(`case/${r.caseId}`), style: { cursor: 'pointer' } })}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: '案件编号', dataIndex: 'caseNumber', render: (v: string | null) => v ?? '—' },
          { title: '事项', render: (_, r) => itemName(r.itemCode, r.subKind) },
          { title: '申请人', dataIndex: 'applicantName', render: (v: string | null) => v ?? '（资料未同步）' },
          { title: '身份证号码', dataIndex: 'applicantIdMasked', render: (v: string | null) => v ?? '—' },
          { title: '乡镇 / 村', render: (_, r) => `${r.township} / ${r.village ?? '—'}` },
          { title: '工作站', dataIndex: 'stationCode' },
          { title: '月人均收入', dataIndex: 'perCapitaFen', render: (v: number | null) => yuan(v) },
          { title: '报县时间', dataIndex: 'handedOffAt', render: (v: string | null) => dateTime(v) },
          { title: '提示', render: (_, r) => (r.duplicate ? <Tag color="red">疑似重复救助</Tag> : null) },
        ]}
      />
    </>
  );
}
