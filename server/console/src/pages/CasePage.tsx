import { Alert, App, Button, Card, Descriptions, Empty, Form, Image, Input, Radio, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ECONOMIC_CHECK_FINDING_LABELS, FIVE_CLEAR_LABELS, REVIEW_OUTCOME_LABELS, type FiveClear, type ReviewOutcome } from '../../../../shared/domain/caseMachine';
import { INCOME_KIND_LABELS, parseYuanToFen, type IncomeKind } from '../../../../shared/domain/income';
import { itemByCode } from '../../../../shared/domain/items';
import { HUKOU_LABELS, RELATION_LABELS } from '../../../../shared/schemas/people';
import { can, type CaseDossier, type CountyRole, type DossierPerson } from '../../../services/console/model';
import { api, errorText } from '../api';
import { navigate } from '../App';
import { actionLabel, dateTime, itemName, stateLabel, yuan } from '../labels';

const label = <T extends Record<string, string>>(labels: T, key: string | null | undefined) => (key && key in labels ? labels[key as keyof T] : (key ?? '—'));

function nextMonth(): string {
  const d = new Date();
  const m = new Date(d.getFullYear(), d.getMonth() + 1, 1);
  return `${m.getFullYear()}-${String(m.getMonth() + 1).padStart(2, '0')}`;
}

/** What a procedure event recorded, in the officer's words (home visit, democratic review, public notice …). */
function EventDetail({ action, payload, materialName }: { action: string; payload: Record<string, unknown>; materialName: (key: string) => string }) {
  const text = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? v.join('、') : v === undefined ? '' : JSON.stringify(v));
  // The application itself is shown above (事项、申请人); its creation event repeats it in codes.
  if (action === 'create') return null;
  if (action === 'recordHomeVisit') {
    const clears = (payload.fiveClears ?? {}) as Record<string, unknown>;
    return (
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="调查日期">{text(payload.visitedOn)}</Descriptions.Item>
        <Descriptions.Item label="调查人员">{text(payload.investigators)}</Descriptions.Item>
        {Object.entries(clears).map(([k, v]) => (
          <Descriptions.Item key={k} label={label(FIVE_CLEAR_LABELS as Record<FiveClear, string>, k)}>
            {text(v)}
          </Descriptions.Item>
        ))}
        <Descriptions.Item label="调查结论">{text(payload.summary)}</Descriptions.Item>
      </Descriptions>
    );
  }
  if (action === 'recordDemocraticReview') {
    return (
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="评议日期">{text(payload.heldOn)}</Descriptions.Item>
        <Descriptions.Item label="评议结果">{label(REVIEW_OUTCOME_LABELS as Record<ReviewOutcome, string>, payload.outcome as string)}</Descriptions.Item>
        <Descriptions.Item label="评议情况">{text(payload.summary)}</Descriptions.Item>
      </Descriptions>
    );
  }
  const entries = Object.entries(payload).filter(([, v]) => v !== undefined && v !== null && v !== '');
  if (entries.length === 0) return null;
  const names: Record<string, string> = {
    startDate: '公示开始',
    endDate: '公示结束',
    place: '公示地点',
    summary: '情况',
    note: '备注',
    reason: '原因',
    opinion: '意见',
    finding: '核对结论',
    amountFen: '金额',
    proposedAmountFen: '拟发金额',
    materialsReceived: '已收材料',
    missing: '缺少材料',
    paymentStartMonth: '发放起始月份',
  };
  const show = (k: string, v: unknown) => {
    if (k.endsWith('Fen') && typeof v === 'number') return yuan(v);
    if (k === 'finding') return label(ECONOMIC_CHECK_FINDING_LABELS, v as string);
    if (k === 'opinion' || k === 'outcome') return label(REVIEW_OUTCOME_LABELS, v as string);
    if ((k === 'materialsReceived' || k === 'missing') && Array.isArray(v)) return v.map((x) => materialName(String(x))).join('、');
    return text(v);
  };
  return (
    <Typography.Text type="secondary">
      {entries
        .map(([k, v]) => `${names[k] ?? k}：${show(k, v)}`)
        .join('；')}
    </Typography.Text>
  );
}

