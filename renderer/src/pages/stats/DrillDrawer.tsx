import { DownloadOutlined } from '@ant-design/icons';
import { Button, Checkbox, Space } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { call } from '../../api/client';
import { useStaff } from '../../stores/session';
import { DrillDrawerView, type DrillTarget } from '../../../../ui/reports/DrillDrawerView';

export type { DrillTarget };

/** The list behind a figure: the same query as the figure, in list form, paged; exportable. */
export function DrillDrawer({ target, onClose, onExport }: { target: DrillTarget | null; onClose(): void; onExport(t: DrillTarget, fullIdNumbers: boolean): void }) {
  const staff = useStaff();
  const mayFull = staff?.role === 'reviewer' || staff?.role === 'admin';
  const [full, setFull] = useState(false);

  useEffect(() => setFull(false), [target]);
  const load = useCallback(
    async (t: DrillTarget, offset: number, limit: number) => {
      const r = await call('reports.drill', {
        period: t.period,
        metric: t.metric,
        filter: t.filter,
        ...(t.asOf ? { asOf: t.asOf } : {}),
        offset,
        limit,
        fullIdNumbers: full,
      });
      if (!r.ok) throw new Error(r.message);
      return r.value;
    },
    [full],
  );

  return (
    <DrillDrawerView
      target={target}
      load={load}
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
