/**
 * Issue 3 "Checked by": the counter end to end, in Chromium against the real browser host and its encrypted store.
 * Admin first run → staff → clerk registers a 4-person rural household with a disabled member → applies for 低保,
 * attaches a scan, accepts, prints the receipt (Chromium PDF containing the case number) → a second 低保 application
 * is warned → the clerk can't take a reviewer's step (no button, call refused) → the reviewer records the economic
 * check result, the home visit and the public notice → ten days later (the host restarted with its clock moved on)
 * the notice ends and the reviewer records the township review → state and timeline are right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { makeIdNumber } from '../../shared/domain/idNumber';
import { chromiumUnavailable, launchChromium, withFailureScreenshot } from '../support/chromium';
import { startWebHost, type RunningWebHost } from '../support/webHost';
import { makeTempDir, randomKeyHex } from '../support/tempDir';

const unavailable = chromiumUnavailable();
if (unavailable) console.log(`[skip] intake end-to-end test: ${unavailable}`);

const OUT = 'tests/output/e2e';
const TEN_DAYS_MS = 10 * 86_400_000;

/** A small real PNG (grey "scan", 240×160) built from scratch, so the fixture is a genuine image file. */
function scanPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const w = 240;
  const h = 160;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = (x + y) % 32 < 16 ? 235 : 200;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Node preload that moves the host's clock: "ten days later" without waiting ten days. */
function clockShiftModule(dir: string): string {
  const file = join(dir, 'clock-shift.mjs');
  writeFileSync(
    file,
    `const offset = Number(process.env.STATION_TEST_CLOCK_OFFSET_MS || 0);
const Real = Date;
class Shifted extends Real {
  constructor(...args) { if (args.length === 0) super(Real.now() + offset); else super(...args); }
  static now() { return Real.now() + offset; }
}
globalThis.Date = Shifted;
`,
  );
  return pathToFileURL(file).href;
}

/**
 * Text as a reader means it. Noto CJK's PDF text map points some glyphs at radical code points (人 → U+2F08 ⼈,
 * 民 → U+2EA0 ⺠): NFKC folds the Kangxi radicals back, the few supplement radicals are mapped here.
 */
const SUPPLEMENT_RADICALS: Record<string, string> = { '\u2EA0': '民', '\u2ED4': '门', '\u2ED3': '长', '\u2EC5': '见', '\u2ECB': '车', '\u2EDA': '页', '\u2EE2': '马', '\u2EE9': '黄', '\u2EC4': '西', '\u2ED8': '青', '\u2EDD': '食', '\u2EF0': '龙' };
const readable = (text: string) => text.normalize('NFKC').replace(/[\u2E80-\u2EFF]/g, (c) => SUPPLEMENT_RADICALS[c] ?? c);

