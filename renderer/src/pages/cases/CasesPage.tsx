import { PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Checkbox, Drawer, Input, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { CASE_STATES, STATE_LABELS, type CaseState } from '../../../../shared/domain/caseMachine';
import { ITEM_CATALOGUE, type ItemCode } from '../../../../shared/domain/items';
import type { CaseSummary } from '../../../../shared/schemas/cases';
import { call } from '../../api/client';
import { PrintPreview } from '../../print/PrintPreview';
import { CaseDetailPanel, STATE_COLORS } from './CaseDetailPanel';
import { useCaseNav } from './caseNav';

const STATE_OPTIONS = CASE_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }));
const ITEM_OPTIONS = ITEM_CATALOGUE.map((i) => ({ value: i.code, label: i.name }));
const GROUP_OPTIONS = [
  { value: 'all', label: '全部案件' },
  { value: 'open', label: '办理中' },
  { value: 'active', label: '享受中' },
  { value: 'ended', label: '已结束' },
] as const;

/** 案件: every case of the station, filtered; a virtualised table (thousands of rows stay smooth) and the detail. */
export function CasesPage() {
  const { message } = AntApp.useApp();
  const { selectedId, select } = useCaseNav();
  const [state, setState] = useState<CaseState | null>(null);
  const [group, setGroup] = useState<(typeof GROUP_OPTIONS)[number]['value']>('all');
  const [itemCode, setItemCode] = useState<ItemCode | null>(null);
  const [overdue, setOverdue] = useState(false);
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<CaseSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [print, setPrint] = useState<{ title: string; html: string } | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    const r = await call('cases.list', { state, group, itemCode, overdue, query, limit: 5000 });
    setLoading(false);
    if (!r.ok) {
      message.error(r.message);
      return;
    }
    setRows(r.value.items);
    setTotal(r.value.total);
  }, [state, group, itemCode, overdue, query, message]);
  useEffect(() => {
    void load();
  }, [load]);

  /** 公示名单 of every case now in public notice (masked ID numbers, minors left out by the core). */
  const printNotice = async () => {
    const r = await call('print.noticeList', {});
    if (!r.ok) {
      message.error(r.message);
      return;
    }
    if (r.value.minorsOmitted > 0) message.info(`依规未公示未成年人 ${r.value.minorsOmitted} 件`);
    setPrint(r.value);
  };

  return (
    <Card
      title={`案件（共 ${total} 件）`}
      extra={
        <Space>
          <Button icon={<PrinterOutlined />} onClick={() => void printNotice()}>
            打印公示名单
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            刷新
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }} aria-label="案件筛选">
        <Input.Search
          allowClear
          placeholder="案件编号（可输入尾号）或申请人姓名"
          style={{ width: 300 }}
          onSearch={(v) => setQuery(v.trim())}
          aria-label="查找案件"
        />
        <Select style={{ width: 120 }} value={group} options={[...GROUP_OPTIONS]} onChange={setGroup} aria-label="案件范围" />
        <Select allowClear placeholder="状态" style={{ width: 200 }} value={state} options={STATE_OPTIONS} onChange={(v) => setState(v ?? null)} aria-label="状态" />
        <Select allowClear placeholder="救助事项" style={{ width: 220 }} value={itemCode} options={ITEM_OPTIONS} onChange={(v) => setItemCode(v ?? null)} aria-label="救助事项" />
        <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)}>
          只看已超期
        </Checkbox>
      </Space>
      <Table<CaseSummary>
        virtual
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1100, y: 520 }}
        onRow={(r) => ({ onClick: () => select(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '案件编号', dataIndex: 'caseNumber', width: 200 },
          { title: '申请人', dataIndex: 'applicantName', width: 100 },
          { title: '身份证号', dataIndex: 'applicantIdMasked', width: 190 },
          { title: '事项', dataIndex: 'itemName', width: 180, render: (v: string, r) => (r.subKindName ? `${v}（${r.subKindName}）` : v) },
          {
            title: '状态',
            dataIndex: 'stateLabel',
            width: 170,
            render: (v: string, r) => <Tag color={STATE_COLORS[r.state]}>{v}</Tag>,
          },
          { title: '村（社区）', dataIndex: 'village', width: 110 },
          {
            title: '办结时限',
            dataIndex: 'dueDate',
            width: 150,
            render: (v: string | null, r) => (
              <Space>
                {v ?? '—'}
                {r.overdue && <Tag color="red">超期</Tag>}
              </Space>
            ),
          },
        ]}
      />
      <Drawer
        open={selectedId !== null}
        onClose={() => {
          select(null);
          void load();
        }}
        size={760}
        title="案件详情"
        destroyOnHidden
      >
        {selectedId && <CaseDetailPanel caseId={selectedId} />}
      </Drawer>
      <PrintPreview title={print?.title ?? ''} html={print?.html ?? null} open={print !== null} onClose={() => setPrint(null)} />
    </Card>
  );
}
