/**
 * The county dashboard, the people and station pages and the header's as-of control in a real
 * browser, against the built web server and a real API on a fresh demo county (PGlite, or
 * PostgreSQL when DATABASE_URL is set), started once for every e2e file by global-setup.ts.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { WEB_DIR, gqlThrough, mintToken, signIn, TODAY } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
const HEADLINES = [
  'trainingPersonTimes',
  'supervisionPersonTimes',
  'committeeMeetingAttendees',
  'consultationRecommendations',
  'stationsOpen',
  'regulationsRevised',
] as const;
const BOOKS = ['receptions', 'opinions', 'handling', 'activities', 'study', 'duty'] as const;
const BOOK_NAMES = ['接待选民簿', '意见建议簿', '意见处理簿', '活动簿', '学习簿', '履职簿'];

/** Rounds away floating-point noise, as the page does (scores are in hundredths). */
const cents = (value: number) => Math.round(value * 100);

describe('the dashboard, people and station pages', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  /** The browser works as office staff; the log's newest position is read as an auditor. */
  let staff: string;
  let auditor: string;

  /** A query through the web server's /graphql, as the page sends it (as staff unless told). */
  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}, token = staff): Promise<T> => gqlThrough<T>(webUrl, token, query, variables);

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await openBrowser();
    // A tablet in portrait: the layout must work there.
    const context = await browser.newContext({ viewport: { width: 820, height: 1180 }, locale: 'zh-CN' });
    staff = await signIn(context, webUrl, { role: 'staff' });
    auditor = await mintToken({ role: 'auditor' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
  });

  const value = async (testId: string) => Number(await page.getByTestId(testId).first().getAttribute('data-value'));
  const shot = (name: string) => fullPageShot(page, path.join(SCREENSHOTS, `${name}.png`));

  /** Sets the header's view to "as it happened" on `date`, or back to now. */
  async function viewAsHappened(date: string | null) {
    if (date === null) {
      await page.getByTestId('asof-reset').click();
      await page.getByTestId('asof-banner').waitFor({ state: 'detached' });
      return;
    }
    await page.getByTestId('asof-mode').selectOption('HAPPENED');
    await page.getByTestId('asof-date').fill(date);
    await page.getByTestId('asof-apply').click();
    await expect.poll(() => page.getByTestId('asof-banner').textContent()).toContain(date);
  }

  it('shows the headline figures of the county and draws its charts', async () => {
    await page.goto(`${webUrl}/`);
    await page.getByTestId('headlines').waitFor();
    expect(await page.locator('h1').textContent()).toBe('县人大履职概览');
    expect(await page.getByTestId('nav-home').getAttribute('aria-current')).toBe('page');

    const { countyHeadlines } = await gql(`{ countyHeadlines { ${HEADLINES.join(' ')} } }`);
    for (const key of HEADLINES) {
      const shown = await value(`headline-${key}`);
      expect(shown, key).toBeGreaterThan(0);
      expect(shown, key).toBe(countyHeadlines[key]);
    }

    for (const chart of ['chart-by-act', 'chart-by-month', 'chart-bands', 'chart-by-level', 'chart-compliance', 'chart-term-comparison']) {
      // Charts are drawn when they come near the screen.
      await page.getByTestId(chart).scrollIntoViewIfNeeded();
      const canvas = page.locator(`[data-testid="${chart}"] canvas`);
      await canvas.waitFor();
      const box = await canvas.boundingBox();
      expect(box?.width, chart).toBeGreaterThan(100);
      expect(box?.height, chart).toBeGreaterThan(100);
    }

    // The team × township table holds every approved record once.
    const { countyStatistics } = await gql('{ countyStatistics(groupBy: []) { edges { node { personTimes } } } }');
    await page.getByTestId('team-township-table').waitFor();
    expect(Number(await page.getByTestId('team-township-table').getAttribute('data-total'))).toBe(countyStatistics.edges[0].node.personTimes);
    expect(await page.getByTestId('team-township-row').count()).toBeGreaterThan(1);
    expect(await value('bands-scored')).toBeGreaterThan(0);

    // The terms compared: each term's total is its person-times in the API.
    const { byTerm } = await gql('{ byTerm: countyStatistics(groupBy: [TERM]) { edges { node { term personTimes } } } }');
    const perTerm = byTerm.edges
      .map((edge: { node: { term: number | null; personTimes: number } }) => edge.node)
      .filter((row: { term: number | null }) => row.term !== null);
    expect(perTerm.length).toBeGreaterThanOrEqual(2);
    for (const row of perTerm) {
      expect(
        Number(await page.locator(`[data-testid="term-comparison-totals"] [data-term="${row.term}"]`).getAttribute('data-value')),
        `term ${row.term}`,
      ).toBe(row.personTimes);
    }
    // The stations' compliance counts the deputies the API counts for the year.
    const { stationCompliance } = await gql('query($y: Int!) { stationCompliance(year: $y) { deputies { totalCount } } }', { y: Number(TODAY.slice(0, 4)) });
    expect(await value('compliance-deputies')).toBe(stationCompliance.deputies.totalCount);
    await shot('dashboard');
  });

  it('narrows the figures to a term and a year', async () => {
    const all = await value('headline-trainingPersonTimes');
    const terms = await page
      .locator('[data-testid="dashboard-term"] option:not([value=""])')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(terms.length).toBeGreaterThanOrEqual(2);
    await page.getByTestId('dashboard-term').selectOption(terms.at(-1)!);
    await expect.poll(() => value('headline-trainingPersonTimes')).toBeLessThan(all);
    const oneTerm = await value('headline-trainingPersonTimes');
    expect(oneTerm).toBeGreaterThan(0);
    const years = await page
      .locator('[data-testid="dashboard-year"] option:not([value=""])')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    await page.getByTestId('dashboard-year').selectOption(years[1]!);
    await expect.poll(() => value('headline-trainingPersonTimes')).toBeLessThan(oneTerm);
    expect(await page.getByTestId('bands-card').locator('h2').textContent()).toContain(years[1]);
    await page.getByTestId('dashboard-term').selectOption('');
    // The year still running has scores so far and no bands yet (评价中).
    await page.getByTestId('dashboard-year').selectOption(TODAY.slice(0, 4));
    await page.getByTestId('bands-running').waitFor();
    expect(await value('bands-running')).toBeGreaterThan(0);
    expect(await page.getByTestId('chart-bands').count()).toBe(0);
    await page.getByTestId('dashboard-year').selectOption('');
    await expect.poll(() => value('headline-trainingPersonTimes')).toBe(all);
  });

  it('lists people a page at a time and finds them by name', async () => {
    await page.getByTestId('nav-people').click();
    await page.waitForURL(/\/people$/);
    await page.getByTestId('person-row').first().waitFor();
    const total = await value('people-count');
    expect(total).toBeGreaterThan(20);
    expect(await page.getByTestId('person-row').count()).toBe(20);
    await page.getByTestId('load-more').click();
    await expect.poll(() => page.getByTestId('person-row').count()).toBe(Math.min(40, total));
    await shot('people');

    const name = (await page.getByTestId('person-link').nth(3).textContent())!.trim();
    await page.getByTestId('people-search').fill(name.slice(-2));
    await expect.poll(() => value('people-count')).toBeLessThan(total);
    const names = await page.getByTestId('person-link').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const shown of names) expect(shown).toContain(name.slice(-2));
  });

  it('sends a page the GraphQL documents it uses and not the other pages’ ones', async () => {
    const context = await browser!.newContext({ viewport: { width: 820, height: 1180 }, locale: 'zh-CN' });
    try {
      await signIn(context, webUrl, { role: 'staff' });
      const fresh = await context.newPage();
      const scripts: Promise<string>[] = [];
      fresh.on('response', (response) => {
        if (response.url().endsWith('.js')) scripts.push(response.text());
      });
      await fresh.goto(`${webUrl}/people`);
      await fresh.getByTestId('person-row').first().waitFor();
      const code = (await Promise.all(scripts)).join('\n');
      // The people page's own query is there; the audit page's is not (vite/graphql-documents.ts). The
      // minifier may quote a name either way.
      const documentNamed = (name: string) => new RegExp(String.raw`value:\s*["'\x60]` + name + String.raw`["'\x60]`);
      expect(code).toMatch(documentNamed('PeoplePage'));
      expect(code).not.toMatch(documentNamed('AuditEvents'));
    } finally {
      await context.close();
    }
  });

  /** A deputy and a year whose score today differs from the score as it happened by mid-year. */
  async function personWhoseScoreChanged(): Promise<{ id: string; year: number; date: string; now: number; then: number }> {
    const query = `query($id: ID!, $year: Int!, $asOf: AsOfInput) { scorecard(personId: $id, year: $year, asOf: $asOf) { mandates { years { total } } } }`;
    const { peopleConnection } = await gql(`{ peopleConnection(first: 100) { edges { node { personId mandates { kind termNumber } } } } }`);
    const deputies = peopleConnection.edges
      .map((edge: any) => edge.node)
      .filter((person: any) => person.mandates.some((mandate: any) => mandate.kind === 'DEPUTY'));
    for (const year of [2024, 2019]) {
      const date = `${year}-06-30`;
      for (const person of deputies.slice(0, 30)) {
        const total = async (asOf?: object) => (await gql(query, { id: person.personId, year, asOf })).scorecard.mandates[0]?.years[0]?.total ?? null;
        const now = await total();
        if (now === null) continue;
        const then = await total({ view: 'HAPPENED', date });
        if (then !== null && cents(then) !== cents(now)) return { id: person.personId, year, date, now, then };
      }
    }
    throw new Error('no deputy’s score changed between mid-year and now');
  }

  let subject: Awaited<ReturnType<typeof personWhoseScoreChanged>>;

  it('shows a person’s mandates and score, explained line by line, beside another rules version', async () => {
    subject = await personWhoseScoreChanged();
    await page.goto(`${webUrl}/people/${subject.id}`);
    await page.getByTestId('mandates-table').waitFor();
    expect(await page.getByTestId('mandate-row').count()).toBeGreaterThan(0);
    await page.getByTestId('score-year').selectOption(String(subject.year));
    await expect.poll(() => value('score-total')).toBe(subject.now);

    // Every line of the explanation, added up, is the score shown.
    const points = await page.getByTestId('explanation-line').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-points'))));
    expect(points.length).toBeGreaterThan(1);
    expect(cents(points.reduce((sum, line) => sum + line, 0))).toBe(cents(await value('score-total')));
    expect(await value('explanation-sum')).toBe(await value('score-total'));
    expect(await page.getByTestId('score-band').first().textContent()).toMatch(/优秀|称职|基本称职|不称职/);

    // A line with records opens to their ids and log positions.
    const toggle = page.getByTestId('explanation-toggle').first();
    if ((await toggle.count()) > 0) {
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      const record = page.getByTestId('explanation-record').first();
      await record.waitFor();
      expect(Number(await record.getAttribute('data-position'))).toBeGreaterThan(0);
    }

    // The same year under another version of the rules, side by side.
    await page.getByTestId('score-compare').first().waitFor();
    await expect.poll(async () => page.getByTestId('compare-score').first().getAttribute('data-value')).not.toBe('');
    expect(Number.isFinite(await value('compare-score'))).toBe(true);

    // The act history of the newest seat: every approved record the API holds for it, a page at a time.
    const { person } = await gql('query($id: ID!) { person(id: $id) { mandates { mandateId } } }', { id: subject.id });
    const newest = person.mandates.at(-1).mandateId;
    const { predecessorRecord } = await gql('query($m: ID!) { predecessorRecord(mandateId: $m) { records(first: 1) { totalCount } } }', { m: newest });
    const history = page.getByTestId('act-history');
    await history.scrollIntoViewIfNeeded();
    await history.locator(':is([data-testid="history-table"], [data-testid="history-empty"])').first().waitFor();
    const recorded = predecessorRecord.records.totalCount;
    expect(recorded).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('history-counts').getAttribute('data-total'))).toBe(recorded);
    expect(await page.getByTestId('history-row').count()).toBe(Math.min(recorded, 50));

    // A record of the explanation opens in the duty record: its seat, loaded, scrolled to and marked.
    const firstToggle = page.getByTestId('explanation-toggle').first();
    if ((await firstToggle.getAttribute('aria-expanded')) !== 'true') await firstToggle.click();
    const link = page.getByTestId('explanation-record-link').first();
    const chosen = (await link.textContent())!.trim();
    await link.click();
    const row = page.locator(`[data-testid="history-row"][data-record="${chosen}"]`);
    await expect.poll(() => row.getAttribute('data-focused')).toBe('true');
    await expect
      .poll(() =>
        row.evaluate((element) => {
          const box = element.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
    await shot('person');
  });

  it('shows the score as it happened on an earlier date, and the county figures then', async () => {
    await viewAsHappened(subject.date);
    await expect.poll(() => value('score-total')).toBe(subject.then);
    expect(cents(subject.then)).not.toBe(cents(subject.now));
    expect(await page.getByTestId('score-year').inputValue()).toBe(String(subject.year));
    const points = await page.getByTestId('explanation-line').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-points'))));
    expect(cents(points.reduce((sum, line) => sum + line, 0))).toBe(cents(subject.then));
    await shot('person-as-happened');

    // The view stays while moving around; the dashboard shows that day's figures.
    const { countyHeadlines } = await gql('query($asOf: AsOfInput) { countyHeadlines(asOf: $asOf) { trainingPersonTimes } }', {
      asOf: { view: 'HAPPENED', date: subject.date },
    });
    const { countyHeadlines: today } = await gql('{ countyHeadlines { trainingPersonTimes } }');
    await page.getByTestId('nav-home').click();
    await expect.poll(() => value('headline-trainingPersonTimes')).toBe(countyHeadlines.trainingPersonTimes);
    expect(countyHeadlines.trainingPersonTimes).toBeLessThan(today.trainingPersonTimes);
    expect(await page.getByTestId('dashboard-day').textContent()).toContain(subject.date);
    await shot('dashboard-as-happened');

    await viewAsHappened(null);
    await expect.poll(() => value('headline-trainingPersonTimes')).toBe(today.trainingPersonTimes);
  });

  it('shows the county as it was known at an earlier log position', async () => {
    const { events } = await gql('{ events(order: NEWEST_FIRST, first: 1) { edges { node { position } } } }', {}, auditor);
    const position = Math.floor(events.edges[0].node.position / 2);
    const { countyHeadlines: then } = await gql('query($asOf: AsOfInput) { countyHeadlines(asOf: $asOf) { trainingPersonTimes } }', {
      asOf: { view: 'KNOWN', position },
    });
    const now = await value('headline-trainingPersonTimes');
    expect(then.trainingPersonTimes).toBeLessThan(now);

    await page.getByTestId('asof-mode').selectOption('KNOWN');
    await page.getByTestId('asof-position').fill(String(position));
    await page.getByTestId('asof-position').press('Enter');
    await expect.poll(() => page.getByTestId('asof-banner').getAttribute('data-view')).toBe('KNOWN');
    await expect.poll(() => value('headline-trainingPersonTimes')).toBe(then.trainingPersonTimes);
    expect(await page.getByTestId('dashboard-day').textContent()).toContain(String(position));

    await page.getByTestId('asof-mode').selectOption('NOW');
    await page.getByTestId('asof-banner').waitFor({ state: 'detached' });
    await expect.poll(() => value('headline-trainingPersonTimes')).toBe(now);
  });

  it('lists the stations by township and opens one: its roster, six books and compliance', async () => {
    await page.getByTestId('nav-stations').click();
    await page.getByTestId('station-card').first().waitFor();
    const { stations } = await gql('{ stations(first: 100) { totalCount edges { node { township } } } }');
    expect(await value('stations-count')).toBe(stations.totalCount);
    expect(await page.getByTestId('station-card').count()).toBe(stations.totalCount);
    await shot('stations');

    const township = stations.edges[0].node.township as string;
    await page.getByTestId('stations-township').selectOption(township);
    const expected = stations.edges.filter((edge: any) => edge.node.township === township).length;
    await expect.poll(() => page.getByTestId('station-card').count()).toBe(expected);
    for (const shown of await page.getByTestId('station-card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-township')))) {
      expect(shown).toBe(township);
    }

    await page.getByTestId('station-link').first().click();
    await page.getByTestId('book-tabs').waitFor();
    expect(await page.getByTestId('roster-row').count()).toBeGreaterThan(0);
    const tabs = page.getByRole('tab');
    expect(await tabs.allTextContents()).toEqual(BOOK_NAMES);

    // Each book opens in its panel; it has entries or says it has none.
    for (const book of BOOKS) {
      await page.getByTestId(`book-tab-${book}`).click();
      expect(await page.getByTestId(`book-tab-${book}`).getAttribute('aria-selected')).toBe('true');
      await page.locator(`[data-testid="book-panel-${book}"] :is([data-testid="book-table"], [data-testid="book-empty"])`).first().waitFor();
    }
    await page.getByTestId('book-tab-receptions').click();
    await page.locator('[data-testid="book-panel-receptions"] [data-testid="book-row"]').first().waitFor();

    // The tabs work from the keyboard.
    await page.getByTestId('book-tab-receptions').focus();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('book-tab-opinions').getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('book-tab-opinions');
    await page.keyboard.press('End');
    expect(await page.getByTestId('book-tab-duty').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('book-tab-receptions').click();

    // The reception calendar: this month's days, scheduled times where the schedule puts them, and the
    // receptions the book holds; a month with a reception is found by stepping back.
    const stationId = new URL(page.url()).pathname.split('/').at(-1)!;
    const { stationBooks: all } = await gql(
      'query($s: ID!) { stationBooks(stationId: $s) { day station { schedules { slots { day } } } receptions(first: 100) { edges { node { heldOn } } } } }',
      { s: stationId },
    );
    await page.getByTestId('reception-calendar').waitFor();
    expect(await page.getByTestId('calendar-month').getAttribute('data-month')).toBe(all.day.slice(0, 7));
    const heldDays: string[] = all.receptions.edges.map((edge: { node: { heldOn: string } }) => edge.node.heldOn);
    const latestMonth = heldDays.sort().at(-1)!.slice(0, 7);
    for (let steps = 0; (await page.getByTestId('calendar-month').getAttribute('data-month')) !== latestMonth && steps < 240; steps++) {
      await page.getByTestId('calendar-previous').click();
    }
    await expect.poll(() => page.getByTestId('calendar-month').getAttribute('data-month')).toBe(latestMonth);
    const shownHeld = async () =>
      await page
        .locator(`[data-testid="calendar-day"]`)
        .evaluateAll((cells) =>
          cells
            .filter((cell) =>
              cell
                .getAttribute('data-date')!
                .startsWith(cell.closest('table')!.ownerDocument.querySelector('[data-testid="calendar-month"]')!.getAttribute('data-month')!),
            )
            .reduce((sum, cell) => sum + Number(cell.getAttribute('data-held')), 0),
        );
    await expect.poll(shownHeld).toBe(heldDays.filter((day) => day.startsWith(latestMonth)).length);
    if (all.station.schedules.some((schedule: { slots: unknown[] }) => schedule.slots.length > 0)) {
      expect(await page.locator('[data-testid="calendar-day"]:not([data-scheduled="0"])').count()).toBeGreaterThan(0);
    }

    // Compliance: a month × deputy grid of met and missed.
    const grid = page.getByTestId('compliance-grid');
    await grid.waitFor();
    expect(await page.getByTestId('compliance-row').count()).toBeGreaterThan(0);
    const statuses = new Set(await grid.locator('td[data-status]').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-status'))));
    expect([...statuses].every((status) => ['MET', 'MISSED', 'PENDING', 'NOT_REQUIRED'].includes(status!))).toBe(true);
    expect(statuses.has('MET') || statuses.has('MISSED')).toBe(true);
    await shot('station');
  });

  it('switches the pages to English and back', async () => {
    await page.getByTestId('locale-en').click();
    await expect.poll(() => page.getByTestId('book-tab-handling').textContent()).toBe('Handling');
    await page.getByTestId('nav-home').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('County overview');
    await page.getByTestId('locale-zh-CN').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('县人大履职概览');
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
