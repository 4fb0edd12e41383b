import { App as AntApp, Drawer, Table, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { formatYuan } from '../../shared/domain/income';
import { AREA_LABELS, METRIC_LABELS, type DrillRow, type Metric, type MetricValue, type ReportFilter } from '../../shared/reports/model';
import type { Period } from '../../shared/reports/period';

export const DRILL_PAGE = 100;

/** A figure whose list is asked for: the same query as the figure, in list form. */
export interface DrillTarget {
  title: string;
  period: Period;
  metric: Metric;
  filter: ReportFilter;
  asOf?: string | undefined;
}

/** One page of a list behind a figure. */
export interface DrillPage {
  total: number;
  rows: DrillRow[];
  value: MetricValue;
}

export interface DrillDrawerViewProps {
  /** The figure whose list this is; null closes the drawer. */
  target: DrillTarget | null;
  /**
   * Fetches one page of the target's list (IPC or HTTP); rejects with a message the clerk can read. A new function
   * (another ID-number mode, another scope) fetches the current page again.
   */
  load(target: DrillTarget, offset: number, limit: number): Promise<DrillPage>;
  onClose(): void;
  /** Buttons and switches in the header (export; at the station, full ID numbers for reviewers). */
  extra: ReactNode;
  /** The place column: 村（社区）, or 乡镇 in a county-wide list. */
  placeLabel: string;
  /** Said after the counts, e.g. that ID numbers are masked. */
  note?: string;
}

/**
 * The list behind a figure, paged: shared by the station's 统计 and the county's 统计报表. Each app says how a page is
 * fetched and how the list is exported; this keeps the page, ignores answers that arrive after the question changed,
 * and draws the list.
 */
export function DrillDrawerView({ target, load, onClose, extra, placeLabel, note = '' }: DrillDrawerViewProps) {
  const { message } = AntApp.useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<DrillPage | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => setPage(1), [target]);
  useEffect(() => {
    if (!target) return;
    let stale = false;
    setLoading(true);
    load(target, (page - 1) * DRILL_PAGE, DRILL_PAGE).then(
      (d) => {
        if (stale) return;
        setLoading(false);
        setData(d);
      },
      (err: unknown) => {
        if (stale) return;
        setLoading(false);
        message.error(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      stale = true;
    };
  }, [target, page, load, message]);

  const v = data?.value;
  return (
    <Drawer open={!!target} onClose={onClose} size="large" width={1100} title={target ? `${target.title} · ${METRIC_LABELS[target.metric]}名单` : ''} extra={extra}>
      {v && (
        <Typography.Paragraph data-testid="drill-summary">
          共 {data.total} 件；{v.households} 户 {v.persons} 人{v.amountFen > 0 ? `；期内支出 ${formatYuan(v.amountFen)} 元` : ''}
          {note}
        </Typography.Paragraph>
      )}
      <Table<DrillRow>
        rowKey="caseId"
        size="small"
        loading={loading}
        dataSource={data?.rows ?? []}
        data-testid="drill-table"
        pagination={{ current: page, pageSize: DRILL_PAGE, total: data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        scroll={{ x: 1300, y: 'calc(100vh - 280px)' }}
        columns={[
          { title: '案件编号', dataIndex: 'caseNumber', width: 170 },
          { title: '事项', dataIndex: 'itemName', width: 150, render: (n: string, r) => `${n}${r.subKindName ? `（${r.subKindName}）` : ''}` },
          { title: '姓名', dataIndex: 'applicantName', width: 80 },
          { title: '身份证号码', dataIndex: 'idNumber', width: 180 },
          { title: placeLabel, dataIndex: 'village', width: 130 },
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
