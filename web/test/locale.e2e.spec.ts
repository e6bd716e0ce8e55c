/**
 * The interface in English and back, in a real browser against the built web server and the API on
 * the small demo county (global-setup.ts): on /record — the forms, the messages the form engine
 * shows as you type, and the county-wide review queue with a declaration a deputy just made, which
 * staff reject with a reason — and on /handover, the closed term's dossier. Shown messages change
 * language with the switch, not only new ones.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { WEB_DIR, gqlThrough, mintToken, signIn, TODAY } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const TABLET = { viewport: { width: 820, height: 1180 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

describe('the English switch on /record and /handover', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let staff: string;

  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}, token = staff): Promise<T> => gqlThrough<T>(webUrl, token, query, variables);

  async function newPage(role: 'staff' | 'deputy', personId?: string): Promise<Page> {
    const context = await browser!.newContext(TABLET);
    contexts.push(context);
    await signIn(context, webUrl, { role, personId });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  const switchTo = async (page: Page, code: 'en' | 'zh-CN') => {
    await page.getByTestId(`locale-${code}`).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(code);
  };

  /** A deputy on a station's roster now, and a day (today or before) without a station visit of theirs there. */
  async function declarable(): Promise<{ stationId: string; personId: string; mandateId: string; day: string }> {
    const { stations } = await gql('{ stations(first: 30) { edges { node { stationId closedOn } } } }');
    for (const { node } of stations.edges as { node: { stationId: string; closedOn: string | null } }[]) {
      if (node.closedOn) continue;
      const { stationBooks } = await gql(
        'query($s: ID!) { stationBooks(stationId: $s) { roster { personId mandateId toOn } activities(first: 100) { edges { node { personId act date } } } } }',
        { s: node.stationId },
      );
      const deputy = stationBooks.roster.find((entry: { toOn: string | null }) => entry.toOn === null);
      if (!deputy) continue;
      const visited = new Set(
        stationBooks.activities.edges
          .map((edge: { node: { personId: string; act: string; date: string } }) => edge.node)
          .filter((record: { personId: string; act: string }) => record.personId === deputy.personId && record.act === 'STATION_VISIT')
          .map((record: { date: string }) => record.date),
      );
      let day = TODAY;
      while (visited.has(day)) day = dayBefore(day);
      return { stationId: node.stationId, personId: deputy.personId, mandateId: deputy.mandateId, day };
    }
    throw new Error('no station with a deputy on its roster');
  }

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await openBrowser();
    staff = await mintToken({ role: 'staff' });
  });

  // A test's pages close with it: a page left open would keep following the log (its live reads) through the tests after it.
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
  });

  it('/record: the forms, their messages and the review queue change language; staff reject a fresh declaration in English', async () => {
    // A deputy declares a station visit: it awaits review, county-wide, without choosing a station.
    const { stationId, personId, mandateId, day: firstDay } = await declarable();
    const deputy = await mintToken({ role: 'deputy', personId });
    const recordId = crypto.randomUUID();
    // One visit a day is the rule: other tests may have declared one on the day the books did not
    // show yet (they list what is approved), so an earlier day is tried then.
    let day = firstDay;
    let declared: { recordStationVisit: { __typename: string; code?: string } } | undefined;
    for (let attempt = 0; attempt < 30; attempt++, day = dayBefore(day)) {
      declared = await gql(
        'mutation($input: RecordStationVisitInput!) { recordStationVisit(input: $input) { __typename ... on Rejection { code messageEn } } }',
        { input: { commandId: crypto.randomUUID(), recordId, stationId, personId, mandateId, date: day, summary: '进站接待选民' } },
        deputy,
      );
      if (declared!.recordStationVisit.code !== 'already-visited') break;
    }
    expect(declared!.recordStationVisit).toEqual({ __typename: 'CommandResult' });

    const page = await newPage('staff');
    await page.goto(`${webUrl}/record?form=practical-help`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('登记履职');
    const form = page.getByTestId('form-practical-help');
    expect(await form.locator('h2').textContent()).toBe('为群众办实事');
    await form.getByTestId('submit').click();
    await expect.poll(() => form.getAttribute('data-state')).toBe('invalid');
    expect(await form.getByTestId('error-summary').textContent()).toBe('请填写办理情况（不含个人信息）');
    expect(await form.getByTestId('error-person').textContent()).toBe('请选择办理人员');

    const queue = page.getByTestId('review-queue');
    const row = queue.locator(`[data-testid="review-row"][data-record="${recordId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-stream')).toBe(`station:${stationId}`);
    expect(await row.textContent()).toContain('进站履职');
    expect(await queue.locator('h2').textContent()).toBe('待审核的申报');

    await switchTo(page, 'en');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Record duty');
    expect(await form.locator('h2').textContent()).toBe('Practical help for the people');
    expect(await page.getByTestId('choose-correct-record').textContent()).toBe('Correct or retract a record');
    // The messages already shown follow the switch.
    expect(await form.getByTestId('error-summary').textContent()).toBe('What was done (no personal data) is required');
    expect(await form.getByTestId('error-person').textContent()).toBe('Who helped: please choose');
    expect(await queue.locator('h2').textContent()).toBe('Declarations awaiting review');
    await expect.poll(() => page.getByTestId('review-station').locator('option').first().textContent()).toBe('All stations');
    expect(await row.textContent()).toContain('Station visit');

    await row.getByTestId('review-reject').click();
    await row.getByTestId('review-reject-confirm').click();
    expect(await row.getByTestId('review-reason-error').textContent()).toBe('Why it is rejected is required');
    await row.getByTestId('review-reason').fill('The station was closed that day');
    await row.getByTestId('review-reject-confirm').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('rejected');
    expect(await row.getByTestId('review-done').textContent()).toMatch(/✕ Rejected \(log position \d+\)/);
    await fullPageShot(page, path.join(SCREENSHOTS, 'record-en.png'));

    await switchTo(page, 'zh-CN');
    await expect.poll(() => page.locator('h1').textContent()).toBe('登记履职');
    expect(await row.getByTestId('review-done').textContent()).toMatch(/✕ 已审核不通过（日志位置 \d+）/);
    expect(await form.getByTestId('error-summary').textContent()).toBe('请填写办理情况（不含个人信息）');

    // It awaits review no more.
    const { pendingRecords } = await gql('query($p: ID) { pendingRecords(first: 100, personId: $p) { edges { node { recordId } } } }', { p: personId });
    expect(pendingRecords.edges.map((edge: { node: { recordId: string } }) => edge.node.recordId)).not.toContain(recordId);
  });

  it('/handover: the dossier of the closed term changes language and back', async () => {
    const page = await newPage('staff');
    await page.goto(`${webUrl}/handover`);
    await page.getByTestId('dossier-title').waitFor();
    expect(await page.locator('h1').textContent()).toBe('换届交接');
    expect(await page.getByTestId('dossier-title').textContent()).toContain('换届交接档案');
    const openTitle = page.locator('#open-items-title');
    expect(await openTitle.textContent()).toBe('未办结事项');

    await switchTo(page, 'en');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Term handover');
    expect(await page.getByTestId('dossier-title').textContent()).toContain('handover dossier');
    expect(await openTitle.textContent()).toBe('Items left open');
    expect(await page.title()).toContain('Term handover');
    await fullPageShot(page, path.join(SCREENSHOTS, 'handover-en.png'));

    // The choice is kept across pages (and reloads) until switched back.
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Term handover');
    await switchTo(page, 'zh-CN');
    await expect.poll(() => page.locator('h1').textContent()).toBe('换届交接');
    expect(await openTitle.textContent()).toBe('未办结事项');
  });

  it('raised no error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
