import { Alert, App as AntApp, Button, Descriptions, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { HouseholdDetail, PersonListItem } from '../../../../shared/schemas/people';
import { call } from '../../api/client';
import { useNav } from '../../stores/nav';
import { disabilityLabel, hukouLabel, relationLabel } from '../people/labels';

/**
 * Step 1: find the applicant (search before create: a person is never entered twice). Keyboard: type, ↓/↑ to move,
 * Enter to choose. The household is loaded with the person, so the clerk sees who lives with them.
 */
export function ApplicantStep({
  person,
  household,
  onChoose,
}: {
  person: PersonListItem | null;
  household: HouseholdDetail | null;
  onChoose(p: PersonListItem, h: HouseholdDetail | null): void;
}) {
  const { message } = AntApp.useApp();
  const go = useNav((s) => s.go);
  const input = useRef<InputRef>(null);
  const [items, setItems] = useState<PersonListItem[] | null>(null);
  const [active, setActive] = useState(0);
  const [searching, setSearching] = useState(false);

  useEffect(() => input.current?.focus(), []);

  const search = async (q: string) => {
    if (!q.trim()) return;
    setSearching(true);
    const r = await call('people.search', { query: q.trim(), pageSize: 20 });
    setSearching(false);
    if (!r.ok) {
      message.error(r.message);
      return;
    }
    setItems(r.value.items);
    setActive(0);
  };
  const choose = async (p: PersonListItem | undefined) => {
    if (!p) return;
    let h: HouseholdDetail | null = null;
    if (p.householdId) {
      const r = await call('people.getHousehold', { id: p.householdId });
      if (r.ok) h = r.value;
      else message.error(r.message);
    }
    onChoose(p, h);
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Input.Search
        ref={input}
        placeholder="输入姓名、拼音首字母（如 zsf）或身份证号片段，回车查找"
        enterButton="查找"
        loading={searching}
        aria-label="查找申请人"
        onSearch={(v) => void search(v)}
        onKeyDown={(e) => {
          if (!items?.length) return;
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, items.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter' && e.ctrlKey) {
            e.preventDefault();
            void choose(items[active]);
          }
        }}
      />
      {items !== null &&
        (items.length === 0 ? (
          <Empty description="没有找到此人">
            <Button onClick={() => go('people')}>到“人员与家庭”登记新人员</Button>
          </Empty>
        ) : (
          <Table<PersonListItem>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={items}
            rowClassName={(_r, i) => (i === active ? 'ant-table-row-selected' : '')}
            onRow={(r, i) => ({ onClick: () => setActive(i ?? 0), onDoubleClick: () => void choose(r) })}
            columns={[
              { title: '姓名', dataIndex: 'name' },
              { title: '身份证号', dataIndex: 'idNumberMasked' },
              { title: '年龄', dataIndex: 'age' },
              { title: '户籍', dataIndex: 'hukou', render: (v: string) => hukouLabel(v) },
              { title: '村（社区）', dataIndex: 'village', render: (v: string | null) => v ?? '未登记家庭' },
              {
                title: '',
                key: 'choose',
                render: (_v, r) => (
                  <Button size="small" type="primary" onClick={() => void choose(r)}>
                    选择
                  </Button>
                ),
              },
            ]}
          />
        ))}
      {items !== null && items.length > 0 && <Typography.Text type="secondary">↓/↑ 选择，Ctrl+Enter 确定；或点“选择”。</Typography.Text>}
      {person && (
        <Descriptions size="small" bordered column={2} title="已选申请人" data-testid="chosen-applicant">
          <Descriptions.Item label="姓名">{person.name}</Descriptions.Item>
          <Descriptions.Item label="身份证号">{person.idNumberMasked}</Descriptions.Item>
          <Descriptions.Item label="家庭" span={2}>
            {household ? (
              <Space wrap>
                {household.village} · {household.address} · {household.members.length} 人
                {household.members.map((m) => (
                  <Tag key={m.id}>
                    {m.name}（{relationLabel(m.relation)}
                    {m.disabilityCategory ? `，${disabilityLabel(m.disabilityCategory, m.disabilityGrade)}` : ''}）
                  </Tag>
                ))}
              </Space>
            ) : (
              <Alert type="warning" showIcon title="尚未登记家庭：低保等按户申请的事项需要先登记家庭。" />
            )}
          </Descriptions.Item>
          {household && (
            <Descriptions.Item label="收入" span={2}>
              {household.income.message ?? ''}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
    </Space>
  );
}
