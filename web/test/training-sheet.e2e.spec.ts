/**
 * A clerk records a training after the meeting, in a real browser against the built web server and
 * the API on the small demo county (global-setup.ts): signed in as staff, from the dashboard to
 * /training, the training's details, two attendees picked by typing (pinyin initials, then
 * characters of a name), a pasted sign-in sheet with two known names, a namesake (chosen by
 * township) and an unknown name (shown, then removed), one submit, the confirmation with the
 * head-count — and the API's count of the training's attendance equal to it.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type TestBrowser, fullPageShot } from './browser';
import { gqlThrough, mintToken, signIn, TODAY, WEB_DIR } from './servers';

const SCREENSHOTS = path.join(WEB_DIR, 'screenshots');
/** The day of the training: a few days before the county's today. */
const DAY = '2026-12-01';
const NAMESAKE = '欧阳明月';

interface Person {
  personId: string;
  name: string;
  initials: string;
}

describe('a clerk records a training with its sign-in sheet in one submit', () => {
  const webUrl = inject('webUrl');
  let browser: TestBrowser | undefined;
  let page: Page;
  let staff: string;
  const pageErrors: string[] = [];
  /** The mutations the page sent. */
  const sent: string[] = [];

  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> => gqlThrough<T>(webUrl, staff, query, variables);

  /** The namesakes the county has (set up below): the one in 石桥铺镇 is the one who came. */
  const namesakes: Record<string, string> = {};
  /** People of the demo county holding a seat on the day, with their pinyin initials. */
  let seated: Person[] = [];

  async function registerDeputy(name: string, township: string, termId: string): Promise<string> {
    const personId = randomUUID();
    const run = async (mutation: string, input: Record<string, unknown>) => {
      const name = mutation.charAt(0).toUpperCase() + mutation.slice(1);
      const data = await gql(`mutation($input: ${name}Input!) { ${mutation}(input: $input) { __typename ... on Rejection { messageZh } } }`, {
        input: { commandId: randomUUID(), ...input },
      });
      expect(data[mutation].__typename, JSON.stringify(data)).toBe('CommandResult');
    };
    await run('registerPerson', { personId, name, gender: 'FEMALE', publicServant: false });
    await run('startMandate', {
      mandateId: randomUUID(),
      personId,
      termId,
      kind: 'DEPUTY',
      level: 'TOWNSHIP',
      district: `${township}第二选区`,
      publicServant: false,
      startsOn: '2026-10-01',
      township,
    });
    return personId;
  }

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    staff = await mintToken({ role: 'staff' });
    // Two deputies of one name in two townships, as counties have.
    const { terms } = await gql<{ terms: { termId: string; closedOn: string | null }[] }>('{ terms { termId closedOn } }');
    const open = terms.find((term) => term.closedOn === null)!;
    namesakes['石桥铺镇'] = await registerDeputy(NAMESAKE, '石桥铺镇', open.termId);
    namesakes['周礼镇'] = await registerDeputy(NAMESAKE, '周礼镇', open.termId);

    const { peopleSearch } = await gql(
      'query($day: Date) { peopleSearch(first: 100, filters: { validOn: $day }) { edges { node { personId name initials } } } }',
      {
        day: DAY,
      },
    );
    const everyone: Person[] = peopleSearch.edges.map((edge: { node: Person }) => edge.node);
    // Names borne by one person only, so the sheet matches them without a choice.
    const once = everyone.filter((person) => everyone.filter((other) => other.name === person.name).length === 1 && person.name !== NAMESAKE);
    seated = once;
    expect(seated.length).toBeGreaterThan(6);

    browser = await openBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await signIn(context, webUrl, { role: 'staff' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      const body = request.postData();
      if (request.method() === 'POST' && body?.includes('mutation')) sent.push(/\b(\w+)\(input:/.exec(body)?.[1] ?? body);
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const form = () => page.getByTestId('organise-form');
  const readTotal = async () => Number(await page.getByTestId('total-person-times').getAttribute('data-value'));
  const listed = async () =>
    form()
      .getByTestId('attendee-row')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-person')));

  it('organises a training, picks, pastes, settles the sheet and records everyone at once', async () => {
    // From the landing page, as a clerk goes.
    await page.goto(`${webUrl}/`);
    await page.getByTestId('nav-training').click();
    await page.waitForURL(/\/training$/);
    await page.getByTestId('total-person-times').waitFor();
    const before = await readTotal();
    expect(TODAY > DAY).toBe(true);

    // The training's details.
    const title = `2026年代表履职能力提升专家讲座（${randomUUID().slice(0, 4)}）`;
    await form().getByTestId('organise-category').selectOption({ label: '专家讲座' });
    await form().getByTestId('organise-title').fill(title);
    await form().getByTestId('organise-date').fill(DAY);

    // The person whose initials fewest others share is typed by them: zs for 张三.
    const byInitials = [...seated].sort(
      (a, b) => seated.filter((other) => other.initials.startsWith(a.initials)).length - seated.filter((other) => other.initials.startsWith(b.initials)).length,
    )[0]!;
    const search = form().getByTestId('organise-search');
    await search.fill(byInitials.initials);
    const option = form().locator(`[data-testid="person-option"][data-person="${byInitials.personId}"]`);
    await option.waitFor();
    expect(await option.textContent()).toContain(byInitials.name);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'training-sheet-picker.png'), fullPage: false });
    // Keyboard: ↓ to the person, Enter to choose.
    const options = await form()
      .getByTestId('person-option')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-person')));
    for (let index = 0; index < options.indexOf(byInitials.personId); index++) await search.press('ArrowDown');
    await search.press('Enter');
    await expect.poll(listed).toEqual([byInitials.personId]);

    // A second one by characters of the name, chosen with the mouse.
    const byName = seated.find((person) => person.personId !== byInitials.personId && [...person.name].length >= 2)!;
    await search.fill(byName.name);
    await form().locator(`[data-testid="person-option"][data-person="${byName.personId}"]`).click();
    await expect.poll(listed).toEqual([byInitials.personId, byName.personId]);

    // The sign-in sheet, typed in from paper: two known names, the namesake and a name nobody bears.
    const [first, second] = seated.filter((person) => person.personId !== byInitials.personId && person.personId !== byName.personId);
    await form().getByTestId('organise-sheet').fill(`${first!.name}\n${NAMESAKE}、查无此人\n${second!.name}`);
    await form().getByTestId('organise-read-sheet').click();
    await expect.poll(listed).toEqual([byInitials.personId, byName.personId, first!.personId, second!.personId]);
    expect(await form().getByTestId('sheet-note').textContent()).toBe('签到表 4 个姓名：已加入 2 人');
    const namesake = form().locator(`[data-testid="sheet-issue"][data-name="${NAMESAKE}"]`);
    expect(await namesake.getAttribute('data-kind')).toBe('namesakes');
    const unknown = form().locator('[data-testid="sheet-issue"][data-name="查无此人"]');
    expect(await unknown.getAttribute('data-kind')).toBe('unknown');
    expect(await unknown.textContent()).toContain('查无此人');

    // Submitting now is refused on the page: the sheet is not settled; nothing is sent.
    await form().getByTestId('organise-submit').click();
    await expect.poll(() => form().getAttribute('data-state')).toBe('invalid');
    expect(await form().getByTestId('organise-problems').textContent()).toContain('签到表还有 2 个姓名未处理');
    expect(sent).toEqual([]);
    await fullPageShot(page, path.join(SCREENSHOTS, 'training-sheet-issues.png'));

    // The namesake who came is the one from 石桥铺镇; the unknown name is removed.
    const choice = namesake.locator(`[data-testid="namesake-option"][data-person="${namesakes['石桥铺镇']}"]`);
    expect(await choice.textContent()).toContain('石桥铺镇');
    expect(await namesake.locator(`[data-testid="namesake-option"][data-person="${namesakes['周礼镇']}"]`).textContent()).toContain('周礼镇');
    await choice.click();
    await unknown.getByTestId('sheet-remove').click();
    await expect.poll(() => form().getByTestId('sheet-issue').count()).toBe(0);
    const everyone = [byInitials.personId, byName.personId, first!.personId, second!.personId, namesakes['石桥铺镇']!];
    await expect.poll(listed).toEqual(everyone);
    expect(await form().getByTestId('organise-count').getAttribute('data-value')).toBe('5');

    // One submit records the training and all five.
    await form().getByTestId('organise-submit').click();
    await expect.poll(() => form().getAttribute('data-state')).toBe('recorded');
    const confirmation = form().getByTestId('organise-confirmation');
    expect(await confirmation.getAttribute('data-count')).toBe('5');
    expect(await confirmation.textContent()).toContain(`已登记：专家讲座「${title}」（${DAY}），参训 5 人，计 5 人次`);
    expect(sent).toEqual(['organiseTrainingWithAttendance']);
    await expect.poll(readTotal).toBe(before + 5);
    await fullPageShot(page, path.join(SCREENSHOTS, 'training-sheet-recorded.png'));

    // The API counts the training's attendance as the head-count, each in their seat on the day.
    // Newest first: a training of a few days ago is on the first page.
    type Training = { trainingId: string; title: string; date: string; attendees: number };
    const { trainingsConnection } = await gql<{ trainingsConnection: { edges: { node: Training }[] } }>(
      '{ trainingsConnection(first: 100) { edges { node { trainingId title date attendees } } } }',
    );
    const training = trainingsConnection.edges.map((edge) => edge.node).find((item) => item.title === title);
    expect(training).toMatchObject({ date: DAY, attendees: 5 });
    // The form is ready for the next training.
    expect(await form().getByTestId('organise-title').inputValue()).toBe('');
    expect(await form().getByTestId('attendee-row').count()).toBe(0);
  });

  it('records an inspection with who took part and who was on leave, in one submit; the dashboard counts the participation', async () => {
    const headlines = async () =>
      (await gql<{ countyHeadlines: { supervisionPersonTimes: number } }>('{ countyHeadlines { supervisionPersonTimes } }')).countyHeadlines
        .supervisionPersonTimes;
    const before = await headlines();
    await page.goto(`${webUrl}/training`);
    await form().getByTestId('organise-category').selectOption({ label: '视察' });
    await form().getByTestId('organise-title').fill('农村饮水安全工作视察');
    await form().getByTestId('organise-date').fill(DAY);
    await form().getByTestId('organise-organiser').fill('县人大常委会农业农村工作委员会');
    await form().getByTestId('organise-township').fill('石桥铺镇');

    const [present, absent] = seated.slice(-2);
    await form().getByTestId('organise-search').fill(present!.initials);
    await form().locator(`[data-testid="person-option"][data-person="${present!.personId}"]`).click();
    await form().getByTestId('organise-absent-search').fill(absent!.name);
    await form().locator(`[data-testid="person-option"][data-person="${absent!.personId}"]`).click();
    const absentRow = form().locator(`[data-testid="absentee-row"][data-person="${absent!.personId}"]`);
    await absentRow.getByLabel(`${absent!.name}的请假事由`).fill('因公出差');
    await fullPageShot(page, path.join(SCREENSHOTS, 'training-sheet-inspection.png'));

    await form().getByTestId('organise-submit').click();
    await expect.poll(() => form().getAttribute('data-state')).toBe('recorded');
    expect(await form().getByTestId('organise-confirmation').textContent()).toContain(`已登记：视察「农村饮水安全工作视察」（${DAY}），参加 1 人，缺席 1 人`);
    expect(sent.at(-1)).toBe('organiseActivityWithParticipants');
    await expect.poll(headlines).toBe(before + 1);
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
