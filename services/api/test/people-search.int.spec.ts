/**
 * People pickers over any roster and the one-submit sign-in sheet, in process through yoga.fetch
 * on the small demo county with a few people added: `peopleSearch` by characters inside a name and
 * by pinyin initials or syllables, a page at a time, namesakes told apart by gender and seat and
 * narrowed by filters; `peopleNamed` for a pasted sheet; `organiseTrainingWithAttendance` records a
 * training and its attendees at once (the training page's and the dashboard's person-times move by
 * the head-count), or — for an unknown person or a seat not held on the date — nothing at all.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { graphqlClient, tokenFor } from './graphql-client.ts';

interface Found {
  personId: string;
  name: string;
  gender: string | null;
  initials: string;
  mandates: { mandateId: string; township: string | null; level: string | null; startsOn: string }[];
}

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`people search and the one-submit sign-in sheet on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let token: string | null = null;
    const gql = graphqlClient(
      () => yoga,
      () => token,
    );

    let termId: string;
    /** The people added, by a label: their person and seat ids. */
    const added: Record<string, { personId: string; mandateId: string }> = {};

    const SEARCH = /* GraphQL */ `
      query Search($query: String, $first: Int, $after: String, $filters: PeopleSearchFilters) {
        peopleSearch(query: $query, first: $first, after: $after, filters: $filters) {
          totalCount
          pageInfo { hasNextPage endCursor }
          edges { exact node { personId name gender initials mandates { mandateId township level startsOn } } }
        }
      }`;
    const search = async (variables: Record<string, unknown>) => {
      const result = await gql(SEARCH, variables);
      expect(result.errors).toBeUndefined();
      return result.data.peopleSearch as {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { exact: boolean; node: Found }[];
      };
    };
    const names = async (variables: Record<string, unknown>) => (await search(variables)).edges.map((edge) => edge.node.name);

    /** A generated mutation that must succeed. */
    const command = async (name: string, input: Record<string, unknown>) => {
      const field = name.charAt(0).toLowerCase() + name.slice(1);
      const result = await gql(
        `mutation($input: ${name}Input!) { ${field}(input: $input) { __typename ... on CommandResult { position events { type } } ... on Rejection { code field messageZh } } }`,
        { input: { commandId: randomUUID(), ...input } },
      );
      expect(result.errors).toBeUndefined();
      return result.data[field];
    };

    /** Registers a person holding a county deputy's seat in the open term from `startsOn`. */
    async function deputy(label: string, name: string, gender: 'MALE' | 'FEMALE', township: string, startsOn = '2026-10-01') {
      const personId = randomUUID();
      const mandateId = randomUUID();
      expect((await command('RegisterPerson', { personId, name, gender, publicServant: false })).__typename).toBe('CommandResult');
      const started = await command('StartMandate', {
        mandateId,
        personId,
        termId,
        kind: 'DEPUTY',
        level: 'TOWNSHIP',
        district: `${township}第一选区`,
        publicServant: false,
        startsOn,
        township,
      });
      expect(started.__typename, JSON.stringify(started)).toBe('CommandResult');
      added[label] = { personId, mandateId };
    }

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
      runtime.startProjector();
      yoga = createApp(runtime);
      token = await tokenFor(runtime, 'admin');
      const { rows } = await testDb.db.query<{ termId: string }>(
        `SELECT data->>'termId' AS "termId" FROM yingpan.events WHERE type = 'TermOpened' ORDER BY position DESC LIMIT 1`,
      );
      termId = rows[0]!.termId;
      await deputy('zhangsan', '张三', 'MALE', '石羊镇');
      await deputy('zhangsanfeng', '张三丰', 'MALE', '石羊镇');
      await deputy('shan', '单雄信', 'MALE', '龙台镇');
      await deputy('wangfangA', '王芳芳', 'FEMALE', '石羊镇');
      await deputy('wangfangB', '王芳芳', 'FEMALE', '龙台镇');
      await deputy('late', '迟到代表', 'MALE', '龙台镇', '2026-11-25');
      token = await tokenFor(runtime, 'staff');
    });
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    describe('peopleSearch', () => {
      it('finds characters anywhere in a name, the whole name first', async () => {
        expect(await names({ query: '张三' })).toEqual(['张三', '张三丰']);
        const inside = await search({ query: '三' });
        expect(inside.edges.map((edge) => edge.node.name)).toEqual(expect.arrayContaining(['张三', '张三丰']));
        expect(await names({ query: '三丰' })).toEqual(['张三丰']);
        expect((await search({ query: '张三' })).edges.map((edge) => edge.exact)).toEqual([true, false]);
      });

      it('finds pinyin initials and syllables, in any case, reading a surname as a surname (单 = shan)', async () => {
        const initials = await search({ query: 'zs' });
        expect(initials.edges[0]).toMatchObject({ exact: true, node: { name: '张三', initials: 'zs' } });
        expect(initials.edges.map((edge) => edge.node.name)).toContain('张三丰');
        expect(initials.edges.every((edge) => edge.node.initials.startsWith('zs'))).toBe(true);
        expect(await names({ query: 'ZSF' })).toContain('张三丰');
        expect(await names({ query: 'zhangsan' })).toEqual(expect.arrayContaining(['张三', '张三丰']));
        expect(await names({ query: 'sxx' })).toContain('单雄信');
        expect(await names({ query: 'shanxiongxin' })).toEqual(['单雄信']);
        expect((await search({ query: 'qqqqq' })).totalCount).toBe(0);
      });

      it('pages through a long list: every person once, in one order, as many as totalCount', async () => {
        const whole = await search({ first: 100 });
        expect(whole.totalCount).toBeGreaterThan(40);
        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        do {
          const page = await search({ first: 7, after });
          expect(page.edges.length).toBeLessThanOrEqual(7);
          seen.push(...page.edges.map((edge) => edge.node.personId));
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
          pages++;
        } while (after && pages < 100);
        expect(seen.length).toBe(whole.totalCount);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.slice(0, Math.min(100, seen.length))).toEqual(whole.edges.map((edge) => edge.node.personId).slice(0, Math.min(100, seen.length)));

        // A query pages the same way: its best match first.
        const first = await search({ query: 'z', first: 1 });
        const second = await search({ query: 'z', first: 1, after: first.pageInfo.endCursor });
        expect(second.edges[0]?.node.personId).not.toBe(first.edges[0]?.node.personId);
        expect((await gql(SEARCH, { first: 5, after: 'not-a-cursor' })).errors?.[0]?.message).toMatch(/after/);
        // The one paging rule: a `first` over the maximum is capped, a negative one refused.
        expect((await search({ first: 500 })).edges).toHaveLength(Math.min(100, whole.totalCount));
        expect((await gql(SEARCH, { first: -1 })).errors?.[0]?.extensions).toMatchObject({ code: 'invalid-input', field: 'first' });
      });

      it('tells namesakes apart by gender and seat, and narrows them by township or the day a seat was held', async () => {
        const both = await search({ query: '王芳芳' });
        expect(both.totalCount).toBe(2);
        expect(both.edges.map((edge) => [edge.node.gender, edge.node.mandates.map((seat) => [seat.township, seat.level])])).toEqual(
          expect.arrayContaining([
            ['FEMALE', [['石羊镇', 'TOWNSHIP']]],
            ['FEMALE', [['龙台镇', 'TOWNSHIP']]],
          ]),
        );
        const inLongtai = await search({ query: 'wff', filters: { township: '龙台镇' } });
        expect(inLongtai.edges.map((edge) => edge.node.personId)).toEqual([added.wangfangB!.personId]);
        expect(await names({ query: '王芳芳', filters: { township: '龙台镇', level: 'COUNTY' } })).toEqual([]);
        expect(await names({ query: '王芳芳', filters: { team: 'DEPUTY', termId } })).toEqual(['王芳芳', '王芳芳']);

        expect(await names({ query: '迟到', filters: { validOn: '2026-11-20' } })).toEqual([]);
        expect(await names({ query: '迟到', filters: { validOn: '2026-11-25' } })).toEqual(['迟到代表']);
        expect((await gql(SEARCH, { filters: { validOn: '2026-02-30' } })).errors?.[0]?.message).toMatch(/validOn/);
      });

      it('answers a sign-in sheet’s names at once: namesakes, one, or nobody', async () => {
        const result = await gql(`query($names: [String!]!) { peopleNamed(names: $names) { name people { personId name mandates { township } } } }`, {
          names: [' 王芳芳', '张三', '查无此人', '王芳芳'],
        });
        expect(result.errors).toBeUndefined();
        expect(result.data.peopleNamed.map((row: any) => [row.name, row.people.length])).toEqual([
          ['王芳芳', 2],
          ['张三', 1],
          ['查无此人', 0],
        ]);
      });

      it('is for signed-in users only', async () => {
        const answer = await graphqlClient(() => yoga)(SEARCH, { query: 'zs' });
        expect(answer.errors?.[0]?.extensions?.code).toBe('unauthenticated');
      });
    });

    describe('organiseTrainingWithAttendance', () => {
      const ORGANISE = /* GraphQL */ `
        mutation Organise($input: OrganiseTrainingWithAttendanceInput!) {
          organiseTrainingWithAttendance(input: $input) {
            __typename
            ... on CommandResult { position duplicate events { type streamId } }
            ... on Rejection { code field messageZh }
          }
        }`;
      const COUNTS = /* GraphQL */ `{
        trainingPersonTimes { personTimes }
        countyHeadlines { trainingPersonTimes }
        trainings { trainingId attendees }
      }`;
      const counts = async () => {
        const { data } = await gql(COUNTS);
        return {
          page: data.trainingPersonTimes.reduce((sum: number, row: { personTimes: number }) => sum + row.personTimes, 0) as number,
          dashboard: data.countyHeadlines.trainingPersonTimes as number,
          trainings: data.trainings as { trainingId: string; attendees: number }[],
        };
      };
      const organise = async (attendees: { personId: string; mandateId: string }[], activityId = randomUUID()) =>
        (
          await gql(ORGANISE, {
            input: {
              commandId: randomUUID(),
              activityId,
              trainingType: 'INDUCTION_CLASS',
              title: '新任代表履职培训班（第二期）',
              date: '2026-11-20',
              attendees,
            },
          })
        ).data.organiseTrainingWithAttendance;

      it('records the training and every attendee in one submit: the page’s and the dashboard’s person-times move by the head-count', async () => {
        const before = await counts();
        const activityId = randomUUID();
        const sheet = [added.zhangsan!, added.wangfangA!, added.wangfangB!, added.shan!];
        const answer = await organise(sheet, activityId);
        expect(answer.__typename, JSON.stringify(answer)).toBe('CommandResult');
        expect(answer.events.map((event: { type: string }) => event.type)).toEqual(['TrainingOrganised', ...sheet.map(() => 'TrainingAttendanceRecorded')]);
        expect(new Set(answer.events.map((event: { streamId: string }) => event.streamId))).toEqual(new Set([`activity:${activityId}`]));
        expect(answer.position).toBe((await runtime.store.head()).position);
        const after = await counts();
        expect(after.page).toBe(before.page + sheet.length);
        expect(after.dashboard).toBe(before.dashboard + sheet.length);
        expect(after.trainings.find((training) => training.trainingId === activityId)?.attendees).toBe(sheet.length);
      });

      it('refuses the whole sheet for one unknown person, naming the line, and writes nothing', async () => {
        const before = await counts();
        const head = await runtime.store.head();
        const activityId = randomUUID();
        const answer = await organise([added.zhangsan!, { personId: randomUUID(), mandateId: randomUUID() }, added.shan!], activityId);
        expect(answer).toMatchObject({
          __typename: 'Rejection',
          code: 'person-not-found',
          field: 'attendees.1.personId',
          messageZh: '第 2 位参训人员：找不到该人员',
        });
        expect(await runtime.store.head()).toEqual(head);
        const after = await counts();
        expect(after).toEqual(before);
        expect(after.trainings.some((training) => training.trainingId === activityId)).toBe(false);
      });

      it('refuses the whole sheet for a person without a seat on the date, and writes nothing', async () => {
        const head = await runtime.store.head();
        const answer = await organise([added.zhangsan!, added.zhangsanfeng!, added.late!]);
        expect(answer).toMatchObject({ __typename: 'Rejection', code: 'mandate-not-valid', field: 'attendees.2.mandateId' });
        expect(answer.messageZh).toMatch(/^第 3 位参训人员：2026-11-20 不在该任职期间（2026-11-25 至/);
        expect(await runtime.store.head()).toEqual(head);
      });

      it('is refused to a deputy', async () => {
        const deputyToken = await tokenFor(runtime, 'deputy', added.zhangsan!.personId);
        const answer = await graphqlClient(
          () => yoga,
          () => deputyToken,
        )(ORGANISE, {
          input: {
            commandId: randomUUID(),
            activityId: randomUUID(),
            trainingType: 'INDUCTION_CLASS',
            title: '培训',
            date: '2026-11-20',
            attendees: [added.zhangsan],
          },
        });
        expect(answer.data.organiseTrainingWithAttendance).toMatchObject({ __typename: 'Rejection', code: 'forbidden' });
      });
    });
  });
}
