import { Col, Form, Input, Row, Select } from 'antd';
import { PERSON_NAME_RE } from '../../../../shared/schemas/people';
import { DISABILITY_OPTIONS, GRADE_OPTIONS, HEALTH_OPTIONS, HUKOU_OPTIONS, WORK_ABILITY_OPTIONS } from './labels';

/**
 * The person fields of a form (name, phone, hukou, disability, work ability, health). The ID number is asked for
 * first, elsewhere, so that an existing person is offered before anyone types a name.
 */
export function PersonFields({ autoFocusName = true }: { autoFocusName?: boolean }) {
  return (
    <>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item
            label="姓名"
            name="name"
            rules={[
              { required: true, message: '请输入姓名' },
              { pattern: PERSON_NAME_RE, message: '姓名只能包含汉字（少数民族姓名可用间隔号“·”）' },
              { min: 2, message: '姓名至少 2 个汉字' },
            ]}
          >
            <Input autoFocus={autoFocusName} maxLength={30} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            label="联系电话"
            name="phone"
            rules={[
              { pattern: /^(1\d{10}|0\d{2,3}-?\d{7,8})$/, message: '联系电话应为 11 位手机号或带区号的固定电话' },
            ]}
          >
            <Input maxLength={13} inputMode="tel" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item label="户籍类别" name="hukou" rules={[{ required: true, message: '请选择户籍类别' }]}>
            <Select options={HUKOU_OPTIONS} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label="劳动能力" name="workAbility" rules={[{ required: true, message: '请选择劳动能力' }]}>
            <Select options={WORK_ABILITY_OPTIONS} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item label="残疾类别" name="disabilityCategory">
            <Select options={DISABILITY_OPTIONS} allowClear placeholder="无残疾可不选" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            label="残疾等级"
            name="disabilityGrade"
            dependencies={['disabilityCategory']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  getFieldValue('disabilityCategory') && !value
                    ? Promise.reject(new Error('已选择残疾类别，请选择残疾等级'))
                    : Promise.resolve(),
              }),
            ]}
          >
            <Select options={GRADE_OPTIONS} allowClear placeholder="一至四级" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item label="健康状况" name="health" rules={[{ required: true, message: '请选择健康状况' }]}>
            <Select options={HEALTH_OPTIONS} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label="健康情况说明" name="healthNote">
            <Input maxLength={200} placeholder="如：高血压，长期服药" />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

export interface PersonFormValues {
  name: string;
  phone?: string;
  hukou: 'urban' | 'rural';
  workAbility: string;
  health: string;
  disabilityCategory?: string | null;
  disabilityGrade?: number | null;
  healthNote?: string;
}

/** Form values → the savePerson payload (empty optional fields become null). */
export function personPayload(idNumber: string, v: PersonFormValues) {
  return {
    idNumber,
    name: v.name,
    phone: v.phone || null,
    hukou: v.hukou,
    workAbility: v.workAbility as 'full',
    health: v.health as 'healthy',
    disabilityCategory: (v.disabilityCategory || null) as 'physical' | null,
    disabilityGrade: v.disabilityGrade ?? null,
    healthNote: v.healthNote || null,
  };
}
