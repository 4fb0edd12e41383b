import { PrinterOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Descriptions, Empty, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import {
  ACTION_LABELS,
  ECONOMIC_CHECK_FINDING_LABELS,
  FIVE_CLEAR_LABELS,
  isOpen,
  REVIEW_OUTCOME_LABELS,
  STATE_LABELS,
  type CaseAction,
  type CaseState,
} from '../../../../shared/domain/caseMachine';
import { formatYuan } from '../../../../shared/domain/income';
import { ROLE_LABELS, isActor } from '../../../../shared/domain/roles';
import type { CaseDetail, CaseEventInfo } from '../../../../shared/schemas/cases';
import { call } from '../../api/client';
import { PrintPreview } from '../../print/PrintPreview';
import { MaterialsChecklist } from '../intake/MaterialsChecklist';
import { ActionModal } from './ActionModal';
import { DANGER_ACTIONS } from './actionFields';

export const STATE_COLORS: Partial<Record<CaseState, string>> = {
  submitted: 'default',
  awaitingMaterials: 'orange',
  accepted: 'blue',
  investigating: 'blue',
  inNotice: 'purple',
  objectionReview: 'volcano',
  noticeCompleted: 'cyan',
  townshipReviewed: 'geekblue',
  awaitingCounty: 'geekblue',
  approved: 'green',
  active: 'green',
  notAccepted: 'red',
  rejected: 'red',
  terminated: 'red',
};

const TEXT_FIELDS: [string, string][] = [
  ['reason', '原因'],
  ['summary', '情况'],
  ['note', '说明'],
  ['place', '地点'],
  ['decisionNo', '文号'],
];

/** One line per thing the event recorded, in the clerk's words. */
function eventLines(e: CaseEventInfo): string[] {
  const p = e.payload;
  const lines: string[] = [];
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  if (Array.isArray(p.missing)) lines.push(`一次性告知缺少：${(p.missing as string[]).join('、')}`);
  if (Array.isArray(p.investigators)) lines.push(`调查人员：${(p.investigators as string[]).join('、')}（${str(p.visitedOn)}）`);
  if (p.fiveClears && typeof p.fiveClears === 'object') {
    for (const [k, v] of Object.entries(p.fiveClears as Record<string, string>)) lines.push(`${FIVE_CLEAR_LABELS[k as keyof typeof FIVE_CLEAR_LABELS] ?? k}：${v}`);
  }
  if (typeof p.finding === 'string') lines.push(`核对结论：${ECONOMIC_CHECK_FINDING_LABELS[p.finding as keyof typeof ECONOMIC_CHECK_FINDING_LABELS] ?? p.finding}`);
  for (const k of ['opinion', 'outcome'] as const) {
    if (typeof p[k] === 'string') lines.push(`${k === 'opinion' ? '审核意见' : '结果'}：${REVIEW_OUTCOME_LABELS[p[k] as keyof typeof REVIEW_OUTCOME_LABELS] ?? p[k]}`);
  }
  for (const k of ['amountFen', 'proposedAmountFen'] as const) if (typeof p[k] === 'number') lines.push(`金额：${formatYuan(p[k] as number)} 元`);
  if (typeof p.startDate === 'string' || typeof p.endDate === 'string') lines.push(`公示期：${str(p.startDate) || '当日'} 起${p.endDate ? ` 至 ${str(p.endDate)}` : ''}`);
  for (const [k, label] of TEXT_FIELDS) if (typeof p[k] === 'string' && p[k]) lines.push(`${label}：${p[k] as string}`);
  return lines;
}

/** 案件详情: facts, materials, the timeline and only the actions the signed-in role may take now. */
export function CaseDetailPanel({ caseId, onChanged }: { caseId: string; onChanged?(d: CaseDetail): void }) {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<CaseAction | null>(null);
  const [print, setPrint] = useState<{ title: string; html: string } | null>(null);
  const { message } = AntApp.useApp();

  const load = useCallback(async () => {
    const r = await call('cases.get', { id: caseId });
    if (r.ok) {
      setDetail(r.value);
      setError(null);
    } else setError(r.message);
  }, [caseId]);
  useEffect(() => {
    void load();
  }, [load]);

  const update = (d: CaseDetail) => {
    setDetail(d);
    onChanged?.(d);
  };
  const printReceipt = async () => {
    const r = await call('print.receipt', { caseId });
    if (r.ok) setPrint(r.value);
    else message.error(r.message);
  };

  if (error) return <Alert type="error" title={error} showIcon />;
  if (!detail) return <Spin />;
  const snapshot = detail.snapshot as { acceptedAt?: string; missingMaterials?: string[]; noticeStart?: string; noticeEnd?: string; reason?: string };
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="case-detail">
      <Card
        size="small"
        title={
          <Space>
            <span data-testid="case-number">{detail.caseNumber}</span>
            <Tag color={STATE_COLORS[detail.state]} data-testid="case-state">
              {detail.stateLabel}
            </Tag>
            {detail.overdue && <Tag color="red">已超期</Tag>}
          </Space>
        }
        extra={
          snapshot.acceptedAt ? (
            <Button icon={<PrinterOutlined />} onClick={() => void printReceipt()}>
              打印受理回执
            </Button>
          ) : null
        }
      >
        <Descriptions size="small" column={2}>
          <Descriptions.Item label="申请事项">
            {detail.itemName}
            {detail.subKindName ? `（${detail.subKindName}）` : ''}
            {detail.causeName ? ` · ${detail.causeName}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="申请人">
            {detail.applicantName}（{detail.applicantIdMasked}）
          </Descriptions.Item>
          <Descriptions.Item label="村（社区）">{detail.village ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="办结时限">{detail.dueDate ?? '—'}</Descriptions.Item>
          {snapshot.noticeStart && (
            <Descriptions.Item label="公示期">
              {snapshot.noticeStart} 至 {snapshot.noticeEnd}
            </Descriptions.Item>
          )}
          {snapshot.reason && !isOpen(detail.state) && <Descriptions.Item label="原因">{snapshot.reason}</Descriptions.Item>}
        </Descriptions>
        {detail.countyDuplicates.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 8 }}
            data-testid="county-duplicates"
            title="县级查重：申请人在其他站点有同类案件"
            description={detail.countyDuplicates
              .map((o) => `${o.township}（站点 ${o.stationCode}）${o.caseNumber ?? '案件号未知'}${o.state ? `，${stateLabel(o.state)}` : ''}`)
              .join('；')}
          />
        )}
        {detail.duplicateReason && <Alert type="warning" showIcon title={`重复申请说明：${detail.duplicateReason}`} style={{ marginTop: 8 }} />}
        {detail.state === 'awaitingMaterials' && snapshot.missingMaterials && (
          <Alert type="info" showIcon title={`已一次性告知需补齐：${snapshot.missingMaterials.join('、')}`} style={{ marginTop: 8 }} />
        )}
      </Card>

      <Card size="small" title="办理" data-testid="case-actions">
        {detail.availableActions.length === 0 ? (
          <Typography.Text type="secondary">当前身份没有可办理的操作。</Typography.Text>
        ) : (
          <Space wrap>
            {detail.availableActions.map((a) => (
              <Button key={a} danger={DANGER_ACTIONS.has(a)} type={DANGER_ACTIONS.has(a) ? 'default' : 'primary'} onClick={() => setAction(a)}>
                {ACTION_LABELS[a]}
              </Button>
            ))}
          </Space>
        )}
      </Card>

      <Card size="small" title="材料">
        <MaterialsChecklist detail={detail} editable={isOpen(detail.state)} onChange={update} />
      </Card>

      <Card size="small" title="办理过程">
        {detail.events.length === 0 ? (
          <Empty />
        ) : (
          <Timeline
            data-testid="case-timeline"
            items={detail.events.map((e) => ({
              key: e.id,
              color: DANGER_ACTIONS.has(e.action as CaseAction) ? 'red' : 'blue',
              content: (
                <div>
                  <Typography.Text strong>{e.actionLabel}</Typography.Text>
                  <Typography.Text type="secondary">
                    {' '}
                    · {e.actorName}（{isActor(e.actorRole) ? ROLE_LABELS[e.actorRole] : e.actorRole}）· {e.at.slice(0, 16).replace('T', ' ')}
                  </Typography.Text>
                  {eventLines(e).map((l, i) => (
                    <div key={i} style={{ color: '#555' }}>
                      {l}
                    </div>
                  ))}
                </div>
              ),
            }))}
          />
        )}
      </Card>

      <ActionModal
        detail={detail}
        action={action}
        onClose={() => setAction(null)}
        onDone={(d) => {
          setAction(null);
          update(d);
        }}
      />
      <PrintPreview title={print?.title ?? ''} html={print?.html ?? null} open={print !== null} onClose={() => setPrint(null)} />
    </Space>
  );
}

/** The other station's state as text; a state name this build does not know is shown as sent. */
function stateLabel(state: string): string {
  return (STATE_LABELS as Record<string, string>)[state] ?? state;
}
