import {
  Alert,
  App as AntApp,
  AutoComplete,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  type AutoCompleteProps,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { HouseholdDetail, IncomeCheck, MemberDetail, Relation } from '../../../../shared/schemas/people';
import type { IncomeKind } from '../../../../shared/domain/income';
import { call } from '../../api/client';
import { applyFieldErrors } from '../../forms';
import { disabilityLabel, HUKOU_OPTIONS, INCOME_KIND_OPTIONS, RELATION_OPTIONS, sexLabel } from './labels';
import { MemberModal, type ChosenMember } from './MemberModal';

type Member = Pick<
  MemberDetail,
  'id' | 'name' | 'idNumberMasked' | 'sex' | 'age' | 'disabilityCategory' | 'disabilityGrade'
> & {
  relation: Relation;
};

interface FormValues {
  hukou: 'urban' | 'rural';
  village: string;
  address: string;
  incomeItems?: { kind: IncomeKind; personId?: string | null; monthlyYuan: number; note?: string }[];
  depositsYuan?: number;
  vehicles?: { description: string; valueYuan: number }[];
  housing?: { description: string; areaSqm: number }[];
}

const toFen = (yuan: number | null | undefined) => Math.round((yuan ?? 0) * 100);
const toYuan = (fen: number) => fen / 100;

interface Props {
  /** Edit this household; omitted = register a new one. */
  householdId?: string;
  onSaved(detail: HouseholdDetail): void;
  onCancel?(): void;
}

/**
 * Register or edit a household: head and members (added by ID number, relation to the head), urban/rural, village,
 * address, income items (yuan on screen, fen in the store), assets, and the per-capita income against the standard.
 * Exported for the intake page, which registers the applicant's household with it.
 */
export function HouseholdEditor({ householdId, onSaved, onCancel }: Props) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FormValues>();
  const [members, setMembers] = useState<Member[]>([]);
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [adding, setAdding] = useState(false);
  const [villages, setVillages] = useState<{ village: string; official: boolean }[]>([]);
  const [hint, setHint] = useState<IncomeCheck | null>(null);
  const [saving, setSaving] = useState(false);
  const [membersError, setMembersError] = useState<string | null>(null);
  const hukou = Form.useWatch('hukou', form) ?? 'rural';
  const incomeItems = Form.useWatch('incomeItems', form);

  useEffect(() => {
    void call('people.villages', {}).then((r) => r.ok && setVillages(r.value));
  }, []);

  useEffect(() => {
    if (!householdId) return;
    void call('people.getHousehold', { id: householdId }).then((r) => {
      if (!r.ok) {
        message.error(r.message);
        return;
      }
      const h = r.value;
      setVersion(h.version);
      setMembers(h.members.map((m) => ({ ...m, relation: m.relation as Relation })));
      form.setFieldsValue({
        hukou: h.hukou,
        village: h.village,
        address: h.address,
        incomeItems: h.incomeItems.map((i) => ({
          kind: i.kind,
          personId: i.personId,
          monthlyYuan: toYuan(i.monthlyFen),
          note: i.note,
        })),
        depositsYuan: toYuan(h.assets.depositsFen),
        vehicles: h.assets.vehicles.map((v) => ({ description: v.description, valueYuan: toYuan(v.valueFen) })),
        housing: h.assets.housing,
      });
    });
  }, [householdId, form, message]);

  // The per-capita hint follows the form as it is filled in (debounced; nothing is saved).
  useEffect(() => {
    const items = (incomeItems ?? [])
      .filter((i) => i && i.kind && typeof i.monthlyYuan === 'number' && i.monthlyYuan >= 0)
      .map((i) => ({ kind: i.kind, monthlyFen: toFen(i.monthlyYuan) }));
    if (members.length === 0) {
      setHint(null);
      return;
    }
    const timer = setTimeout(() => {
      void call('people.checkIncome', { hukou, memberCount: members.length, incomeItems: items }).then((r) =>
        setHint(r.ok ? r.value : null),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [incomeItems, members.length, hukou]);

  const addMember = useCallback(({ person, relation }: ChosenMember) => {
    setMembers((list) => (list.some((m) => m.id === person.id) ? list : [...list, { ...person, relation }]));
    setMembersError(null);
    setAdding(false);
  }, []);

  const memberOptions = useMemo(() => members.map((m) => ({ value: m.id, label: m.name })), [members]);

  const save = async (v: FormValues) => {
    const head = members.find((m) => m.relation === 'self');
    if (!head) {
      setMembersError('请先添加户主');
      return;
    }
    setSaving(true);
    const r = await call('people.saveHousehold', {
      ...(householdId ? { id: householdId, version } : {}),
      headId: head.id,
      hukou: v.hukou,
      village: v.village,
      address: v.address,
      members: members.map((m) => ({ personId: m.id, relation: m.relation })),
      incomeItems: (v.incomeItems ?? []).map((i) => ({
        kind: i.kind,
        personId: i.personId ?? null,
        monthlyFen: toFen(i.monthlyYuan),
        note: i.note || undefined,
      })),
      assets: {
        depositsFen: toFen(v.depositsYuan),
        vehicles: (v.vehicles ?? []).map((x) => ({ description: x.description, valueFen: toFen(x.valueYuan) })),
        housing: (v.housing ?? []).map((x) => ({ description: x.description, areaSqm: x.areaSqm ?? 0 })),
      },
    });
    setSaving(false);
    if (!r.ok) {
      applyFieldErrors(form, r);
      if (r.code !== 'INVALID_INPUT' || String(JSON.stringify(r.details)).includes('members'))
        setMembersError(r.message);
      message.error(r.message);
      return;
    }
    message.success('家庭信息已保存');
    setVersion(r.value.version);
    onSaved(r.value);
  };

  return (
    <>
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{ hukou: 'rural', depositsYuan: 0 }}
        aria-label="家庭登记"
      >
        <Row gutter={16}>
          <Col span={6}>
            <Form.Item label="城乡类别" name="hukou" rules={[{ required: true, message: '请选择城乡类别' }]}>
              <Radio.Group options={HUKOU_OPTIONS} optionType="button" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              label="村（社区）"
              name="village"
              rules={[
                { required: true, message: '请输入村（社区）' },
                { min: 2, message: '村（社区）名称至少 2 个字' },
                {
                  // Only a warning: the county's list may lag behind a newly merged village; saving still works.
                  warningOnly: true,
                  validator: (_rule, value: string | undefined) =>
                    !value || !villages.some((v) => v.official) || villages.some((v) => v.official && v.village === value.trim())
                      ? Promise.resolve()
                      : Promise.reject(new Error('不在县级下发的村（社区）名录中，请核对名称')),
                },
              ]}
            >
              <AutoComplete
                options={villageOptions(villages)}
                filterOption={(input, o) => String((o as { value?: unknown } | undefined)?.value ?? '').includes(input)}
              >
                <Input maxLength={30} placeholder="如：红星村" />
              </AutoComplete>
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item
              label="家庭住址"
              name="address"
              rules={[
                { required: true, message: '请输入家庭住址' },
                { min: 2, message: '请输入家庭住址' },
              ]}
            >
              <Input maxLength={100} placeholder="如：红星村三组 12 号" />
            </Form.Item>
          </Col>
        </Row>

        <Card
          size="small"
          title={`家庭成员（${members.length} 人）`}
          extra={
            <Button onClick={() => setAdding(true)} type={members.length === 0 ? 'primary' : 'default'}>
              {members.length === 0 ? '添加户主' : '添加成员'}
            </Button>
          }
        >
          {membersError ? <Alert type="error" showIcon title={membersError} style={{ marginBottom: 8 }} /> : null}
          <Table<Member>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={members}
            locale={{ emptyText: '尚未添加成员：请先添加户主（按身份证号查找或登记）' }}
            columns={[
              { title: '姓名', dataIndex: 'name' },
              { title: '身份证号', dataIndex: 'idNumberMasked' },
              { title: '性别', dataIndex: 'sex', render: (s: string) => sexLabel(s) },
              { title: '年龄', dataIndex: 'age' },
              {
                title: '残疾',
                render: (_, m) =>
                  m.disabilityCategory ? (
                    <Tag color="orange">{disabilityLabel(m.disabilityCategory, m.disabilityGrade)}</Tag>
                  ) : (
                    '无'
                  ),
              },
              {
                title: '与户主关系',
                dataIndex: 'relation',
                render: (rel: Relation, m) =>
                  rel === 'self' ? (
                    <Tag color="blue">户主本人</Tag>
                  ) : (
                    <Select
                      size="small"
                      style={{ width: 160 }}
                      value={rel}
                      aria-label={`${m.name}与户主关系`}
                      options={RELATION_OPTIONS.filter((o) => o.value !== 'self')}
                      onChange={(value) =>
                        setMembers((list) => list.map((x) => (x.id === m.id ? { ...x, relation: value } : x)))
                      }
                    />
                  ),
              },
              {
                title: '',
                render: (_, m) => (
                  <Button
                    size="small"
                    type="link"
                    danger
                    onClick={() => setMembers((list) => list.filter((x) => x.id !== m.id))}
                  >
                    移出
                  </Button>
                ),
              },
            ]}
          />
        </Card>

        <Card size="small" title="家庭收入（月）" style={{ marginTop: 16 }}>
          <Form.List name="incomeItems">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline" wrap>
                    <Form.Item name={[field.name, 'kind']} rules={[{ required: true, message: '请选择收入类型' }]}>
                      <Select
                        style={{ width: 220 }}
                        options={INCOME_KIND_OPTIONS}
                        placeholder="收入类型"
                        aria-label="收入类型"
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'personId']}>
                      <Select
                        style={{ width: 140 }}
                        options={memberOptions}
                        placeholder="所属成员"
                        allowClear
                        aria-label="所属成员"
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'monthlyYuan']}
                      rules={[{ required: true, message: '请输入月收入金额' }]}
                    >
                      <InputNumber
                        min={0}
                        precision={2}
                        step={100}
                        style={{ width: 160 }}
                        suffix="元/月"
                        aria-label="月收入（元）"
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'note']}>
                      <Input
                        style={{ width: 220 }}
                        maxLength={100}
                        placeholder="说明（如：务工，按银行流水折算）"
                        aria-label="收入说明"
                      />
                    </Form.Item>
                    <Button type="link" danger onClick={() => remove(field.name)}>
                      删除
                    </Button>
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({ kind: undefined, monthlyYuan: undefined })}>
                  添加收入项
                </Button>
              </>
            )}
          </Form.List>
          {hint ? (
            <Alert
              style={{ marginTop: 12 }}
              data-testid="income-hint"
              type={hint.belowStandard ? 'warning' : 'info'}
              showIcon
              title={hint.message}
              description={`家庭月总收入 ${(hint.monthlyIncomeFen / 100).toFixed(2)} 元，共 ${hint.memberCount} 人。${hint.standard?.demo ? '当前使用的是演示标准，县级平台下发正式标准后自动替换。' : ''}`}
            />
          ) : null}
        </Card>

        <Card size="small" title="家庭财产" style={{ marginTop: 16 }}>
          <Form.Item label="存款（元）" name="depositsYuan">
            <InputNumber min={0} precision={2} style={{ width: 200 }} />
          </Form.Item>
          <Row gutter={16}>
            <Col span={12}>
              <Form.List name="vehicles">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((field) => (
                      <Space key={field.key} align="baseline">
                        <Form.Item
                          name={[field.name, 'description']}
                          rules={[{ required: true, message: '请填写车辆说明' }]}
                        >
                          <Input placeholder="车辆（如：三轮摩托车）" maxLength={60} aria-label="车辆说明" />
                        </Form.Item>
                        <Form.Item name={[field.name, 'valueYuan']} rules={[{ required: true, message: '请输入估值' }]}>
                          <InputNumber min={0} precision={2} placeholder="估值（元）" aria-label="车辆估值（元）" />
                        </Form.Item>
                        <Button type="link" danger onClick={() => remove(field.name)}>
                          删除
                        </Button>
                      </Space>
                    ))}
                    <Button type="dashed" onClick={() => add()}>
                      添加车辆
                    </Button>
                  </>
                )}
              </Form.List>
            </Col>
            <Col span={12}>
              <Form.List name="housing">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((field) => (
                      <Space key={field.key} align="baseline">
                        <Form.Item
                          name={[field.name, 'description']}
                          rules={[{ required: true, message: '请填写房屋说明' }]}
                        >
                          <Input placeholder="房屋（如：自建砖木房）" maxLength={60} aria-label="房屋说明" />
                        </Form.Item>
                        <Form.Item name={[field.name, 'areaSqm']} rules={[{ required: true, message: '请输入面积' }]}>
                          <InputNumber min={0} max={10000} placeholder="面积（㎡）" aria-label="房屋面积（平方米）" />
                        </Form.Item>
                        <Button type="link" danger onClick={() => remove(field.name)}>
                          删除
                        </Button>
                      </Space>
                    ))}
                    <Button type="dashed" onClick={() => add()}>
                      添加房屋
                    </Button>
                  </>
                )}
              </Form.List>
            </Col>
          </Row>
        </Card>

        <Space style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={saving}>
            保存家庭
          </Button>
          {onCancel ? <Button onClick={onCancel}>取消</Button> : null}
        </Space>
      </Form>
      <MemberModal
        open={adding}
        isHead={!members.some((m) => m.relation === 'self')}
        hukou={hukou}
        householdId={householdId}
        onChosen={addMember}
        onClose={() => setAdding(false)}
      />
    </>
  );
}

/** County-published names first (the official spelling), then names only this station has used. */
function villageOptions(villages: { village: string; official: boolean }[]): AutoCompleteProps['options'] {
  const official = villages.filter((v) => v.official).map((v) => ({ value: v.village }));
  const local = villages.filter((v) => !v.official).map((v) => ({ value: v.village }));
  if (official.length === 0) return local;
  return [
    { label: '县级名录', options: official },
    ...(local.length ? [{ label: '本站已登记（不在名录中）', options: local }] : []),
  ];
}
