/**
 * A clerk corrects and then retracts an act from a person's history, where it is shown: the
 * history lists the newest first; 更正 opens the record's own fields filled as they stand, shows
 * the change before and after, will not send without a reason (focus goes to it), and records the
 * correction; 撤销 asks for a reason and the record leaves the history. GraphQL only checks the
 * results: the record's data as corrected, then its status retracted.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser } from './browser';
import { gqlThrough, mintToken, signIn, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');

interface Found {
  personId: string;
  mandateId: string;
  recordId: string;
  date: string;
  summary: string;
}

describe('a clerk corrects and retracts an act from a person’s history', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  let page: Page;
  let staff: string;
  const pageErrors: string[] = [];
  let found: Found;

  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> => gqlThrough<T>(webUrl, staff, query, variables);
  const recordOf = async (recordId: string) =>
    (await gql('query($id: ID!) { actRecord(recordId: $id) { status corrected data } }', { id: recordId })).actRecord as {
      status: string;
      corrected: boolean;
      data: string;
    };

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    staff = await mintToken({ role: 'staff' });
    // A deputy whose newest record is a station visit (it has a summary to correct).
    const { peopleSearch } = await gql('{ peopleSearch(first: 100, filters: { team: DEPUTY }) { edges { node { personId mandates { mandateId } } } } }');
    for (const { node } of peopleSearch.edges as { node: { personId: string; mandates: { mandateId: string }[] } }[]) {
      const mandateId = node.mandates.at(-1)?.mandateId;
      if (!mandateId) continue;
      const { predecessorRecord } = await gql(
        'query($m: ID!) { predecessorRecord(mandateId: $m) { records(first: 1, order: NEWEST_FIRST) { edges { node { recordId eventType date summary } } } } }',
        { m: mandateId },
      );
      const newest = predecessorRecord?.records.edges[0]?.node;
      if (newest?.eventType === 'StationVisitRecorded' && newest.summary) {
        found = { personId: node.personId, mandateId, recordId: newest.recordId, date: newest.date, summary: newest.summary };
        break;
      }
    }
    expect(found, 'a deputy whose newest record is a station visit').toBeDefined();

    browser = await openBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await signIn(context, webUrl, { role: 'staff' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
  });

  const row = () => page.locator(`[data-testid="history-row"][data-record="${found.recordId}"]`);
  const dialog = () => page.getByTestId('record-dialog');

  it('shows the newest record first, corrects it with a diff and a reason, then retracts it', async () => {
    await page.goto(`${webUrl}/people/${found.personId}`);
    await page.getByTestId('history-table').waitFor();
    // Newest first: the record found is the first row, and the dates never rise down the page.
    const dates = await page.getByTestId('history-row').evaluateAll((rows) => rows.map((r) => r.querySelector('td')?.textContent?.trim() ?? ''));
    expect(dates[0]).toBe(found.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    await expect.poll(() => row().count()).toBe(1);

    // 更正: the record's own fields, filled as they stand — no id, no JSON.
    await row().getByTestId('record-correct').click();
    await expect.poll(() => dialog().getByLabel('履职内容').inputValue()).toBe(found.summary);
    expect(await dialog().getByLabel('日期').inputValue()).toBe(found.date);
    const labels = await dialog().locator('label').allTextContents();
    expect(labels.join(' ')).not.toMatch(/编号|JSON|\bid\b/i);

    const corrected = `${found.summary}（更正：补记走访${randomUUID().slice(0, 4)}）`;
    await dialog().getByLabel('履职内容').fill(corrected);
    const diff = dialog().getByTestId('record-diff');
    await diff.waitFor();
    expect(await diff.locator('del').first().textContent()).toBe(found.summary);
    expect(await diff.locator('ins').first().textContent()).toBe(corrected);

    // No reason: refused on the page, focus on the reason.
    await dialog().getByTestId('record-dialog-submit').click();
    await dialog().getByTestId('record-dialog-error').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('id') ?? '')).toMatch(/-reason$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'record-correct-dialog.png') });
    await dialog().getByLabel('更正理由').fill('原记录漏写了走访的内容');
    await dialog().getByTestId('record-dialog-submit').click();
    await dialog().waitFor({ state: 'hidden' });

    await expect.poll(async () => (await row().textContent()) ?? '').toContain(corrected);
    expect(await row().textContent()).toContain('已更正');
    const after = await recordOf(found.recordId);
    expect(after.corrected).toBe(true);
    expect(JSON.parse(after.data).summary).toBe(corrected);

    // 撤销, with a reason: it leaves the history and no longer counts.
    await row().getByTestId('record-retract').click();
    await dialog().getByLabel('撤销理由').waitFor();
    await dialog().getByLabel('撤销理由').fill('重复登记');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'record-retract-dialog.png') });
    await dialog().getByTestId('record-dialog-submit').click();
    await dialog().waitFor({ state: 'hidden' });
    await expect.poll(() => row().count()).toBe(0);
    expect((await recordOf(found.recordId)).status).toBe('retracted');
    expect(pageErrors).toEqual([]);
  });
});
