import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button } from 'antd';
import { useCallback } from 'react';
import { DrillDrawerView, type DrillPage } from '../../../../../ui/reports/DrillDrawerView';
import { api, errorText } from '../../api';
import { download, reportQuery, type DrillTarget, type ReportScope } from './query';

/** The list behind a figure (same query, list form), paged; ID numbers always masked; exportable. */
export function DrillDrawer({ target, scope, onClose }: { target: DrillTarget | null; scope: ReportScope; onClose(): void }) {
  const { message } = AntApp.useApp();
  const load = useCallback(
    (t: DrillTarget, offset: number, limit: number) =>
      api<DrillPage>('GET', `/reports/drill?${reportQuery(t.period, t.filter, scope, { metric: t.metric, asOf: t.asOf, offset, limit })}`).catch(
        (err: unknown) => Promise.reject(new Error(errorText(err))),
      ),
    [scope],
  );

  const exportList = () => {
    if (!target) return;
    const q = reportQuery(target.period, target.filter, scope, { what: 'list', metric: target.metric, asOf: target.asOf });
    download(`/reports/export?${q}`).catch((err) => message.error(errorText(err)));
  };

  return (
    <DrillDrawerView
      target={target}
      load={load}
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