function PersonTable({ people }: { people: DossierPerson[] }) {
  return (
    <Table<DossierPerson>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={people}
      columns={[
        { title: '姓名', dataIndex: 'name' },
        { title: '与户主关系', dataIndex: 'relation', render: (v: string | null) => label(RELATION_LABELS, v) },
        { title: '身份证号码', dataIndex: 'idNumber', render: (v: string | null) => <span data-testid="id-number">{v ?? '—'}</span> },
        { title: '性别', dataIndex: 'sex', render: (v: string | null) => (v === 'male' ? '男' : v === 'female' ? '女' : '—') },
        { title: '出生日期', dataIndex: 'birthDate' },
        { title: '户籍', dataIndex: 'hukou', render: (v: string | null) => label(HUKOU_LABELS, v) },
        { title: '残疾', render: (_, p) => (p.disabilityCategory ? `${p.disabilityCategory} ${p.disabilityGrade ?? ''}级` : '无') },
        { title: '联系电话', dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
      ]}
    />
  );
}

/** The full dossier of one case and, for an approver, the decision form. */
export function CasePage({ caseId, roles }: { caseId: string; roles: CountyRole[] }) {
  const { message, modal } = App.useApp();
  const [dossier, setDossier] = useState<CaseDossier | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<'approved' | 'rejected'>('approved');
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();

  const load = useCallback(() => {
    api<CaseDossier>('GET', `/cases/${caseId}`).then(setDossier, (err) => setError(errorText(err)));
  }, [caseId]);
  useEffect(load, [load]);

  const reveal = async () => {
    try {
      setDossier(await api<CaseDossier>('POST', `/cases/${caseId}/reveal`));
      message.info('已显示完整身份证号码，本次查看已记入审计日志。');
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const submit = async (v: { amountYuan?: string; paymentStartMonth?: string; reason?: string }) => {
    let body: Record<string, unknown>;
    if (outcome === 'approved') {
      const amountFen = parseYuanToFen(v.amountYuan ?? '');
      if (amountFen === undefined || amountFen <= 0) {
        form.setFields([{ name: 'amountYuan', errors: ['请输入大于 0 的金额（元，最多两位小数）'] }]);
        return;
      }
      body = { outcome, amountFen, paymentStartMonth: v.paymentStartMonth };
    } else {
      body = { outcome, reason: v.reason };
    }
    const ok = await modal.confirm({
      title: outcome === 'approved' ? '确认批准' : '确认不予批准',
      content: outcome === 'approved' ? `每月 ${v.amountYuan} 元，自 ${v.paymentStartMonth} 起发放。决定将同步到乡镇工作站。` : '理由将同步到乡镇工作站并告知申请人。',
      okText: '确认',
      cancelText: '取消',
    });
    if (!ok) return;
    setBusy(true);
    try {
      await api('POST', `/cases/${caseId}/decision`, body);
      message.success('审批决定已保存，工作站下次同步时收到。');
      load();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (error) return <Alert type="error" title={error} showIcon action={<Button onClick={() => navigate('inbox')}>返回</Button>} />;
  if (!dossier) return <Card loading />;
  const d = dossier;
  const snap = d.snapshot ?? {};
  const decision = d.county.decision;
  const people = d.members.length > 0 ? d.members : d.applicant ? [d.applicant] : [];
  const catalogueItem = d.itemCode ? itemByCode(d.itemCode) : undefined;
  const materialName = (key: string) => catalogueItem?.materials.find((m) => m.key === key)?.name ?? key;
  const revealed = people.some((p) => p.idRevealed);

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space>
        <Button onClick={() => navigate('inbox')}>← 返回列表</Button>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {itemName(d.itemCode, d.subKind)} · {d.applicant?.name ?? '申请人'}
        </Typography.Title>
        <Tag color={d.awaitingDecision ? 'orange' : 'blue'}>{stateLabel(d.stationState)}</Tag>
      </Space>
      {d.duplicates.length > 0 && (
        <Alert
          type="error"
          showIcon
          title="疑似重复救助"
          description={d.duplicates.map((o) => `${o.township}（${o.stationCode}）案件 ${o.caseNumber ?? o.caseId}：${stateLabel(o.state)}`).join('；')}
        />
      )}
      <Card title="案件信息">
        <Descriptions column={3} size="small">
          <Descriptions.Item label="案件编号">{d.caseNumber ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="受理乡镇">
            {d.township}（{d.stationCode}）
          </Descriptions.Item>
          <Descriptions.Item label="当前状态">{stateLabel(d.stationState)}</Descriptions.Item>
          <Descriptions.Item label="公示期">{snap.noticeStart ? `${String(snap.noticeStart)} 至 ${String(snap.noticeEnd ?? '')}` : '—'}</Descriptions.Item>
          <Descriptions.Item label="乡镇审核意见">{label(REVIEW_OUTCOME_LABELS, snap.townshipOpinion as string | undefined)}</Descriptions.Item>
          <Descriptions.Item label="事由">{d.cause ?? '—'}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card
        title="家庭成员"
        extra={
          can(roles, 'revealIdNumbers') && !revealed ? (
            <Button size="small" onClick={reveal}>
              显示完整身份证号码（记录审计）
            </Button>
          ) : null
        }
      >
        {people.length > 0 ? <PersonTable people={people} /> : <Empty description="工作站尚未同步人员资料" />}
      </Card>
      <Card title="家庭收入与财产">
        {d.household ? (
          <>
            <Descriptions column={3} size="small">
              <Descriptions.Item label="户籍类别">{label(HUKOU_LABELS, d.household.hukou)}</Descriptions.Item>
              <Descriptions.Item label="村（社区）">{d.household.village ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="住址">{d.household.address ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="家庭人口">{d.household.memberCount ?? '—'} 人</Descriptions.Item>
              <Descriptions.Item label="家庭月收入">{yuan(d.household.monthlyIncomeFen)}</Descriptions.Item>
              <Descriptions.Item label="月人均收入">
                <Typography.Text strong>{yuan(d.household.perCapitaFen)}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="存款">{yuan((d.household.assets?.depositsFen as number | undefined) ?? null)}</Descriptions.Item>
              <Descriptions.Item label="车辆">{Array.isArray(d.household.assets?.vehicles) ? `${(d.household.assets.vehicles as unknown[]).length} 辆` : '—'}</Descriptions.Item>
              <Descriptions.Item label="房产">{Array.isArray(d.household.assets?.housing) ? `${(d.household.assets.housing as unknown[]).length} 处` : '—'}</Descriptions.Item>
            </Descriptions>
            <Table
              size="small"
              rowKey={(_, i) => String(i)}
              pagination={false}
              dataSource={d.household.incomeItems}
              columns={[
                { title: '收入类别', dataIndex: 'kind', render: (v: string) => INCOME_KIND_LABELS[v as IncomeKind] ?? v },
                { title: '月收入', dataIndex: 'monthlyFen', render: (v: number) => yuan(v) },
                { title: '说明', dataIndex: 'note' },
              ]}
            />
          </>
        ) : (
          <Empty description="工作站尚未同步家庭资料" />
        )}
      </Card>
      <Card title="申请材料">
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          dataSource={d.materials}
          columns={[
            { title: '材料', dataIndex: 'name' },
            { title: '必需', dataIndex: 'required', render: (v: boolean) => (v ? '是' : '否') },
            { title: '已收', dataIndex: 'received', render: (v: boolean) => (v ? <Tag color="green">已收</Tag> : <Tag>未收</Tag>) },
          ]}
        />
        {d.attachments.length > 0 && (
          <Space wrap style={{ marginTop: 16 }}>
            {d.attachments.map((a) => {
              const url = `/console/api/cases/${d.caseId}/attachments/${a.sha256}`;
              if (!a.uploaded) return <Tag key={a.sha256}>{a.fileName}（上传中）</Tag>;
              return a.mime.startsWith('image/') ? (
                <Image key={a.sha256} width={140} src={url} alt={a.fileName} />
              ) : (
                <a key={a.sha256} href={url} target="_blank" rel="noreferrer">
                  {a.fileName}
                </a>
              );
            })}
          </Space>
        )}
      </Card>
      <Card title="办理过程（入户调查、民主评议、公示等）">
        <Timeline
          items={d.events.map((e) => ({
            key: e.eventId,
            content: (
              <div>
                <Typography.Text strong>{actionLabel(e.action)}</Typography.Text> <Typography.Text type="secondary">{dateTime(e.at)}</Typography.Text>
                <div>
                  <EventDetail action={e.action} payload={e.payload} materialName={materialName} />
                </div>
              </div>
            ),
          }))}
        />
      </Card>
      {d.county.economicChecks.length > 0 && (
        <Card title="经济状况核对结果">
          {d.county.economicChecks.map((c) => (
            <p key={c.id}>
              <Tag color={c.result === 'pass' ? 'green' : 'red'}>{c.result === 'pass' ? '符合' : '不符合'}</Tag>
              {c.findings}（{c.checkedBy}，{dateTime(c.checkedAt)}）
            </p>
          ))}
        </Card>
      )}
      <Card title="县级审批">
        {decision ? (
          <Alert
            data-testid="decision"
            type={decision.outcome === 'approved' ? 'success' : 'warning'}
            showIcon
            title={decision.outcome === 'approved' ? `已批准：每月 ${yuan(decision.amountFen)}，自 ${decision.paymentStartMonth} 起发放` : `不予批准：${decision.reason}`}
            description={`${decision.decidedBy}，${dateTime(decision.decidedAt)}`}
          />
        ) : !d.awaitingDecision ? (
          <Alert type="info" showIcon title="该案件尚未由乡镇报县级审批。" />
        ) : !can(roles, 'decide') ? (
          <Alert type="info" showIcon title="您的角色不能作出审批决定。" />
        ) : (
          <Form form={form} layout="vertical" onFinish={submit} initialValues={{ paymentStartMonth: nextMonth() }} style={{ maxWidth: 520 }}>
            <Form.Item label="审批结果">
              <Radio.Group value={outcome} onChange={(e) => setOutcome(e.target.value as 'approved' | 'rejected')}>
                <Radio value="approved">批准</Radio>
                <Radio value="rejected">不予批准</Radio>
              </Radio.Group>
            </Form.Item>
            {outcome === 'approved' ? (
              <>
                <Form.Item label="每月发放金额（元）" name="amountYuan" rules={[{ required: true, message: '请输入金额' }]}>
                  <Input inputMode="decimal" placeholder="例如 260.00" />
                </Form.Item>
                <Form.Item
                  label="发放起始月份"
                  name="paymentStartMonth"
                  rules={[{ required: true, message: '请输入发放起始月份' }, { pattern: /^\d{4}-(0[1-9]|1[0-2])$/, message: '格式为 YYYY-MM，例如 2025-04' }]}
                >
                  <Input placeholder="YYYY-MM" />
                </Form.Item>
              </>
            ) : (
              <Form.Item label="不予批准的理由（将告知申请人）" name="reason" rules={[{ required: true, min: 4, message: '请写明理由（至少 4 个字）' }]}>
                <Input.TextArea rows={4} />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" loading={busy} danger={outcome === 'rejected'}>
              {outcome === 'approved' ? '批准' : '不予批准'}
            </Button>
          </Form>
        )}
      </Card>
    </Space>
  );
}
