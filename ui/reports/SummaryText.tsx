import { Typography } from 'antd';
import type { DrillRef, WorkSummary } from '../../shared/reports/summary';
import type { PeriodChoice } from './PeriodPicker';

/** The half-year a work summary is usually written for: the last one that has ended. */
export function lastEndedHalfYear(now = new Date()): PeriodChoice {
  return now.getMonth() < 6 ? { preset: 'halfYear', year: now.getFullYear() - 1, part: 2 } : { preset: 'halfYear', year: now.getFullYear(), part: 1 };
}

/**
 * 工作总结数据 as it reads in a report: title and paragraph, every number a link to the list it was counted from.
 * Shared by the station's 统计 and the county's 统计报表.
 */
export function SummaryText({ summary, onFigure }: { summary: WorkSummary; onFigure(ref: DrillRef): void }) {
  return (
    <>
      <Typography.Title level={5} style={{ textAlign: 'center' }}>
        {summary.title}
      </Typography.Title>
      <Typography.Paragraph style={{ fontSize: 16, lineHeight: 2, textIndent: '2em' }} data-testid="summary-text">
        {summary.segments.map((s, i) =>
          'ref' in s ? (
            <Typography.Link key={i} onClick={() => onFigure(s.ref)} data-testid="summary-figure" strong>
              {s.text}
            </Typography.Link>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
      </Typography.Paragraph>
    </>
  );
}
