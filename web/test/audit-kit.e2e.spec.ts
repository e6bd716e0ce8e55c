/**
 * 下载核验包 on /audit, in Chromium: an auditor finds a deputy by name (each option says what tells
 * namesakes apart), chooses a term and downloads the offline page and the JSON file, then a
 * station's books for a year. checkKit accepts each file with the key the public page publishes;
 * the offline page, opened from disk with the network cut off, says it verified, and the same page
 * with one changed byte says it failed, naming the one entry. The audit page also fits a 390 px phone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkKit, verifierFromKey, type AuditKit } from '@yingpan/event-store';
import type { BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser } from './browser';
import { WEB_DIR, gqlThrough, mintToken, signIn } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const DESKTOP = { viewport: { width: 1280, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' } as const;
const CHINESE_TERMS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const termLabel = (n: number) => `第${n >= 20 ? CHINESE_TERMS[Math.floor(n / 10)] : ''}${n >= 10 ? '十' : ''}${CHINESE_TERMS[n % 10]}届`;

interface Person {
  personId: string;
  name: string;
  mandates: { termNumber: number; kind: string }[];
}

describe('the auditor’s kit on /audit', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let dir: string;
  let published: { verifierKey: string; origin: string };

  const check = (kit: unknown) => checkKit(kit, verifierFromKey(published.verifierKey), published.origin);
  /** The kit a page encloses. */
  const enclosed = (html: string) => JSON.parse(/<script id="kit" type="application\/json">([^<]*)<\/script>/.exec(html)![1]!) as AuditKit;

  async function newPage(options: Parameters<TestBrowser['newContext']>[0] = DESKTOP): Promise<Page> {
    const context = await browser!.newContext(options);
    contexts.push(context);
    await signIn(context, webUrl, { role: 'auditor' });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  /** Clicks a download button and keeps the file; its name is the one the browser would save it as. */
  async function download(page: Page, testid: string): Promise<{ name: string; file: string; text: string }> {
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }) as Promise<Download>, page.getByTestId(testid).click()]);
    const name = file.suggestedFilename();
    const at = path.join(dir, `${contexts.length}-${name}`);
    await file.saveAs(at);
    await page.getByTestId('kit-saved').waitFor();
    expect(await page.getByTestId('kit-saved').textContent()).toBe(`已下载：${name}`);
    return { name, file: at, text: readFileSync(at, 'utf8') };
  }

  /** The offline page's verdict and its failing rows, opened from disk in a browser with no network. */
  async function offlineVerdict(file: string, screenshot: string): Promise<{ text: string; failing: number[] }> {
    const context = await browser!.newContext({ ...DESKTOP, offline: true });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(pathToFileURL(file).href);
    const verdict = page.locator('#verdict');
    await verdict.filter({ hasNotText: '正在核验' }).waitFor();
    const text = (await verdict.textContent())!;
    const failing = await page.locator('tr:has(td.fail)').evaluateAll((rows) => rows.map((row) => Number((row as HTMLElement).dataset.position)));
    await page.screenshot({ path: path.join(SCREENSHOTS, screenshot), fullPage: false });
    return { text, failing };
  }

  beforeAll(async () => {
    browser = await openBrowser();
    dir = mkdtempSync(path.join(tmpdir(), 'yingpan-audit-kit-'));
    published = (await gqlThrough(webUrl, undefined, '{ checkpointPublicKey { verifierKey origin } }')).checkpointPublicKey;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  });

  it('an auditor downloads a deputy’s record for a term; checkKit and the offline page accept it, and one changed byte fails', async () => {
    const staff = await mintToken({ role: 'staff' });
    const { peopleConnection } = await gqlThrough(
      webUrl,
      staff,
      '{ peopleConnection(first: 100) { edges { node { personId name mandates { termNumber kind } } } } }',
    );
    const people: Person[] = peopleConnection.edges.map((edge: { node: Person }) => edge.node);
    const newest = Math.max(...people.flatMap((person) => person.mandates.map((seat) => seat.termNumber)));
    const deputy = people.find((person) => person.mandates.some((seat) => seat.kind === 'DEPUTY' && seat.termNumber === newest))!;
    const term = termLabel(newest);

    const page = await newPage();
    await page.goto(`${webUrl}/audit`);
    const panel = page.getByTestId('kit-panel');
    await expect.poll(() => panel.locator('h2').textContent()).toBe('下载核验包');
    // Nobody chosen yet: said beside the field, nothing downloaded.
    await page.getByTestId('kit-download-html').click();
    expect(await page.getByTestId('kit-missing').textContent()).toBe('请先选择人员');

    await page.getByTestId('kit-person').fill(deputy.name);
    const option = page.getByTestId('kit-person-options').locator(`[data-person="${deputy.personId}"]`);
    await option.waitFor();
    // Each option tells namesakes apart: gender and the seat held.
    expect(await option.textContent()).toMatch(new RegExp(`^${deputy.name}.*第.+届`));
    await option.click();
    expect(await page.getByTestId('kit-person-chosen').locator('strong').textContent()).toBe(deputy.name);
    await page.getByTestId('kit-term').selectOption({ label: term });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'audit-kit.png'), fullPage: false });

    const html = await download(page, 'kit-download-html');
    expect(html.name).toBe(`${deputy.name} · ${term}履职记录 · 核验包.html`);
    const json = await download(page, 'kit-download-json');
    expect(json.name).toBe(`${deputy.name} · ${term}履职记录 · 核验包.json`);
    const kit = JSON.parse(json.text) as AuditKit;
    expect(kit.selection).toMatchObject({ kind: 'person', id: deputy.personId, name: deputy.name });
    expect(kit.entries.length).toBeGreaterThan(0);
    const accepted = check(kit);
    expect(accepted.ok, accepted.ok ? '' : accepted.reason).toBe(true);
    // The page encloses the same selection, proven in the same checkpoint (nothing was appended between).
    const inPage = enclosed(html.text);
    expect(inPage.checkpoint).toBe(kit.checkpoint);
    expect(inPage.entries.map((entry) => entry.position)).toEqual(kit.entries.map((entry) => entry.position));
    expect(check(inPage).ok).toBe(true);

    const shown = await offlineVerdict(html.file, 'audit-kit-offline-ok.png');
    expect(shown.text).toContain(`全部核验通过：${kit.entries.length} 条记录`);
    expect(shown.failing).toEqual([]);

    // One byte changed: the last digit of the first act's date enclosed in the page.
    const at = /"date":"\d{4}-\d{2}-\d(\d)"/.exec(html.text)!;
    const digitAt = at.index + at[0].length - 2;
    const forged = html.text.slice(0, digitAt) + String((Number(at[1]) + 1) % 10) + html.text.slice(digitAt + 1);
    expect(forged.length).toBe(html.text.length);
    const forgedFile = path.join(dir, 'forged.html');
    writeFileSync(forgedFile, forged);
    const victim = enclosed(forged).entries.find((entry, index) => JSON.stringify(entry) !== JSON.stringify(inPage.entries[index]))!;
    const refused = await offlineVerdict(forgedFile, 'audit-kit-offline-failed.png');
    expect(refused.text).toContain(`核验未通过：${kit.entries.length} 条记录中有 1 条与已签名的日志不符`);
    expect(refused.failing).toEqual([victim.position]);
  });

  it('an auditor downloads a station’s books for a year as JSON, and checkKit accepts it', async () => {
    const page = await newPage();
    await page.goto(`${webUrl}/audit`);
    await page.getByTestId('kit-kind-station').check();
    await page.getByTestId('kit-download-json').click();
    expect(await page.getByTestId('kit-missing').textContent()).toBe('请先选择家站');
    const station = page.getByTestId('kit-station');
    await expect.poll(() => station.locator('option').count()).toBeGreaterThan(1);
    // The first station still open (a closed one is marked 已撤销).
    const names = (await station.locator('option').allTextContents()).map((text) => text.trim());
    const name = names.find((text, index) => index > 0 && !text.includes('已撤销'))!;
    await station.selectOption({ label: name });
    await page.getByTestId('kit-year').selectOption({ label: '2025年' });
    const json = await download(page, 'kit-download-json');
    expect(json.name).toBe(`${name} · 2025年台账 · 核验包.json`);
    const kit = JSON.parse(json.text) as AuditKit;
    expect(kit.selection).toMatchObject({ kind: 'station', name, period: { from: '2025-01-01', to: '2025-12-31' } });
    const accepted = check(kit);
    expect(accepted.ok, accepted.ok ? '' : accepted.reason).toBe(true);
  });

  it('/audit, with its filters and the kit panel, is no wider than a 390 px phone', async () => {
    const page = await newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', isMobile: true, hasTouch: true });
    await page.goto(`${webUrl}/audit`);
    await page.getByTestId('audit-filters').waitFor();
    await page.getByTestId('kit-panel').waitFor();
    await page.getByTestId('audit-events').waitFor();
    // Measured against 390 px itself: a phone's window widens to whatever overflows it.
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="audit-filters"] *, [data-testid="kit-panel"] *')]
        .filter((element) => element.getBoundingClientRect().right > 390.5)
        .map((element) => `${element.tagName.toLowerCase()}#${element.id || element.dataset.testid || ''}`),
    );
    expect(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByTestId('audit-filters').screenshot({ path: path.join(SCREENSHOTS, 'audit-filters-phone.png') });
    await page.getByTestId('kit-panel').screenshot({ path: path.join(SCREENSHOTS, 'audit-kit-phone.png') });
  });
});
