import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { makeIdNumber } from '../../shared/domain/idNumber';
import { chromiumUnavailable, launchChromium } from '../support/chromium';
import { startWebHost, type RunningWebHost } from '../support/webHost';
import { makeTempDir, randomKeyHex } from '../support/tempDir';

const unavailable = chromiumUnavailable();
if (unavailable) console.log(`[skip] browser end-to-end tests: ${unavailable}`);

const OUT = 'tests/output/e2e';
/** The machine may be shared and busy: wait up to 10 s for what the page shows. */
const POLL = { timeout: 10_000, interval: 100 };

/** antd Select: open it by its label, then click the option (options carry their label as title). */
async function pick(page: Page, scope: Locator, label: string, option: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

describe.skipIf(!!unavailable)('browser host end to end: staff, persons and households', () => {
  let browser: Browser;
  let host: RunningWebHost | null = null;
  const data = makeTempDir('station-e2e-people-');
  const key = randomKeyHex();

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    // Browser first: an open page keeps its event stream open, which a graceful host stop would wait for.
    await browser?.close();
    await host?.stop();
    data.cleanup();
  });

  it('first run admin → clerk account → clerk registers a 4-person rural household with a disabled member → finds the head by initials', async () => {
    const t0 = Date.now();
    const step = (what: string) => console.log(`[e2e people] ${what}: ${Date.now() - t0} ms`);
    host = await startWebHost(data.dir, key);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    onTestFailed(async () => {
      await page.screenshot({ path: `${OUT}/people-failure.png` });
    });
    await page.goto(host.openUrl);

    // First run: station settings stay reachable, then the admin account.
    await expect.poll(() => page.getByText('首次使用：设置工作站').count(), POLL).toBe(1);
    await page.getByLabel('乡镇名称').fill('城关镇');
    await page.getByLabel('站点编码').fill('430102001');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => page.getByText('站点设置已保存').count(), POLL).toBeGreaterThan(0);
    const admin = page.getByRole('form', { name: '创建系统管理员' });
    await admin.getByLabel('管理员用户名').fill('admin');
    await admin.getByLabel('管理员姓名').fill('王站长');
    await admin.getByLabel('密码', { exact: true }).fill('short');
    await admin.getByLabel('确认密码').fill('short');
    await admin.getByRole('button', { name: '创建管理员并登录' }).click();
    await expect.poll(() => page.getByText('密码至少 8 位').count(), POLL).toBeGreaterThan(0);
    await admin.getByLabel('密码', { exact: true }).fill('admin-pass-1');
    await admin.getByLabel('确认密码').fill('admin-pass-1');
    await admin.getByLabel('确认密码').press('Enter');
    await expect.poll(() => page.getByTestId('session-bar').textContent(), POLL).toContain('王站长（系统管理员）');

    step('admin created');
    // The admin adds a clerk under 设置.
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByRole('button', { name: '新增工作人员' }).click();
    const staffForm = page.getByRole('form', { name: '新增工作人员' });
    await staffForm.getByLabel('用户名').fill('clerk1');
    await staffForm.getByLabel('姓名').fill('李受理');
    await staffForm.getByLabel('初始密码').fill('clerk-pass-1');
    await staffForm.getByLabel('初始密码').press('Enter');
    await expect.poll(() => page.getByText('已新增窗口受理员：李受理').count(), POLL).toBeGreaterThan(0);
    await page.getByRole('button', { name: '退出登录' }).click();

    // The clerk signs in with the keyboard; a wrong password first.
    await page.getByLabel('用户名').fill('clerk1');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByLabel('密码').press('Enter');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '用户名或密码不正确' }).count(), POLL).toBe(1);
    await page.getByLabel('密码').fill('clerk-pass-1');
    await page.getByLabel('密码').press('Enter');
    await expect.poll(() => page.getByTestId('session-bar').textContent(), POLL).toContain('李受理（窗口受理员）');
    // A clerk sees no staff management.
    await page.getByRole('menuitem', { name: '设置' }).click();
    expect(await page.getByRole('button', { name: '新增工作人员' }).count()).toBe(0);

    step('clerk signed in');
    // Register the household.
    await page.getByRole('menuitem', { name: '人员与家庭' }).click();
    await page.getByRole('button', { name: '登记家庭' }).click();
    const editor = page.getByRole('form', { name: '家庭登记' });
    await editor.getByLabel('村（社区）').fill('红星村');
    await editor.getByLabel('家庭住址').fill('红星村三组 12 号');

    const members = [
      { name: '张三丰', id: makeIdNumber('430102', '1968-04-12', 11), relation: null },
      { name: '李秀英', id: makeIdNumber('430102', '1970-09-01', 22), relation: '配偶' },
      {
        name: '张小明',
        id: makeIdNumber('430102', '1995-02-03', 31),
        relation: '子女',
        disability: ['肢体残疾', '二级'],
      },
      { name: '王桂兰', id: makeIdNumber('430102', '1942-12-30', 42), relation: '父母' },
    ];
    for (const m of members) {
      await editor.getByRole('button', { name: m.relation ? '添加成员' : '添加户主' }).click();
      const dialog = page.getByRole('dialog', { name: m.relation ? '添加家庭成员' : '添加户主' });
      await dialog.getByLabel('身份证号码').fill(m.id);
      await dialog.getByLabel('身份证号码').press('Enter');
      await expect.poll(() => dialog.getByText('请登记新人员').count(), POLL).toBe(1);
      const form = dialog.getByRole('form', { name: '登记人员' });
      await form.getByLabel('姓名').fill(m.name);
      if (m.disability) {
        await pick(page, form, '残疾类别', m.disability[0]!);
        await pick(page, form, '残疾等级', m.disability[1]!);
        await pick(page, form, '劳动能力', '无劳动能力');
      }
      if (m.relation) await pick(page, form, '与户主关系', m.relation);
      await form.getByRole('button', { name: '保存并加入' }).click();
      await expect.poll(() => editor.getByRole('cell', { name: m.name, exact: true }).count(), POLL).toBe(1);
      step(`member ${m.name} added`);
    }
    await expect.poll(() => editor.getByText('家庭成员（4 人）').count(), POLL).toBe(1);
    await expect.poll(() => editor.getByText('肢体残疾二级').count(), POLL).toBe(1);

    // The same ID number is offered, never registered twice.
    await editor.getByRole('button', { name: '添加成员' }).click();
    const again = page.getByRole('dialog', { name: '添加家庭成员' });
    await again.getByLabel('身份证号码').fill(members[1]!.id);
    await again.getByLabel('身份证号码').press('Enter');
    await expect.poll(() => again.getByText('该身份证号码已登记，请直接选用').count(), POLL).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => again.count(), POLL).toBe(0);

    await editor.getByRole('button', { name: '添加收入项' }).click();
    await pick(page, editor, '收入类型', '家庭经营（种养殖）收入');
    await editor.getByLabel('月收入（元）').fill('960');
    await editor.getByLabel('月收入（元）').press('Tab');
    // 960 yuan / 4 persons = 240 yuan per person per month, below the rural (demo) standard.
    await expect
      .poll(() => page.getByTestId('income-hint').textContent())
      .toContain('家庭月人均收入240.00元，低于农村低保标准');
    expect(await page.getByTestId('income-hint').textContent()).toContain('演示数据');
    await page.screenshot({ path: `${OUT}/people-household.png` });
    await editor.getByRole('button', { name: '保存家庭' }).click();
    await expect.poll(() => page.getByText('家庭信息已保存').count(), POLL).toBeGreaterThan(0);

    step('household saved');
    // The head's detail drawer opens with the full ID number; lists mask it.
    await expect.poll(() => page.getByTestId('person-detail').textContent(), POLL).toContain(members[0]!.id);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('person-detail').count(), { timeout: 10_000 }).toBe(0);

    // Find the head by initials: `/` focuses the search box.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    await page.keyboard.type('zsf');
    expect(await page.getByLabel('查找人员').inputValue()).toBe('zsf');
    const results = page.locator('.ant-table-wrapper').last();
    await expect
      .poll(() => page.getByTestId('search-summary').textContent(), { timeout: 10_000 })
      .toContain('按拼音/首字母：共 1 人');
    await expect.poll(() => results.getByText('张三丰', { exact: true }).count(), POLL).toBe(1);
    const row = await results.locator('.ant-table-row').filter({ hasText: '张三丰' }).first().textContent();
    expect(row).toContain('430102********');
    expect(row).not.toContain(members[0]!.id);
    await page.screenshot({ path: `${OUT}/people.png` });

    // ID fragment search finds the disabled son.
    await page.keyboard.press('Control+k');
    await page.keyboard.type(members[2]!.id.slice(8, 14));
    await expect.poll(() => results.getByText('张小明', { exact: true }).count(), POLL).toBe(1);
    await page.close();
  });

  it('locks after the idle time; the lock screen hides the work, asks for the password, and the half-filled form survives', async () => {
    host ??= await startWebHost(data.dir, key);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    onTestFailed(async () => {
      await page.screenshot({ path: `${OUT}/people-lock-failure.png` });
    });
    await page.goto(host.openUrl);
    const signInAs = async (username: string, password: string) => {
      if (await page.getByRole('button', { name: '退出登录' }).count())
        await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(password);
      await page.getByLabel('密码').press('Enter');
      await expect.poll(() => page.getByTestId('session-bar').count(), POLL).toBe(1);
    };
    await expect
      .poll(async () => (await page.getByLabel('用户名').count()) + (await page.getByTestId('session-bar').count()))
      .toBe(1);
    await signInAs('admin', 'admin-pass-1');
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByLabel('空闲锁定分钟数').fill('1');
    await page.getByLabel('空闲锁定分钟数').press('Tab');
    await expect.poll(() => page.getByText('空闲 1 分钟后自动锁定').count(), POLL).toBeGreaterThan(0);
    await signInAs('clerk1', 'clerk-pass-1');

    await page.getByRole('menuitem', { name: '人员与家庭' }).click();
    await page.getByRole('button', { name: '登记家庭' }).click();
    const editor = page.getByRole('form', { name: '家庭登记' });
    await editor.getByLabel('村（社区）').fill('东风村');
    await page.waitForTimeout(62_000);
    await page.mouse.click(700, 300); // the first activity after the idle period meets the lock
    await expect.poll(() => page.getByText('工作站已锁定', { exact: true }).count(), { timeout: 20_000 }).toBe(1);
    // The drawer with the half-filled form lies under the lock screen and takes no input.
    // (Role locators skip aria-hidden content, so the hidden form is addressed by CSS here.)
    const hiddenForm = page.locator('form[aria-label="家庭登记"]');
    expect(await hiddenForm.evaluate((el) => el.closest('[inert]') !== null)).toBe(true);
    const box = (await hiddenForm.locator('input#village').boundingBox())!;
    const onTop = await page.evaluate(
      ([x, y]) => document.elementFromPoint(x!, y!)?.closest('[data-testid="lock-screen"]') !== null,
      [box.x + 5, box.y + 5],
    );
    expect(onTop).toBe(true);
    await page.screenshot({ path: `${OUT}/people-locked.png` });
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByLabel('密码').press('Enter');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '用户名或密码不正确' }).count(), POLL).toBe(1);
    await page.getByLabel('密码').fill('clerk-pass-1');
    await page.getByLabel('密码').press('Enter');
    await expect.poll(() => page.getByText('工作站已锁定', { exact: true }).count(), POLL).toBe(0);
    await expect.poll(() => editor.getByLabel('村（社区）').inputValue(), POLL).toBe('东风村');
    await page.close();
  });
});
