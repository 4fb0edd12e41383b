import { Alert, App as AntApp, Button, Descriptions, Drawer, Form, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { HouseholdDetail, PersonDetail } from '../../../../shared/schemas/people';
import { call } from '../../api/client';
import { applyFieldErrors } from '../../forms';
import { disabilityLabel, healthLabel, hukouLabel, relationLabel, sexLabel, workAbilityLabel } from './labels';
import { PersonFields, personPayload, type PersonFormValues } from './PersonFields';

interface Props {
  personId: string | null;
  onClose(): void;
  onEditHousehold(householdId: string): void;
  onChanged(): void;
}

/** Full record of one person (full ID number: the core audits this view) and their household. */
export function PersonDrawer({ personId, onClose, onEditHousehold, onChanged }: Props) {
  const { message } = AntApp.useApp();
  const [person, setPerson] = useState<PersonDetail | null>(null);
  const [household, setHousehold] = useState<HouseholdDetail | null>(null);
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<PersonFormValues>();

  const load = useCallback(
    async (id: string) => {
      const r = await call('people.getPerson', { id });
      if (!r.ok) {
        message.error(r.message);
        return;
      }
      setPerson(r.value);
      if (r.value.householdId) {
        const h = await call('people.getHousehold', { id: r.value.householdId });
        setHousehold(h.ok ? h.value : null);
      } else setHousehold(null);
    },
    [message],
  );

  useEffect(() => {
    setPerson(null);
    setHousehold(null);
    setEditing(false);
    if (personId) void load(personId);
  }, [personId, load]);

  const startEdit = () => {
    if (!person) return;
    form.setFieldsValue({
      name: person.name,
      phone: person.phone ?? undefined,
      hukou: person.hukou,
      workAbility: person.workAbility,
      health: person.health,
      disabilityCategory: person.disabilityCategory,
      disabilityGrade: person.disabilityGrade,
      healthNote: person.healthNote ?? undefined,
    });
    setEditing(true);
  };

  const saveEdit = async (v: PersonFormValues) => {
    if (!person) return;
    const r = await call('people.savePerson', {
      ...personPayload(person.idNumber, v),
      id: person.id,
      version: person.version,
    });
    if (!r.ok) {
      applyFieldErrors(form, r);
      message.error(r.message);
      return;
    }
    message.success('人员信息已保存');
    setEditing(false);
    setPerson(r.value);
    onChanged();
  };

  return (
    <Drawer
      title={person ? `人员详情：${person.name}` : '人员详情'}
      size="large"
      open={!!personId}
      onClose={onClose}
      destroyOnHidden
    >
      {person ? (
        editing ? (
          <Form form={form} layout="vertical" onFinish={saveEdit} aria-label="修改人员">
            <PersonFields />
            <Space>
              <Button type="primary" htmlType="submit">
                保存
              </Button>
              <Button onClick={() => setEditing(false)}>取消</Button>
            </Space>
          </Form>
        ) : (
          <>
            <Descriptions column={2} bordered size="small" data-testid="person-detail">
              <Descriptions.Item label="姓名">{person.name}</Descriptions.Item>
              <Descriptions.Item label="身份证号">{person.idNumber}</Descriptions.Item>
              <Descriptions.Item label="性别">{sexLabel(person.sex)}</Descriptions.Item>
              <Descriptions.Item label="出生日期">
                {person.birthDate}（{person.age} 岁）
              </Descriptions.Item>
              <Descriptions.Item label="联系电话">{person.phone ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="户籍类别">{hukouLabel(person.hukou)}</Descriptions.Item>
              <Descriptions.Item label="残疾情况">
                {disabilityLabel(person.disabilityCategory, person.disabilityGrade)}
              </Descriptions.Item>
              <Descriptions.Item label="劳动能力">{workAbilityLabel(person.workAbility)}</Descriptions.Item>
              <Descriptions.Item label="健康状况">
                {healthLabel(person.health)}
                {person.healthNote ? `（${person.healthNote}）` : ''}
              </Descriptions.Item>
              <Descriptions.Item label="与户主关系">
                {person.relation ? relationLabel(person.relation) : '未登记家庭'}
              </Descriptions.Item>
            </Descriptions>
            <Alert style={{ marginTop: 8 }} type="info" showIcon title="查看完整身份证号已记入审计日志。" />
            <Space style={{ marginTop: 12 }}>
              <Button onClick={startEdit}>修改人员信息</Button>
              {household ? <Button onClick={() => onEditHousehold(household.id)}>修改家庭信息</Button> : null}
            </Space>
            {household ? (
              <div style={{ marginTop: 24 }}>
                <Descriptions title="家庭" column={2} size="small" bordered>
                  <Descriptions.Item label="户主">{household.headName}</Descriptions.Item>
                  <Descriptions.Item label="城乡类别">{hukouLabel(household.hukou)}</Descriptions.Item>
                  <Descriptions.Item label="村（社区）">{household.village}</Descriptions.Item>
                  <Descriptions.Item label="住址">{household.address}</Descriptions.Item>
                  <Descriptions.Item label="家庭月收入">
                    {(household.income.monthlyIncomeFen / 100).toFixed(2)} 元
                  </Descriptions.Item>
                  <Descriptions.Item label="月人均收入">
                    {(household.income.perCapitaFen / 100).toFixed(2)} 元
                  </Descriptions.Item>
                </Descriptions>
                <Alert
                  style={{ marginTop: 8 }}
                  type={household.income.belowStandard ? 'warning' : 'info'}
                  showIcon
                  title={household.income.message}
                />
                <Table
                  style={{ marginTop: 8 }}
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={household.members}
                  columns={[
                    { title: '姓名', dataIndex: 'name' },
                    { title: '与户主关系', dataIndex: 'relation', render: (r: string) => relationLabel(r) },
                    { title: '身份证号', dataIndex: 'idNumberMasked' },
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
                  ]}
                />
              </div>
            ) : null}
          </>
        )
      ) : null}
    </Drawer>
  );
}
