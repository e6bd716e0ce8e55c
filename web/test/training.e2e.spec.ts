/**
 * The /training page in a real browser, against the built web server and a real API on a fresh
 * event log (PGlite, or PostgreSQL when DATABASE_URL is set), started by global-setup.ts.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { gqlThrough, SESSION_COOKIE, WEB_DIR, signIn } from './servers';

const ALREADY_ATTENDED = '该人员已登记参加此次培训';
const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');

describe('the training page', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  /** The `input` of every recordTrainingAttendance request the page sent. */
  const commands: { commandId: string; trainingId: string; personId: string }[] = [];
  /** Office staff record attendance; the browser is signed in as staff. */
  let staff: string;

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await openBrowser();
    const context = await browser.newContext({ viewport: { width: 820, height: 1180 }, locale: 'zh-CN' });
    staff = await signIn(context, webUrl, { role: 'staff' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      const body = request.postData();
      if (request.method() === 'POST' && body?.includes('recordTrainingAttendance')) commands.push(JSON.parse(body).variables.input);
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const form = () => page.getByTestId('attendance-form');
  const readTotal = async () => Number(await page.getByTestId('total-person-times').getAttribute('data-value'));
  const optionValues = (testId: string) =>
    page.locator(`[data-testid="${testId}"] option:not([value=""])`).evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));

  /** Submits the form and waits until the page shows the API's answer; returns the form's state. */
  async function submit(): Promise<string> {
    const answered = page.waitForResponse(
      (response) => response.url().endsWith('/graphql') && !!response.request().postData()?.includes('recordTrainingAttendance'),
    );
    await form().getByTestId('submit').click();
    await answered;
    await page.waitForFunction(() => {
      const state = document.querySelector('[data-testid="attendance-form"]')?.getAttribute('data-state');
      return state !== 'submitting' && state !== 'idle';
    });
    return (await form().getAttribute('data-state')) ?? '';
  }

  it('leads from the home page (the county dashboard) to /training, in Chinese', async () => {
    await page.goto(`${webUrl}/`);
    await page.getByTestId('nav-training').click();
    await page.waitForURL(/\/training$/);
    await expect.poll(() => page.getByTestId('brand').textContent()).toBe('营盘 · 人大履职档案');
    await expect.poll(() => page.locator('h1').textContent()).toBe('培训人次');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  /** Finds a person in the picker by typing their name, and picks them (the person field then shows them chosen). */
  async function pickPerson(person: { personId: string; name: string }) {
    const chosen = form().getByTestId('chosen-person');
    // The person chosen before is changed with 更换 (its accessible name: 更换 and who it is).
    if ((await chosen.count()) > 0) await chosen.getByRole('button', { name: `更换${await chosen.locator('strong').textContent()}`, exact: true }).click();
    await form().getByTestId('input-person').fill(person.name);
    await form().locator(`[data-testid="person-option"][data-person="${person.personId}"]`).click();
    await expect.poll(() => chosen.getAttribute('data-person')).toBe(person.personId);
  }

  it('records an attendance of anyone in the roster, found by name: the total goes up by exactly one, and a second command is rejected beside the person', async () => {
    await page.goto(`${webUrl}/training`);
    await page.getByTestId('total-person-times').waitFor();
    await form().getByTestId('submit').waitFor();
    const before = await readTotal();
    expect(before).toBeGreaterThan(0);
    expect(await page.getByTestId('person-times-row').count()).toBe(5);

    const trainings = await optionValues('input-training');
    expect(trainings.length).toBeGreaterThan(0);
    // People from the whole roster (the picker searches it; the form no longer lists the first 500).
    const { peopleSearch } = await gqlThrough(webUrl, staff, '{ peopleSearch(first: 60) { edges { node { personId name } } } }');
    const everyone: { personId: string; name: string }[] = peopleSearch.edges.map((edge: { node: { personId: string; name: string } }) => edge.node);
    const people = everyone.filter((person) => everyone.filter((other) => other.name === person.name).length === 1);
    expect(people.length).toBeGreaterThan(10);

    // Pick a training and a person not yet recorded for it, by trying.
    let recorded: { trainingId: string; personId: string; name: string } | undefined;
    let tries = 0;
    search: for (const trainingId of trainings) {
      await page.getByTestId('input-training').selectOption(trainingId);
      for (const person of people) {
        if (++tries > 40) break search;
        await pickPerson(person);
        const state = await submit();
        if (state === 'recorded') {
          recorded = { trainingId, personId: person.personId, name: person.name };
          break search;
        }
        expect(state).toBe('rejected');
        expect(await page.getByTestId('error-person').textContent()).toBe(ALREADY_ATTENDED);
      }
    }
    if (!recorded) throw new Error(`found no training and person to record after ${tries} tries`);

    await expect.poll(() => form().getByTestId('confirmation').textContent()).toContain('已登记');
    await expect.poll(readTotal).toBe(before + 1);
    await fullPageShot(page, path.join(SCREENSHOTS, 'training.png'));

    // The same person again is a new command (the first one was answered), and the domain refuses it.
    const state = await submit();
    expect(state).toBe('rejected');
    const personError = page.locator('[data-field="person"] [data-testid="error-person"]');
    expect(await personError.textContent()).toBe(ALREADY_ATTENDED);
    expect(await form().getByTestId('chosen-person').getAttribute('data-person')).toBe(recorded.personId);
    expect(await page.getByTestId('input-training').inputValue()).toBe(recorded.trainingId);
    expect(await form().getByTestId('confirmation').count()).toBe(0);

    const [first, second] = commands.slice(-2);
    expect(first).toMatchObject({ trainingId: recorded.trainingId, personId: recorded.personId });
    expect(second).toMatchObject({ trainingId: recorded.trainingId, personId: recorded.personId });
    expect(second!.commandId).not.toBe(first!.commandId);
    expect(new Set(commands.map((command) => command.commandId)).size).toBe(commands.length);

    // Nothing more was counted: reload the page so the total comes from the server again.
    await page.reload();
    await page.getByTestId('total-person-times').waitFor();
    expect(await readTotal()).toBe(before + 1);
    await pickPerson({ personId: recorded.personId, name: recorded.name });
    await page.getByTestId('input-training').selectOption(recorded.trainingId);
    expect(await submit()).toBe('rejected');
    await fullPageShot(page, path.join(SCREENSHOTS, 'training-rejected.png'));
  });

  it('switches the interface to English and back', async () => {
    await page.getByTestId('locale-en').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Training person-times');
    expect(await page.getByTestId('error-person').textContent()).toBe('This person is already recorded as attending this training');
    await page.getByTestId('locale-zh-CN').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('培训人次');
    expect(await page.getByTestId('error-person').textContent()).toBe(ALREADY_ATTENDED);
  });

  it('forwards GET and POST on /graphql to the API, with the session cookie as the bearer', async () => {
    const get = await fetch(`${webUrl}/graphql?query=${encodeURIComponent('{ peopleConnection(first: 5) { edges { node { personId } } } }')}`, {
      headers: { accept: 'application/json', cookie: `${SESSION_COOKIE}=${staff}` },
    });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.peopleConnection.edges.length).toBeGreaterThan(0);
    const post = (headers: Record<string, string>) =>
      fetch(`${webUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ trainingPersonTimes { personTimes } }' }),
      });
    const signedIn = await post({ authorization: `Bearer ${staff}` });
    expect(signedIn.status).toBe(200);
    expect(((await signedIn.json()) as any).data.trainingPersonTimes).toHaveLength(5);
    // Without a sign-in the API refuses what is not public.
    const anonymous = (await (await post({})).json()) as any;
    expect(anonymous.errors[0].extensions.code).toBe('unauthenticated');
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
