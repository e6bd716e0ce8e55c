/**
 * A clerk moves a roster in from Excel, as the office does it: on 导入 they download the roster
 * template, fill it in (exceljs here, Excel or WPS for them), 检查 it and read the problem named by
 * sheet, row and column, fix the cell, check again, 导入 — and find the new deputy on 人员. A file
 * that is not a workbook is refused in Chinese. And 设置 shows the county's terms and stations.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { WEB_DIR, gqlThrough, mintToken, signIn } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const DESK = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true };

describe('导入: a roster from Excel', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const pageErrors: string[] = [];
  let term: { number: number; startsOn: string };
  /** The workbooks the clerk downloads and fills in, removed with the folder afterwards. */
  let workbooks: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    workbooks = await mkdtemp(path.join(tmpdir(), 'yingpan-import-e2e-'));
    browser = await openBrowser();
    const staff = await mintToken({ role: 'staff' });
    const { terms } = await gqlThrough<{ terms: { number: number; startsOn: string; closedOn: string | null }[] }>(
      webUrl,
      staff,
      '{ terms { number startsOn closedOn } }',
    );
    term = terms.find((each) => each.closedOn === null)!;
  });
  afterAll(async () => {
    await browser?.close();
    await rm(workbooks, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  });

  async function staffPage(): Promise<Page> {
    const context = await browser!.newContext(DESK);
    await signIn(context, webUrl, { role: 'staff' });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }
  const shot = (page: Page, name: string) => fullPageShot(page, path.join(SCREENSHOTS, `${name}.png`));

  it('downloads the template, checks a filled-in roster, reads the problem, fixes it, imports it and finds the deputy on 人员', {
    timeout: 600_000,
  }, async () => {
    const page = await staffPage();
    await page.goto(`${webUrl}/import`);
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 60_000 }).toBe('导入');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-roster').click()]);
    expect(download.suggestedFilename()).toBe('花名册导入模板.xlsx');
    const template = path.join(workbooks, 'roster.xlsx');
    await download.saveAs(template);

    // The clerk fills the template: a new deputy, with a level typed that is not on the list.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(template)) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['填写说明', '选项', '届次', '人员任职', '联络站']);
    const people = workbook.getWorksheet('人员任职')!;
    people.getRow(2).values = ['欧阳明远', '男', 1979, '否', term.number, '人大代表', '县级', '第九选区', '', '', term.startsOn];
    const filled = path.join(workbooks, 'roster-filled.xlsx');
    await writeFile(filled, Buffer.from(await workbook.xlsx.writeBuffer()));

    await page.getByTestId('import-file').setInputFiles(filled);
    await page.getByTestId('import-check').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 240_000 }).toContain('检查发现 1 个问题');
    const problem = page.getByTestId('import-problems').locator('tbody tr');
    expect(await problem.count()).toBe(1);
    expect(await problem.locator('td').allTextContents()).toEqual(['人员任职', '2', '代表层级', 'G2', '县级', '请从下拉列表中选择：全国、省、市、县、乡镇']);
    await shot(page, 'import-check-problems');

    // Importing anyway writes nothing while a row is wrong.
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 240_000 }).toContain('未导入');

    // Fixed, and saved as a new file (a file changed on disk after it was chosen cannot be read by the browser).
    people.getRow(2).getCell(7).value = '县';
    const fixed = path.join(workbooks, 'roster-fixed.xlsx');
    await writeFile(fixed, Buffer.from(await workbook.xlsx.writeBuffer()));
    await page.getByTestId('import-file').setInputFiles(fixed);
    await page.getByTestId('import-check').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 240_000 }).toContain('检查通过');
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 240_000 }).toBe('导入完成：成功 2 条。');
    await shot(page, 'import-done');

    await page.goto(`${webUrl}/people`);
    await page.getByTestId('people-search').fill('欧阳明远');
    await expect.poll(() => page.getByTestId('person-link').allTextContents(), { timeout: 30_000 }).toEqual(['欧阳明远']);
    await shot(page, 'import-person-found');
  });

  it('refuses a file that is not a workbook, in Chinese, and shows the county on 设置', { timeout: 600_000 }, async () => {
    const page = await staffPage();
    await page.goto(`${webUrl}/import`);
    const fake = path.join(workbooks, 'not-a-workbook.xlsx');
    await writeFile(fake, '姓名,性别\n张三,男\n');
    await page.getByTestId('import-file').setInputFiles(fake);
    await page.getByTestId('import-check').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 240_000 }).toContain('这不是 Excel 工作簿（.xlsx）');

    await page.goto(`${webUrl}/settings`);
    await expect.poll(() => page.getByTestId('settings-terms').locator('li').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('settings-stations').locator('tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'settings');
  });
});
