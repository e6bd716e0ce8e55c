/**
 * No clerk-facing field asks for an id or JSON: every form of /record (as staff and as a deputy)
 * and the training page's forms are opened from the menu as a user would, and every field's name
 * — its label, legend, aria-label and placeholder — is read; a field named as an id, 编号, UUID,
 * JSON or an event stream fails the test, as does a monospace input (where ids used to be typed).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser } from './browser';
import { gqlThrough, mintToken, signIn } from './servers';

const FORBIDDEN = /编号|JSON|UUID|事件流|\bids?\b|stream/i;

/** Every name a field of `scope` shows a user. */
async function fieldNames(page: Page, scope: string): Promise<string[]> {
  return page
    .locator(scope)
    .evaluateAll((roots) =>
      roots.flatMap((root) => [
        ...[...root.querySelectorAll('label, legend')].map((element) => element.textContent?.trim() ?? ''),
        ...[...root.querySelectorAll('input, select, textarea')].flatMap((element) => [
          element.getAttribute('aria-label') ?? '',
          element.getAttribute('placeholder') ?? '',
          element.classList.contains('mono') ? 'monospace input (an id?)' : '',
        ]),
      ]),
    );
}

describe('no form asks for an id or JSON', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  let deputyId = '';

  beforeAll(async () => {
    const staff = await mintToken({ role: 'staff' });
    const { peopleSearch } = await gqlThrough(webUrl, staff, '{ peopleSearch(first: 1, filters: { team: DEPUTY }) { edges { node { personId } } } }');
    deputyId = peopleSearch.edges[0].node.personId;
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function pageAs(role: 'staff' | 'deputy'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    await signIn(context, webUrl, role === 'deputy' ? { role, personId: deputyId } : { role });
    return { context, page: await context.newPage() };
  }

  for (const role of ['staff', 'deputy'] as const) {
    it(`walks every form of /record as ${role}`, async () => {
      const { context, page } = await pageAs(role);
      await page.goto(`${webUrl}/record`);
      const links = page.locator('[data-testid^="choose-"]');
      await links.first().waitFor();
      const ids = await links.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')!));
      expect(ids.length).toBeGreaterThan(role === 'staff' ? 15 : 5);
      const offending: string[] = [];
      for (const id of ids) {
        await page.getByTestId(id).click();
        const form = id.replace(/^choose-/, '');
        await page.locator(form === 'correct-record' ? '[data-testid="correction-finder"]' : `[data-testid="form-${form}"]`).waitFor();
        for (const name of await fieldNames(page, '.layout .stack > section')) if (FORBIDDEN.test(name)) offending.push(`${form}: ${name}`);
      }
      expect(offending).toEqual([]);
      await context.close();
    });
  }

  it('walks the training page’s forms as staff', async () => {
    const { context, page } = await pageAs('staff');
    await page.goto(`${webUrl}/training`);
    await page.getByTestId('attendance-form').waitFor();
    const names = await fieldNames(page, 'main');
    expect(names.filter((name) => FORBIDDEN.test(name))).toEqual([]);
    await context.close();
  });
});
