import { escapeHtml as e, printDocument } from './html';

export interface ReceiptData {
  caseNumber: string;
  itemName: string;
  subKindName: string | null;
  applicantName: string;
  applicantIdMasked: string;
  village: string | null;
  materialsReceived: { name: string; attachments: number }[];
  materialsMissing: string[];
  staffName: string;
  acceptedDate: string;
  dueDate: string | null;
  townshipName: string;
  stationCode: string;
}

/** 受理回执: what the applicant takes home as proof the township has their application. */
export function receiptHtml(d: ReceiptData): string {
  const materials =
    d.materialsReceived.length === 0
      ? '<tr><td colspan="2">（无）</td></tr>'
      : d.materialsReceived
          .map((m, i) => `<tr><td>${i + 1}. ${e(m.name)}</td><td>${m.attachments > 0 ? `已扫描 ${m.attachments} 份` : '纸质件'}</td></tr>`)
          .join('');
  const missing = d.materialsMissing.length
    ? `<p class="muted">尚需补充：${d.materialsMissing.map(e).join('、')}</p>`
    : '';
  const body = `
<h1>受理回执</h1>
<div class="sub">${e(d.townshipName)}民政服务站（站点编码 ${e(d.stationCode)}）</div>
<table>
  <tr><th>案件编号</th><td data-field="case-number">${e(d.caseNumber)}</td></tr>
  <tr><th>申请事项</th><td>${e(d.itemName)}${d.subKindName ? `（${e(d.subKindName)}）` : ''}</td></tr>
  <tr><th>申请人</th><td>${e(d.applicantName)}</td></tr>
  <tr><th>身份证号码</th><td>${e(d.applicantIdMasked)}</td></tr>
  ${d.village ? `<tr><th>村（社区）</th><td>${e(d.village)}</td></tr>` : ''}
  <tr><th>受理日期</th><td>${e(d.acceptedDate)}</td></tr>
  ${d.dueDate ? `<tr><th>办结时限</th><td>${e(d.dueDate)} 前（按工作日计算）</td></tr>` : ''}
  <tr><th>受理人</th><td>${e(d.staffName)}</td></tr>
</table>
<h2 style="font-size:13pt;margin:6mm 0 2mm">已收材料</h2>
<table><tr><th>材料名称</th><th>形式</th></tr>${materials}</table>
${missing}
<p class="muted">请妥善保管本回执，凭案件编号查询办理进度。如对受理结果有异议，可向乡镇人民政府或县级民政部门反映。</p>
<div class="sign"><span>受理人签字：__________</span><span>申请人签字：__________</span><span>（受理单位盖章）</span></div>`;
  return printDocument(`受理回执 ${d.caseNumber}`, body);
}

export interface NoticeRow {
  village: string;
  applicantName: string;
  idMasked: string;
  householdSize: number | null;
  itemName: string;
  caseNumber: string;
}

export interface NoticeListData {
  townshipName: string;
  noticeStart: string;
  noticeEnd: string;
  rows: NoticeRow[];
  /** How many cases were left out because the applicant is a minor (the count only, never who). */
  minorsOmitted: number;
}

/** 公示名单: posted in the village. ID numbers masked, minors not published. */
export function noticeListHtml(d: NoticeListData): string {
  const rows =
    d.rows.length === 0
      ? '<tr><td colspan="6">（本期无公示对象）</td></tr>'
      : d.rows
          .map(
            (r, i) =>
              `<tr><td>${i + 1}</td><td>${e(r.village)}</td><td>${e(r.applicantName)}</td><td>${e(r.idMasked)}</td><td>${r.householdSize ?? ''}</td><td>${e(r.itemName)}</td></tr>`,
          )
          .join('');
  const body = `
<h1>${e(d.townshipName)}社会救助对象公示名单</h1>
<div class="sub">公示期：${e(d.noticeStart)} 至 ${e(d.noticeEnd)}</div>
<table><tr><th>序号</th><th>村（社区）</th><th>申请人</th><th>身份证号码</th><th>家庭人口</th><th>申请事项</th></tr>${rows}</table>
<p class="muted">公示期内如有异议，请向${e(d.townshipName)}人民政府或村（居）民委员会反映。依照规定，未成年人信息不予公示${
    d.minorsOmitted > 0 ? `（本期 ${d.minorsOmitted} 件未列出）` : ''
  }。</p>
<div class="sign"><span></span><span>${e(d.townshipName)}人民政府（盖章）</span></div>`;
  return printDocument('公示名单', body);
}
