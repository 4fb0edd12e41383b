import { Alert, App as AntApp, Button, Descriptions, Form, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { maskIdNumber, normaliseIdNumber, validateIdNumber } from '../../../../shared/domain/idNumber';
import type { PersonDetail, Relation } from '../../../../shared/schemas/people';
import { call } from '../../api/client';
import { applyFieldErrors } from '../../forms';
import { disabilityLabel, RELATION_OPTIONS, sexLabel } from './labels';
import { PersonFields, personPayload, type PersonFormValues } from './PersonFields';

export interface ChosenMember {
  person: PersonDetail;
  relation: Relation;
}

interface Props {
  open: boolean;
  /** The first member is the head: relation fixed to 户主本人. */
  isHead: boolean;
  hukou: 'urban' | 'rural';
  /** Household being edited (its own members are not "in another household"). */
  householdId?: string;
  onChosen(member: ChosenMember): void;
  onClose(): void;
}

/**
 * Adds a member the way the counter works: the ID number first. A registered person is offered as is (never entered
 * twice); only an unknown number leads to the registration fields.
 */
export function MemberModal({ open, isHead, hukou, householdId, onChosen, onClose }: Props) {
  const { message } = AntApp.useApp();
  const [idForm] = Form.useForm<{ idNumber: string }>();
  const [personForm] = Form.useForm<PersonFormValues & { relation: Relation }>();
  const [found, setFound] = useState<PersonDetail | null>(null);
  const [newIdNumber, setNewIdNumber] = useState<string | null>(null);
  const [relation, setRelation] = useState<Relation | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const reset = () => {
    idForm.resetFields();
    personForm.resetFields();
    setFound(null);
    setNewIdNumber(null);
    setRelation(undefined);
  };
  const close = () => {
    reset();
    onClose();
  };

  const lookUp = async ({ idNumber }: { idNumber: string }) => {
    setBusy(true);
    const r = await call('people.findByIdNumber', { idNumber });
    setBusy(false);
    if (!r.ok) {
      applyFieldErrors(idForm, r);
      idForm.setFields([{ name: 'idNumber', errors: [r.message] }]);
      return;
    }
    if (r.value) {
      setFound(r.value);
      setNewIdNumber(null);
    } else {
      setFound(null);
      setNewIdNumber(normaliseIdNumber(idNumber));
      personForm.setFieldsValue({
        hukou,
        workAbility: 'full',
        health: 'healthy',
        relation: isHead ? 'self' : undefined,
      });
    }
  };

  const chooseExisting = () => {
    const chosen = isHead ? 'self' : relation;
    if (!found || !chosen) {
      message.warning('请选择与户主关系');
      return;
    }
    onChosen({ person: found, relation: chosen });
    reset();
  };

  const registerNew = async (v: PersonFormValues & { relation: Relation }) => {
    if (!newIdNumber) return;
    setBusy(true);
    const r = await call('people.savePerson', personPayload(newIdNumber, v));
    setBusy(false);
    if (!r.ok) {
      applyFieldErrors(personForm, r);
      message.error(r.message);
      return;
    }
    message.success(`已登记：${r.value.name}`);
    onChosen({ person: r.value, relation: isHead ? 'self' : v.relation });
    reset();
  };

  const inOtherHousehold = found?.householdId && found.householdId !== householdId;

  return (
    <Modal
      title={isHead ? '添加户主' : '添加家庭成员'}
      open={open}
      onCancel={close}
      footer={null}
      width={720}
      destroyOnHidden
    >
      <Form form={idForm} layout="inline" onFinish={lookUp} aria-label="按身份证号查找">
        <Form.Item
          label="身份证号码"
          name="idNumber"
          style={{ flex: 1 }}
          rules={[
            { required: true, message: '请输入身份证号码' },
            {
              validator: (_, value: string) => {
                if (!value) return Promise.resolve();
                const r = validateIdNumber(value);
                return r.ok ? Promise.resolve() : Promise.reject(new Error(r.message));
              },
            },
          ]}
        >
          <Input
            autoFocus
            maxLength={22}
            placeholder="输入后按回车查找"
            onChange={() => (found || newIdNumber ? (setFound(null), setNewIdNumber(null)) : undefined)}
          />
        </Form.Item>
        <Button htmlType="submit" loading={busy}>
          查找
        </Button>
      </Form>

      {found ? (
        <div style={{ marginTop: 16 }}>
          <Alert type="info" showIcon title="该身份证号码已登记，请直接选用，无需重复登记。" />
          <Descriptions size="small" column={2} style={{ marginTop: 12 }} bordered>
            <Descriptions.Item label="姓名">{found.name}</Descriptions.Item>
            <Descriptions.Item label="身份证号">{maskIdNumber(found.idNumber)}</Descriptions.Item>
            <Descriptions.Item label="性别">{sexLabel(found.sex)}</Descriptions.Item>
            <Descriptions.Item label="年龄">{found.age} 岁</Descriptions.Item>
            <Descriptions.Item label="残疾情况">
              {disabilityLabel(found.disabilityCategory, found.disabilityGrade)}
            </Descriptions.Item>
            <Descriptions.Item label="所在村（社区）">{found.village ?? '未登记家庭'}</Descriptions.Item>
          </Descriptions>
          {inOtherHousehold ? (
            <Alert
              style={{ marginTop: 12 }}
              type="warning"
              showIcon
              title="此人已是另一户的成员，需先从原家庭中移除后才能加入本户。"
            />
          ) : (
            <Space style={{ marginTop: 12 }}>
              {isHead ? null : (
                <Select
                  aria-label="与户主关系"
                  placeholder="与户主关系"
                  style={{ width: 200 }}
                  value={relation}
                  onChange={setRelation}
                  options={RELATION_OPTIONS.filter((o) => o.value !== 'self')}
                />
              )}
              <Button type="primary" onClick={chooseExisting}>
                选用此人
              </Button>
            </Space>
          )}
        </div>
      ) : null}

      {newIdNumber ? (
        <div style={{ marginTop: 16 }}>
          <Alert
            type="success"
            showIcon
            title={`未找到 ${maskIdNumber(newIdNumber)}，请登记新人员（出生日期、性别将按身份证号自动识别）`}
          />
          <Form
            form={personForm}
            layout="vertical"
            onFinish={registerNew}
            style={{ marginTop: 12 }}
            aria-label="登记人员"
          >
            <PersonFields />
            {isHead ? null : (
              <Form.Item label="与户主关系" name="relation" rules={[{ required: true, message: '请选择与户主关系' }]}>
                <Select options={RELATION_OPTIONS.filter((o) => o.value !== 'self')} />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" loading={busy}>
              保存并加入
            </Button>
          </Form>
        </div>
      ) : null}
    </Modal>
  );
}
