/**
 * 系统状态, in Chromium: an administrator opens it from the nav and reads, in Chinese, where an
 * acknowledged record is kept (one PostgreSQL server, or PGlite's folder, as this run's API has), how
 * many records the log holds, every read model by the name the office uses and whether it has caught
 * up, and that the API process behind the page keeps them up to date. A clerk who types the address
 * is sent to the overview. (A cluster's primary saving alone is checked on a real cluster by the fault
 * suite, through the same `systemStatus`; protection.unit.spec.ts maps each state to its words.)
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { gqlThrough, signIn, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const DESK = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

describe('系统状态', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('an administrator reads where records are kept, the log, each read model and the process that updates them; a clerk is sent away', async () => {
    const context = await browser!.newContext(DESK);
    const token = await signIn(context, webUrl, { role: 'admin' });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${webUrl}/`);
    await page.getByTestId('nav-admin/system').click();
    await page.waitForURL(`${webUrl}/admin/system`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('系统状态');

    const { systemStatus } = await gqlThrough(webUrl, token, '{ systemStatus { engine logHead readModels { name } } }');
    const protection = page.getByTestId('protection');
    await protection.waitFor();
    if (systemStatus.engine === 'PostgreSQL') {
      // One server named by DATABASE_URL, no standby: said plainly, with the advice that goes with it.
      expect(await protection.getAttribute('data-state')).toBe('single');
      expect(await protection.textContent()).toContain('单机运行');
      expect(await page.getByTestId('protection-detail').textContent()).toContain('只保存在这一台数据库服务器上');
      expect(await page.getByTestId('standbys').textContent()).toBe('无');
    } else {
      expect(await protection.getAttribute('data-state')).toBe('embedded');
      expect(await protection.textContent()).toContain('嵌入式数据库（试用）');
    }
    expect(await page.getByTestId('engine').textContent()).toMatch(new RegExp(`^${systemStatus.engine} \\d+\\.\\d+`));
    expect(await page.getByTestId('log-head').textContent()).toMatch(
      new RegExp(`^共 ${new Intl.NumberFormat('zh-CN').format(systemStatus.logHead)} 条记录，最近一条写入于 \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$`),
    );

    // Every read model, by the office's name for what it holds, caught up with the log (立即刷新 until so).
    const rows = page.getByTestId('read-model');
    expect(await rows.count()).toBe(systemStatus.readModels.length);
    for (const { name } of systemStatus.readModels) {
      const label = (await page.locator(`[data-testid="read-model"][data-name="${name}"] th`).textContent())!.trim();
      expect(label, name).toMatch(/^[\u4e00-\u9fa5]+$/);
    }
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: '立即刷新' }).click();
          return page.getByTestId('model-state').allTextContents();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toEqual(systemStatus.readModels.map(() => '最新'));
    expect(await page.getByTestId('projector').textContent()).toMatch(/^\s*由本页所连的 API 进程（进程号 \d+）负责更新。\s*$/);
    expect(await page.getByTestId('served-by').textContent()).toMatch(/^本页由 .+ 上的 API 进程（进程号 \d+）提供。$/);
    await fullPageShot(page, path.join(SCREENSHOTS, 'admin-system.png'));

    // A clerk has no such page: the address leads to the overview.
    const clerk = await browser!.newContext(DESK);
    await signIn(clerk, webUrl, { role: 'staff' });
    const clerkPage = await clerk.newPage();
    await clerkPage.goto(`${webUrl}/admin/system`);
    await clerkPage.waitForURL(`${webUrl}/`);
    expect(await clerkPage.getByTestId('nav-admin/system').count()).toBe(0);
    await clerk.close();
    await context.close();
  });
});
