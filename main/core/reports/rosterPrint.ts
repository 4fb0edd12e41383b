import { maskIdNumber } from '../../../shared/domain/idNumber';
import { formatYuan } from '../../../shared/domain/income';
import { AREA_LABELS } from '../../../shared/reports/model';
import { escapeHtml as e, printDocument } from '../services/print/html';
import type { RosterInfo, RosterLine } from './ledger';

/** 发放名册 for paper (signed by the preparer and the reviewer, kept with the bank's statement). */
export function rosterHtml(townshipName: string, roster: RosterInfo, lines: readonly RosterLine[], fullIdNumbers: boolean): string {
  const [y, m] = roster.month.split('-');
  const title = `${townshipName}${y}年${Number(m)}月${roster.itemName}发放名册`;
  const total = lines.reduce((s, l) => s + l.amountFen, 0);
  const rows =
    lines.length === 0
      ? '<tr><td colspan="9">（本月无发放对象）</td></tr>'
      : lines
          .map(
            (l, i) =>
              `<tr><td>${i + 1}</td><td>${e(l.village)}</td><td>${e(l.name)}</td><td>${e(fullIdNumbers ? l.idNumber : maskIdNumber(l.idNumber))}</td>` +
              `<td>${AREA_LABELS[l.area]}</td><td class="n">${l.persons}</td><td>${e(l.periodMonth)}</td><td class="n">${formatYuan(l.amountFen)}</td><td>${l.arrears ? '补发' : ''}</td></tr>`,
          )
          .join('');
  const body = `
<h1>${e(title)}</h1>
<div class="sub">${roster.status === 'confirmed' ? `已确认发放（${e(roster.confirmedAt?.slice(0, 10) ?? '')}）` : '草稿（尚未确认发放）'} · 共 ${lines.length} 笔 · 合计 ${formatYuan(total)} 元</div>
<table>
<thead><tr><th>序号</th><th>村（社区）</th><th>姓名</th><th>身份证号码</th><th>城乡</th><th>保障人数</th><th>所属月份</th><th>金额（元）</th><th>备注</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><th colspan="7">合计</th><th class="n">${formatYuan(total)}</th><th></th></tr></tfoot>
</table>
<div class="sign"><span>制表人：__________</span><span>审核人：__________</span><span>${e(townshipName)}人民政府（盖章）</span></div>`;
  return printDocument(title, body, 'td.n, th.n { text-align: right; } thead { display: table-header-group; } tr { page-break-inside: avoid; } body { font-size: 10.5pt; }');
}
