import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Col, Modal, Progress, Row, Select, Space, Table, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { formatYuan } from '../../../../shared/domain/income';
import { ITEM_CATALOGUE, type ItemCode } from '../../../../shared/domain/items';
import { AREA_LABELS, type ItemReportRow, type Metric, type MetricValue, type MetricValues, type Report, type ReportFilter, type ReportRow } from '../../../../shared/reports/model';
import type { Period } from '../../../../shared/reports/period';
import { METRIC_LABELS } from '../../../../shared/reports/model';
import { call } from '../../api/client';
import { Chart, type ChartOption } from '../../../../ui/reports/Chart';
import { DrillDrawer, type DrillTarget } from './DrillDrawer';
import { useExportJob } from './exportJob';
import { PeriodPicker, periodOf, type PeriodChoice } from '../../../../ui/reports/PeriodPicker';
import { RostersPanel } from './RostersPanel';
import { SummaryPanel } from './SummaryPanel';

const ITEM_OPTIONS = ITEM_CATALOGUE.map((i) => ({ value: i.code, label: i.name }));
type Measure = keyof MetricValue;

interface FigureColumn {
  title: string;
  metric: Metric;
  measure: Measure;
}
const FIGURE_COLUMNS: FigureColumn[] = [
  { title: '期内享受户', metric: 'active', measure: 'households' },
  { title: '期内享受人', metric: 'active', measure: 'persons' },
  { title: '期末在保户', metric: 'activeAtEnd', measure: 'households' },
  { title: '期末在保人', metric: 'activeAtEnd', measure: 'persons' },
  { title: '新增户', metric: 'new', measure: 'households' },
  { title: '新增人', metric: 'new', measure: 'persons' },
  { title: '退出户', metric: 'exited', measure: 'households' },
  { title: '退出人', metric: 'exited', measure: 'persons' },
  { title: '救助人次', metric: 'aided', measure: 'cases' },
  { title: '支出（元）', metric: 'paid', measure: 'amountFen' },
  { title: '超期', metric: 'overdue', measure: 'cases' },
  { title: '待复核', metric: 'recheckDue', measure: 'cases' },
];

const shown = (v: MetricValue, m: Measure) => (m === 'amountFen' ? formatYuan(v.amountFen) : String(v[m]));

