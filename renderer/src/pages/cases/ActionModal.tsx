import { App as AntApp, Form, Input, Modal, Select } from 'antd';
import { useMemo, useState } from 'react';
import { ACTION_LABELS, type CaseAction } from '../../../../shared/domain/caseMachine';
import { parseYuanToFen } from '../../../../shared/domain/income';
import type { CaseDetail } from '../../../../shared/schemas/cases';
import { call } from '../../api/client';
import { applyFieldErrors } from '../../forms';
import { ACTION_FIELDS, todayText, type FieldSpec } from './actionFields';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_RE = /^\d{4}-\d{2}$/;

function getPath(values: Record<string, unknown>, name: string): unknown {
  return name.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), values);
}
function setPath(target: Record<string, unknown>, name: string, value: unknown): void {
  const keys = name.split('.');
  let o = target;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys.at(-1)!] = value;
}

/** Form values → the action's payload: yuan to fen, names split, empty optional fields left out. */
export function toPayload(fields: readonly FieldSpec[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = getPath(values, f.name);
    const text = typeof raw === 'string' ? raw.trim() : raw;
    if (text === undefined || text === null || text === '') continue;
    if (f.kind === 'money') setPath(out, f.name, parseYuanToFen(String(text)));
    else if (f.kind === 'names') setPath(out, f.name, String(text).split(/[、，,;；\s]+/).filter(Boolean));
    else setPath(out, f.name, text);
  }
  return out;
}

function rulesFor(f: FieldSpec) {
  const rules: { required?: boolean; message?: string; validator?: (_: unknown, v: unknown) => Promise<void> }[] = [];
  if (f.required) rules.push({ required: true, message: `请填写${f.label.replace(/（.*）/, '')}` });
  const check = (ok: (s: string) => boolean, message: string) =>
    rules.push({ validator: (_r, v) => (v === undefined || v === '' || ok(String(v).trim()) ? Promise.resolve() : Promise.reject(new Error(message))) });
  if (f.kind === 'money') check((s) => parseYuanToFen(s) !== undefined, '请输入金额（元），最多两位小数');
  if (f.kind === 'date') check((s) => DATE_RE.test(s), '日期格式为 年-月-日，如 2026-03-01');
  if (f.kind === 'month') check((s) => MONTH_RE.test(s), '月份格式为 年-月，如 2026-04');
  return rules;
}

/** Form.Item hands value/onChange to its child: they are passed through to the widget. */
function FieldInput({ f, autoFocus, ...rest }: { f: FieldSpec; autoFocus?: boolean }) {
  const common = { autoFocus, ...rest };
  if (f.kind === 'textarea') return <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} placeholder={f.placeholder} {...common} />;
  if (f.kind === 'select') return <Select options={f.options} placeholder="请选择" {...common} />;
  if (f.kind === 'date') return <Input placeholder="年-月-日" maxLength={10} {...common} />;
  if (f.kind === 'month') return <Input placeholder="年-月" maxLength={7} {...common} />;
  if (f.kind === 'money') return <Input inputMode="decimal" placeholder="0.00" suffix="元" {...common} />;
  return <Input placeholder={f.placeholder} maxLength={200} {...common} />;
}

/**
 * One form per action, generated from ACTION_FIELDS. Submitting sends the payload to `cases.act`; the machine in
 * the core has the last word (role, order, payload), and its message is shown as is.
 */
export function ActionModal({
  detail,
  action,
  onClose,
  onDone,
}: {
  detail: CaseDetail;
  action: CaseAction | null;
  onClose(): void;
  onDone(next: CaseDetail): void;
}) {
  const [form] = Form.useForm<Record<string, unknown>>();
  const [busy, setBusy] = useState(false);
  const { message } = AntApp.useApp();
  const fields = useMemo(() => (action ? ACTION_FIELDS[action] : []), [action]);
  const initial = useMemo(() => {
    const v: Record<string, unknown> = {};
    for (const f of fields) if (f.initial === 'today') setPath(v, f.name, todayText());
    return v;
  }, [fields]);

  const submit = async () => {
    if (!action) return;
    const values = await form.validateFields();
    setBusy(true);
    const r = await call('cases.act', { caseId: detail.id, action, payload: toPayload(fields, values), expectedVersion: detail.version });
    setBusy(false);
    if (!r.ok) {
      applyFieldErrors(form, r);
      message.error(r.message);
      return;
    }
    message.success(`已办理：${ACTION_LABELS[action]}`);
    onDone(r.value);
  };

  return (
    <Modal
      title={action ? `${ACTION_LABELS[action]} — ${detail.caseNumber}` : ''}
      open={action !== null}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="确定"
      confirmLoading={busy}
      destroyOnHidden
      width={640}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        aria-label={action ? ACTION_LABELS[action] : '办理'}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
        }}
      >
        {fields.map((f, i) => (
          <Form.Item key={f.name} name={f.name.split('.')} label={f.label} rules={rulesFor(f)}>
            <FieldInput f={f} autoFocus={i === 0} />
          </Form.Item>
        ))}
        {fields.length === 0 && <p>确认办理此操作？</p>}
      </Form>
    </Modal>
  );
}
