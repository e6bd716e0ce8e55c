/**
 * A voter's opinion followed from the reception where it was raised, as a station's clerk works:
 * the station's reception book lists the newest reception first; its row's 登记意见 opens the
 * opinion form with the station chosen and the reception named in words (no id to type); the
 * opinion is registered, then referred to an agency and answered from the opinion forms, choosing it
 * by what it says. GraphQL only checks the results: the opinion tied to that reception, then
 * answered.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { gqlThrough, mintToken, signIn, TODAY, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');

interface Reception {
  receptionId: string;
  heldOn: string;
  lead: { personId: string; name: string };
}

describe('a reception → its opinion → referral → answer, from the pages', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  let page: Page;
  let staff: string;
  const pageErrors: string[] = [];
  let stationId = '';
  let reception: Reception;
  const category = `道路交通${randomUUID().slice(0, 4)}`;

  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> => gqlThrough<T>(webUrl, staff, query, variables);
  const opinionsOf = async () =>
    (
      await gql(
        'query($s: ID!) { stationBooks(stationId: $s) { opinions(first: 100, order: NEWEST_FIRST) { edges { node { opinionId category receptionId status agency } } } } }',
        { s: stationId },
      )
    ).stationBooks.opinions.edges.map((edge: { node: unknown }) => edge.node) as {
      opinionId: string;
      category: string;
      receptionId: string | null;
      status: string;
      agency: string | null;
    }[];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    staff = await mintToken({ role: 'staff' });
    const { stations } = await gql('{ stations(first: 20) { edges { node { stationId name counts { receptions } } } } }');
    const station = stations.edges.map((edge: { node: any }) => edge.node).find((node: any) => node.counts.receptions > 0);
    expect(station, 'a station that held receptions').toBeDefined();
    stationId = station.stationId;
    const { stationBooks } = await gql(
      'query($s: ID!) { stationBooks(stationId: $s) { receptions(first: 1, order: NEWEST_FIRST) { edges { node { receptionId heldOn lead { personId name } } } } } }',
      { s: stationId },
    );
    reception = stationBooks.receptions.edges[0].node;

    browser = await openBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await signIn(context, webUrl, { role: 'staff' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
  });

  const form = (id: string) => page.getByTestId(`form-${id}`);

  async function submitAndWait(id: string) {
    await form(id).getByTestId('submit').click();
    await page.waitForFunction((testid) => {
      const state = document.querySelector(`[data-testid="${testid}"]`)?.getAttribute('data-state');
      return state === 'recorded' || state === 'rejected' || state === 'failed' || state === 'invalid';
    }, `form-${id}`);
    expect(await form(id).getAttribute('data-state'), (await form(id).textContent()) ?? '').toBe('recorded');
  }

  async function chooseOpinion(id: string) {
    const select = form(id).getByTestId('input-opinionId');
    // The station's opinions load when it is chosen (every page of its book): wait for ours among them.
    await expect.poll(() => select.locator('option').allTextContents(), { timeout: 60_000 }).toContainEqual(expect.stringContaining(category));
    const value = await select.evaluate((element, wanted) => {
      const option = [...(element as HTMLSelectElement).options].find((candidate) => candidate.textContent?.includes(wanted));
      return option?.value ?? '';
    }, category);
    expect(value).not.toBe('');
    await select.selectOption(value);
  }

  it('registers the opinion from the reception’s row, then refers and answers it', async () => {
    await page.goto(`${webUrl}/stations/${stationId}`);
    const rows = page.getByTestId('book-panel-receptions').getByTestId('book-row');
    await rows.first().waitFor();
    // Newest first: today's reception needs no "load more".
    expect(await rows.first().locator('td').first().textContent()).toBe(reception.heldOn);

    await rows.first().getByTestId('reception-register-opinion').click();
    await page.waitForURL(/\/record\?form=register-opinion/);
    const opinion = form('register-opinion');
    await opinion.waitFor();
    // The reception in words, the station already chosen; nothing asks for an id.
    expect(await opinion.getByTestId('context-receptionId').textContent()).toContain(reception.heldOn);
    await expect.poll(() => opinion.getByTestId('input-stationId').inputValue(), { timeout: 30_000 }).toBe(stationId);
    expect((await opinion.locator('label').allTextContents()).join(' ')).not.toMatch(/编号|JSON|\bid\b/i);

    await opinion.getByTestId('input-receivedBy').fill(reception.lead.name);
    await opinion.locator(`[data-testid="person-option"][data-person="${reception.lead.personId}"]`).click();
    await opinion.getByTestId('input-category').fill(category);
    await opinion.getByTestId('input-content').fill('村口道路坑洼，雨天积水，群众出行不便。');
    await opinion.getByTestId('input-deadline').fill('2027-01-05');
    await opinion.getByTestId('input-voterName').fill('王秀英');
    await opinion.getByTestId('input-voterPhone').fill('13800138000');
    await fullPageShot(page, path.join(SCREENSHOTS, 'reception-opinion.png'));
    await submitAndWait('register-opinion');

    // A mutation answers once its events are in the log; the station's books follow a moment later.
    const opinionNamed = async () => (await opinionsOf()).find((entry) => entry.category === category);
    await expect.poll(async () => (await opinionNamed())?.receptionId, { timeout: 30_000 }).toBe(reception.receptionId);

    // 交办: the opinion chosen by what it says at its station.
    await page.getByTestId('choose-refer-opinion').click();
    await form('refer-opinion').getByTestId('input-stationId').selectOption(stationId);
    await chooseOpinion('refer-opinion');
    await form('refer-opinion').getByTestId('input-agency').fill('县交通运输局');
    await form('refer-opinion').getByTestId('input-deadline').fill('2027-01-05');
    await submitAndWait('refer-opinion');

    // 答复.
    await page.getByTestId('choose-answer-opinion').click();
    await form('answer-opinion').getByTestId('input-stationId').selectOption(stationId);
    await chooseOpinion('answer-opinion');
    await form('answer-opinion').getByTestId('input-answer').fill('已列入明年村道硬化计划，雨季前完成排水沟疏通。');
    await form('answer-opinion').getByTestId('input-answeredOn').fill(TODAY);
    await submitAndWait('answer-opinion');

    await expect.poll(async () => (await opinionNamed())?.status, { timeout: 30_000 }).toBe('ANSWERED');
    expect(await opinionNamed()).toMatchObject({ receptionId: reception.receptionId, status: 'ANSWERED', agency: '县交通运输局' });
    expect(pageErrors).toEqual([]);
  });
});
