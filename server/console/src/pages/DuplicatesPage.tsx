import { Alert, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { DuplicateGroup } from '../../../services/console/model';
import { api, errorText } from '../api';
import { navigate } from '../App';
import { dateTime, itemName, stateLabel } from '../labels';

/** Persons with an open or active case of the same item at two or more stations (不重复救助). */
export function DuplicatesPage() {
  const [groups, setGroups] = useState<DuplicateGroup[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ groups: DuplicateGroup[] }>('GET', '/duplicates').then((r) => setGroups(r.groups), (err) => setError(errorText(err)));
  }, []);
  return (
    <>
      <Typography.Title level={3}>重复救助核查</Typography.Title>
      <Typography.Paragraph type="secondary">
        同一身份证号码在两个及以上工作站有同一事项的在办或在享案件。各相关工作站同步后也会看到提示。
      </Typography.Paragraph>
      {error && <Alert type="error" title={error} showIcon />}
      <Table<DuplicateGroup>
        rowKey={(g) => `${g.idNumberMasked}/${g.itemCode}/${g.cases[0]?.caseId}`}
        loading={groups === null && !error}
        dataSource={groups ?? []}
        locale={{ emptyText: '未发现重复救助' }}
        columns={[
          { title: '事项', dataIndex: 'itemCode', render: (v: string) => itemName(v) },
          { title: '身份证号码', dataIndex: 'idNumberMasked' },
          { title: '姓名', dataIndex: 'applicantNames', render: (v: string[]) => v.join('、') },
          {
            title: '涉及案件',
            render: (_, g) => (
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {g.cases.map((c) => (
                  <li key={c.caseId}>
                    <a onClick={() => navigate(`case/${c.caseId}`)}>
                      {c.township}（{c.stationCode}） {c.caseNumber ?? c.caseId}
                    </a>{' '}
                    {stateLabel(c.state)}，发现于 {dateTime(c.flaggedAt)}
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
      />
    </>
  );
}
