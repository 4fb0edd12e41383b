import { afterEach, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../main/core/services/print/html';
import { DIBAO_REQUIRED, must, openStation, PNG_1x1, registerHousehold, type Station } from './fixtures';

const stations: Station[] = [];
afterEach(async () => {
  for (const s of stations.splice(0)) await s.cleanup();
});
async function station() {
  const s = await openStation();
  stations.push(s);
  return s;
}
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

describe('print.receipt', () => {
  it('is refused before acceptance; afterwards names the case, applicant (masked ID), materials, staff and station', async () => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    expect(await s.clerk.raw('print.receipt', { caseId: c.id })).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    await must(s.clerk.call('materials.attach', { caseId: c.id, materialKey: 'idCard', fileName: 'id.png', dataBase64: PNG_1x1.toString('base64') }));
    await must(s.clerk.call('cases.act', { caseId: c.id, action: 'accept', payload: { materialsReceived: DIBAO_REQUIRED } }));
    const auditBefore = (s.core.db.prepare('SELECT count(*) n FROM audit_log').get() as { n: number }).n;
    const { html } = await must(s.clerk.call('print.receipt', { caseId: c.id }));
    expect(html).toContain(c.caseNumber);
    expect(html).toContain('最低生活保障（农村低保）');
    expect(html).toContain(head.name);
    expect(html).toContain(head.idNumberMasked);
    expect(html).not.toContain(head.idNumber);
    expect(html).toContain('申请人居民身份证');
    expect(html).toContain('已扫描 1 份');
    expect(html).toContain('王受理');
    expect(html).toContain('城关镇民政服务站（站点编码 430102001）');
    expect(html).toContain(today());
    expect(html).not.toContain('本人银行账户'); // not received, not required: not listed
    const audit = s.core.db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1').get();
    expect(audit).toEqual({ action: 'print.receipt' });
    expect((s.core.db.prepare('SELECT count(*) n FROM audit_log').get() as { n: number }).n).toBe(auditBefore + 1);
  });

  it('escapes whatever reaches the page', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });
});

describe('print.noticeList', () => {
  async function toNotice(s: Station, applicantId: string, itemCode: 'dibao' | 'destituteSupport' = 'dibao') {
    const c = await must(s.clerk.call('cases.create', { applicantId, itemCode, ...(itemCode === 'destituteSupport' ? { subKind: 'dispersed' } : {}) }));
    const all = c.materials.filter((m) => m.required).map((m) => m.key);
    await must(s.clerk.call('cases.act', { caseId: c.id, action: 'accept', payload: { materialsReceived: all } }));
    await must(s.clerk.call('cases.act', { caseId: c.id, action: 'requestEconomicCheck', payload: {} }));
    await must(s.reviewer.call('cases.act', { caseId: c.id, action: 'recordEconomicCheckResult', payload: { finding: 'withinLimits', summary: '符合' } }));
    await must(
      s.reviewer.call('cases.act', {
        caseId: c.id,
        action: 'recordHomeVisit',
        payload: {
          visitedOn: today(),
          investigators: ['李审核', '张村干'],
          fiveClears: { householdMembers: '清', income: '清', hardshipCause: '清', difficulties: '清', employment: '清' },
          summary: '属实',
        },
      }),
    );
    return must(s.reviewer.call('cases.act', { caseId: c.id, action: 'startNotice', payload: {} }));
  }

  it('lists the cases in notice with masked ID numbers and leaves minors out', async () => {
    const s = await station();
    const adult = await registerHousehold(s.clerk, [['1973-01-01', 'spouse']]);
    // a 16-year-old heading a household (parents deceased): a real applicant, never published
    const child = await registerHousehold(s.clerk, [], `${new Date().getFullYear() - 16}-01-15`);
    const a = await toNotice(s, adult.head.id);
    const m = await toNotice(s, child.head.id, 'destituteSupport');
    expect(m.state).toBe('inNotice');
    const r = await must(s.reviewer.call('print.noticeList', {}));
    expect(r.rows).toBe(1);
    expect(r.minorsOmitted).toBe(1);
    expect(r.html).toContain(adult.head.name);
    expect(r.html).toContain(adult.head.idNumberMasked);
    expect(r.html).not.toContain(adult.head.idNumber);
    expect(r.html).not.toContain(child.head.name);
    expect(r.html).not.toContain(child.head.idNumberMasked);
    expect(r.html).toContain(`公示期：${a.snapshot.noticeStart} 至 ${a.snapshot.noticeEnd}`);
    expect(r.html).toContain('未成年人信息不予公示（本期 1 件未列出）');
    const audit = s.core.db.prepare('SELECT action, changes FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string; changes: string };
    expect(audit.action).toBe('print.noticeList');
    expect(JSON.parse(audit.changes)).toMatchObject({ minorsOmitted: 1 });
  });

  it('takes named cases and explicit dates, and refuses an end before the start or an unknown case', async () => {
    const s = await station();
    const { head } = await registerHousehold(s.clerk);
    const c = await must(s.clerk.call('cases.create', { applicantId: head.id, itemCode: 'dibao' }));
    const r = await must(s.clerk.call('print.noticeList', { caseIds: [c.id], noticeStart: '2026-05-06', noticeEnd: '2026-05-12' }));
    expect(r.rows).toBe(1);
    expect(r.html).toContain('公示期：2026-05-06 至 2026-05-12');
    expect(await s.clerk.raw('print.noticeList', { caseIds: [c.id], noticeStart: '2026-05-12', noticeEnd: '2026-05-06' })).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
    });
    expect(await s.clerk.raw('print.noticeList', { caseIds: ['01900000-0000-7000-8000-000000000000'] })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
