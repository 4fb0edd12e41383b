import { CheckOutlined, DownloadOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Checkbox, DatePicker, Drawer, Popconfirm, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { formatYuan } from '../../../../shared/domain/income';
import { ITEM_CATALOGUE, type ItemCode } from '../../../../shared/domain/items';
import type { RosterInfoDto } from '../../../../shared/ipc/calls/reports';
import { AREA_LABELS } from '../../../../shared/reports/model';
import type { CallOutput } from '../../../../shared/ipc/contract';
import { call } from '../../api/client';
import { PrintPreview } from '../../print/PrintPreview';
import { useStaff } from '../../stores/session';

const PERIODIC_ITEMS = ITEM_CATALOGUE.filter((i) => i.payment === 'periodic').map((i) => ({ value: i.code, label: i.name }));

/** 发放名册: generate the month's roster per item (with arrears), check it, confirm payment, print, export. */
export function RostersPanel({ onExport }: { onExport(roster: RosterInfoDto, fullIdNumbers: boolean): void }) {
  const { message } = AntApp.useApp();
  const staff = useStaff();
  const mayDecide = staff?.role === 'reviewer' || staff?.role === 'admin';
  const [itemCode, setItemCode] = useState<ItemCode>('dibao');
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const [rosters, setRosters] = useState<RosterInfoDto[]>([]);
  const [loading, setLoading] = useState(false);
  const [lines, setLines] = useState<CallOutput<'payments.rosterLines'> | null>(null);
  const [full, setFull] = useState(false);
  const [print, setPrint] = useState<{ title: string; html: string } | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    const r = await call('payments.rosters', { itemCode });
    setLoading(false);
    if (r.ok) setRosters(r.value);
    else message.error(r.message);
  }, [itemCode, message]);
  useEffect(() => {
    void load();
  }, [load]);

  const generate = async () => {
    const r = await call('payments.generateRoster', { itemCode, month });
    if (!r.ok) return message.error(r.message);
    message.success(`已生成 ${r.value.month} ${r.value.itemName}发放名册草稿：${r.value.rowCount} 笔，${formatYuan(r.value.totalFen)} 元`);
    void load();
  };
  const confirm = async (id: string) => {
    const r = await call('payments.confirmRoster', { rosterId: id });
    if (!r.ok) return message.error(r.message);
    message.success('已确认发放，名册计入支出统计');
    void load();
  };
  const open = async (id: string, fullIds = full) => {
    const r = await call('payments.rosterLines', { rosterId: id, fullIdNumbers: fullIds });
    if (!r.ok) return message.error(r.message);
    setLines(r.value);
  };
  const printRoster = async (id: string) => {
    const r = await call('print.paymentRoster', { rosterId: id, fullIdNumbers: full });
    if (!r.ok) return message.error(r.message);
    setPrint(r.value);
  };
  const printNotice = async () => {
    const r = await call('print.noticeList', {});
    if (!r.ok) return message.error(r.message);
    if (r.value.minorsOmitted > 0) message.info(`依规未公示未成年人 ${r.value.minorsOmitted} 件`);
    setPrint(r.value);
  };

  return (
    <Card
      title="发放名册与公示名单"
      extra={
        <Space wrap>
          <Select style={{ width: 220 }} value={itemCode} options={PERIODIC_ITEMS} onChange={setItemCode} aria-label="发放事项" data-testid="roster-item" />
          <DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} aria-label="发放月份" />
          {mayDecide && (
            <Button type="primary" onClick={generate} data-testid="roster-generate">
              生成发放名册
            </Button>
          )}
          {mayDecide && (
            <Checkbox checked={full} onChange={(e) => setFull(e.target.checked)}>
              完整身份证号码
            </Checkbox>
          )}
          <Button icon={<PrinterOutlined />} onClick={printNotice} data-testid="print-notice">
            打印公示名单
          </Button>
          <Button icon={<ReloadOutlined />} onClick={load} aria-label="刷新" />
        </Space>
      }
    >
      <Table<RosterInfoDto>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={rosters}
        data-testid="roster-table"
        pagination={{ pageSize: 12 }}
        columns={[
          { title: '月份', dataIndex: 'month', width: 90 },
          { title: '事项', dataIndex: 'itemName' },
          { title: '状态', dataIndex: 'status', width: 110, render: (s: string) => (s === 'confirmed' ? <Tag color="green">已确认发放</Tag> : <Tag color="orange">草稿</Tag>) },
          { title: '笔数', dataIndex: 'rowCount', width: 80, align: 'right' },
          { title: '合计（元）', dataIndex: 'totalFen', width: 130, align: 'right', render: (f: number) => formatYuan(f) },
          {
            title: '操作',
            width: 360,
            render: (_: unknown, r) => (
              <Space>
                <Button size="small" onClick={() => open(r.id)}>
                  明细
                </Button>
                <Button size="small" icon={<PrinterOutlined />} onClick={() => printRoster(r.id)} data-testid="roster-print">
                  打印
                </Button>
                <Button size="small" icon={<DownloadOutlined />} onClick={() => onExport(r, full)} data-testid="roster-export">
                  导出
                </Button>
                {mayDecide && r.status === 'draft' && r.rowCount > 0 && (
                  <Popconfirm title="确认本名册已发放？确认后计入支出统计且不可更改。" onConfirm={() => confirm(r.id)} okText="确认发放" cancelText="取消">
                    <Button size="small" type="primary" icon={<CheckOutlined />} data-testid="roster-confirm">
                      确认发放
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Drawer open={!!lines} onClose={() => setLines(null)} size="large" title={lines ? `${lines.roster.month} ${lines.roster.itemName}发放名册（${lines.lines.length} 笔）` : ''}>
        <Table
          rowKey={(l) => `${l.caseNumber}-${l.periodMonth}`}
          size="small"
          dataSource={lines?.lines ?? []}
          pagination={false}
          scroll={{ y: 'calc(100vh - 200px)' }}
          columns={[
            { title: '村（社区）', dataIndex: 'village' },
            { title: '姓名', dataIndex: 'name' },
            { title: '身份证号码', dataIndex: 'idNumber', width: 180 },
            { title: '城乡', dataIndex: 'area', render: (a: 'urban' | 'rural') => AREA_LABELS[a] },
            { title: '保障人数', dataIndex: 'persons', align: 'right' },
            { title: '所属月份', dataIndex: 'periodMonth' },
            { title: '金额（元）', dataIndex: 'amountFen', align: 'right', render: (f: number) => formatYuan(f) },
            { title: '备注', dataIndex: 'arrears', render: (a: boolean) => (a ? '补发' : '') },
          ]}
        />
      </Drawer>
      <PrintPreview title={print?.title ?? ''} html={print?.html ?? null} open={!!print} onClose={() => setPrint(null)} />
    </Card>
  );
}
