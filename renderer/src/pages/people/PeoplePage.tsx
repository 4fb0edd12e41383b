import { App as AntApp, Button, Card, Drawer, Input, Select, Space, Table, Tag, Typography, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PersonListItem, SearchResult } from '../../../../shared/schemas/people';
import { call } from '../../api/client';
import { HouseholdEditor } from './HouseholdEditor';
import { PersonDrawer } from './PersonDrawer';
import { disabilityLabel, hukouLabel, relationLabel, sexLabel } from './labels';

const PAGE_SIZE = 100;
const MODE_LABELS: Record<SearchResult['mode'], string> = {
  all: '最近登记',
  name: '按姓名',
  pinyin: '按拼音/首字母',
  idFragment: '按身份证号片段',
  village: '按村（社区）',
};

/** Focus the search box with `/` (outside text fields) or Ctrl+K / ⌘K anywhere. */
function useSearchShortcut(ref: React.RefObject<InputRef | null>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing =
        !!target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
      if ((e.key === 'k' || e.key === 'K') && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        ref.current?.focus({ cursor: 'all' });
      } else if (e.key === '/' && !typing) {
        e.preventDefault();
        ref.current?.focus({ cursor: 'all' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ref]);
}

export function PeoplePage() {
  const { message } = AntApp.useApp();
  const searchRef = useRef<InputRef>(null);
  const [query, setQuery] = useState('');
  const [village, setVillage] = useState<string | null>(null);
  const [villages, setVillages] = useState<{ village: string; households: number }[]>([]);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [loading, setLoading] = useState(false);
  const [openPerson, setOpenPerson] = useState<string | null>(null);
  const [editor, setEditor] = useState<{ householdId?: string } | null>(null);
  useSearchShortcut(searchRef);

  const run = useCallback(
    async (q: string, v: string | null, p: number) => {
      setLoading(true);
      const r = await call('people.search', { query: q, village: v, page: p, pageSize: PAGE_SIZE });
      setLoading(false);
      if (r.ok) setResult(r.value);
      else message.warning(r.message);
    },
    [message],
  );

  const loadVillages = useCallback(() => {
    void call('people.villages', {}).then((r) => r.ok && setVillages(r.value));
  }, []);

  // Search as the clerk types (debounced); Enter searches at once.
  useEffect(() => {
    const t = setTimeout(() => void run(query, village, page), 200);
    return () => clearTimeout(t);
  }, [query, village, page, run]);
  useEffect(() => {
    loadVillages();
    searchRef.current?.focus();
  }, [loadVillages]);

  return (
    <Card
      title="人员与家庭"
      extra={
        <Button type="primary" onClick={() => setEditor({})}>
          登记家庭
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          ref={searchRef}
          allowClear
          style={{ width: 420 }}
          placeholder="姓名 / 拼音 / 首字母（如 zsf）/ 身份证号任意 4 位以上 / 村名　快捷键 / 或 Ctrl+K"
          aria-label="查找人员"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setPage(1);
          }}
          onSearch={(v) => void run(v, village, 1)}
        />
        <Select
          allowClear
          showSearch
          style={{ width: 200 }}
          placeholder="按村（社区）筛选"
          aria-label="按村（社区）筛选"
          value={village ?? undefined}
          onChange={(v) => {
            setVillage(v ?? null);
            setPage(1);
          }}
          options={villages.map((v) => ({ value: v.village, label: `${v.village}（${v.households} 户）` }))}
        />
        {result ? (
          <Typography.Text type="secondary" data-testid="search-summary">
            {MODE_LABELS[result.mode]}：
            {result.totalCapped ? `超过 ${result.total} 人，请输入更具体的条件` : `共 ${result.total} 人`}
          </Typography.Text>
        ) : null}
      </Space>
      <Table<PersonListItem>
        virtual
        rowKey="id"
        size="small"
        loading={loading}
        scroll={{ x: 960, y: 520 }}
        dataSource={result?.items ?? []}
        aria-label="查找结果"
        onRow={(r) => ({ onClick: () => setOpenPerson(r.id), style: { cursor: 'pointer' } })}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: result?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
        }}
        columns={[
          {
            title: '姓名',
            dataIndex: 'name',
            width: 120,
            render: (name: string, r) => (
              <a
                onClick={(e) => {
                  e.stopPropagation();
                  setOpenPerson(r.id);
                }}
              >
                {name}
              </a>
            ),
          },
          { title: '身份证号', dataIndex: 'idNumberMasked', width: 200 },
          { title: '性别', dataIndex: 'sex', width: 60, render: (s: string) => sexLabel(s) },
          { title: '年龄', dataIndex: 'age', width: 60 },
          { title: '户籍', dataIndex: 'hukou', width: 70, render: (h: string) => hukouLabel(h) },
          { title: '村（社区）', dataIndex: 'village', width: 140, render: (v: string | null) => v ?? '—' },
          {
            title: '与户主关系',
            dataIndex: 'relation',
            width: 120,
            render: (r: string | null) => (r ? relationLabel(r) : '未登记家庭'),
          },
          {
            title: '残疾',
            width: 140,
            render: (_, r) =>
              r.disabilityCategory ? (
                <Tag color="orange">{disabilityLabel(r.disabilityCategory, r.disabilityGrade)}</Tag>
              ) : (
                '无'
              ),
          },
        ]}
      />
      <PersonDrawer
        personId={openPerson}
        onClose={() => setOpenPerson(null)}
        onEditHousehold={(id) => {
          setOpenPerson(null);
          setEditor({ householdId: id });
        }}
        onChanged={() => void run(query, village, page)}
      />
      <Drawer
        title={editor?.householdId ? '修改家庭信息' : '登记家庭'}
        size={1100}
        open={!!editor}
        onClose={() => setEditor(null)}
        destroyOnHidden
      >
        {editor ? (
          <HouseholdEditor
            householdId={editor.householdId}
            onCancel={() => setEditor(null)}
            onSaved={(h) => {
              setEditor(null);
              loadVillages();
              void run(query, village, page);
              setOpenPerson(h.headId);
            }}
          />
        ) : null}
      </Drawer>
    </Card>
  );
}
