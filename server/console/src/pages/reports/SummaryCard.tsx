import { CopyOutlined } from '@ant-design/icons';
import { App as AntApp, Alert, Button, Card, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { Period } from '../../../../../shared/reports/period';
import type { DrillRef, WorkSummary } from '../../../../../shared/reports/summary';
import { docxBytes, DOCX_MIME, plainText, TXT_MIME } from '../../../../../shared/reports/summaryFiles';
import { api, errorText } from '../../api';
import { PeriodPicker, periodOf, type PeriodChoice } from '../../../../../ui/reports/PeriodPicker';
import { lastEndedHalfYear, SummaryText } from '../../../../../ui/reports/SummaryText';
import { reportQuery, type ReportScope } from './query';

/** 工作总结数据 for the chosen township / station / the county; every number opens the list it was counted from. */
export function SummaryCard({ scope, onDrill }: { scope: ReportScope; onDrill(title: string, period: Period, ref: DrillRef): void }) {
  const { message } = AntApp.useApp();
  const [choice, setChoice] = useState<PeriodChoice>(() => lastEndedHalfYear());
  const [summary, setSummary] = useState<WorkSummary | null>(null);
  const [loading, setLoading] = useState(false);
  const period = periodOf(choice);

  useEffect(() => {
    let stale = false;
    setLoading(true);
    api<WorkSummary>('GET', `/reports/summary?${reportQuery(periodOf(choice), {}, scope)}`).then(
      (r) => {
        if (stale) return;
        setLoading(false);
        setSummary(r);
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
  }, [choice, scope, message]);

  const copy = async () => {
    if (!summary) return;
    try {
      await navigator.clipboard.writeText(summary.text);
      message.success('已复制到剪贴板');
    } catch {
      message.error('无法访问剪贴板，请选中文字后按 Ctrl+C 复制');
    }
  };
  const save = async (kind: 'txt' | 'docx') => {
    if (!summary) return;
    // The same files the station exports (shared/reports/summaryFiles.ts), written here in the browser.
    const blob =
      kind === 'docx'
        ? new Blob([(await docxBytes(summary.title, [summary.text])) as Uint8Array<ArrayBuffer>], { type: DOCX_MIME })
        : new Blob([plainText(summary.title, [summary.text])], { type: TXT_MIME });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${summary.title}.${kind}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
          <Button onClick={() => void save('docx')} disabled={!summary} data-testid="summary-docx">
            导出 Word（.docx）
          </Button>
          <Button onClick={() => void save('txt')} disabled={!summary}>
            导出 .txt
          </Button>
        </Space>
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title="点击任一数字可查看其统计名单；金额按各工作站已确认发放的名册和已支付的一次性救助计算（以同步到县级的数据为准）。" />
      <Spin spinning={loading}>
        {summary && <SummaryText summary={summary} onFigure={(ref) => onDrill(summary.title, period, ref)} />}
      </Spin>
    </Card>
  );
}
