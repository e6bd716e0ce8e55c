/**
 * The newer forms of /record end to end, in a real browser against the built web server and the
 * API on the small demo county (global-setup.ts): a deputy declares practical help (办实事), which
 * lives on its own `deputy-act:` stream; staff find it in the county-wide review queue and approve
 * it there; the seat's record serves it with that stream; staff find it by person and seat and
 * retract it on its row, with a reason, and it no longer counts.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser } from './browser';
import { gqlThrough, mintToken, signIn, TODAY } from './servers';

const TABLET = { viewport: { width: 820, height: 1180 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };

interface Seat {
  mandateId: string;
  kind: string;
  startsOn: string;
  validTo: string | null;
}
interface Directory {
  personId: string;
  name: string;
  mandates: Seat[];
}

describe('the newer forms of /record', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let staff: string;
  const today = TODAY;

  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> => gqlThrough<T>(webUrl, staff, query, variables);

  async function newPage(role: 'staff' | 'deputy', personId?: string): Promise<Page> {
    const context = await browser!.newContext(TABLET);
    contexts.push(context);
    await signIn(context, webUrl, { role, personId });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  /** Waits until a form has the API's answer, and returns its state. */
  async function settled(form: Locator): Promise<string> {
    let state: string | null = null;
    await expect
      .poll(async () => {
        state = await form.getAttribute('data-state');
        return state !== null && state !== 'submitting' && state !== 'idle';
      })
      .toBe(true);
    return state!;
  }

  /** The newest approved records of a seat (oldest first: the last page), with their streams. */
  const seatRecords = async (mandateId: string): Promise<{ recordId: string; streamId: string | null; act: string }[]> =>
    (
      await gql('query($m: ID!) { predecessorRecord(mandateId: $m) { records(last: 100) { edges { node { recordId streamId act } } } } }', { m: mandateId })
    ).predecessorRecord.records.edges.map((edge: { node: unknown }) => edge.node);

  beforeAll(async () => {
    browser = await openBrowser();
    staff = await mintToken({ role: 'staff' });
  });

  // A test's pages close with it: a page left open would keep following the log (its live reads) through the tests after it.
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
  });

  it('a deputy declares practical help; staff approve it from the queue on its own stream, then retract it', async () => {
    const { peopleConnection } = await gql(
      '{ peopleConnection(first: 100) { edges { node { personId name mandates { mandateId kind startsOn validTo } } } } }',
    );
    const people: Directory[] = peopleConnection.edges.map((edge: { node: Directory }) => edge.node);
    // A deputy holding exactly one seat today: the form preselects it.
    const deputy = people.find((person) => {
      const running = person.mandates.filter((seat) => seat.startsOn <= today && !seat.validTo);
      return running.length === 1 && running[0]!.kind === 'DEPUTY';
    });
    expect(deputy).toBeDefined();
    const seat = deputy!.mandates.find((candidate) => !candidate.validTo)!;

    const page = await newPage('deputy', deputy!.personId);
    const sent: Record<string, any>[] = [];
    page.on('request', (request) => {
      const body = request.postData();
      if (request.method() === 'POST' && body?.includes('recordPracticalHelp(')) sent.push(JSON.parse(body).variables.input);
    });
    await page.goto(`${webUrl}/record`);
    await page.getByTestId('choose-practical-help').click();
    const form = page.getByTestId('form-practical-help');
    await expect.poll(() => form.getByTestId('chosen-person').getAttribute('data-person')).toBe(deputy!.personId);
    expect(await form.getByTestId('mandate-person').inputValue()).toBe(seat.mandateId);
    await form.getByTestId('input-act').selectOption('DISPUTE_MEDIATION');
    await form.getByTestId('input-summary').fill('调解两户村民宅基地边界纠纷');
    await form.getByTestId('input-beneficiaries').fill('0');
    await form.getByTestId('submit').click();
    // At least one person helped, as the API requires: caught before sending.
    await expect.poll(() => form.getAttribute('data-state')).toBe('invalid');
    expect(await form.getByTestId('error-beneficiaries').textContent()).toBe('不能小于 1');
    expect(sent).toHaveLength(0);
    await form.getByTestId('input-beneficiaries').fill('2');
    await form.getByTestId('submit').click();
    expect(await settled(form)).toBe('recorded');
    expect(await form.getByTestId('confirmation').textContent()).toContain(`已申报，待审核：${deputy!.name} ${today} 矛盾调解，受益 2 人`);
    expect(sent).toHaveLength(1);
    const recordId: string = sent[0]!.recordId;
    expect(sent[0]).toMatchObject({
      act: 'DISPUTE_MEDIATION',
      personId: deputy!.personId,
      mandateId: seat.mandateId,
      date: today,
      beneficiaries: 2,
      township: null,
    });
    // Declared: not counted in the seat's record yet.
    expect((await seatRecords(seat.mandateId)).map((record) => record.recordId)).not.toContain(recordId);

    // Staff see it county-wide, on the stream the API names, and approve it.
    const staffPage = await newPage('staff');
    await staffPage.goto(`${webUrl}/record`);
    const row = staffPage.locator(`[data-testid="review-row"][data-record="${recordId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-stream')).toBe(`deputy-act:${recordId}`);
    expect(await row.textContent()).toContain('矛盾调解');
    await row.getByTestId('review-approve').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('approved');
    // (A query of its own names no log position: it may reach the read models a moment before the approval.)
    await expect.poll(() => seatRecords(seat.mandateId)).toContainEqual({ recordId, streamId: `deputy-act:${recordId}`, act: 'DISPUTE_MEDIATION' });

    // Entered in error after all: staff find it (the person, the seat, the record) and retract it on its row,
    // with a reason; it stays in the log but no longer counts, and leaves the list.
    await staffPage.getByTestId('choose-correct-record').click();
    const finder = staffPage.getByTestId('correction-finder');
    await finder.getByTestId('correction-person').fill(deputy!.name);
    await finder.locator(`[data-testid="person-option"][data-person="${deputy!.personId}"]`).click();
    await finder.getByTestId('correction-seat').selectOption(seat.mandateId);
    const entry = finder.locator(`[data-testid="correction-record"][data-record="${recordId}"]`);
    await entry.getByTestId('record-retract').click();
    const dialog = staffPage.locator('dialog[open]');
    await dialog.getByLabel('撤销理由').fill('重复登记');
    await dialog.getByTestId('record-dialog-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => entry.count()).toBe(0);
    await expect.poll(async () => (await seatRecords(seat.mandateId)).map((record) => record.recordId)).not.toContain(recordId);
  });

  it('raised no error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
