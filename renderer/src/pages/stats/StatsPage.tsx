import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Modal, Progress, Select, Space, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ITEM_CATALOGUE, type ItemCode } from '../../../../shared/domain/items';
import { METRIC_LABELS, type Metric, type Report, type ReportFilter } from '../../../../shared/reports/model';
import type { Period } from '../../../../shared/reports/period';
import { call } from '../../api/client';
import { FigureTables } from '../../../../ui/reports/FigureTables';
import { ReportCharts } from '../../../../ui/reports/ReportCharts';
import { DrillDrawer, type DrillTarget } from './DrillDrawer';
import { useExportJob } from './exportJob';
import { currentHalfYear, PeriodPicker, periodOf, type PeriodChoice } from '../../../../ui/reports/PeriodPicker';
import { RostersPanel } from './RostersPanel';
import { SummaryPanel } from './SummaryPanel';

const ITEM_OPTIONS = ITEM_CATALOGUE.map((i) => ({ value: i.code, label: i.name }));

/** 统计: figures for any period by item, urban/rural and village; charts; the work-summary paragraph; rosters. */
export function StatsPage() {
  const { message } = AntApp.useApp();
  const [choice, setChoice] = useState<PeriodChoice>(() => currentHalfYear());
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
            children: <FigureTables report={report} loading={loading} area={area} groupLabel="村（社区）" onOpen={open} />,
          },
          {
            key: 'charts',
            label: '图表',
            children: report && <ReportCharts report={report} groupLabel="村（社区）" onOpen={open} />,
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

