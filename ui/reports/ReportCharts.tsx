import { Card, Col, Row } from 'antd';
import { useMemo } from 'react';
import type { Metric, Report, ReportFilter } from '../../shared/reports/model';
import { Chart, type ChartOption } from './Chart';

/**
 * The charts of a statistics report: monthly payments, month-end caseload, payments by item and by village or
 * township. Clicking a slice or bar opens the list behind it. Shared by the station's 统计 and the county's 统计报表.
 */
export function ReportCharts({ report, groupLabel, onOpen }: { report: Report; groupLabel: string; onOpen(title: string, metric: Metric, narrow: ReportFilter): void }) {
  const charts = useMemo(() => chartOptions(report), [report]);
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card size="small" title="月度支出趋势（元）">
          <Chart option={charts.trend} testId="chart-trend" />
        </Card>
      </Col>
      <Col span={12}>
        <Card size="small" title="月末在保（低保、低保边缘为户数，其余为人数）">
          <Chart option={charts.active} />
        </Card>
      </Col>
      <Col span={12}>
        <Card size="small" title="支出构成（按事项，点击查看名单）">
          <Chart
            option={charts.composition}
            testId="chart-composition"
            onClick={(name) => {
              const row = report.byItem.find((r) => r.label === name);
              if (row) onOpen(row.label, 'paid', { items: [row.itemCode] });
            }}
          />
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title={`分${groupLabel}支出与期末在保（点击查看名单）`}>
          <Chart option={charts.groups} height={360} testId="chart-groups" onClick={(name, series) => onOpen(name, series === '支出（元）' ? 'paid' : 'activeAtEnd', { village: name })} />
        </Card>
      </Col>
    </Row>
  );
}

function chartOptions(report: Report): { trend: ChartOption; active: ChartOption; composition: ChartOption; groups: ChartOption } {
  const months = report.trend.months;
  const paying = report.trend.series.filter((s) => s.paidFen.some((v) => v > 0));
  const periodic = report.trend.series.filter((s) => report.byItem.find((r) => r.itemCode === s.itemCode)?.payment !== 'oneOff' && s.activeAtMonthEnd.some((v) => v > 0));
  const paidItems = report.byItem.filter((r) => r.metrics.paid.amountFen > 0);
  return {
    trend: {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 80, right: 24, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value' },
      series: paying.map((s) => ({ name: s.label, type: 'bar', stack: 'paid', data: s.paidFen.map((f) => f / 100) })),
    },
    active: {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 50, right: 24, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value', minInterval: 1 },
      series: periodic.map((s) => ({ name: s.label, type: 'line', data: s.activeAtMonthEnd })),
    },
    composition: {
      tooltip: { trigger: 'item', formatter: '{b}：{c} 元（{d}%）' },
      series: [{ type: 'pie', radius: ['35%', '70%'], data: paidItems.map((r) => ({ name: r.label, value: r.metrics.paid.amountFen / 100 })) }],
    },
    groups: {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 80, right: 60, bottom: 60 },
      xAxis: { type: 'category', data: report.byVillage.map((v) => v.label), axisLabel: { rotate: 30 } },
      yAxis: [{ type: 'value', name: '元' }, { type: 'value', name: '户/人', minInterval: 1 }],
      series: [
        { name: '支出（元）', type: 'bar', data: report.byVillage.map((v) => v.metrics.paid.amountFen / 100) },
        { name: '期末在保（户次）', type: 'bar', yAxisIndex: 1, data: report.byVillage.map((v) => v.metrics.activeAtEnd.households) },
      ],
    },
  };
}
