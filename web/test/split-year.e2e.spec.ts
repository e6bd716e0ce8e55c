/**
 * A re-elected deputy's scorecard for the year of the term change, in Chromium, as office staff
 * read it on the demo county (term 17 closed on 19 November 2021, term 18 opened the next day):
 * they find the deputy by name, choose 2021, and see the year in two parts — 第十七届部分（1月1日–
 * 11月19日） and 第十八届部分（11月20日–12月31日）, each with its own score, duties and explanation
 * and no band of its own — and the year's score, whose lines (the base and each part) add up to it,
 * with the year's band. Read-only.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { WEB_DIR, gqlThrough, signIn } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const cents = (value: number) => Math.round(value * 100);

describe('the scorecard of a year split at a term change', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    expect(pageErrors).toEqual([]);
  });

  it('shows a re-elected deputy’s 2021 before and after the change, and the year as a whole', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const staff = await signIn(context, webUrl, { role: 'staff' });
    // A deputy who held a seat in both terms and whose name no one else bears (names are what staff type).
    const { peopleConnection } = await gqlThrough(
      webUrl,
      staff,
      `{ peopleConnection(first: 500) { edges { node { personId name mandates { kind level termNumber } } } } }`,
    );
    const people = peopleConnection.edges.map((edge: any) => edge.node);
    const named = (name: string) => people.filter((person: any) => person.name === name).length;
    // The same seat in both terms: a deputy of the same level of congress (a township deputy elected to the county is a new seat).
    const seatIn = (person: any, term: number, level: string) =>
      person.mandates.some((mandate: any) => mandate.kind === 'DEPUTY' && mandate.level === level && mandate.termNumber === term);
    const subject = people.find(
      (person: any) =>
        named(person.name) === 1 && person.mandates.some((mandate: any) => seatIn(person, 17, mandate.level) && seatIn(person, 18, mandate.level)),
    );
    expect(subject, 'a re-elected deputy with a name of their own').toBeDefined();

    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${webUrl}/people`);
    await page.getByTestId('person-row').first().waitFor();
    await page.getByTestId('people-search').fill(subject.name);
    await expect.poll(() => page.getByTestId('person-link').allTextContents()).toEqual([subject.name]);
    await page.getByTestId('person-link').click();
    await page.getByTestId('person-name').waitFor();
    expect(await page.getByTestId('person-name').textContent()).toContain(subject.name);

    await page.getByTestId('score-year').selectOption('2021');
    const split = page.getByTestId('split-year');
    await split.waitFor();
    expect(await split.locator('h3').first().textContent()).toContain('2021年度 · 换届年度');

    // The two parts, each headed by its term and days, each with its own score, duties and explanation, and no band of its own.
    const headings = (await split.getByTestId('score-part-heading').allTextContents()).map((text) => text.trim());
    expect(headings).toEqual(['第十七届部分（1月1日–11月19日）', '第十八届部分（11月20日–12月31日）']);
    const parts = split.getByTestId('score-part');
    const partScores: number[] = [];
    for (const index of [0, 1]) {
      const part = parts.nth(index);
      expect(await part.getByTestId('score-band-withheld').textContent()).toBe('按全年评定');
      expect(await part.getByTestId('duty').count()).toBeGreaterThan(0);
      const total = Number(await part.getByTestId('score-total').getAttribute('data-value'));
      const lines = await part.getByTestId('explanation-line').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-points'))));
      expect(cents(lines.reduce((sum, value) => sum + value, 0))).toBe(cents(total));
      partScores.push(total);
    }
    // Each part's held days: 323 before the change, 42 after.
    expect(await parts.nth(0).textContent()).toContain('任职 2021-01-01 至 2021-11-19');
    expect(await parts.nth(1).textContent()).toContain('任职 2021-11-20 至 2021-12-31');

    // The year as a whole: the base and one line per part, adding up to the year's score, with the year's band.
    const yearLines = split.getByTestId('split-explanation').getByTestId('explanation-line');
    expect(await yearLines.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')))).toEqual(['BASE', 'PART', 'PART']);
    const labels = await yearLines.allTextContents();
    expect(labels[1]).toContain('第十七届部分（1月1日–11月19日）：任职323天');
    expect(labels[2]).toContain('第十八届部分（11月20日–12月31日）：任职42天');
    const yearPoints = await yearLines.evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-points'))));
    const yearTotal = Number(await split.getByTestId('split-total').getAttribute('data-value'));
    expect(cents(yearPoints.reduce((sum, value) => sum + value, 0))).toBe(cents(yearTotal));
    expect(await split.getByTestId('split-band').textContent()).toMatch(/^(优秀|称职|基本称职|不称职)$/);
    expect(await split.textContent()).toContain('合计任职 365 天');
    // Not shown twice: the parts are not repeated as cards of their own.
    expect(await page.getByTestId('scorecard').locator('[data-testid="score-total"]').count()).toBe(0);
    expect(partScores).toHaveLength(2);
    await fullPageShot(page, path.join(SCREENSHOTS, 'split-year.png'));
    await split
      .locator('h3')
      .first()
      .evaluate((element) => element.scrollIntoView());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'split-year-top.png') });
    await parts.nth(1).evaluate((element) => element.scrollIntoView());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'split-year-part.png') });

    // A year with no term change shows the seat's card as before.
    await page.getByTestId('score-year').selectOption('2023');
    await page.locator('article[data-testid="scorecard"]').first().waitFor();
    expect(await page.getByTestId('split-year').count()).toBe(0);
    await context.close();
  });
});
