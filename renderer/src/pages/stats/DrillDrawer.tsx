import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Checkbox, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { DrillRow, MetricValue } from '../../../../shared/reports/model';
import { call } from '../../api/client';
import { useStaff } from '../../stores/session';
import { DRILL_PAGE, DrillDrawerView, type DrillTarget } from '../../../../ui/reports/DrillDrawerView';

export type { DrillTarget };

/** The list behind a figure: the same query as the figure, in list form, paged; exportable. */
export function DrillDrawer({ target, onClose, onExport }: { target: DrillTarget | null; onClose(): void; onExport(t: DrillTarget, fullIdNumbers: boolean): void }) {
  const { message } = AntApp.useApp();
  const staff = useStaff();
  const mayFull = staff?.role === 'reviewer' || staff?.role === 'admin';
  const [full, setFull] = useState(false);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ total: number; rows: DrillRow[]; value: MetricValue } | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setPage(1);
    setFull(false);
  }, [target]);
  useEffect(() => {
    if (!target) return;
    let stale = false;
    setLoading(true);
    void call('reports.drill', {
      period: target.period,
      metric: target.metric,
      filter: target.filter,
      ...(target.asOf ? { asOf: target.asOf } : {}),
      offset: (page - 1) * DRILL_PAGE,
      limit: DRILL_PAGE,
      fullIdNumbers: full,
    }).then((r) => {
      if (stale) return;
      setLoading(false);
      if (!r.ok) message.error(r.message);
      else setData(r.value);
    });
    return () => {
      stale = true;
    };
  }, [target, page, full, message]);

  return (
    <DrillDrawerView
      title={target?.title ?? null}
      metric={target?.metric ?? null}
      data={data}
      loading={loading}
      page={page}
      onPage={setPage}
      onClose={onClose}
      placeLabel="村（社区）"
      extra={
        <Space>
          {mayFull && (
            <Checkbox checked={full} onChange={(e) => setFull(e.target.checked)} data-testid="drill-full-ids">
              显示完整身份证号码（记录查看）
            </Checkbox>
          )}
          <Button icon={<DownloadOutlined />} onClick={() => target && onExport(target, full)} data-testid="drill-export">
            导出 Excel
          </Button>
        </Space>
      }
    />
  );
}
