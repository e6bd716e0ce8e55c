/**
 * 谁能查看: an auditor opens a station's opinion book, asks who could read the voter behind the
 * newest opinion, and reads the accounts by their grants on the day chosen — an office clerk granted
 * from 2026-01-01 is listed today and not on 2025-12-31, a manager of another station never.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser } from './browser';
import { gqlThrough, mintToken, signIn, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');

describe('who could read a voter (auditor, station page)', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  let page: Page;
  let stationId: string;
  const suffix = Date.now().toString(36);
  const clerk = `clerk-${suffix}`;
  const elsewhere = `manager-${suffix}`;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    const staff = await mintToken({ role: 'staff' });
    const admin = await mintToken({ role: 'admin' });
    // A station whose book holds an opinion, and another station with a deputy to manage it.
    const { stations } = await gqlThrough(webUrl, staff, '{ stations(first: 30) { edges { node { stationId } } } }');
    const ids: string[] = stations.edges.map((edge: { node: { stationId: string } }) => edge.node.stationId);
    for (const id of ids) {
      const { stationBooks } = await gqlThrough(webUrl, staff, 'query($s: ID!) { stationBooks(stationId: $s) { opinions(first: 1) { totalCount } } }', {
        s: id,
      });
      if (stationBooks.opinions.totalCount > 0) {
        stationId = id;
        break;
      }
    }
    expect(stationId, 'a station with an opinion').toBeDefined();
    const other = ids.find((id) => id !== stationId)!;
    const { peopleSearch } = await gqlThrough(webUrl, staff, '{ peopleSearch(first: 1, filters: { team: DEPUTY }) { edges { node { personId } } } }');
    const open = async (username: string, grant: Record<string, unknown>, personId?: string) => {
      const created = await gqlThrough(
        webUrl,
        admin,
        'mutation($input: CreateAccountInput!) { createAccount(input: $input) { ... on CreateAccountResult { data { accountId } } ... on Rejection { messageZh } } }',
        { input: { username, displayName: username, password: 'a long password 1', personId } },
      );
      const accountId = created.createAccount.data?.accountId;
      expect(accountId, JSON.stringify(created)).toBeDefined();
      const granted = await gqlThrough(
        webUrl,
        admin,
        'mutation($input: GrantRoleInput!) { grantRole(input: $input) { __typename ... on Rejection { messageZh } } }',
        {
          input: { accountId, ...grant },
        },
      );
      expect(granted.grantRole.__typename, JSON.stringify(granted)).toBe('GrantRoleResult');
    };
    await open(clerk, { role: 'STAFF', scopeKind: 'COUNTY', from: '2026-01-01' });
    await open(elsewhere, { role: 'STATION_MANAGER', scopeKind: 'STATION', stationId: other, from: '2026-01-01' }, peopleSearch.edges[0].node.personId);

    browser = await openBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await signIn(context, webUrl, { role: 'auditor' });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists the accounts that could read the voter on the day chosen, with why', async () => {
    await page.goto(`${webUrl}/stations/${stationId}`);
    await page.getByTestId('book-tab-opinions').click();
    const row = page.getByTestId('book-panel-opinions').getByTestId('book-row').first();
    await row.getByRole('button', { name: '谁能查看' }).click();
    const panel = page.getByRole('dialog');
    const usernames = () => panel.getByTestId('voter-reader').evaluateAll((rows) => rows.map((element) => element.getAttribute('data-username')));
    await expect.poll(usernames).toContain(clerk);
    expect(await usernames()).not.toContain(elsewhere);
    expect(await panel.getByTestId('voter-reader').filter({ hasText: clerk }).textContent()).toContain('办理意见的机关工作人员');
    expect(await panel.getAttribute('data-testid')).toBe('voter-readers');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'voter-readers.png'), fullPage: false });

    // The day before the clerk's grant began: not among them.
    await panel.getByTestId('voter-readers-day').fill('2025-12-31');
    await panel.getByRole('button', { name: '查询' }).click();
    await expect.poll(usernames).not.toContain(clerk);
  });
});
