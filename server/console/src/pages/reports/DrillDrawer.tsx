import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Drawer, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { formatYuan } from '../../../../../shared/domain/income';
import { AREA_LABELS, METRIC_LABELS, type DrillRow, type MetricValue } from '../../../../../shared/reports/model';
import { api, errorText } from '../../api';
import { download, reportQuery, type DrillTarget, type ReportScope } from './query';

const PAGE = 100;

/** The list behind a figure (same query, list form), paged; ID numbers always masked; exportable. */
export function DrillDrawer({ target, scope, onClose }: { target: DrillTarget | null; scope: ReportScope; onClose(): void }) {
  const { message } = AntApp.useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; rows: DrillRow[]; value: MetricValue } | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => setPage(1), [target]);
  useEffect(() => {
    if (!target) return;
    let stale = false;
    setLoading(true);
    const q = reportQuery(target.period, target.filter, scope, { metric: target.metric, asOf: target.asOf, offset: (page - 1) * PAGE, limit: PAGE });
    api<{ total: number; rows: DrillRow[]; value: MetricValue }>('GET', `/reports/drill?${q}`).then(
      (r) => {
        if (stale) return;
        setLoading(false);
        setData(r);
      },
      (err) => {
        if (stale) return;
        setLoading(false);
        message.error(errorText(err));
      },
    );
    return () => {
      stale = true;
    };
  }, [target, page, scope, message]);

  const exportList = () => {
    if (!target) return;
    const q = reportQuery(target.period, target.filter, scope, { what: 'list', metric: target.metric, asOf: target.asOf });
    download(`/reports/export?${q}`).catch((err) => message.error(errorText(err)));
  };

  const v = data?.value;
  return (
    <Drawer
      open={!!target}
      onClose={onClose}
      size="large"
      width={1100}
      title={target ? `${target.title} · ${METRIC_LABELS[target.metric]}名单` : ''}
      extra={
        <Button icon={<DownloadOutlined />} onClick={exportList} data-testid="drill-export">
          导出 Excel
        </Button>
      }
    >
      {v && (
        <Typography.Paragraph data-testid="drill-summary">
          共 {data.total} 件；{v.households} 户 {v.persons} 人{v.amountFen > 0 ? `；期内支出 ${formatYuan(v.amountFen)} 元` : ''}（身份证号码已脱敏）
        </Typography.Paragraph>
      )}
      <Table<DrillRow>
        rowKey="caseId"
        size="small"
        loading={loading}
        dataSource={data?.rows ?? []}
        data-testid="drill-table"
        pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        scroll={{ x: 1300, y: 'calc(100vh - 280px)' }}
        columns={[
          { title: '案件编号', dataIndex: 'caseNumber', width: 170 },
          { title: '事项', dataIndex: 'itemName', width: 150, render: (n: string, r) => `${n}${r.subKindName ? `（${r.subKindName}）` : ''}` },
          { title: '姓名', dataIndex: 'applicantName', width: 80 },
          { title: '身份证号码', dataIndex: 'idNumber', width: 180 },
          { title: scope.groupBy === 'township' ? '乡镇' : '村（社区）', dataIndex: 'village', width: 130 },
          { title: '城乡', dataIndex: 'area', width: 56, render: (a: 'urban' | 'rural') => AREA_LABELS[a] },
          { title: '家庭人口', dataIndex: 'memberCount', width: 70, align: 'right' },
          { title: '状态', dataIndex: 'stateLabel', width: 110 },
          { title: '核定金额（元）', dataIndex: 'amountFen', width: 110, align: 'right', render: (f: number | null) => (f === null ? '' : formatYuan(f)) },
          { title: '期内支出（元）', dataIndex: 'paidInPeriodFen', width: 110, align: 'right', render: (f: number) => (f ? formatYuan(f) : '') },
          { title: '起始月份', dataIndex: 'paymentStartMonth', width: 80 },
          { title: '终止日期', dataIndex: 'endedOn', width: 100 },
          { title: '原因', dataIndex: 'reason', width: 160, ellipsis: true },
          { title: '到期日', dataIndex: 'dueDate', width: 100 },
        ]}
      />
    </Drawer>
  );
}
