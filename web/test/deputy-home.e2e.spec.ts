/**
 * A deputy on a 390×844 phone: 我的履职 shows this year's duties; declaring a home visit takes two
 * taps (the big button, then 登记 after typing what was done) with the form opened in view; the
 * declaration then waits for review on the same home page. GraphQL only finds the deputy.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser } from './browser';
import { gqlThrough, mintToken, signIn, TODAY, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const PHONE = { width: 390, height: 844 };

describe('a deputy’s phone home, 我的履职', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let deputy: { personId: string; name: string };

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    const staff = await mintToken({ role: 'staff' });
    // A deputy holding exactly one seat today (the form then needs no choice of seat).
    const { peopleSearch } = await gqlThrough(
      webUrl,
      staff,
      'query($day: Date) { peopleSearch(first: 50, filters: { team: DEPUTY, validOn: $day }) { edges { node { personId name mandates { mandateId startsOn validTo } } } } }',
      { day: TODAY },
    );
    const found = peopleSearch.edges
      .map((edge: { node: { personId: string; name: string; mandates: { startsOn: string; validTo: string | null }[] } }) => edge.node)
      .find(
        (node: { mandates: { startsOn: string; validTo: string | null }[] }) =>
          node.mandates.filter((m) => m.startsOn <= TODAY && (!m.validTo || m.validTo >= TODAY)).length === 1,
      );
    expect(found, 'a deputy with one seat today').toBeDefined();
    deputy = found;
    browser = await openBrowser();
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    await signIn(context, webUrl, { role: 'deputy', personId: deputy.personId });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows this year’s duties and declares a home visit in two taps, the form in view', async () => {
    // 我的履职 is a deputy's home: the brand leads there and it heads the nav.
    await page.goto(`${webUrl}/people`);
    expect(await page.getByTestId('brand').getAttribute('href')).toBe('/me');
    await page.getByTestId('brand').tap();
    await page.waitForURL(/\/me$/);
    await page.getByTestId('me-duties').waitFor();
    await expect.poll(() => page.getByTestId('me-duty').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect((await page.getByTestId('me-duties').textContent()) ?? '').toMatch(/进站|回|述职/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'deputy-home.png') });

    // Tap 1: the big button; the form opens in view, the deputy already chosen as themself.
    await page.getByTestId('me-home-visit').tap();
    await page.waitForURL(/\/record\?form=home-visit/);
    const form = page.getByTestId('form-home-visit');
    await form.waitFor();
    await expect.poll(() => form.evaluate((element) => element.getBoundingClientRect().top), { timeout: 15_000 }).toBeLessThan(PHONE.height / 2);
    await expect.poll(() => form.getByTestId('chosen-person').getAttribute('data-person'), { timeout: 30_000 }).toBe(deputy.personId);

    await form.getByTestId('input-place').fill('石桥村村委会');
    await form.getByTestId('input-visited').fill('村民代表 8 人');
    await form.getByTestId('input-summary').fill('听取村民对村道维修的意见');
    // Tap 2: 登记.
    await form.getByTestId('submit').tap();
    await expect.poll(() => form.getAttribute('data-state'), { timeout: 30_000 }).toBe('recorded');
    expect(await form.getByTestId('confirmation').textContent()).toContain('已申报，待审核');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'deputy-home-visit.png') });

    // Back home, the declaration awaits review there.
    await page.goto(`${webUrl}/me`);
    const mine = page.getByTestId('my-declarations');
    await expect.poll(async () => (await mine.textContent()) ?? '', { timeout: 30_000 }).toContain(TODAY);
    expect(pageErrors).toEqual([]);
  });
});
