import { App as AntApp, Button, Card, Form, Input } from 'antd';
import { useEffect, useState } from 'react';
import type { StationSettings } from '../../../shared/ipc/calls/system';
import { call } from '../api/client';
import { applyFieldErrors } from '../forms';
import { useStatus } from '../stores/status';

export function SettingsPage() {
  const [form] = Form.useForm<StationSettings>();
  const [saving, setSaving] = useState(false);
  const { message } = AntApp.useApp();
  const refreshStatus = useStatus((s) => s.refresh);

  useEffect(() => {
    void call('settings.get', {}).then((r) => {
      if (r.ok && r.value) form.setFieldsValue(r.value);
    });
  }, [form]);

  const onFinish = async (values: StationSettings) => {
    setSaving(true);
    const r = await call('settings.save', values);
    setSaving(false);
    if (r.ok) {
      message.success('站点设置已保存');
      void refreshStatus();
    } else {
      applyFieldErrors(form, r);
      message.error(r.message);
    }
  };

  return (
    <Card title="站点设置" style={{ maxWidth: 640 }}>
      <Form form={form} layout="vertical" onFinish={onFinish} aria-label="站点设置">
        <Form.Item
          label="乡镇名称"
          name="townshipName"
          rules={[{ required: true, message: '请输入乡镇名称' }]}
        >
          <Input placeholder="例如：城关镇" autoFocus maxLength={40} />
        </Form.Item>
        <Form.Item
          label="站点编码"
          name="stationCode"
          rules={[
            { required: true, message: '请输入站点编码' },
            { pattern: /^[0-9]{6,12}$/, message: '站点编码为 6 至 12 位数字（前 6 位为行政区划代码）' },
          ]}
        >
          <Input placeholder="例如：430102001" maxLength={12} inputMode="numeric" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>
          保存
        </Button>
      </Form>
    </Card>
  );
}
