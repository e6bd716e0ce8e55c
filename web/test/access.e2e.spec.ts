/**
 * Signing in and out, the public page and the auditor's page in a real browser, against the
 * built web server and a real API on a fresh demo county (PGlite, or PostgreSQL when
 * DATABASE_URL is set) that signs tokens with the test secret, started by global-setup.ts.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { SESSION_COOKIE, WEB_DIR, gqlThrough, mintToken, signIn } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const TABLET = { viewport: { width: 820, height: 1180 }, locale: 'zh-CN' };

describe('signing in, the public page and the audit page', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let auditor: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await openBrowser();
    auditor = await mintToken({ role: 'auditor' });
  });

  // A test's pages close with it: a page left open would keep following the log (its live reads) through the tests after it.
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** A fresh tablet-sized browser (no cookies: the public until signed in). */
  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext(TABLET);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return { context, page };
  }

  const shot = (page: Page, name: string) => fullPageShot(page, path.join(SCREENSHOTS, `${name}.png`));
  const sessionCookie = async (context: BrowserContext) => (await context.cookies(webUrl)).find((cookie) => cookie.name === SESSION_COOKIE);

  it('signs in through a sign-in link as staff, shows the role, keeps the log out of reach, and signs out', async () => {
    const { context, page } = await newPage();

    // A token the API refuses is answered beside the field, and nothing is kept.
    await page.goto(`${webUrl}/signin`);
    await page.getByTestId('signin-token').fill('not.a.token');
    await page.getByTestId('signin-submit').click();
    await expect.poll(() => page.getByTestId('signin-error').textContent()).toBe('登录凭证无效');
    expect(await page.getByTestId('signin-token').getAttribute('aria-invalid')).toBe('true');
    expect(await sessionCookie(context)).toBeUndefined();
    expect(await page.getByTestId('signin-hint-command').textContent()).toBe('npx yingpan token --role staff');
    await shot(page, 'signin');

    const token = await mintToken({ role: 'staff', name: '测试员' });
    await page.goto(`${webUrl}/signin#token=${token}`);
    await page.waitForURL(`${webUrl}/`);
    await expect.poll(() => page.getByTestId('viewer-role').textContent()).toBe('机关工作人员');
    expect(await page.getByTestId('viewer-name').textContent()).toBe('测试员');
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    expect(await page.getByTestId('nav-people').count()).toBe(1);
    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ value: token, httpOnly: true, sameSite: 'Lax', path: '/' });
    // The token never stays in the address bar or the page's reach.
    expect(page.url()).not.toContain('token=');
    expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);
    await page.getByTestId('headlines').waitFor();

    // A page opened afresh comes with its viewer: it asks no /session of its own, and is kept by no cache.
    const asked: string[] = [];
    page.on('request', (request) => void (new URL(request.url()).pathname === '/session' && asked.push(request.method())));
    const response = await page.goto(`${webUrl}/people`);
    expect(response?.headers()['cache-control']).toBe('private, no-store');
    await expect.poll(() => page.getByTestId('viewer-role').textContent()).toBe('机关工作人员');
    await page.getByTestId('person-row').first().waitFor();
    expect(asked).toEqual([]);

    // Staff may not read the log: the audit page sends them home.
    await page.goto(`${webUrl}/audit`);
    await page.waitForURL(`${webUrl}/`);

    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${webUrl}/public`);
    await page.getByTestId('sign-in').waitFor();
    expect(await sessionCookie(context)).toBeUndefined();
  });

  it('sends a browser whose token expired to the sign-in page with a message', async () => {
    const { context, page } = await newPage();
    await signIn(context, webUrl, { role: 'staff' });
    await page.goto(`${webUrl}/people`);
    await page.getByTestId('person-row').first().waitFor();
    // The token runs out while the page is open (a token that expires as it is made stands in).
    const expired = async () => context.addCookies([{ name: SESSION_COOKIE, value: await mintToken({ role: 'staff', expiresIn: '0s' }), url: webUrl }]);
    await expired();

    // The page's own queries meet the expired token: the client goes to sign in again.
    await page.getByTestId('nav-stations').click();
    await page.waitForURL(/\/login\?reason=expired/);
    expect(await page.getByTestId('login-expired').textContent()).toContain('登录已过期');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/stations');
    expect(await sessionCookie(context)).toBeUndefined();

    // Opening a page with an expired token does the same.
    await expired();
    await page.goto(`${webUrl}/people`);
    await page.waitForURL(/\/login\?reason=expired&next=%2Fpeople$/);
    await page.getByTestId('login-expired').waitFor();
    expect(await sessionCookie(context)).toBeUndefined();
  });

  it('shows the public the disclosed deputy profiles and bands, and no voter data', async () => {
    const { page } = await newPage();
    await page.goto(`${webUrl}/`);
    await page.waitForURL(`${webUrl}/public`);
    await page.getByTestId('deputy-card').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe('代表信息公开');
    // The public sees only the public page and the published regulations: no other section, no as-of control here.
    expect(await page.locator('nav a').evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual(['/regulations', '/public']);
    expect(await page.getByTestId('asof-form').count()).toBe(0);

    expect(await page.getByTestId('deputy-card').count()).toBe(20);
    const bands = await page.getByTestId('deputy-band').allTextContents();
    expect(bands.length).toBeGreaterThan(0);
    for (const band of bands) expect(band).toMatch(/^(优秀|称职|基本称职|不称职|未计分)$/);
    expect(await page.getByTestId('deputy-duties-met').count()).toBeGreaterThan(0);
    await shot(page, 'public');

    // Every profile, page after page.
    while ((await page.getByTestId('public-more').count()) > 0) {
      const shown = await page.getByTestId('deputy-card').count();
      await page.getByTestId('public-more').click();
      await expect.poll(() => page.getByTestId('deputy-card').count()).toBeGreaterThan(shown);
    }
    const names = await page.getByTestId('deputy-name').allTextContents();
    expect(new Set(names).size).toBe(names.length);

    // No voter behind any opinion appears: names (those no deputy shares) and phone numbers.
    const { events } = await gqlThrough(webUrl, auditor, '{ events(first: 100, filter: { types: ["OpinionRegistered"] }) { edges { node { data } } } }');
    const voters = events.edges.map((edge: any) => edge.node.data.voter as { name: string; phone: string });
    expect(voters.length).toBeGreaterThan(0);
    const { publicDeputies } = await gqlThrough(webUrl, undefined, '{ publicDeputies(first: 100) { edges { node { name } } } }');
    const deputyNames: string[] = publicDeputies.edges.map((edge: any) => edge.node.name);
    const html = await page.content();
    for (const voter of voters) {
      expect(html).not.toContain(voter.phone);
      if (!deputyNames.some((name) => name.includes(voter.name))) expect(html, voter.name).not.toContain(voter.name);
    }

    // Search narrows the list; another year reloads the bands.
    const name = names[3]!;
    await page.getByTestId('public-search').fill(name);
    await expect.poll(() => page.getByTestId('deputy-name').allTextContents()).toEqual(names.filter((other) => other.includes(name)));
    const year = Number(await page.getByTestId('public-year').inputValue());
    await page.getByTestId('public-year').selectOption(String(year - 1));
    await expect.poll(() => page.locator('.deputy h3:not(.visually-hidden)').first().textContent()).toBe(`${year - 1}年度履职`);
    // The year still running shows no band, only that it is being evaluated (评价中).
    await page.getByTestId('public-search').fill('');
    await page.getByTestId('public-year').selectOption(String(year + 1));
    await expect.poll(() => page.locator('.deputy h3:not(.visually-hidden)').first().textContent()).toBe(`${year + 1}年度履职`);
    await page.getByTestId('deputy-band-running').first().waitFor();
    expect(await page.getByTestId('deputy-band-running').first().textContent()).toBe('评价中');
    expect(await page.getByTestId('deputy-band').count()).toBe(0);
  });

  it('lets an auditor verify the chain, filter the log by type and step through a stream', async () => {
    const { context, page } = await newPage();
    await signIn(context, webUrl, { role: 'auditor' });
    await page.goto(`${webUrl}/audit`);
    await expect.poll(() => page.getByTestId('viewer-role').textContent()).toBe('审计人员');
    expect(await page.getByTestId('nav-audit').getAttribute('aria-current')).toBe('page');

    // The chain holds, and the newest event comes first.
    await page.getByTestId('chain-result').waitFor();
    expect(await page.getByTestId('chain-result').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('chain-verdict').textContent()).toBe('哈希链完整');
    const { chainStatus } = await gqlThrough(webUrl, auditor, '{ chainStatus { headPosition digest } }');
    await page.getByTestId('audit-event').first().waitFor();
    expect(Number(await page.getByTestId('audit-event').first().getAttribute('data-position'))).toBe(chainStatus.headPosition);
    expect(await page.getByTestId('chain-digest').textContent()).toBe(chainStatus.digest);

    // Checking again, against the digest just kept.
    await page.getByTestId('chain-digest-input').fill(chainStatus.digest);
    await page.getByTestId('chain-recheck').click();
    // Walking the whole chain takes a moment.
    await expect.poll(() => page.getByTestId('chain-recheck').isEnabled(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByTestId('chain-result').getAttribute('data-ok')).toBe('true');
    // The button walks the whole log again (the page opened with a check of what followed the server's last walk).
    expect(await page.getByTestId('chain-full-at').getAttribute('data-checked-from')).toBe('0');

    // One type only.
    await page.getByTestId('audit-filter-type').selectOption('OpinionReferred');
    await expect
      .poll(async () => new Set(await page.getByTestId('audit-event').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')))))
      .toEqual(new Set(['OpinionReferred']));
    const first = page.getByTestId('audit-event').first();
    await first.getByTestId('audit-event-data-toggle').click();
    expect(JSON.parse((await first.getByTestId('audit-event-data').textContent())!)).toHaveProperty('opinionId');
    await shot(page, 'audit');

    // The stream of that event, step by step: it opens at the event (the opinion's second).
    const stream = (await first.getAttribute('data-stream'))!;
    await first.getByTestId('audit-open-stream').click();
    const stepper = page.getByTestId('stream-stepper');
    await stepper.waitFor();
    expect(await page.getByTestId('stepper-stream').textContent()).toBe(stream);
    await expect.poll(() => page.getByTestId('stepper-type').textContent()).toBe('OpinionReferred');
    expect(await stepper.getAttribute('data-version')).toBe('2');
    expect(await page.getByTestId('stepper-changed').textContent()).toContain('status');
    expect(JSON.parse((await page.getByTestId('stepper-state').textContent())!)).toMatchObject({ status: 'referred' });

    await page.getByTestId('stepper-previous').click();
    await expect.poll(() => page.getByTestId('stepper-type').textContent()).toBe('OpinionRegistered');
    expect(await page.getByTestId('stepper-previous').isDisabled()).toBe(true);
    expect(JSON.parse((await page.getByTestId('stepper-state').textContent())!)).toMatchObject({ status: 'registered' });

    // The keyboard steps too (the newest referral's opinion may not be answered yet: version 2 may be the stream's last).
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => stepper.getAttribute('data-version')).toBe('2');
    await expect.poll(() => page.getByTestId('stepper-type').textContent()).toBe('OpinionReferred');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => stepper.getAttribute('data-version')).toBe('1');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => stepper.getAttribute('data-version')).toBe('2');
    await shot(page, 'audit-stream');

    await page.keyboard.press('Escape');
    await stepper.waitFor({ state: 'detached' });

    // "Only this stream": the opinion's own events, newest first.
    await first.getByTestId('audit-only-stream').click();
    await expect.poll(() => page.getByTestId('audit-filter-stream').inputValue()).toBe(stream);
    await page.getByTestId('audit-filter-type').selectOption('');
    await expect
      .poll(async () => new Set(await page.getByTestId('audit-event').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-stream')))))
      .toEqual(new Set([stream]));
    const positions = await page.getByTestId('audit-event').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-position'))));
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
  });

  it('raised no errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
