/**
 * Keyboard and small-screen use on a 390×844 phone: a failed submit puts the focus on the first
 * field to correct, the first Tab stop of every page is "跳到主要内容", which shows itself and moves
 * the focus to the page's main content, and the header leaves the screen to the page (at most 15 %
 * of its height) on 我的履职 and 登记履职.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser } from './browser';
import { gqlThrough, mintToken, signIn, TODAY, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const PHONE = { width: 390, height: 844 };
const HEADER_SHARE = 0.15;

describe('keyboard and phone use', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let deputyId: string;

  async function phonePage(role: 'staff' | 'deputy', personId?: string): Promise<Page> {
    const context = await browser!.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    contexts.push(context);
    await signIn(context, webUrl, { role, personId });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  /** What has the focus: its test id, its id and the form field it belongs to. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return {
        testid: element?.getAttribute('data-testid') ?? null,
        id: element?.id ?? null,
        tag: element?.tagName.toLowerCase() ?? null,
        field: element?.closest('[data-field]')?.getAttribute('data-field') ?? null,
      };
    });

  /** The fields a form marks as wrong, in the order they stand on the page. */
  const markedFields = (form: Locator) => form.locator('.field.has-error').evaluateAll((fields) => fields.map((field) => field.getAttribute('data-field')));

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    const staff = await mintToken({ role: 'staff' });
    // A deputy holding exactly one seat today (their forms then need no choice of seat).
    const { peopleSearch } = await gqlThrough(
      webUrl,
      staff,
      'query($day: Date) { peopleSearch(first: 50, filters: { team: DEPUTY, validOn: $day }) { edges { node { personId mandates { startsOn validTo } } } } }',
      { day: TODAY },
    );
    const found = peopleSearch.edges
      .map((edge: { node: { personId: string; mandates: { startsOn: string; validTo: string | null }[] } }) => edge.node)
      .find(
        (node: { mandates: { startsOn: string; validTo: string | null }[] }) =>
          node.mandates.filter((m) => m.startsOn <= TODAY && (!m.validTo || m.validTo >= TODAY)).length === 1,
      );
    expect(found, 'a deputy with one seat today').toBeDefined();
    deputyId = found.personId;
    browser = await openBrowser();
  });

  // A test's pages close with it: a page left open would keep following the log (its live reads) through the tests after it.
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
  });

  it('moves the focus to the first field to correct after a failed submit, and to the next one after the next', async () => {
    const page = await phonePage('deputy', deputyId);
    await page.goto(`${webUrl}/record?form=home-visit`);
    const form = page.getByTestId('form-home-visit');
    await form.waitFor();
    // The deputy declares as themself: the person is chosen, so the first field to fill is the place.
    await expect.poll(() => form.getByTestId('chosen-person').getAttribute('data-person')).toBe(deputyId);

    await form.getByTestId('submit').tap();
    await expect.poll(() => form.getAttribute('data-state')).toBe('invalid');
    const marked = await markedFields(form);
    expect(marked).toEqual(['place', 'visited', 'summary']);
    expect(await focused(page)).toMatchObject({ testid: 'input-place', field: 'place' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'a11y-invalid-focus.png') });

    // Corrected the place: the next failed submit goes to the field now first in line.
    await page.keyboard.type('石桥村村委会');
    await form.getByTestId('submit').tap();
    await expect.poll(() => markedFields(form)).toEqual(['visited', 'summary']);
    expect(await focused(page)).toMatchObject({ testid: 'input-visited', field: 'visited' });
  });

  it('focuses the person search when no person is chosen yet (the first field of a staff form)', async () => {
    const page = await phonePage('staff');
    await page.goto(`${webUrl}/record?form=home-visit`);
    const form = page.getByTestId('form-home-visit');
    await form.waitFor();
    await form.getByTestId('submit').tap();
    await expect.poll(() => form.getAttribute('data-state')).toBe('invalid');
    const marked = await markedFields(form);
    expect(marked[0]).toBe('person');
    const now = await focused(page);
    expect(now.field).toBe('person');
    expect(now.tag).toBe('input');
  });

  it('makes “跳到主要内容” the first Tab stop, shown when focused, and moves the focus to the main content', async () => {
    const page = await phonePage('deputy', deputyId);
    for (const pathname of ['/me', '/record', '/people']) {
      await page.goto(`${webUrl}${pathname}`);
      await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
      const skip = page.getByTestId('skip-link');
      // Hidden until it has the focus.
      expect((await skip.boundingBox())?.height ?? 0, pathname).toBeLessThanOrEqual(1);

      await page.keyboard.press('Tab');
      expect((await focused(page)).testid, pathname).toBe('skip-link');
      expect(await skip.textContent()).toBe('跳到主要内容');
      const box = await skip.boundingBox();
      expect(box, pathname).not.toBeNull();
      expect(box!.height, pathname).toBeGreaterThan(16);
      expect(box!.width, pathname).toBeGreaterThan(60);
      expect(box!.y, pathname).toBeGreaterThanOrEqual(0);
      if (pathname === '/record') await page.screenshot({ path: path.join(SCREENSHOTS, 'a11y-skip-link.png') });

      await page.keyboard.press('Enter');
      expect((await focused(page)).id, pathname).toBe('main');
      // The address stays as it was (no #main), and the next Tab goes into the page, past the header.
      expect(new URL(page.url()).hash).toBe('');
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(() => {
          const main = document.getElementById('main');
          return !!main && main !== document.activeElement && main.contains(document.activeElement);
        }),
        pathname,
      ).toBe(true);
    }
  });

  it('keeps the header within 15 % of a phone screen on 我的履职 and 登记履职', async () => {
    const deputy = await phonePage('deputy', deputyId);
    const staff = await phonePage('staff');
    const limit = PHONE.height * HEADER_SHARE;
    for (const [page, pathname, ready] of [
      [deputy, '/me', 'me-duties'],
      [deputy, '/record', 'record-form-card'],
      [staff, '/record', 'record-form-card'],
    ] as const) {
      await page.goto(`${webUrl}${pathname}`);
      await page.getByTestId(ready).waitFor();
      const header = await page.locator('header.site-header').boundingBox();
      expect(header, pathname).not.toBeNull();
      expect(header!.height, `${pathname}: the header is ${header!.height} px`).toBeGreaterThan(0);
      expect(header!.height, `${pathname}: the header is ${header!.height} px of ${PHONE.height}`).toBeLessThanOrEqual(limit);
      // Nothing is pushed past the screen's edge (the nav scrolls within its own row).
      expect(await page.evaluate(() => document.documentElement.scrollWidth), pathname).toBeLessThanOrEqual(PHONE.width);
      // Every section of the nav is still there to reach: the last one scrolls into view.
      const links = page.locator('header nav a');
      expect(await links.count(), pathname).toBeGreaterThan(1);
      await links.last().scrollIntoViewIfNeeded();
      const last = await links.last().boundingBox();
      expect(last!.x + last!.width, pathname).toBeLessThanOrEqual(PHONE.width);
      expect(last!.x, pathname).toBeGreaterThanOrEqual(0);
    }
    await deputy.goto(`${webUrl}/me`);
    await deputy.getByTestId('me-duties').waitFor();
    await deputy.screenshot({ path: path.join(SCREENSHOTS, 'a11y-phone-header-me.png') });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
