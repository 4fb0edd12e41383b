import { App as AntApp, Alert, Button, Card, Form, Input, Modal, Radio, Result, Select, Space, Steps, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ITEM_CATALOGUE, itemByCode, type ItemCode } from '../../../../shared/domain/items';
import type { CaseDetail, DuplicateWarning } from '../../../../shared/schemas/cases';
import type { HouseholdDetail, PersonListItem } from '../../../../shared/schemas/people';
import { call } from '../../api/client';
import { PrintPreview } from '../../print/PrintPreview';
import { ActionModal } from '../cases/ActionModal';
import { useCaseNav } from '../cases/caseNav';
import { ApplicantStep } from './ApplicantStep';
import { MaterialsChecklist } from './MaterialsChecklist';
import { installIntakeShortcut, startNewIntake, useIntakeReset } from './shortcut';

installIntakeShortcut();

const ITEM_OPTIONS = ITEM_CATALOGUE.map((i) => ({ value: i.code, label: `${i.name}（${i.shortName}）` }));

/**
 * 受理: the counter's keyboard-first wizard. 1 申请人 → 2 事项 (registers the application; a no-double-benefit
 * warning asks for a reason) → 3 材料与受理 (tick / scan, then accept, one-time notice, or 不予受理) → 4 回执.
 * F2 / Alt+N starts over from anywhere.
 */
export function IntakePage() {
  const generation = useIntakeReset((s) => s.generation);
  return <IntakeWizard key={generation} />;
}

