import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button } from 'antd';
import { useEffect, useState } from 'react';
import type { DrillRow, MetricValue } from '../../../../../shared/reports/model';
import { DRILL_PAGE, DrillDrawerView } from '../../../../../ui/reports/DrillDrawerView';
import { api, errorText } from '../../api';
import { download, reportQuery, type DrillTarget, type ReportScope } from './query';

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
    const q = reportQuery(target.period, target.filter, scope, { metric: target.metric, asOf: target.asOf, offset: (page - 1) * DRILL_PAGE, limit: DRILL_PAGE });
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

  return (
    <DrillDrawerView
      title={target?.title ?? null}
      metric={target?.metric ?? null}
      data={data}
      loading={loading}
      page={page}
      onPage={setPage}
      onClose={onClose}
      placeLabel={scope.groupBy === 'township' ? '乡镇' : '村（社区）'}
      note="（身份证号码已脱敏）"
      extra={
        <Button icon={<DownloadOutlined />} onClick={exportList} data-testid="drill-export">
          导出 Excel
        </Button>
      }
    />
  );
}
