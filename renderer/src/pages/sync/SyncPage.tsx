import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, Progress, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import type { SyncIssue, SyncStatus, CountyEffectSchema } from '../../../../shared/ipc/calls/sync';
import type { StationEventPayload } from '../../../../shared/ipc/events';
import { call, onStationEvent } from '../../api/client';
import { applyFieldErrors } from '../../forms';
import { useStaff } from '../../stores/session';
import { useStatus } from '../../stores/status';
import { IssueDrawer } from './IssueDrawer';

type CountyEffect = z.infer<typeof CountyEffectSchema>;

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '从未');
const CONNECTION: Record<SyncStatus['connection'], [string, string]> = {
  online: ['green', '已连接'],
  offline: ['red', '无法连接'],
  unknown: ['default', '未知'],
};
const PHASE: Record<string, string> = {
  idle: '空闲',
  push: '上传本站变更',
  pull: '下载县级数据',
  attachments: '上传扫描件',
  done: '同步完成',
  error: '同步失败',
};

function EnrolForm({ status, onDone }: { status: SyncStatus; onDone: () => void }) {
  const [form] = Form.useForm<{ countyUrl: string; code: string }>();
  const [busy, setBusy] = useState(false);
  const { message } = AntApp.useApp();
  const staff = useStaff();
  useEffect(() => {
    form.setFieldsValue({ countyUrl: status.enrolment?.countyUrl ?? status.defaultCountyUrl ?? '' });
  }, [form, status.enrolment?.countyUrl, status.defaultCountyUrl]);
  if (staff?.role !== 'admin') return <Alert type="info" showIcon title="本工作站尚未向县级服务器注册，请系统管理员登录后注册。" />;
  const onFinish = async (v: { countyUrl: string; code: string }) => {
    setBusy(true);
    const r = await call('sync.enrol', v);
    setBusy(false);
    if (r.ok) {
      message.success('注册成功，已开始同步');
      form.resetFields(['code']);
      onDone();
    } else {
      applyFieldErrors(form, r);
      message.error(r.message);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={onFinish} aria-label="向县级服务器注册" style={{ maxWidth: 520 }}>
      <Form.Item label="县级服务器地址" name="countyUrl" rules={[{ required: true, message: '请填写县级服务器地址' }]}>
        <Input placeholder="https://sync.example-county.gov.cn" />
      </Form.Item>
      <Form.Item
        label="一次性注册码"
        name="code"
        extra="由县民政局在县级平台创建本站时发放，72 小时内有效，只能使用一次。"
        rules={[{ required: true, message: '请填写一次性注册码' }]}
      >
        <Input placeholder="XXXX-XXXX-XXXX-XXXX" autoComplete="off" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        注册
      </Button>
    </Form>
  );
}

export function SyncPage() {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [issues, setIssues] = useState<SyncIssue[]>([]);
  const [effects, setEffects] = useState<CountyEffect[]>([]);
  const [progress, setProgress] = useState<StationEventPayload<'sync.progress'> | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const [showResolved, setShowResolved] = useState(false);
  const { message } = AntApp.useApp();
  const refreshBar = useStatus((s) => s.refresh);
  const staff = useStaff();

  const refresh = useCallback(async () => {
    const [s, i] = await Promise.all([call('sync.status', {}), call('sync.issues', { includeResolved: showResolved })]);
    if (s.ok) setStatus(s.value);
    if (i.ok) {
      setIssues(i.value.issues);
      setEffects(i.value.countyEffects);
    }
  }, [showResolved]);

  useEffect(() => {
    void refresh();
    const offStatus = onStationEvent('status.changed', () => void refresh());
    const offProgress = onStationEvent('sync.progress', (p) => setProgress(p as StationEventPayload<'sync.progress'>));
    const timer = setInterval(() => void refresh(), 15_000);
    return () => {
      offStatus();
      offProgress();
      clearInterval(timer);
    };
  }, [refresh]);

  const syncNow = async () => {
    setSyncing(true);
    const r = await call('sync.now', {});
    setSyncing(false);
    if (!r.ok) message.error(r.message);
    else if (r.value.skipped === 'notEnrolled') message.warning('尚未向县级服务器注册');
    else if (r.value.skipped === 'revoked') message.error('工作站凭据已被吊销，请重新注册');
    else if (r.value.ok) message.success(`同步完成：上传 ${r.value.pushed} 条，下载 ${r.value.pulled} 条${r.value.refused ? `，${r.value.refused} 条需处理` : ''}`);
    else message.error(r.value.error?.message ?? '同步失败');
    void refresh();
    void refreshBar();
  };

  if (!status) return <Card loading title="同步" />;
  const e = status.enrolment;
  const [color, label] = CONNECTION[status.connection];
  const p = progress ?? status.progress;
  const percent = p.total > 0 ? Math.round((p.done / p.total) * 100) : p.phase === 'done' ? 100 : 0;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="与县级服务器同步" extra={e && !e.revoked ? <Button type="primary" onClick={syncNow} loading={syncing || status.running}>立即同步</Button> : null}>
        {e?.revoked ? <Alert type="error" showIcon style={{ marginBottom: 12 }} title="工作站凭据无效或已被吊销，请联系县民政局重新注册。" /> : null}
        {status.lastError && !e?.revoked ? (
          <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={`最近一次同步未成功：${status.lastError.message}`} />
        ) : null}
        {e ? (
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label="连接状态">
              <Tag color={color} data-testid="sync-connection">{label}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label="最近成功同步">
              <span data-testid="sync-last-success">{when(status.lastSuccessAt)}</span>
            </Descriptions.Item>
            <Descriptions.Item label="待同步变更">
              <span data-testid="sync-pending">{status.pending}</span> 条
            </Descriptions.Item>
            <Descriptions.Item label="待上传扫描件">{status.uploadsPending} 个</Descriptions.Item>
            <Descriptions.Item label="县级服务器">{e.countyUrl}</Descriptions.Item>
            <Descriptions.Item label="注册站点">
              {e.stationCode}（{e.township}）
            </Descriptions.Item>
            <Descriptions.Item label="下次自动同步">{status.nextRunAt ? when(status.nextRunAt) : '—'}</Descriptions.Item>
            <Descriptions.Item label="注册时间">{when(e.enrolledAt)}</Descriptions.Item>
          </Descriptions>
        ) : null}
        {e ? (
          <div style={{ marginTop: 16 }} aria-label="同步进度">
            <Typography.Text type="secondary">
              {PHASE[p.phase] ?? p.phase}
              {p.total > 0 ? `：${p.done} / ${p.total}` : ''}
            </Typography.Text>
            <Progress percent={percent} status={p.phase === 'error' ? 'exception' : p.phase === 'done' ? 'success' : 'active'} />
          </div>
        ) : null}
        {!e || e.revoked ? <div style={{ marginTop: 16 }}><EnrolForm status={status} onDone={() => void refresh()} /></div> : null}
      </Card>

      <Card
        title={`需要处理的同步问题（${status.openIssues}）`}
        extra={<Button size="small" onClick={() => setShowResolved((v) => !v)}>{showResolved ? '只看未处理' : '显示已处理'}</Button>}
      >
        <Table<SyncIssue>
          rowKey="mutationId"
          size="small"
          dataSource={issues}
          pagination={{ pageSize: 20 }}
          locale={{ emptyText: '没有需要处理的问题' }}
          columns={[
            { title: '编号', dataIndex: 'mutationId', width: 80 },
            { title: '内容', dataIndex: 'label', width: 120 },
            {
              title: '类型',
              dataIndex: 'status',
              width: 110,
              render: (s: SyncIssue['status']) => (s === 'conflict' ? <Tag color="orange">与县级冲突</Tag> : <Tag color="red">县级拒绝</Tag>),
            },
            { title: '原因', dataIndex: 'message' },
            { title: '收到时间', dataIndex: 'receivedAt', width: 170, render: (v: string) => when(v) },
            {
              title: '处理',
              width: 160,
              render: (_: unknown, i: SyncIssue) =>
                i.resolution ? (
                  <span>
                    {{ discarded: '已放弃', retried: '已重试', keptCounty: '以县级为准', resubmitted: '已重新提交' }[i.resolution]}（{i.resolvedBy}）
                  </span>
                ) : staff && staff.role !== 'clerk' ? (
                  <Button size="small" onClick={() => setOpen(i.mutationId)}>
                    查看并处理
                  </Button>
                ) : (
                  <Typography.Text type="secondary">待审核人处理</Typography.Text>
                ),
            },
          ]}
        />
      </Card>

      {effects.length > 0 ? (
        <Card title={`待应用的县级决定（${effects.length}）`}>
          <Table<CountyEffect>
            rowKey={(r) => `${r.caseId}/${r.effect}`}
            size="small"
            dataSource={effects}
            pagination={false}
            columns={[
              { title: '案件编号', dataIndex: 'caseNumber', width: 200 },
              { title: '内容', dataIndex: 'effect', width: 120, render: (v: string) => (v.startsWith('decision') ? '县级审批决定' : '经济状况核对结果') },
              { title: '暂未应用的原因', dataIndex: 'note' },
            ]}
          />
        </Card>
      ) : null}
      <IssueDrawer mutationId={open} onClose={() => setOpen(null)} onResolved={() => void refresh()} />
    </Space>
  );
}
