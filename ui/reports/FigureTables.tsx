import { Space, Table, Typography } from 'antd';
import { useMemo } from 'react';
import { formatYuan } from '../../shared/domain/income';
import type { ItemCode } from '../../shared/domain/items';
import { AREA_LABELS, FIGURE_COLUMNS, type ItemReportRow, type Metric, type MetricValue, type MetricValues, type Report, type ReportFilter, type ReportRow } from '../../shared/reports/model';

type Measure = keyof MetricValue;

const shown = (v: MetricValue, m: Measure) => (m === 'amountFen' ? formatYuan(v.amountFen) : String(v[m]));

export interface FigureTablesProps {
  report: Report | null;
  loading: boolean;
  /** The urban/rural filter in force: the by-area table shows only that side. */
  area: 'urban' | 'rural' | undefined;
  /** What the third table groups by: 村（社区） at a station or within a township, 乡镇 county-wide. */
  groupLabel: string;
  /** A figure was clicked: open the list behind it (`narrow` is added to the report's own filter). */
  onOpen(title: string, metric: Metric, narrow: ReportFilter): void;
}

/**
 * The figures of a statistics report as three tables — by item (with totals), by item and urban/rural, by village or
 * township — where every non-zero figure opens its list. Shared by the station's 统计 and the county's 统计报表, which
 * differ only in where the report and the lists come from.
 */
export function FigureTables({ report, loading, area, groupLabel, onOpen }: FigureTablesProps) {
  const figureColumns = (narrow: (r: ReportRow) => ReportFilter, values: (r: ReportRow) => MetricValues = (r) => r.metrics) =>
    FIGURE_COLUMNS.map((c) => ({
      title: c.title,
      key: `${c.metric}.${c.measure}`,
      align: 'right' as const,
      width: c.measure === 'amountFen' ? 130 : 84,
      render: (_: unknown, r: ReportRow) => {
        const v = values(r)[c.metric];
        if (v.cases === 0) return <span style={{ color: '#bbb' }}>{c.measure === 'amountFen' ? '0.00' : 0}</span>;
        return (
          <Typography.Link onClick={() => onOpen(r.label, c.metric, narrow(r))} data-testid={`fig-${r.key}-${c.metric}-${c.measure}`}>
            {shown(v, c.measure)}
          </Typography.Link>
        );
      },
    }));

  const areaRows = useMemo(
    () =>
      (report?.byItem ?? []).flatMap((r) =>
        (['urban', 'rural'] as const)
          .filter((a) => !area || a === area)
          .map((a) => ({ key: `${r.itemCode}|${a}`, label: `${r.label}（${AREA_LABELS[a]}）`, itemCode: r.itemCode, area: a, metrics: r.byArea[a] })),
      ),
    [report, area],
  );

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Table<ItemReportRow>
        title={() => '分事项（点击数字查看名单）'}
        rowKey="key"
        size="small"
        loading={loading}
        dataSource={report?.byItem ?? []}
        pagination={false}
        scroll={{ x: 1400 }}
        data-testid="report-by-item"
        summary={() =>
          report && (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>合计（户次/人次）</Table.Summary.Cell>
              {FIGURE_COLUMNS.map((c, i) => (
                <Table.Summary.Cell key={i} index={i + 1} align="right">
                  {shown(report.total.metrics[c.metric], c.measure)}
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          )
        }
        columns={[{ title: '救助事项', dataIndex: 'label', fixed: 'left', width: 200 }, ...figureColumns((r) => ({ items: [r.key as ItemCode] }))]}
      />
      <Table
        title={() => '分城乡'}
        rowKey="key"
        size="small"
        dataSource={areaRows.filter((r) => FIGURE_COLUMNS.some((c) => r.metrics[c.metric].cases > 0))}
        pagination={false}
        scroll={{ x: 1400 }}
        columns={[
          { title: '事项（城乡）', dataIndex: 'label', fixed: 'left', width: 200 },
          ...figureColumns((r) => {
            const row = r as (typeof areaRows)[number];
            return { items: [row.itemCode], area: row.area };
          }),
        ]}
      />
      <Table<ReportRow>
        title={() => `分${groupLabel}（跨事项合计为户次/人次；选定一个事项可得该事项户数、人数）`}
        rowKey="key"
        size="small"
        dataSource={report?.byVillage ?? []}
        pagination={false}
        scroll={{ x: 1400 }}
        data-testid="report-by-group"
        columns={[{ title: groupLabel, dataIndex: 'label', fixed: 'left', width: 200 }, ...figureColumns((r) => ({ village: r.key }))]}
      />
    </Space>
  );
}
