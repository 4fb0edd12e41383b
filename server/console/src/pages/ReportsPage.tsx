import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Select, Space, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ITEM_CATALOGUE, type ItemCode } from '../../../../shared/domain/items';
import type { Metric, Report, ReportFilter } from '../../../../shared/reports/model';
import type { Period } from '../../../../shared/reports/period';
import type { ReportOptions } from '../../../services/reports';
import { api, errorText } from '../api';
import { FigureTables } from '../../../../ui/reports/FigureTables';
import { ReportCharts } from '../../../../ui/reports/ReportCharts';
import { DrillDrawer } from './reports/DrillDrawer';
import { currentHalfYear, PeriodPicker, periodOf, type PeriodChoice } from '../../../../ui/reports/PeriodPicker';
import { download, reportQuery, type DrillTarget, type ReportScope } from './reports/query';
import { SummaryCard } from './reports/SummaryCard';

const ITEM_OPTIONS = ITEM_CATALOGUE.map((i) => ({ value: i.code, label: i.name }));

/**
 * 统计报表: the stations' figures as synced to the county, for any period, by item, urban/rural and township (or
 * village); every figure opens its list (masked ID numbers); charts; the work-summary paragraph; Excel exports.
 */
export function ReportsPage() {
  const { message } = AntApp.useApp();
  const [choice, setChoice] = useState<PeriodChoice>(() => currentHalfYear());
  const [items, setItems] = useState<ItemCode[]>([]);
  const [area, setArea] = useState<'urban' | 'rural' | undefined>(undefined);
  const [township, setTownship] = useState<string | undefined>(undefined);
  const [stationId, setStationId] = useState<string | undefined>(undefined);
  const [options, setOptions] = useState<ReportOptions>({ townships: [], stations: [] });
  const [report, setReport] = useState<Report | null>(null);
  const [place, setPlace] = useState('全县');
  const [loading, setLoading] = useState(false);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const period = useMemo(() => periodOf(choice), [choice]);
  const filter = useMemo<ReportFilter>(() => ({ ...(items.length ? { items } : {}), ...(area ? { area } : {}) }), [items, area]);
  // County-wide the breakdown is by township; within one township or station it is by village.
  const scope = useMemo<ReportScope>(() => ({ township, stationId, groupBy: township || stationId ? 'village' : 'township' }), [township, stationId]);
  const groupLabel = scope.groupBy === 'township' ? '乡镇' : '村（社区）';

  useEffect(() => {
    api<ReportOptions>('GET', '/reports/options').then(setOptions, (err) => message.error(errorText(err)));
  }, [message]);

  const latest = useRef(0);
  const load = useCallback(async () => {
    const mine = ++latest.current;
    setLoading(true);
    try {
      const r = await api<{ report: Report; place: string }>('GET', `/reports?${reportQuery(period, filter, scope)}`);
      if (mine !== latest.current) return;
      setReport(r.report);
      setPlace(r.place);
    } catch (err) {
      if (mine === latest.current) message.error(errorText(err));
    } finally {
      if (mine === latest.current) setLoading(false);
    }
  }, [period, filter, scope, message]);
  useEffect(() => {
    void load();
  }, [load]);

  const open = useCallback(
    (title: string, metric: Metric, narrow: ReportFilter, p: Period = period) =>
      setDrill({ title, period: p, metric, filter: { ...filter, ...narrow }, ...(report ? { asOf: report.asOf } : {}) }),
    [filter, period, report],
  );

  const exportReport = () =>
    download(`/reports/export?${reportQuery(period, filter, scope, { what: 'report', asOf: report?.asOf })}`).catch((err) => message.error(errorText(err)));

  const stationOptions = options.stations.filter((s) => !township || s.township === township).map((s) => ({ value: s.id, label: `${s.township} · ${s.name}` }));

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={3} style={{ margin: 0 }}>
        统计报表
      </Typography.Title>
      <Card size="small">
        <Space wrap>
          <PeriodPicker value={choice} onChange={setChoice} />
          <Select
            allowClear
            placeholder="全县（各乡镇）"
            style={{ width: 160 }}
            value={township}
            onChange={(t: string | undefined) => {
              setTownship(t);
              setStationId(undefined);
            }}
            options={options.townships.map((t) => ({ value: t, label: t }))}
            aria-label="乡镇"
            data-testid="filter-township"
          />
          <Select allowClear placeholder="全部工作站" style={{ width: 200 }} value={stationId} onChange={setStationId} options={stationOptions} aria-label="工作站" />
          <Select mode="multiple" allowClear placeholder="全部事项" style={{ minWidth: 220 }} value={items} onChange={setItems} options={ITEM_OPTIONS} maxTagCount={2} aria-label="事项" data-testid="filter-items" />
          <Select allowClear placeholder="城乡" style={{ width: 90 }} value={area} onChange={setArea} options={[{ value: 'urban', label: '城市' }, { value: 'rural', label: '农村' }]} aria-label="城乡" />
          <Button icon={<ReloadOutlined />} onClick={load} loading={loading}>
            刷新
          </Button>
          <Button icon={<DownloadOutlined />} onClick={exportReport} disabled={!report} data-testid="export-report">
            导出 Excel
          </Button>
          {report && (
            <Typography.Text type="secondary" data-testid="report-caption">
              {place} {report.period.label}（{report.period.start} 至 {report.period.end}）；超期、待复核按 {report.asOf} 计；以各工作站已同步的数据为准
            </Typography.Text>
          )}
        </Space>
      </Card>
      <Tabs
        items={[
          {
            key: 'table',
            label: '报表',
            children: <FigureTables report={report} loading={loading} area={area} groupLabel={groupLabel} onOpen={open} />,
          },
          {
            key: 'charts',
            label: '图表',
            children: report && <ReportCharts report={report} groupLabel={groupLabel} onOpen={open} />,
          },
          {
            key: 'summary',
            label: '工作总结数据',
            children: <SummaryCard scope={scope} onDrill={(title, p, ref) => setDrill({ title, period: p, metric: ref.metric, filter: ref.filter })} />,
          },
        ]}
      />
      <DrillDrawer target={drill} scope={scope} onClose={() => setDrill(null)} />
    </Space>
  );
}

