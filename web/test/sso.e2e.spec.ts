/**
 * Sign-in through the province's single sign-on, in a real browser, against a real OpenID Connect
 * provider (oidc-provider, started by global-setup.ts with its own login and consent pages): an
 * administrator links a clerk's account to the clerk's identity there on the account's page; the
 * clerk clicks the button on 登录, signs in on the provider's pages and lands signed in. Someone the
 * provider knows but no account is linked to is told so in Chinese, and is not signed in; the
 * provider's answer opened again is refused; an administrator still gives the authenticator's code.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { TEST_PROVIDER_LABEL } from '@yingpan/api/oidc-testing';
import { generate } from 'otplib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { gqlThrough, mintToken, signIn, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const DESK = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true };

describe('single sign-on through the provincial identity provider', () => {
  const webUrl = inject('webUrl');
  const issuer = inject('oidcIssuer');
  let browser: TestBrowser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await openBrowser();
    // The office opened the clerk's account and granted it the county (automation, as the accounts test does).
    const service = await mintToken({ role: 'admin' });
    const created = await gqlThrough(
      webUrl,
      service,
      `mutation { createAccount(input: { username: "sso-clerk", displayName: "单点登录办事员", password: "first password 123" }) {
        ... on CreateAccountResult { data { accountId } } ... on Rejection { code } } }`,
    );
    await gqlThrough(webUrl, service, `mutation($a: ID!) { grantRole(input: { accountId: $a, role: STAFF, scopeKind: COUNTY }) { __typename } }`, {
      a: created.createAccount.data.accountId,
    });
  });

  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  async function newPage(options: typeof DESK | typeof PHONE = DESK): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext(options);
    const page = await context.newPage();
    // The provider's own pages are not ours to hold to our standards.
    page.on('pageerror', (error) => {
      if (page.url().startsWith(webUrl)) pageErrors.push(error.message);
    });
    return { context, page };
  }
  const shot = (page: Page, name: string) => fullPageShot(page, path.join(SCREENSHOTS, `${name}.png`));

  /** On 登录: the province's button, then the provider's own login and consent pages, as `login`. */
  async function signInThroughProvider(page: Page, login: string, shots?: string) {
    await page.goto(`${webUrl}/login`);
    const button = page.getByTestId('login-sso-button');
    await expect.poll(() => button.textContent()).toBe(TEST_PROVIDER_LABEL);
    if (shots) await shot(page, `${shots}-1-login`);
    await button.click();
    await page.waitForURL((url) => url.href.startsWith(issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('provincial password');
    if (shots) await shot(page, `${shots}-2-provider-login`);
    await page.locator('button[type="submit"]').click();
    // The provider asks whether this system may know who the person is.
    await page.locator('input[name="prompt"][value="consent"]').waitFor({ state: 'attached' });
    if (shots) await shot(page, `${shots}-3-provider-consent`);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.href.startsWith(webUrl));
  }

  it('lets an administrator link the clerk, who then signs in through the provider and lands signed in', async () => {
    // The administrator finds the clerk on 账户与授权 and types the clerk's provincial login name.
    const admin = await newPage();
    await signIn(admin.context, webUrl, { role: 'admin' });
    await admin.page.goto(`${webUrl}/admin/accounts`);
    await admin.page.getByTestId('account-sso-clerk').click();
    const card = admin.page.getByTestId('account-sso');
    await expect.poll(() => admin.page.getByTestId('account-sso-status').getAttribute('data-linked')).toBe('false');
    await card.getByTestId('account-sso-value').fill('zhang.clerk');
    await card.getByTestId('account-sso-save').click();
    await expect.poll(() => admin.page.getByTestId('account-sso-status').textContent()).toContain('zhang.clerk');
    expect(await admin.page.getByTestId('account-sso-status').getAttribute('data-linked')).toBe('true');
    await shot(admin.page, 'sso-admin-linked');
    await admin.context.close();

    const { context, page } = await newPage();
    await signInThroughProvider(page, 'zhang.clerk', 'sso-clerk');
    // Landed on the county overview, signed in as the clerk, with a session like a password sign-in's.
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    await expect.poll(() => page.getByTestId('viewer-name').textContent()).toBe('单点登录办事员');
    expect(await page.getByTestId('viewer').getAttribute('data-role')).toBe('staff');
    const cookies = await context.cookies(webUrl);
    expect(cookies.find((cookie) => cookie.name === 'yingpan_token')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // The flow's own cookies are spent.
    expect(cookies.filter((cookie) => cookie.name.startsWith('yingpan_sso'))).toEqual([]);
    await shot(page, 'sso-clerk-4-signed-in');
    // 我的账户 lists this device.
    await page.goto(`${webUrl}/account`);
    await expect.poll(() => page.getByText('单点登录办事员').count()).toBeGreaterThan(0);
    await context.close();
  });

  it('tells someone the provider knows but no account is linked to, in Chinese, and leaves them signed out', async () => {
    const { context, page } = await newPage(PHONE);
    await signInThroughProvider(page, 'stranger', 'sso-unknown');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login/sso/result');
    const error = page.getByTestId('sso-error');
    await expect.poll(() => error.textContent()).toContain('未关联本系统的可用账户');
    expect(await error.textContent()).not.toMatch(/stranger/);
    expect((await context.cookies(webUrl)).find((cookie) => cookie.name === 'yingpan_token')).toBeUndefined();
    await shot(page, 'sso-unknown-refused');
    // Back to 登录 to try again.
    await page.getByTestId('sso-again').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('refuses the provider’s answer opened a second time', async () => {
    const { context, page } = await newPage();
    const answers: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${webUrl}/login/sso/callback?`)) answers.push(request.url());
    });
    await signInThroughProvider(page, 'zhang.clerk');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
    expect(answers).toHaveLength(1);
    expect(new URL(answers[0]!).searchParams.get('code')).toBeTruthy();
    // The same answer again (its code and state): the flow it belonged to is spent.
    await page.goto(answers[0]!);
    await expect.poll(() => page.getByTestId('sso-error').textContent()).toContain('登录请求已失效或已使用');
    await shot(page, 'sso-replayed-refused');
    await context.close();
  });

  it('asks an administrator signing in through the provider for the authenticator’s code', async () => {
    // An administrator's account, linked to the provider, with an authenticator enrolled (as on 我的账户).
    const service = await mintToken({ role: 'admin' });
    const password = 'sso admin password 1';
    const created = await gqlThrough(
      webUrl,
      service,
      `mutation { createAccount(input: { username: "sso-admin", displayName: "统一认证管理员", password: "${password}" }) {
        ... on CreateAccountResult { data { accountId } } } }`,
    );
    const accountId = created.createAccount.data.accountId;
    await gqlThrough(webUrl, service, `mutation($a: ID!) { grantRole(input: { accountId: $a, role: ADMIN, scopeKind: COUNTY }) { __typename } }`, {
      a: accountId,
    });
    await gqlThrough(webUrl, service, `mutation($a: ID!) { linkAccountToSingleSignOn(accountId: $a, value: "li.admin") { __typename } }`, { a: accountId });
    const session = (await gqlThrough(webUrl, undefined, `mutation { signIn(input: { username: "sso-admin", password: "${password}" }) { token } }`)).signIn
      .token;
    const secret = (await gqlThrough(webUrl, session, `mutation { beginTotpEnrolment { ... on BeginTotpEnrolmentResult { data { secret } } } }`))
      .beginTotpEnrolment.data.secret;
    await gqlThrough(webUrl, session, `mutation($c: String!) { confirmTotpEnrolment(code: $c) { __typename } }`, {
      c: await generate({ secret, epoch: Math.floor(Date.now() / 1000) }),
    });

    const { context, page } = await newPage();
    await signInThroughProvider(page, 'li.admin');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login/sso/result');
    expect((await context.cookies(webUrl)).find((cookie) => cookie.name === 'yingpan_token')).toBeUndefined();
    await shot(page, 'sso-admin-code');
    // A mistyped code first: asked again on the same page, with the reason.
    await page.getByTestId('sso-code').fill('000000');
    await page.getByTestId('sso-code-submit').click();
    await page.getByTestId('sso-code-error').waitFor();
    expect(await page.getByTestId('sso-code-lead').textContent()).toContain('统一身份认证已确认您的身份');
    await shot(page, 'sso-admin-code-again');
    // The next code the phone shows (the one used to enrol is never accepted again).
    await page.getByTestId('sso-code').fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.getByTestId('sso-code-submit').click();
    await expect.poll(() => page.getByTestId('viewer').getAttribute('data-role')).toBe('admin');
    expect(await page.getByTestId('viewer-name').textContent()).toBe('统一认证管理员');
    await context.close();
  });
});
