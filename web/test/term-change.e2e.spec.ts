/**
 * The handover page after a term change, in Chromium, as staff read it on the demo county (whose
 * change from term 17 to 18 the demo completed the way staff do): the 换届衔接 panel says the change
 * is complete; every seat says why it ended (届满, and whether its holder was re-elected) and who
 * holds it after; an open item's history names each event in Chinese, with the act's date
 * (发生于) apart from when it was recorded (记录于), no event type or record id, and each item
 * shows its age and a link. Read-only: the shared demo county is left as it was.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser } from './browser';
import { WEB_DIR, signIn } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const UUID_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/i;
/** An event type as the log names it, e.g. OpinionRegistered. */
const EVENT_TYPE = /\b(Opinion|Suggestion|Pairing|Station|Mandate|Deputy)[A-Z][a-z]+/;

describe('the handover page after a term change', () => {
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

  it('shows the change complete, why each seat ended and who holds it after, and items in words with their dates apart', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await signIn(context, webUrl, { role: 'staff' });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${webUrl}/handover`);

    // 换届衔接: the demo completed the change, nothing is left.
    await page.getByTestId('term-change-complete').waitFor();
    expect(await page.getByTestId('term-change-complete').textContent()).toContain('换届衔接已全部办理');

    // Seats: every one of the closed term ended 届满, re-elected or not; one that nobody holds after is flagged.
    await page.getByTestId('handover-seat').first().waitFor();
    const reasons = await page.getByTestId('seat-end-reason').allTextContents();
    expect(reasons.length).toBe(await page.getByTestId('handover-seat').count());
    for (const reason of reasons) expect(reason).toMatch(/^届满（(连任|未连任)）$/);
    expect(reasons.some((reason) => reason.includes('（连任）'))).toBe(true);
    expect(reasons.some((reason) => reason.includes('（未连任）'))).toBe(true);
    const successors = await page.getByTestId('seat-successor').allTextContents();
    for (const text of successors) expect(text.trim()).toMatch(/^(第.+届|接任：|⚑ 无人接任|—)/);

    // An open item: its age and a link, and a history in words.
    const item = page.getByTestId('open-item').first();
    await item.waitFor();
    expect(await item.getByTestId('item-age').textContent()).toMatch(/^已 \d+ 天$/);
    expect(await item.getByTestId('item-link').getAttribute('href')).toMatch(/^\/(stations|people)\//);
    await item.getByTestId('item-history').locator('summary').click();
    const rows = item.getByTestId('item-history').locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    const first = await rows.first().locator('td').allTextContents();
    expect(first[0]).toMatch(/^发生于 \d{4}-\d{2}-\d{2}$/);
    expect(first[1]).toMatch(/\p{Script=Han}/u);
    expect(first.at(-1)).toMatch(/^记录于 /);
    const history = (await item.getByTestId('item-history').textContent()) ?? '';
    expect(history).not.toMatch(EVENT_TYPE);
    expect(history).not.toMatch(UUID_TEXT);
    for (const label of await page.getByTestId('history-event').allTextContents()) expect(label).toMatch(/\p{Script=Han}/u);

    // An item past its deadline and still open says so.
    const overdue = await page.getByTestId('item-overdue').allTextContents();
    for (const text of overdue) expect(text).toMatch(/^⚠ 已超期（期限 \d{4}-\d{2}-\d{2}）$/);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'handover-term-change.png'), fullPage: false });
    await context.close();
  });
});
