import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { graphqlClient, tokenFor } from './graphql-client.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`GraphQL API on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;

    /** The role these tests act in. */
    let token: string | null = null;
    const gql = graphqlClient(
      () => yoga,
      () => token,
    );

    const RECORD = /* GraphQL */ `
      mutation Record($input: RecordTrainingAttendanceInput!) {
        recordTrainingAttendance(input: $input) {
          __typename
          ... on CommandResult { position duplicate }
          ... on Rejection { code field messageZh messageEn }
        }
      }`;
    const COUNTS = /* GraphQL */ `{ trainingPersonTimes { trainingType labelZh personTimes } }`;
    const total = async () => (await gql(COUNTS)).data.trainingPersonTimes.reduce((sum: number, row: any) => sum + row.personTimes, 0);

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
      runtime.startProjector();
      yoga = createApp(runtime);
      token = await tokenFor(runtime, 'staff');
    });
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    it('lists person-times for every training type, the trainings and the people', async () => {
      const result = await gql(
        `{ trainingPersonTimes { trainingType labelZh personTimes } trainings { trainingId title attendees } people { personId name } }`,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data.trainingPersonTimes).toHaveLength(5);
      expect(result.data.trainingPersonTimes[0]).toMatchObject({ trainingType: 'ANNUAL_STUDY_PLAN', labelZh: '年度学习计划' });
      const attendees = result.data.trainings.reduce((sum: number, row: any) => sum + row.attendees, 0);
      expect(await total()).toBe(attendees);
      expect(result.data.people.length).toBeGreaterThan(40);
    });

    it('records an attendance, the count goes up at once, and a retry records nothing new', async () => {
      const { data } = await gql(`{ trainings { trainingId attendees } people { personId } }`);
      const training = data.trainings[0];
      const before = await total();
      const attended = new Set(
        (await runtime.store.readStream(`activity:${training.trainingId}`)).flatMap((event) =>
          'personId' in (event.data as object) ? [(event.data as any).personId] : [],
        ),
      );
      const person = data.people.find((row: any) => !attended.has(row.personId));
      const input = { commandId: randomUUID(), trainingId: training.trainingId, personId: person.personId };
      const first = await gql(RECORD, { input });
      expect(first.data.recordTrainingAttendance.__typename).toBe('CommandResult');
      expect(first.data.recordTrainingAttendance.duplicate).toBe(false);
      expect(await total()).toBe(before + 1);
      const retry = await gql(RECORD, { input });
      expect(retry.data.recordTrainingAttendance).toEqual({ ...first.data.recordTrainingAttendance, duplicate: true });
      expect(await total()).toBe(before + 1);

      const again = await gql(RECORD, { input: { ...input, commandId: randomUUID() } });
      expect(again.data.recordTrainingAttendance).toMatchObject({ __typename: 'Rejection', code: 'already-attended', field: 'personId' });
      expect(again.data.recordTrainingAttendance.messageZh).toBe('该人员已登记参加此次培训');
    });

    it('answers bad input with a typed rejection and records nothing', async () => {
      const head = await runtime.store.head();
      const { data } = await gql(`{ trainings { trainingId } people { personId } }`);
      const base = { commandId: randomUUID(), trainingId: data.trainings[0].trainingId, personId: data.people[0].personId };
      const cases = [
        [{ ...base, trainingId: 'not-a-uuid' }, 'invalid-input', 'activityId'],
        [{ ...base, personId: randomUUID() }, 'person-not-found', 'personId'],
        [{ ...base, trainingId: randomUUID() }, 'activity-not-found', 'activityId'],
        [{ ...base, occurredAt: 'last tuesday' }, 'invalid-input', 'occurredAt'],
        [{ ...base, occurredAt: '2999-01-01T00:00:00Z' }, 'invalid-input', 'occurredAt'],
      ] as const;
      for (const [input, code, field] of cases) {
        const result = await gql(RECORD, { input });
        expect(result.data.recordTrainingAttendance).toMatchObject({ __typename: 'Rejection', code, field });
      }
      expect(await runtime.store.head()).toEqual(head);
    });

    it('masks unexpected errors: no stack trace or SQL reaches the client', async () => {
      const result = await gql(`{ nonsense }`);
      expect(result.errors?.[0]?.message).toMatch(/Cannot query field/);
      // GraphQL's own refusals carry codes of the one list, with the reason in both languages.
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'invalid-query',
        messageZh: expect.stringMatching(/^查询与接口的定义不符（Cannot query field/),
      });
      const unparsable = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: '{ people {' }),
      });
      expect(unparsable.status).toBe(400);
      expect(((await unparsable.json()) as { errors: { extensions: unknown }[] }).errors[0]!.extensions).toMatchObject({ code: 'invalid-query' });
      const response = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
      expect(response.status).toBe(400);
    });
  });
}
