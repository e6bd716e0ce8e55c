/**
 * The header's view lives in the address: office staff choose a past day in the as-of control, the
 * URL says so (`?asOf=happened:…`), a reload and the copied address opened in a fresh browser show
 * the same past figures, links inside the app keep the view, "as known on a day" asks the API for
 * what was known at that day's end (China Standard Time), and going back to now drops the parameter.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser } from './browser';
import { gqlThrough, mintToken, signIn, TODAY, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const TABLET = { viewport: { width: 820, height: 1180 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
const HEADLINES = 'query($asOf: AsOfInput) { countyHeadlines(asOf: $asOf) { trainingPersonTimes } }';

describe('the as-of view in the URL', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let staff: string;
  let page: Page;
  /** The variables of every GraphQL request the pages sent. */
  const sent: string[] = [];

  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> => gqlThrough<T>(webUrl, staff, query, variables);
  const trainings = async (asOf?: object): Promise<number> => (await gql(HEADLINES, { asOf: asOf ?? null })).countyHeadlines.trainingPersonTimes;

  async function newPage(): Promise<Page> {
    const context = await browser!.newContext(TABLET);
    contexts.push(context);
    staff = await signIn(context, webUrl, { role: 'staff' });
    const opened = await context.newPage();
    opened.on('pageerror', (error) => pageErrors.push(error.message));
    opened.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.method() === 'POST') sent.push(request.postData() ?? '');
    });
    return opened;
  }

  const shown = async (on: Page = page) => Number(await on.getByTestId('headline-trainingPersonTimes').first().getAttribute('data-value'));
  const asOfParam = (on: Page = page) => new URL(on.url()).searchParams.get('asOf');

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await openBrowser();
    page = await newPage();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
  });

  // A day of the last year: the county had trained fewer people by then than it has today.
  const pastDay = `${Number(TODAY.slice(0, 4)) - 1}-06-30`;

  it('puts a chosen past day in the URL; a reload and the copied address in a fresh browser show that day', async () => {
    const now = await trainings();
    const then = await trainings({ view: 'HAPPENED', date: pastDay });
    expect(then, 'the past differs from today').toBeLessThan(now);

    await page.goto(`${webUrl}/`);
    await expect.poll(() => shown()).toBe(now);
    expect(asOfParam()).toBeNull();

    await page.getByTestId('asof-mode').selectOption('HAPPENED');
    await page.getByTestId('asof-date').fill(pastDay);
    await page.getByTestId('asof-apply').click();
    await expect.poll(() => asOfParam()).toBe(`happened:${pastDay}`);
    // Readable in the address bar: the colon is not escaped.
    expect(page.url()).toContain(`asOf=happened:${pastDay}`);
    await expect.poll(() => shown()).toBe(then);
    expect(await page.getByTestId('asof-banner').textContent()).toContain(pastDay);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'as-of-url-happened.png') });

    await page.reload();
    await expect.poll(() => page.getByTestId('asof-banner').textContent()).toContain(pastDay);
    await expect.poll(() => shown()).toBe(then);
    expect(await page.getByTestId('asof-mode').inputValue()).toBe('HAPPENED');
    expect(await page.getByTestId('asof-date').inputValue()).toBe(pastDay);

    // A colleague opens the copied address: another browser, nothing kept from this one.
    const copied = page.url();
    const other = await newPage();
    await other.goto(copied);
    await expect.poll(() => other.getByTestId('asof-banner').textContent()).toContain(pastDay);
    await expect.poll(() => shown(other)).toBe(then);
    expect(await other.getByTestId('asof-date').inputValue()).toBe(pastDay);
    await other.close();
  });

  it('keeps the view on links inside the app, in the header and on the page', async () => {
    const then = await trainings({ view: 'HAPPENED', date: pastDay });
    expect(await page.getByTestId('nav-people').getAttribute('href')).toBe(`/people?asOf=happened:${pastDay}`);
    await page.getByTestId('nav-people').click();
    await page.waitForURL(/\/people\?/);
    expect(asOfParam()).toBe(`happened:${pastDay}`);

    // A person's link in the list says the view in its address too (a new tab, a copy, a bookmark), and following it keeps it.
    const person = page.getByTestId('person-link').first();
    await person.waitFor();
    await expect.poll(() => person.getAttribute('href')).toMatch(new RegExp(`^/people/[0-9a-f-]{36}\\?asOf=happened:${pastDay}$`));
    await person.click();
    await page.waitForURL(/\/people\/[0-9a-f-]{36}/);
    expect(asOfParam()).toBe(`happened:${pastDay}`);
    await expect.poll(() => page.getByTestId('asof-banner').textContent()).toContain(pastDay);

    await page.getByTestId('nav-home').click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(asOfParam()).toBe(`happened:${pastDay}`);
    await expect.poll(() => shown()).toBe(then);
  });

  it('shows the county as it was known at the end of a day, asking the API for that instant', async () => {
    // The county day before the demo county was written (by the database's clock), and no later than its today.
    const auditor = await mintToken({ role: 'auditor' });
    const { events } = await gqlThrough(webUrl, auditor, '{ events(first: 1) { edges { node { recordedAt } } } }');
    const firstRecorded = Date.parse(events.edges[0].node.recordedAt);
    const dayBefore = new Date(firstRecorded + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    const knownDay = dayBefore < TODAY ? dayBefore : TODAY;
    const at = `${knownDay}T23:59:59.999+08:00`;
    const now = await trainings();
    const known = await trainings({ view: 'KNOWN', at });
    expect(known, 'what was known then differs from today').not.toBe(now);

    sent.length = 0;
    await page.getByTestId('asof-mode').selectOption('KNOWN_ON');
    await page.getByTestId('asof-date').fill(knownDay);
    await page.getByTestId('asof-apply').click();
    await expect.poll(() => asOfParam()).toBe(`known:${knownDay}`);
    await expect.poll(() => page.getByTestId('asof-banner').getAttribute('data-view')).toBe('KNOWN_ON');
    expect(await page.getByTestId('asof-banner').textContent()).toContain(`${knownDay} 当日结束时所知`);
    await expect.poll(() => shown()).toBe(known);
    // The end of that county day, not its start nor the browser's midnight.
    expect(sent.some((body) => body.includes(`"at":"${at}"`))).toBe(true);
    expect(await page.getByTestId('dashboard-day').textContent()).toContain(knownDay);

    await page.reload();
    await expect.poll(() => page.getByTestId('asof-banner').getAttribute('data-view')).toBe('KNOWN_ON');
    await expect.poll(() => shown()).toBe(known);
    expect(await page.getByTestId('asof-mode').inputValue()).toBe('KNOWN_ON');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'as-of-url-known-on.png') });
  });

  it('opens a log position from the address, and going back to now drops the parameter', async () => {
    const now = await trainings();
    await page.goto(`${webUrl}/?asOf=position:0`);
    await expect.poll(() => page.getByTestId('asof-banner').getAttribute('data-view')).toBe('KNOWN');
    await expect.poll(() => shown()).toBe(await trainings({ view: 'KNOWN', position: 0 }));
    expect(await page.getByTestId('asof-position').inputValue()).toBe('0');

    await page.getByTestId('asof-reset').click();
    await page.getByTestId('asof-banner').waitFor({ state: 'detached' });
    expect(asOfParam()).toBeNull();
    await expect.poll(() => shown()).toBe(now);
    expect(await page.getByTestId('asof-mode').inputValue()).toBe('NOW');
    expect(await page.getByTestId('nav-people').getAttribute('href')).toBe('/people');

    // A list's links carry a chosen view; back to now, they are given back their own addresses.
    await page.goto(`${webUrl}/people?asOf=happened:${pastDay}`);
    await expect.poll(() => page.locator('main a[data-testid="person-link"][href*="asOf=happened:"]').count()).toBeGreaterThan(0);
    await page.getByTestId('asof-reset').click();
    await page.getByTestId('asof-banner').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('main a[href*="asOf="]').count()).toBe(0);
    expect(await page.getByTestId('person-link').count()).toBeGreaterThan(0);

    // A malformed view in the address is the present.
    await page.goto(`${webUrl}/?asOf=happened:2024-02-30`);
    await expect.poll(() => shown()).toBe(now);
    expect(await page.getByTestId('asof-banner').count()).toBe(0);
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