function IntakeWizard() {
  const { message } = AntApp.useApp();
  const openCase = useCaseNav((s) => s.openCase);
  const [step, setStep] = useState(0);
  const [person, setPerson] = useState<PersonListItem | null>(null);
  const [household, setHousehold] = useState<HouseholdDetail | null>(null);
  const [itemCode, setItemCode] = useState<ItemCode | null>(null);
  const [subKind, setSubKind] = useState<string | undefined>();
  const [cause, setCause] = useState<string | undefined>();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [warning, setWarning] = useState<{ message: string; existing: DuplicateWarning['existing'] } | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [notAccept, setNotAccept] = useState(false);
  const [print, setPrint] = useState<{ title: string; html: string } | null>(null);
  const item = useMemo(() => (itemCode ? itemByCode(itemCode) : undefined), [itemCode]);

  useEffect(() => {
    // 城市/农村低保 follows the household's registration; the clerk can still change it.
    if (item?.subKinds.some((k) => k.code === household?.hukou)) setSubKind(household?.hukou);
    else setSubKind(undefined);
    setCause(undefined);
  }, [item, household]);

  const create = async (duplicateReason?: string) => {
    if (!person || !itemCode) return;
    setBusy(true);
    const r = await call('cases.create', {
      applicantId: person.id,
      itemCode,
      ...(subKind ? { subKind } : {}),
      ...(cause ? { cause } : {}),
      ...(duplicateReason ? { duplicateReason } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      if (r.code === 'NEEDS_REASON') {
        setWarning({ message: r.message, existing: (r.details as DuplicateWarning | undefined)?.existing ?? [] });
        return;
      }
      message.error(r.message);
      return;
    }
    setWarning(null);
    setDetail(r.value);
    message.success(`已登记申请，案件编号 ${r.value.caseNumber}`);
    setStep(2);
  };

  const counter = async (action: 'accept' | 'requestMaterials') => {
    if (!detail) return;
    setBusy(true);
    const r = await call('cases.act', { caseId: detail.id, action, payload: {}, expectedVersion: detail.version });
    setBusy(false);
    if (!r.ok) {
      message.error(r.message);
      return;
    }
    setDetail(r.value);
    setStep(3);
  };

  const printReceipt = async () => {
    if (!detail) return;
    const r = await call('print.receipt', { caseId: detail.id });
    if (r.ok) setPrint(r.value);
    else message.error(r.message);
  };

  const needsHousehold = item?.requiredFields.includes('householdMembers') && !household;
  return (
    <Card title="受理（F2 新受理）">
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={[{ title: '申请人' }, { title: '申请事项' }, { title: '材料与受理' }, { title: '受理回执' }]}
      />

      {step === 0 && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <ApplicantStep
            person={person}
            household={household}
            onChoose={(p, h) => {
              setPerson(p);
              setHousehold(h);
            }}
          />
          <Button type="primary" disabled={!person} onClick={() => setStep(1)} data-testid="intake-next">
            下一步
          </Button>
        </Space>
      )}

      {step === 1 && person && (
        <Form layout="vertical" style={{ maxWidth: 640 }} onFinish={() => void create()} aria-label="申请事项">
          <Typography.Paragraph>
            申请人：{person.name}（{person.idNumberMasked}）{household ? ` · ${household.village} · ${household.members.length} 人户` : ''}
          </Typography.Paragraph>
          <Form.Item label="申请事项" required>
            <Select
              autoFocus
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="选择或输入事项名称"
              options={ITEM_OPTIONS}
              value={itemCode}
              onChange={(v) => setItemCode(v)}
              aria-label="申请事项"
            />
          </Form.Item>
          {item && item.subKinds.length > 0 && (
            <Form.Item label="类别" required>
              <Radio.Group value={subKind} onChange={(e) => setSubKind(e.target.value as string)} options={item.subKinds.map((k) => ({ value: k.code, label: k.name }))} />
            </Form.Item>
          )}
          {item && item.causes.length > 0 && (
            <Form.Item label="申请事由" required>
              <Select placeholder="选择事由" value={cause} onChange={setCause} options={item.causes.map((c) => ({ value: c.code, label: c.name }))} aria-label="申请事由" />
            </Form.Item>
          )}
          {needsHousehold && <Alert type="warning" showIcon title="该事项按户申请，请先在“人员与家庭”登记申请人的家庭。" style={{ marginBottom: 16 }} />}
          <Space>
            <Button onClick={() => setStep(0)}>上一步</Button>
            <Button type="primary" htmlType="submit" loading={busy} disabled={!item || !!needsHousehold}>
              登记申请
            </Button>
          </Space>
        </Form>
      )}

      {step === 2 && detail && (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Text>
            案件编号 <Typography.Text strong data-testid="intake-case-number">{detail.caseNumber}</Typography.Text> · {detail.itemName}
            {detail.subKindName ? `（${detail.subKindName}）` : ''} · 申请人 {detail.applicantName}
          </Typography.Text>
          <MaterialsChecklist detail={detail} editable onChange={setDetail} />
          {detail.missingRequired.length > 0 ? (
            <Alert type="warning" showIcon title={`尚缺必交材料：${detail.missingRequired.join('、')}`} />
          ) : (
            <Alert type="success" showIcon title="必交材料已齐全，可以受理。" />
          )}
          <Space>
            <Button type="primary" loading={busy} disabled={detail.missingRequired.length > 0} onClick={() => void counter('accept')}>
              受理
            </Button>
            <Button loading={busy} disabled={detail.missingRequired.length === 0} onClick={() => void counter('requestMaterials')}>
              一次性告知补齐材料
            </Button>
            <Button danger onClick={() => setNotAccept(true)}>
              不予受理
            </Button>
          </Space>
          <ActionModal
            detail={detail}
            action={notAccept ? 'notAccept' : null}
            onClose={() => setNotAccept(false)}
            onDone={(d) => {
              setNotAccept(false);
              setDetail(d);
              setStep(3);
            }}
          />
        </Space>
      )}

      {step === 3 && detail && (
        <Result
          status={detail.state === 'accepted' ? 'success' : detail.state === 'notAccepted' ? 'error' : 'info'}
          title={`${detail.stateLabel}：${detail.caseNumber}`}
          subTitle={
            detail.state === 'awaitingMaterials'
              ? `已一次性告知需补齐：${((detail.snapshot as { missingMaterials?: string[] }).missingMaterials ?? []).join('、')}`
              : detail.state === 'notAccepted'
                ? `不予受理理由：${(detail.snapshot as { reason?: string }).reason ?? ''}`
                : `${detail.itemName} · ${detail.applicantName} · 办结时限 ${detail.dueDate ?? '—'}`
          }
          extra={[
            detail.state === 'accepted' && (
              <Button key="print" type="primary" autoFocus onClick={() => void printReceipt()}>
                打印受理回执
              </Button>
            ),
            <Button key="open" onClick={() => openCase(detail.id)}>
              查看案件
            </Button>,
            <Button key="new" onClick={startNewIntake}>
              新受理（F2）
            </Button>,
          ]}
        />
      )}

      <Modal
        title="可能重复救助"
        open={warning !== null}
        okText="填写原因并继续"
        cancelText="不再申请"
        okButtonProps={{ disabled: reason.trim().length < 4, loading: busy }}
        onOk={() => void create(reason.trim())}
        onCancel={() => setWarning(null)}
        destroyOnHidden
      >
        <Alert type="warning" showIcon title={warning?.message} data-testid="duplicate-warning" style={{ marginBottom: 12 }} />
        <Input.TextArea autoFocus rows={3} maxLength={500} placeholder="请写明仍需继续申请的原因（至少 4 个字）" value={reason} onChange={(e) => setReason(e.target.value)} aria-label="继续申请的原因" />
      </Modal>
      <PrintPreview title={print?.title ?? ''} html={print?.html ?? null} open={print !== null} onClose={() => setPrint(null)} />
    </Card>
  );
}