/** 统计: figures for any period by item, urban/rural and village; charts; the work-summary paragraph; rosters. */
export function StatsPage() {
  const { message } = AntApp.useApp();
  const [choice, setChoice] = useState<PeriodChoice>(() => ({ preset: 'halfYear', year: new Date().getFullYear(), part: new Date().getMonth() < 6 ? 1 : 2 }));
  const [items, setItems] = useState<ItemCode[]>([]);
  const [area, setArea] = useState<'urban' | 'rural' | undefined>(undefined);
  const [village, setVillage] = useState<string | undefined>(undefined);
  const [report, setReport] = useState<Report | null>(null);
  const [villages, setVillages] = useState<string[]>([]);
  const [loading, setLoading] = useState(false);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const exporter = useExportJob();
  const period = useMemo(() => periodOf(choice), [choice]);
  const filter = useMemo<ReportFilter>(() => ({ ...(items.length ? { items } : {}), ...(area ? { area } : {}), ...(village ? { village } : {}) }), [items, area, village]);

  // Answers can arrive out of order (each report runs in its own worker): only the latest request's answer counts.
  const latest = useRef(0);
  const load = useCallback(async () => {
    const mine = ++latest.current;
    setLoading(true);
    const r = await call('reports.run', { period, filter });
    if (mine !== latest.current) return;
    setLoading(false);
    if (!r.ok) return message.error(r.message);
    setReport(r.value);
    if (!filter.village) setVillages(r.value.byVillage.map((v) => v.key));
  }, [period, filter, message]);
  useEffect(() => {
    void load();
  }, [load]);

  const open = useCallback(
    (title: string, metric: Metric, narrow: ReportFilter, p: Period = period) =>
      setDrill({ title, period: p, metric, filter: { ...filter, ...narrow }, ...(report ? { asOf: report.asOf } : {}) }),
    [filter, period, report],
  );

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
          <Typography.Link onClick={() => open(r.label, c.metric, narrow(r))} data-testid={`fig-${r.key}-${c.metric}-${c.measure}`}>
            {shown(v, c.measure)}
          </Typography.Link>
        );
      },
    }));

  const areaRows = useMemo(
    () =>
      (report?.byItem ?? []).flatMap((r) =>
        (['urban', 'rural'] as const).filter((a) => !area || a === area).map((a) => ({ key: `${r.itemCode}|${a}`, label: `${r.label}（${AREA_LABELS[a]}）`, itemCode: r.itemCode, area: a, metrics: r.byArea[a] })),
      ),
    [report, area],
  );

  const charts = useMemo(() => chartOptions(report), [report]);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap>
          <PeriodPicker value={choice} onChange={setChoice} />
          <Select mode="multiple" allowClear placeholder="全部事项" style={{ minWidth: 220 }} value={items} onChange={setItems} options={ITEM_OPTIONS} maxTagCount={2} aria-label="事项" data-testid="filter-items" />
          <Select allowClear placeholder="城乡" style={{ width: 90 }} value={area} onChange={setArea} options={[{ value: 'urban', label: '城市' }, { value: 'rural', label: '农村' }]} aria-label="城乡" />
          <Select allowClear showSearch placeholder="全部村（社区）" style={{ width: 160 }} value={village} onChange={setVillage} options={villages.map((v) => ({ value: v, label: v }))} aria-label="村（社区）" />
          <Button icon={<ReloadOutlined />} onClick={load} loading={loading}>
            刷新
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => exporter.start('统计报表', { what: 'report', period, filter })} data-testid="export-report">
            导出 Excel
          </Button>
          {report && (
            <Typography.Text type="secondary">
              {report.period.label}（{report.period.start} 至 {report.period.end}）；超期、待复核按 {report.asOf} 计
            </Typography.Text>
          )}
        </Space>
      </Card>
      <Tabs
        items={[
          {
            key: 'table',
            label: '报表',
            children: (
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
                  title={() => '分村（社区）（跨事项合计为户次/人次；选定一个事项可得该事项户数、人数）'}
                  rowKey="key"
                  size="small"
                  dataSource={report?.byVillage ?? []}
                  pagination={false}
                  scroll={{ x: 1400 }}
                  columns={[{ title: '村（社区）', dataIndex: 'label', fixed: 'left', width: 200 }, ...figureColumns((r) => ({ village: r.key }))]}
                />
              </Space>
            ),
          },
          {
            key: 'charts',
            label: '图表',
            children: report && (
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
                        if (row) open(row.label, 'paid', { items: [row.itemCode] });
                      }}
                    />
                  </Card>
                </Col>
                <Col span={24}>
                  <Card size="small" title="分村（社区）支出与期末在保（点击查看名单）">
                    <Chart option={charts.villages} height={360} testId="chart-villages" onClick={(name, series) => open(name, series === '支出（元）' ? 'paid' : 'activeAtEnd', { village: name })} />
                  </Card>
                </Col>
              </Row>
            ),
          },
          {
            key: 'summary',
            label: '工作总结数据',
            children: (
              <SummaryPanel
                onDrill={(title, p, ref) => setDrill({ title, period: p, metric: ref.metric, filter: ref.filter })}
                onExport={(p, format) => exporter.start('工作总结', { what: 'summary', period: p, format })}
              />
            ),
          },
          {
            key: 'rosters',
            label: '发放名册',
            children: <RostersPanel onExport={(r, full) => exporter.start(`${r.month} ${r.itemName}发放名册`, { what: 'roster', rosterId: r.id }, full)} />,
          },
        ]}
      />
      <DrillDrawer target={drill} onClose={() => setDrill(null)} onExport={(t, full) => exporter.start(`${t.title}${METRIC_LABELS[t.metric]}名单`, { what: 'list', period: t.period, metric: t.metric, filter: t.filter }, full)} />
      <Modal open={!!exporter.progress} title={`正在导出：${exporter.progress?.label ?? ''}`} closable={false} maskClosable={false} footer={<Button onClick={exporter.cancel} data-testid="export-cancel">取消导出</Button>}>
        <Typography.Paragraph>{exporter.progress?.phase}</Typography.Paragraph>
        <Progress percent={exporter.progress && exporter.progress.total > 0 ? Math.round((exporter.progress.done / exporter.progress.total) * 100) : 0} status="active" data-testid="export-progress" />
      </Modal>
    </Space>
  );
}

function chartOptions(report: Report | null): { trend: ChartOption; active: ChartOption; composition: ChartOption; villages: ChartOption } {
  if (!report) return { trend: {}, active: {}, composition: {}, villages: {} };
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
    villages: {
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
