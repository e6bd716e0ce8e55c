/**
 * 制度 (/regulations) in Chromium, as new-term staff read it on the demo county: they reach it
 * from the menu, see every regulation with its versions (立、改、废) and what each changed, in
 * force first, and — with a date in the header — the version that was in force then. Read-only.
 * GraphQL only checks what the page shows.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { WEB_DIR, gqlThrough, signIn } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');

interface Step {
  kind: string;
  version: number;
  effectiveOn: string;
}
interface Regulation {
  regulationId: string;
  title: string;
  status: string;
  version: number;
  steps: Step[];
}

describe('the regulations page', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('lists every regulation with its versions from the menu, and the version in force on a past date', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const token = await signIn(context, webUrl, { role: 'staff' });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${webUrl}/`);
    await page.getByTestId('nav-regulations').click();
    await page.waitForURL(/\/regulations$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('制度');

    const { regulations } = await gqlThrough<{ regulations: Regulation[] }>(
      webUrl,
      token,
      '{ regulations { regulationId title status version steps { kind version effectiveOn } } }',
    );
    expect(regulations.length).toBeGreaterThan(0);
    const cards = page.getByTestId('regulation');
    await expect.poll(() => cards.count()).toBe(regulations.length);
    // In force first, in the order the API gives.
    expect(await cards.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-regulation')))).toEqual(
      regulations.map((regulation) => regulation.regulationId),
    );

    // An amended regulation: its state names the version, its history every step, newest first, in words.
    const amended = regulations.find((regulation) => regulation.status === 'in-force' && regulation.steps.some((step) => step.kind === 'amended'))!;
    const card = page.locator(`[data-testid="regulation"][data-regulation="${amended.regulationId}"]`);
    expect(await card.locator('h2').textContent()).toBe(amended.title);
    expect(await card.getByTestId('regulation-state').textContent()).toBe(`现行 · 第 ${amended.version} 版`);
    const steps = card.getByTestId('regulation-step');
    expect(await steps.count()).toBe(amended.steps.length);
    expect(await steps.first().locator('td').first().textContent()).toBe(amended.steps.at(-1)!.effectiveOn);
    expect(await steps.last().locator('td').nth(1).textContent()).toBe('立');
    expect(await card.textContent()).not.toMatch(/Regulation(Enacted|Amended|Repealed)|[0-9a-f]{8}-[0-9a-f]{4}-/);
    const repealed = regulations.find((regulation) => regulation.status === 'repealed');
    if (repealed) {
      const state = page.locator(`[data-testid="regulation"][data-regulation="${repealed.regulationId}"]`).getByTestId('regulation-state');
      expect(await state.textContent()).toMatch(/^已于 \d{4}-\d{2}-\d{2} 废止$/);
    }
    await fullPageShot(page, path.join(SCREENSHOTS, 'regulations.png'));

    // The day before the last amendment took effect: the version before it was in force.
    const last = amended.steps.at(-1)!;
    const dayBefore = new Date(Date.parse(`${last.effectiveOn}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId('asof-mode').selectOption('HAPPENED');
    await page.getByTestId('asof-date').fill(dayBefore);
    await page.getByTestId('asof-apply').click();
    await expect.poll(() => card.getAttribute('data-version')).toBe(String(last.version - 1));
    expect(await card.getByTestId('regulation-state').textContent()).toBe(`现行 · 第 ${last.version - 1} 版`);
    expect(await card.getByTestId('regulation-step').count()).toBe(amended.steps.length - 1);
    expect(await page.getByTestId('regulations-summary').textContent()).toContain(`截至 ${dayBefore}`);
    await context.close();
  });
});