const btn = (label: string) => new RegExp(`^\\s*${[...label].join('\\s*')}\\s*$`);

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: btn('登录') }).click();
  await expect.poll(() => page.getByTestId('session-bar').count()).toBe(1);
}
async function signOut(page: Page) {
  if ((await page.getByTestId('case-detail').count()) > 0) {
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('case-detail').count()).toBe(0);
  }
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect.poll(() => page.getByRole('button', { name: btn('登录') }).count()).toBe(1);
}
/** Lets CSS transitions (modal zoom, drawer slide) finish so a screenshot shows the settled screen. */
async function settle(page: Page) {
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
}
/** The contract call as the page makes it (same token, same session): what a tampered renderer could send. */
async function rawCall(page: Page, name: string, input: unknown) {
  return page.evaluate(
    async ([n, i]) => {
      const token = sessionStorage.getItem('station.loopbackToken') ?? '';
      const res = await fetch(`/api/call/${n}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(i) });
      return (await res.json()) as { ok: boolean; code?: string; message?: string; value?: unknown };
    },
    [name, input] as const,
  );
}
async function chooseOption(page: Page, label: string | RegExp, option: string) {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}
async function act(page: Page, action: string, fill: (modal: ReturnType<Page['getByRole']>) => Promise<void> = async () => {}) {
  await page.getByTestId('case-actions').getByRole('button', { name: btn(action) }).click();
  const modal = page.getByRole('dialog', { name: new RegExp(action) });
  await fill(modal);
  await modal.getByRole('button', { name: btn('确定') }).click();
  await expect.poll(() => page.getByRole('dialog', { name: new RegExp(action) }).count()).toBe(0);
  await expect.poll(() => page.locator('.ant-modal-wrap:visible').count()).toBe(0);
}
async function openCase(page: Page, caseNumber: string) {
  await page.getByRole('menuitem', { name: '案件' }).click();
  await page.getByLabel('查找案件').fill(caseNumber);
  await page.getByLabel('查找案件').press('Enter');
  await page.locator('.ant-table').getByText(caseNumber, { exact: true }).click();
  await expect.poll(() => page.getByTestId('case-number').textContent()).toBe(caseNumber);
}

describe.skipIf(!!unavailable)('browser host end to end: intake at the counter', () => {
  let browser: Browser;
  let host: RunningWebHost | null = null;
  const data = makeTempDir('station-e2e-intake-');
  /** The page in use, for a screenshot when a step fails. */
  let current: Page | null = null;
  const key = randomKeyHex();

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    // Pages first: an open page holds the event stream, which would keep the host from stopping.
    await browser?.close();
    await host?.stop();
    data.cleanup();
  });

  it('registers, applies, accepts with a scan, prints, warns on a repeat, and the reviewer takes the case to township review', async () => {
    await withFailureScreenshot(() => current, `${OUT}/intake-failure.png`, scenario);
  });

  async function scenario() {
    host = await startWebHost(data.dir, key);
    const page = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN' });
    page.setDefaultTimeout(15_000);
    current = page;
    await page.goto(host.openUrl);

    // First run: the admin, the station, the staff.
    await page.getByLabel('管理员用户名').fill('admin');
    await page.getByLabel('管理员姓名').fill('周站长');
    await page.getByLabel('密码', { exact: true }).fill('admin-pass-1');
    await page.getByLabel('确认密码').fill('admin-pass-1');
    await page.getByRole('button', { name: '创建管理员并登录' }).click();
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByLabel('乡镇名称').fill('城关镇');
    await page.getByLabel('站点编码').fill('430102001');
    await page.getByRole('button', { name: btn('保存') }).first().click();
    await expect.poll(() => page.getByText('站点设置已保存').count()).toBeGreaterThan(0);
    for (const [username, name, role] of [
      ['clerk', '王受理', '窗口受理员'],
      ['reviewer', '李审核', '乡镇审核人'],
    ] as const) {
      await page.getByRole('button', { name: '新增工作人员' }).click();
      const dialog = page.getByRole('dialog', { name: '新增工作人员' });
      await dialog.getByLabel('用户名').fill(username);
      await dialog.getByLabel('姓名').fill(name);
      await dialog.getByLabel('角色').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: role }).click();
      await dialog.getByLabel('初始密码').fill(`${username}-pass-1`);
      await dialog.getByRole('button', { name: btn('保存') }).click();
      await expect.poll(() => page.getByRole('cell', { name: username, exact: true }).count()).toBe(1);
    }
    await signOut(page);

    // The clerk registers the household.
    await signIn(page, 'clerk', 'clerk-pass-1');
    const head = { name: '陈大山', idNumber: makeIdNumber('430102', '1968-04-12', 131) };
    await registerHousehold(page, head);

    // 受理: F2 → applicant → 低保 → scan + ticks → accept.
    await page.keyboard.press('F2');
    await page.getByLabel('查找申请人').fill('cds');
    await page.getByLabel('查找申请人').press('Enter');
    await page.getByRole('row', { name: new RegExp(head.name) }).getByRole('button', { name: btn('选择') }).click();
    await expect.poll(() => page.getByTestId('chosen-applicant').textContent()).toContain('4 人');
    await page.getByTestId('intake-next').click();
    await page.getByRole('combobox', { name: '申请事项' }).fill('最低生活保障');
    await page.getByRole('combobox', { name: '申请事项' }).press('Enter');
    await expect.poll(() => page.getByRole('radio', { name: '农村低保' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: '登记申请' }).click();
    const caseNumber = (await page.getByTestId('intake-case-number').textContent({ timeout: 15_000 }))!.trim();
    expect(caseNumber).toMatch(/^430102001\d{8}0001$/);

    writeFileSync(join(OUT, 'intake-scan-idcard.png'), scanPng());
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '上传扫描件：申请人居民身份证' }).click();
    await (await chooser).setFiles(join(OUT, 'intake-scan-idcard.png'));
    await expect.poll(() => page.getByTestId('material-idCard').textContent()).toContain('intake-scan-idcard.png');
    for (const name of ['书面申请书', '户口簿', '共同生活家庭成员身份证', '家庭经济状况核对授权书（家庭成员签字）', '诚信承诺书（双承诺）', '家庭收入情况说明', '家庭财产情况说明']) {
      await page.getByRole('checkbox', { name }).click();
      await expect.poll(() => page.getByRole('checkbox', { name }).isChecked()).toBe(true);
    }
    await expect.poll(() => page.getByText('必交材料已齐全，可以受理。').count()).toBe(1);
    await page.screenshot({ path: `${OUT}/intake-materials.png`, fullPage: true });
    await page.getByRole('button', { name: btn('受理') }).click();
    await expect.poll(() => page.getByText(`已受理：${caseNumber}`).count()).toBe(1);

    // Receipt: the core's HTML, printed by Chromium to PDF.
    await page.getByRole('button', { name: '打印受理回执' }).click();
    const frame = page.getByTestId('print-frame');
    await expect.poll(() => frame.count()).toBe(1);
    const receiptHtml = (await frame.getAttribute('srcdoc'))!;
    await settle(page);
    await page.screenshot({ path: `${OUT}/intake-receipt-preview.png` });
    const printer = await browser.newPage();
    await printer.setContent(receiptHtml);
    const pdf = await printer.pdf({ format: 'A4', printBackground: true });
    await printer.close();
    writeFileSync(join(OUT, 'intake-receipt.pdf'), pdf);
    const extracted = await extractText(await getDocumentProxy(new Uint8Array(readFileSync(join(OUT, 'intake-receipt.pdf')))), { mergePages: true });
    const text = readable(extracted.text);
    expect(text).toContain(caseNumber);
    expect(text).toContain('受理回执');
    expect(text).toContain('城关镇民政服务站');
    expect(text).toContain('申请人居民身份证');
    expect(text).toContain(head.name);
    expect(text).toContain('王受理');
    expect(text).not.toContain(head.idNumber);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('print-frame').count()).toBe(0);

    // A second 低保 application for the same person is warned, naming the open case.
    await page.keyboard.press('F2');
    await page.getByLabel('查找申请人').fill(head.name);
    await page.getByLabel('查找申请人').press('Enter');
    await page.getByRole('row', { name: new RegExp(head.name) }).getByRole('button', { name: btn('选择') }).click();
    await page.getByTestId('intake-next').click();
    await page.getByRole('combobox', { name: '申请事项' }).fill('最低生活保障');
    await page.getByRole('combobox', { name: '申请事项' }).press('Enter');
    await page.getByRole('button', { name: '登记申请' }).click();
    await expect.poll(() => page.getByTestId('duplicate-warning').textContent()).toContain(caseNumber);
    await settle(page);
    await page.screenshot({ path: `${OUT}/intake-duplicate-warning.png` });
    await page.getByRole('button', { name: '不再申请' }).click();

    // The clerk's share of the procedure, and what the clerk may not do.
    await openCase(page, caseNumber);
    await act(page, '申请家庭经济状况核对');
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('调查核实中');
    const clerkActions = await page.getByTestId('case-actions').textContent();
    expect(clerkActions).not.toContain('录入入户调查');
    expect(clerkActions).not.toContain('开始公示');
    const caseId = ((await rawCall(page, 'cases.list', { query: caseNumber })).value as { items: { id: string }[] }).items[0]!.id;
    const refused = await rawCall(page, 'cases.act', {
      caseId,
      action: 'recordHomeVisit',
      payload: { visitedOn: '2026-01-05', investigators: ['王受理', '张村干'], fiveClears: { householdMembers: 'x', income: 'x', hardshipCause: 'x', difficulties: 'x', employment: 'x' }, summary: 'x' },
    });
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    await settle(page);
    await page.screenshot({ path: `${OUT}/intake-clerk-case.png` });
    await signOut(page);

    // The reviewer: economic check result, home visit, public notice.
    await signIn(page, 'reviewer', 'reviewer-pass-1');
    await openCase(page, caseNumber);
    await act(page, '录入经济状况核对结果', async (m) => {
      await chooseOption(page, '核对结论', '收入和财产符合规定');
      await m.getByLabel('核对情况摘要').fill('县级核对平台反馈：无车辆、无商品房，存款低于规定。');
    });
    await act(page, '录入入户调查', async (m) => {
      await m.getByLabel(/调查人员/).fill('李审核、张村干');
      await m.getByLabel('家庭人口清').fill('户主、配偶、子女、母亲共 4 人，均在家居住');
      await m.getByLabel('收入状况清').fill('务农，年收入约 9600 元');
      await m.getByLabel('致困原因清').fill('母亲重度残疾，长期护理');
      await m.getByLabel('困难情况清').fill('医疗支出大，住房老旧');
      await m.getByLabel('就业状况清').fill('户主务农，配偶照护家人');
      await m.getByLabel('调查结论').fill('情况属实，建议纳入');
    });
    await act(page, '开始公示', async (m) => {
      await m.getByLabel('公示地点').fill('石桥村村务公开栏');
    });
    await expect.poll(() => page.getByTestId('case-state').textContent()).toBe('公示中');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('case-detail').count()).toBe(0);
    await page.getByRole('button', { name: '打印公示名单' }).click();
    const noticeHtml = (await page.getByTestId('print-frame').getAttribute('srcdoc'))!;
    expect(noticeHtml).toContain(head.name);
    expect(noticeHtml).toContain(`${head.idNumber.slice(0, 6)}********${head.idNumber.slice(-4)}`);
    expect(noticeHtml).not.toContain(head.idNumber);
    await settle(page);
    await page.screenshot({ path: `${OUT}/intake-notice-list.png` });
    await page.keyboard.press('Escape');
    await page.close();

    // Ten days later the notice period is over: township review.
    await host.stop();
    host = await startWebHost(data.dir, key, { NODE_OPTIONS: `--import ${clockShiftModule(data.dir)}`, STATION_TEST_CLOCK_OFFSET_MS: String(TEN_DAYS_MS) });
    const later = await browser.newPage({ viewport: { width: 1440, height: 960 }, locale: 'zh-CN' });
    later.setDefaultTimeout(15_000);
    current = later;
    await later.goto(host.openUrl);
    await signIn(later, 'reviewer', 'reviewer-pass-1');
    await openCase(later, caseNumber);
    await act(later, '公示期满无异议');
    await act(later, '乡镇审核', async (m) => {
      await chooseOption(later, '审核意见', '同意');
      await m.getByLabel('审核意见说明').fill('经审核，同意上报县民政局审批');
    });
    await expect.poll(() => later.getByTestId('case-state').textContent()).toBe('乡镇已审核');
    const timeline = (await later.getByTestId('case-timeline').textContent())!;
    const order = ['登记申请', '受理', '申请家庭经济状况核对', '录入经济状况核对结果', '录入入户调查', '开始公示', '公示期满无异议', '乡镇审核'];
    let at = -1;
    for (const label of order) {
      const next = timeline.indexOf(label, at + 1);
      expect(next, `timeline entry ${label}`).toBeGreaterThan(at);
      at = next;
    }
    expect(timeline).toContain('李审核、张村干');
    expect(timeline).toContain('王受理');
    await expect.poll(() => later.getByTestId('case-actions').textContent()).toContain('报县级审批');
    await settle(later);
    await later.screenshot({ path: `${OUT}/intake-case-township-reviewed.png` });
    await later.getByTestId('case-timeline').scrollIntoViewIfNeeded();
    await later.getByTestId('case-timeline').screenshot({ path: `${OUT}/intake-case-timeline.png` });
    await later.close();
  }
});

/** 4-person rural household with a disabled member, through the 人员与家庭 page (the people helper's UI). */
async function registerHousehold(page: Page, head: { name: string; idNumber: string }) {
  const pick = async (scope: ReturnType<Page['getByRole']>, label: string, option: string) => {
    await scope.getByLabel(label, { exact: true }).click();
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
  };
  await page.getByRole('menuitem', { name: '人员与家庭' }).click();
  await page.getByRole('button', { name: '登记家庭' }).click();
  const editor = page.getByRole('form', { name: '家庭登记' });
  await editor.getByLabel('村（社区）').fill('石桥村');
  await editor.getByLabel('家庭住址').fill('石桥村三组 12 号');
  const members = [
    { name: head.name, id: head.idNumber, relation: null, disability: null },
    { name: '刘秀英', id: makeIdNumber('430102', '1970-08-09', 242), relation: '配偶', disability: null },
    { name: '陈小禾', id: makeIdNumber('430102', '2011-02-03', 351), relation: '子女', disability: null },
    { name: '黄桂兰', id: makeIdNumber('430102', '1944-11-30', 462), relation: '父母', disability: ['肢体残疾', '一级'] },
  ];
  for (const m of members) {
    await editor.getByRole('button', { name: m.relation ? '添加成员' : '添加户主' }).click();
    const dialog = page.getByRole('dialog', { name: m.relation ? '添加家庭成员' : '添加户主' });
    await dialog.getByLabel('身份证号码').fill(m.id);
    await dialog.getByLabel('身份证号码').press('Enter');
    await expect.poll(() => dialog.getByText('请登记新人员').count()).toBe(1);
    const form = dialog.getByRole('form', { name: '登记人员' });
    await form.getByLabel('姓名').fill(m.name);
    if (m.disability) {
      await pick(form, '残疾类别', m.disability[0]!);
      await pick(form, '残疾等级', m.disability[1]!);
      await pick(form, '劳动能力', '无劳动能力');
    }
    if (m.relation) await pick(form, '与户主关系', m.relation);
    await form.getByRole('button', { name: '保存并加入' }).click();
    await expect.poll(() => editor.getByRole('cell', { name: m.name, exact: true }).count()).toBe(1);
  }
  await expect.poll(() => editor.getByText('家庭成员（4 人）').count()).toBe(1);
  await editor.getByRole('button', { name: '添加收入项' }).click();
  await pick(editor, '收入类型', '家庭经营（种养殖）收入');
  await editor.getByLabel('月收入（元）').fill('800');
  await editor.getByLabel('月收入（元）').press('Tab');
  await editor.getByRole('button', { name: '保存家庭' }).click();
  await expect.poll(() => page.getByText('家庭信息已保存').count()).toBeGreaterThan(0);
  await page.keyboard.press('Escape');
}
