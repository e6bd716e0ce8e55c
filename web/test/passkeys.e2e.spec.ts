/**
 * A deputy on a 390×844 phone signs in without a password: with the user name and password once,
 * adds a passkey on 我的账户 (Chromium's virtual authenticator stands in for the phone's
 * fingerprint: CDP `WebAuthn.addVirtualAuthenticator`, a platform authenticator that holds
 * discoverable credentials and verifies its user), signs out, and signs in again by the passkey
 * alone — no user name typed. Removing the passkey signs the devices it signed in out, and the
 * phone's passkey is refused from then on.
 *
 * WebAuthn binds a passkey to a domain, never an IP address: these pages are served as
 * `http://localhost:<port>` by a web server of this file's own (on the port the global setup kept
 * for it, whose origin the shared API accepts passkeys from).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { gqlThrough, mintToken, type Server, signIn, startWeb, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true, userAgent: ANDROID };
const USERNAME = 'e2e-passkey-deputy';
const FIRST_PASSWORD = 'first password from the office 1';
const PASSWORD = 'my own deputy password 2';

describe('passkeys: a deputy signs in on a phone without a password', () => {
  const apiUrl = inject('apiUrl');
  let web: Server | undefined;
  let base: string;
  let browser: TestBrowser | undefined;
  let deputyName: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    web = await startWeb(apiUrl, { hostname: 'localhost', port: inject('passkeyWebPort') });
    base = web.url;
    browser = await openBrowser();
    // The office opens the deputy's account (automation's service token), linked to a deputy of the county.
    const service = await mintToken({ role: 'admin' });
    const deputies = await gqlThrough(base, service, '{ publicDeputies(first: 1) { edges { node { id name } } } }');
    const deputy = deputies.publicDeputies.edges[0].node as { id: string; name: string };
    deputyName = deputy.name;
    const created = await gqlThrough(
      base,
      service,
      `mutation($input: CreateAccountInput!) { createAccount(input: $input) { ... on CreateAccountResult { data { accountId } } ... on Rejection { code } } }`,
      { input: { username: USERNAME, displayName: deputy.name, password: FIRST_PASSWORD, personId: deputy.id } },
    );
    const accountId = created.createAccount.data.accountId;
    await gqlThrough(base, service, `mutation($a: ID!) { grantRole(input: { accountId: $a, role: DEPUTY, scopeKind: COUNTY }) { __typename } }`, {
      a: accountId,
    });
    // The deputy chose their own password already (the first one is the office's, to be changed).
    const first = await gqlThrough(base, undefined, `mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) { token } }`, {
      u: USERNAME,
      p: FIRST_PASSWORD,
    });
    const changed = await gqlThrough(
      base,
      first.signIn.token,
      `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { __typename } }`,
      { c: FIRST_PASSWORD, n: PASSWORD },
    );
    expect(changed.changePassword.__typename).toBe('ChangePasswordResult');
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    expect(pageErrors).toEqual([]);
  });

  /** A phone with a passkey authenticator inside (its fingerprint reader always says yes). */
  async function phoneWithAuthenticator(): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession; authenticatorId: string }> {
    const context = await browser!.newContext(PHONE);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return { context, page, cdp, authenticatorId };
  }

  const shot = (page: Page, name: string) => fullPageShot(page, path.join(SCREENSHOTS, `${name}.png`));

  /**
   * How far the page and its header reach past the phone's width (0: nothing sideways), and the
   * elements that do, but for those inside a box that scrolls sideways on its own (a wide table).
   */
  const overflow = (page: Page) =>
    page.evaluate(() => {
      const header = document.querySelector('header');
      const width = document.documentElement.clientWidth;
      const scrollsAlone = (element: Element) => {
        for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
          if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(box).overflowX)) return true;
        }
        return false;
      };
      return {
        page: document.documentElement.scrollWidth - width,
        header: header ? header.scrollWidth - header.clientWidth : 0,
        wider: [...document.querySelectorAll('body *')]
          .filter((element) => element.getBoundingClientRect().right > width + 1 && !scrollsAlone(element))
          .map((element) => `${element.tagName.toLowerCase()}.${element.className}`)
          .slice(0, 5),
      };
    });

  it('adds a passkey after a password sign-in, signs out, and signs in again with the passkey alone', async () => {
    const { context, page, cdp, authenticatorId } = await phoneWithAuthenticator();

    // Once with the user name and password.
    await page.goto(`${base}/login`);
    await page.getByTestId('passkey-sign-in-button').waitFor();
    expect(await overflow(page)).toEqual({ page: 0, header: 0, wider: [] });
    await shot(page, 'passkey-login');
    await page.getByTestId('login-username').fill(USERNAME);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${base}/me`);

    // 我的账户: no passkey yet; the name offered is the phone's kind.
    await page.getByTestId('my-account').click();
    await page.waitForURL(`${base}/account`);
    await page.getByTestId('passkeys-none').waitFor();
    await expect.poll(() => page.getByTestId('passkey-name-input').inputValue()).toBe('安卓手机');
    await page.getByTestId('passkey-name-input').fill('我的手机');
    await page.getByTestId('passkey-add').click();
    await expect.poll(() => page.getByTestId('passkey-added').textContent()).toBe('已添加“我的手机”。下次可用通行密钥登录。');
    await expect.poll(() => page.getByTestId('passkey-name').allTextContents()).toEqual(['我的手机']);
    expect(await page.getByTestId('passkey-row').textContent()).toContain('尚未用于登录');
    // The phone holds it as a discoverable credential for this site, the account's id as its user.
    const held = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(held.credentials).toHaveLength(1);
    expect(held.credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
    // Nothing of the account page reaches past the phone's width (the header once did).
    expect(await overflow(page)).toEqual({ page: 0, header: 0, wider: [] });
    await shot(page, 'passkey-account');
    // The passkeys' list and form pass the accessibility scan the other pages pass (no serious or critical violation).
    await page.addScriptTag({ content: await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
    const scanned = (await page.evaluate(() =>
      (window as unknown as { axe: typeof import('axe-core') }).axe.run('[data-testid="passkeys"]', {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      }),
    )) as AxeResults;
    expect(
      scanned.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id),
    ).toEqual([]);

    // Adding it again on this phone is refused by the phone itself (the account's passkeys are excluded).
    await page.getByTestId('passkey-name-input').fill('再加一次');
    await page.getByTestId('passkey-add').click();
    await expect.poll(() => page.getByTestId('passkey-error').textContent()).toBe('这台设备已有本账户的通行密钥。');
    expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(1);

    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${base}/public`);
    expect((await context.cookies(base)).some((cookie) => cookie.name === 'yingpan_token')).toBe(false);

    // Again, with the passkey alone: no user name, no password.
    await page.getByTestId('sign-in').click();
    await page.waitForURL(new RegExp(`${base}/login`));
    await page.getByTestId('passkey-sign-in-button').click();
    await page.waitForURL(`${base}/me`);
    await expect.poll(() => page.getByTestId('viewer-name').textContent()).toBe(deputyName);
    expect(await page.getByTestId('viewer-role').textContent()).toBe('人大代表');
    const cookie = (await context.cookies(base)).find((candidate) => candidate.name === 'yingpan_token');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(cookie!.value.startsWith('ys_')).toBe(true);
    expect(await page.getByTestId('login-username').count()).toBe(0);
    await shot(page, 'passkey-signed-in');

    // 我的账户 shows when it was last used.
    await page.getByTestId('my-account').click();
    await page.waitForURL(`${base}/account`);
    await expect.poll(() => page.getByTestId('passkey-row').textContent()).toContain('最近登录');
    await context.close();
  });

  it('removes the passkey: this device, signed in with it, is signed out, and the phone’s passkey signs in no more', async () => {
    const { context, page } = await phoneWithAuthenticator();
    // A new phone: the password, a passkey, then signed in with the passkey.
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill(USERNAME);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${base}/me`);
    await page.getByTestId('my-account').click();
    await page.waitForURL(`${base}/account`);
    await page.getByTestId('passkey-name-input').fill('备用手机');
    await page.getByTestId('passkey-add').click();
    await page.getByTestId('passkey-added').waitFor();
    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${base}/public`);
    await page.goto(`${base}/login`);
    await page.getByTestId('passkey-sign-in-button').click();
    await page.waitForURL(`${base}/me`);

    await page.getByTestId('my-account').click();
    await page.waitForURL(`${base}/account`);
    await expect.poll(() => page.getByTestId('passkey-name').allTextContents()).toEqual(['备用手机', '我的手机']);
    const row = page.getByTestId('passkey-row').filter({ hasText: '备用手机' });
    await row.getByTestId('passkey-remove').click();
    expect(await row.textContent()).toContain('删除“备用手机”？用它登录的设备将退出登录。');
    await shot(page, 'passkey-remove-confirm');
    await row.getByTestId('passkey-remove-confirm').click();
    // Signed in with the passkey removed: this device's session ended with it.
    await page.waitForURL(`${base}/login?reason=expired`);
    await page.getByTestId('login-expired').waitFor();
    expect((await context.cookies(base)).some((cookie) => cookie.name === 'yingpan_token')).toBe(false);
    await shot(page, 'passkey-removed');

    await page.getByTestId('passkey-sign-in-button').click();
    await expect.poll(() => page.getByTestId('passkey-sign-in-error').textContent()).toBe('通行密钥验证未通过，请重试，或改用用户名和密码登录');
    expect(page.url()).toBe(`${base}/login?reason=expired`);
    await shot(page, 'passkey-refused');
    await context.close();
  });

  it('lets an administrator remove the passkey of a lost phone from 账户与授权, after which it signs in no more', async () => {
    // The deputy's phone, still holding the passkey 我的手机, signed in with it.
    const phone = await phoneWithAuthenticator();
    await phone.page.goto(`${base}/login`);
    await phone.page.getByTestId('login-username').fill(USERNAME);
    await phone.page.getByTestId('login-password').fill(PASSWORD);
    await phone.page.getByTestId('login-submit').click();
    await phone.page.waitForURL(`${base}/me`);
    await phone.page.getByTestId('my-account').click();
    await phone.page.waitForURL(`${base}/account`);
    await phone.page.getByTestId('passkey-name-input').fill('丢失的手机');
    await phone.page.getByTestId('passkey-add').click();
    await phone.page.getByTestId('passkey-added').waitFor();

    // The office, on a desktop: the deputy's account, its passkeys, 删除 on the lost one.
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    await signIn(context, base, { role: 'admin' });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/admin/accounts?q=${USERNAME}`);
    await page.getByTestId(`account-${USERNAME}`).click();
    await page.getByTestId('account-passkeys').waitFor();
    await expect.poll(() => page.getByTestId('account-passkey').count()).toBe(2);
    const lost = page.getByTestId('account-passkey').filter({ hasText: '丢失的手机' });
    await shot(page, 'passkey-admin');
    await lost.getByTestId('account-passkey-remove').click();
    // It asks on the page, naming the passkey, before anything is removed.
    expect(await lost.textContent()).toContain('删除通行密钥“丢失的手机”？用它登录的设备将退出登录。');
    await shot(page, 'passkey-admin-confirm');
    await lost.getByTestId('account-passkey-remove-confirm').click();
    await page.getByTestId('account-passkeys-done').waitFor();
    await expect.poll(() => page.getByTestId('account-passkey').allTextContents()).toHaveLength(1);
    expect(await page.getByTestId('account-passkey').textContent()).toContain('我的手机');

    // The lost phone's passkey is refused from then on.
    await phone.page.getByTestId('sign-out').click();
    await phone.page.waitForURL(`${base}/public`);
    await phone.page.goto(`${base}/login`);
    await phone.page.getByTestId('passkey-sign-in-button').click();
    await expect.poll(() => phone.page.getByTestId('passkey-sign-in-error').textContent()).toBe('通行密钥验证未通过，请重试，或改用用户名和密码登录');
    await phone.context.close();
    await context.close();
  });
});
