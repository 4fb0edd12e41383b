import { CopyOutlined, FileTextOutlined, FileWordOutlined } from '@ant-design/icons';
import { App as AntApp, Alert, Button, Card, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { Period } from '../../../../shared/reports/period';
import type { DrillRef, WorkSummary } from '../../../../shared/reports/summary';
import { call } from '../../api/client';
import { PeriodPicker, periodOf, type PeriodChoice } from '../../../../ui/reports/PeriodPicker';
import { lastEndedHalfYear, SummaryText } from '../../../../ui/reports/SummaryText';

/** 工作总结数据: the paragraph for a half-year or year; every number opens the list it was counted from. */
export function SummaryPanel({ onDrill, onExport }: { onDrill(title: string, period: Period, ref: DrillRef): void; onExport(period: Period, format: 'docx' | 'txt'): void }) {
  const { message } = AntApp.useApp();
  const [choice, setChoice] = useState<PeriodChoice>(() => lastEndedHalfYear());
  const [summary, setSummary] = useState<(WorkSummary & { period: { label: string } }) | null>(null);
  const [loading, setLoading] = useState(false);
  const period = periodOf(choice);

  useEffect(() => {
    let stale = false;
    setLoading(true);
    void call('reports.summary', { period: periodOf(choice) }).then((r) => {
      if (stale) return;
      setLoading(false);
      if (r.ok) setSummary(r.value);
      else message.error(r.message);
    });
    return () => {
      stale = true;
    };
  }, [choice, message]);

  const copy = async () => {
    if (!summary) return;
    try {
      await navigator.clipboard.writeText(summary.text);
      message.success('已复制到剪贴板');
    } catch {
      message.error('无法访问剪贴板，请选中文字后按 Ctrl+C 复制');
    }
  };

  return (
    <Card
      data-testid="summary-panel"
      title="工作总结统计数据"
      extra={
        <Space>
          <PeriodPicker value={choice} onChange={setChoice} presets={['halfYear', 'year']} />
          <Button icon={<CopyOutlined />} onClick={copy} disabled={!summary} data-testid="summary-copy">
            复制
          </Button>
          <Button icon={<FileWordOutlined />} onClick={() => onExport(period, 'docx')} data-testid="summary-docx">
            导出 .docx
          </Button>
          <Button icon={<FileTextOutlined />} onClick={() => onExport(period, 'txt')}>
            导出 .txt
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title="点击任一数字可查看其统计名单；金额按已确认发放的名册和已支付的一次性救助计算。" />
      <Spin spinning={loading}>
        {summary && <SummaryText summary={summary} onFigure={(ref) => onDrill(summary.title, period, ref)} />}
      </Spin>
    </Card>
  );
}
