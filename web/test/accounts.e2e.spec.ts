/**
 * Real people sign in, in a real browser: with a user name and password on 登录 (a wrong password
 * answered in Chinese); an administrator opens an account on 账户与授权, links it to a station's
 * manager found by name, and grants them that one station; the manager, on a phone, then reads the
 * voters of that station only. And the first install: on an empty log (an API of its own) the
 * setup code printed on the console creates the first administrator on 首次安装. Administrators and
 * auditors enrol an authenticator app on 我的账户 before anything else (the test reads the key the
 * page shows and makes the codes as the phone would, with otplib), and sign in with its code after
 * the password; an administrator resets a lost one on the account's page.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { generate } from 'otplib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { gqlThrough, mintToken, signIn, startApi, startWeb, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const DESK = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true };
const ADMIN_PASSWORD = 'e2e admin password 1';
const OWN_PASSWORD = 'my own admin password 2';

describe('accounts: password sign-in, grants, first install', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const pageErrors: string[] = [];
  let service: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await openBrowser();
    // Automation keeps its service token: it opens the first test account.
    service = await mintToken({ role: 'admin' });
    const created = await gqlThrough(
      webUrl,
      service,
      `mutation { createAccount(input: { username: "e2e-admin", displayName: "端到端管理员", password: "${ADMIN_PASSWORD}" }) {
        ... on CreateAccountResult { data { accountId } } ... on Rejection { code } } }`,
    );
    const accountId = created.createAccount.data.accountId;
    await gqlThrough(webUrl, service, `mutation($a: ID!) { grantRole(input: { accountId: $a, role: ADMIN, scopeKind: COUNTY }) { __typename } }`, {
      a: accountId,
    });
  });

  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  async function newPage(options: typeof DESK | typeof PHONE = DESK): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext(options);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return { context, page };
  }
  const shot = (page: Page, name: string) => fullPageShot(page, path.join(SCREENSHOTS, `${name}.png`));

  async function logIn(page: Page, base: string, username: string, password: string) {
    await page.goto(`${base}/login`);
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  }

  /**
   * The code the phone's authenticator shows `ahead` seconds from now. A code once accepted is
   * refused again, so a sign-in right after the enrolment types the next one (as a person would,
   * half a minute later).
   */
  const codeOf = (secret: string, ahead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + ahead });

  /** On 我的账户: shows the QR code, "scans" it (reads the key shown beside it), confirms with a code; answers the key. */
  async function enrolAuthenticator(page: Page, base: string, shotName: string): Promise<string> {
    await page.getByTestId('account-must-enrol').waitFor();
    await page.getByTestId('totp-begin').click();
    await page.locator('[data-testid="totp-qr"] svg').waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await shot(page, shotName);
    await page.getByTestId('totp-code').fill(await codeOf(secret));
    await page.getByTestId('totp-confirm').click();
    await page.waitForURL(`${base}/account?totp=enrolled`);
    await page.getByTestId('totp-done').waitFor();
    expect(await page.getByTestId('totp-enrolled').isVisible()).toBe(true);
    return secret;
  }

  /** The second step of the sign-in: the code the authenticator shows. */
  async function enterCode(page: Page, code: string) {
    await page.getByTestId('login-code').fill(code);
    await page.getByTestId('login-code-submit').click();
  }

  /** e2e-admin's authenticator key (enrolled in the first test). */
  let adminSecret: string;

  it('signs in with a password; a wrong password is answered in Chinese and nothing is kept', async () => {
    const { context, page } = await newPage();
    await logIn(page, webUrl, 'e2e-admin', 'not my password');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('用户名或密码错误');
    expect(await page.getByTestId('login-username').inputValue()).toBe('e2e-admin');
    expect((await context.cookies(webUrl)).length).toBe(0);
    await shot(page, 'login-wrong-password');

    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    // An administrator enrols an authenticator first (nothing else opens until then); the first
    // password was given by an administrator, so 我的账户 asks for one's own too.
    await page.waitForURL(`${webUrl}/account?reason=enrol-totp`);
    await page.getByTestId('account-must-change').waitFor();
    await expect.poll(() => page.getByTestId('viewer-name').textContent()).toBe('端到端管理员');
    expect(await page.getByTestId('viewer-role').textContent()).toBe('待绑定身份验证器');
    adminSecret = await enrolAuthenticator(page, webUrl, 'admin-enrol-totp');
    await expect.poll(() => page.getByTestId('viewer-role').textContent()).toBe('系统管理员');
    const cookie = (await context.cookies(webUrl)).find((candidate) => candidate.name === 'yingpan_token');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(cookie!.value.startsWith('ys_')).toBe(true);
    await shot(page, 'login-signed-in');

    await page.getByTestId('password-current').fill(ADMIN_PASSWORD);
    await page.getByTestId('password-new').fill(OWN_PASSWORD);
    await page.getByTestId('password-confirm').fill(OWN_PASSWORD);
    await page.getByTestId('password-submit').click();
    await page.getByTestId('password-done').waitFor();

    // 我的账户 lists this device; signing out ends the session on the server too.
    await page.getByTestId('my-account').click();
    await page.waitForURL(`${webUrl}/account`);
    await expect.poll(() => page.getByTestId('account-username').textContent()).toBe('e2e-admin');
    expect(await page.locator('[data-testid="session-row"][data-current="true"]').count()).toBe(1);
    await shot(page, 'my-account');
    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${webUrl}/public`);
    const replay = await fetch(`${webUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cookie!.value}` },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect(replay.status).toBe(401);
    await context.close();
  });

  it('an administrator grants a station manager one station, and that manager reads only that station’s voters', async () => {
    // Two stations with opinions, and the manager of the first, as staff read them.
    const staff = await mintToken({ role: 'staff' });
    const listed = await gqlThrough(
      webUrl,
      staff,
      `{ stations(first: 100) { edges { node { stationId name manager { personId name } counts { opinions } } } } }`,
    );
    const withOpinions = listed.stations.edges.map((edge: any) => edge.node).filter((station: any) => station.counts.opinions > 0 && station.manager);
    expect(withOpinions.length).toBeGreaterThanOrEqual(2);
    const [own, other] = withOpinions as { stationId: string; name: string; manager: { personId: string; name: string } }[];

    const { page } = await newPage();
    await logIn(page, webUrl, 'e2e-admin', OWN_PASSWORD);
    await page.getByTestId('login-code-lead').waitFor();
    await enterCode(page, await codeOf(adminSecret, 30));
    await page.waitForURL(`${webUrl}/`);
    await page.getByTestId('nav-admin/accounts').click();
    await page.waitForURL(`${webUrl}/admin/accounts`);
    await page.getByTestId('create-username').fill('e2e-zhanzhang');
    await page.getByTestId('create-name').fill(own!.manager.name);
    await page.getByTestId('create-password').fill('first password 12');
    await page.getByTestId('create-person').fill(own!.manager.name);
    await page.locator(`[data-testid="person-option"][data-person="${own!.manager.personId}"]`).click();
    await page.getByTestId('create-person-chosen').waitFor();
    await shot(page, 'admin-accounts-create');
    await page.getByTestId('create-submit').click();
    await page.waitForURL(/\/admin\/accounts\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('account-person').textContent()).toBe(own!.manager.name);

    await page.getByTestId('grant-role').selectOption('STATION_MANAGER');
    await page.getByTestId('grant-scope-station').check();
    await page.getByTestId('grant-station').selectOption(own!.stationId);
    await page.getByTestId('grant-submit').click();
    await page.getByTestId('grant-done').waitFor();
    await expect.poll(() => page.locator('[data-testid="grant-row"][data-holds="true"]').count()).toBe(1);
    expect(await page.getByTestId('grants').textContent()).toContain(own!.name);
    // Who granted it, by name (the administrator's account has no person: its actor id is account:e2e-admin).
    const grantedBy = await page.locator('[data-testid="grant-row"][data-holds="true"] [data-testid="grant-granted-by"]').textContent();
    expect(grantedBy).toContain('端到端管理员');
    expect(grantedBy).not.toContain('account:');
    await shot(page, 'admin-account-granted');

    // The manager signs in on a phone: first to 我的账户 to change the first password.
    const phone = await newPage(PHONE);
    await logIn(phone.page, webUrl, 'e2e-zhanzhang', 'first password 12');
    await phone.page.waitForURL(`${webUrl}/account?reason=change-password`);
    await phone.page.getByTestId('account-must-change').waitFor();
    expect(await phone.page.getByTestId('viewer-role').textContent()).toContain('站点负责人');
    await shot(phone.page, 'phone-account-change-password');

    // Through the browser's own session: the voters of their station, none of the other's.
    const voters = (stationId: string) =>
      phone.page.evaluate(async (id) => {
        const response = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `query($id: ID!) { stationBooks(stationId: $id) { opinions(first: 50) { edges { node { voter { name } } } } } }`,
            variables: { id },
          }),
        });
        const body = await response.json();
        return body.data.stationBooks.opinions.edges.map((edge: any) => edge.node.voter) as ({ name: string } | null)[];
      }, stationId);
    const mine = await voters(own!.stationId);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((voter) => voter !== null && voter.name.length > 0)).toBe(true);
    const theirs = await voters(other!.stationId);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((voter) => voter === null)).toBe(true);

    await phone.page.goto(`${webUrl}/stations/${own!.stationId}`);
    await phone.page.getByTestId('book-tabs').waitFor();
    // On the phone the page does not scroll sideways (the header's long role ends in …), and the roster's
    // names, levels, terms and dates each stay on one line (its table scrolls sideways instead of breaking
    // them character by character).
    const layout = await phone.page.evaluate(() => {
      const cells = [...document.querySelectorAll('[data-testid="roster-row"] > *')].slice(0, 5) as HTMLElement[];
      return {
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        // The lines a cell's text takes: the distinct tops of its boxes, further apart than half a line.
        cells: cells.map((cell) => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          const tops = [...range.getClientRects()].map((rect) => rect.top).sort((a, b) => a - b);
          const half = Number.parseFloat(getComputedStyle(cell).lineHeight) / 2;
          return { text: cell.textContent!.trim(), lines: tops.filter((top, index) => index === 0 || top - tops[index - 1]! > half).length };
        }),
      };
    });
    expect(layout.overflow).toBeLessThanOrEqual(0);
    expect(layout.cells.length).toBe(5);
    for (const cell of layout.cells) expect(cell, cell.text).toMatchObject({ lines: 1 });
    await shot(phone.page, 'phone-station-manager-station');

    // The administrator revokes the grant: the row says when, why and who, by name as for the grantor.
    const row = page.locator('[data-testid="grant-row"]', { has: page.getByTestId('grant-revoke') });
    await row.locator('input[name="reason"]').fill('岗位调整');
    await row.getByTestId('grant-revoke').click();
    await expect.poll(() => page.locator('[data-testid="grant-row"][data-holds="false"]').count()).toBe(1);
    const revoked = page.locator('[data-testid="grant-row"][data-holds="false"]');
    expect(await revoked.textContent()).toContain('撤销（岗位调整）');
    const revokedBy = await revoked.getByTestId('grant-revoked-by').textContent();
    expect(revokedBy).toContain('撤销人：端到端管理员');
    expect(revokedBy).not.toContain('account:');
    await shot(page, 'admin-account-revoked');
  });

  it('an auditor is sent to enrol an authenticator, then signs in with password and code; an administrator resets it', async () => {
    const created = await gqlThrough(
      webUrl,
      service,
      `mutation { createAccount(input: { username: "e2e-shenji", displayName: "端到端审计员", password: "auditor first password" }) {
        ... on CreateAccountResult { data { accountId } } } }`,
    );
    await gqlThrough(webUrl, service, `mutation($a: ID!) { grantRole(input: { accountId: $a, role: AUDITOR, scopeKind: COUNTY }) { __typename } }`, {
      a: created.createAccount.data.accountId,
    });

    const { context, page } = await newPage();
    await logIn(page, webUrl, 'e2e-shenji', 'auditor first password');
    await page.waitForURL(`${webUrl}/account?reason=enrol-totp`);
    expect(await page.getByTestId('viewer-role').textContent()).toBe('待绑定身份验证器');
    await shot(page, 'auditor-must-enrol');
    // Until enrolled, the auditor's pages stay shut: 审计 sends them back here.
    await page.goto(`${webUrl}/audit`);
    await page.waitForURL(`${webUrl}/account?reason=enrol-totp`);

    // A wrong code is refused in Chinese, and the QR code stays for another try.
    await page.getByTestId('totp-begin').click();
    await page.locator('[data-testid="totp-qr"] svg').waitFor();
    const shown = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    const right = await codeOf(shown);
    await page.getByTestId('totp-code').fill(String((Number(right) + 500_000) % 1_000_000).padStart(6, '0'));
    await page.getByTestId('totp-confirm').click();
    await expect.poll(() => page.getByTestId('totp-error').textContent()).toMatch(/^动态码不正确/);
    expect((await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '')).toBe(shown);
    await page.getByTestId('totp-code').fill(await codeOf(shown));
    await page.getByTestId('totp-confirm').click();
    await page.waitForURL(`${webUrl}/account?totp=enrolled`);
    await page.getByTestId('totp-done').waitFor();
    await expect.poll(() => page.getByTestId('viewer-role').textContent()).toBe('审计人员');
    await shot(page, 'auditor-enrolled');
    await page.getByTestId('nav-audit').click();
    await page.waitForURL(new RegExp(`${webUrl}/audit`));
    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${webUrl}/public`);

    // Signing in again: the password, then the code the phone shows.
    await logIn(page, webUrl, 'e2e-shenji', 'auditor first password');
    await page.getByTestId('login-code-lead').waitFor();
    expect(await page.getByTestId('login-code-lead').textContent()).toContain('e2e-shenji');
    expect((await context.cookies(webUrl)).some((cookie) => cookie.name === 'yingpan_token')).toBe(false);
    await enterCode(page, '000000');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toMatch(/^动态码错误/);
    await shot(page, 'login-code-wrong');
    await enterCode(page, await codeOf(shown, 30));
    // (Signed in; the first password was an administrator's, so 我的账户 asks for one's own.)
    await page.waitForURL(`${webUrl}/account?reason=change-password`);
    expect(await page.getByTestId('viewer-role').textContent()).toBe('审计人员');

    // The phone is lost: an administrator resets the authenticator on the account's page.
    const admin = await newPage();
    await signIn(admin.context, webUrl, { role: 'admin' });
    await admin.page.goto(`${webUrl}/admin/accounts`);
    await admin.page.getByTestId('account-e2e-shenji').click();
    await admin.page.waitForURL(/\/admin\/accounts\/[0-9a-f-]{36}$/);
    expect(await admin.page.getByTestId('account-totp-status').getAttribute('data-enrolled')).toBe('true');
    await admin.page.getByTestId('totp-reset-reason').fill('手机遗失');
    await admin.page.getByTestId('totp-reset').click();
    await admin.page.getByTestId('totp-reset-done').waitFor();
    await expect.poll(() => admin.page.getByTestId('account-totp-status').getAttribute('data-enrolled')).toBe('false');
    await shot(admin.page, 'admin-totp-reset');
    await admin.context.close();

    // The auditor's devices were signed out; the next sign-in asks for a new enrolment.
    await page.goto(`${webUrl}/people`);
    await page.waitForURL(/\/login\?reason=expired/);
    await logIn(page, webUrl, 'e2e-shenji', 'auditor first password');
    await page.waitForURL(`${webUrl}/account?reason=enrol-totp`);
    await page.getByTestId('account-must-enrol').waitFor();
    await context.close();
  });

  it('an auditor signs in with password and code on a phone', async () => {
    // (the same auditor enrols again, on a phone this time)
    const { context, page } = await newPage(PHONE);
    await logIn(page, webUrl, 'e2e-shenji', 'auditor first password');
    await page.waitForURL(`${webUrl}/account?reason=enrol-totp`);
    const secret = await enrolAuthenticator(page, webUrl, 'phone-auditor-enrol-totp');
    await page.getByTestId('sign-out').click();
    await page.waitForURL(`${webUrl}/public`);
    await logIn(page, webUrl, 'e2e-shenji', 'auditor first password');
    await page.getByTestId('login-code').waitFor();
    await shot(page, 'phone-login-code');
    await enterCode(page, await codeOf(secret, 30));
    await page.waitForURL(`${webUrl}/account?reason=change-password`);
    expect(await page.getByTestId('viewer-role').textContent()).toBe('审计人员');
    await context.close();
  });

  it('creates the first administrator on an empty log with the setup code printed on the console', async () => {
    const api = await startApi({ seedScale: 'none' });
    const web = await startWeb(api.url).catch(async (error) => {
      await api.dispose();
      throw error;
    });
    try {
      const code = /setup code ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(api.output())?.[1];
      expect(code, api.output()).toBeDefined();
      const { page } = await newPage(PHONE);
      await page.goto(`${web.url}/login`);
      await page.getByTestId('login-setup').waitFor();
      await page.goto(`${web.url}/setup`);
      await page.getByTestId('setup-code').fill('AAAA-BBBB-CCCC');
      await page.getByTestId('setup-username').fill('zhuren');
      await page.getByTestId('setup-name').fill('王主任');
      await page.getByTestId('setup-password').fill('a strong first password');
      await page.getByTestId('setup-confirm').fill('a strong first password');
      await page.getByTestId('setup-submit').click();
      await expect.poll(() => page.getByTestId('setup-error').textContent()).toBe('设置码无效、已使用或已过期');
      await shot(page, 'setup-wrong-code');
      await page.getByTestId('setup-code').fill(code!);
      await page.getByTestId('setup-password').fill('a strong first password');
      await page.getByTestId('setup-confirm').fill('a strong first password');
      await page.getByTestId('setup-submit').click();
      // The first administrator enrols an authenticator before anything else.
      await page.waitForURL(`${web.url}/account?reason=enrol-totp`);
      await enrolAuthenticator(page, web.url, 'setup-enrol-totp');
      await page.goto(`${web.url}/admin/accounts`);
      await expect.poll(() => page.getByTestId('viewer-role').textContent()).toBe('系统管理员');
      expect(await page.getByTestId('account-zhuren').textContent()).toBe('zhuren');
      await shot(page, 'setup-done');
      // Done once: the page says so, and the code is spent.
      await page.goto(`${web.url}/setup`);
      await page.getByTestId('setup-done').waitFor();
    } finally {
      await web.stop();
      await api.dispose();
    }
  });
});
