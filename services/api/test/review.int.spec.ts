/**
 * The review queue over GraphQL, in process through yoga.fetch on the small demo county: a deputy
 * declares acts, they appear in `pendingRecords` for the roles that review (with the stream to
 * approve them on), approving or rejecting takes them out; roles that may not review are refused;
 * pages follow the facts read model's order; and the record types of the books, the predecessor
 * record and the scorecards serve each record's `streamId`, batch-loaded.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '@yingpan/db';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import type { Role } from '@yingpan/domain';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { postGraphQL, type GraphQLAnswer } from './graphql-client.ts';

/** Remembers the text of every SQL statement run through `db.query`. */
function recording(db: Db) {
  const texts: string[] = [];
  const proxy = new Proxy(db, {
    get(target, property) {
      if (property === 'query') {
        return (text: string, params?: readonly unknown[]) => {
          texts.push(text);
          return target.query(text, params);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: proxy, texts };
}

const PENDING = /* GraphQL */ `
  query Pending($first: Int, $after: String, $last: Int, $before: String, $stationId: ID, $personId: ID) {
    pendingRecords(first: $first, after: $after, last: $last, before: $before, stationId: $stationId, personId: $personId) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
      edges { cursor node { recordId streamId act eventType personId person { name } mandateId date summary stationId activityId corrected position } }
    }
  }`;

interface Deputy {
  stationId: string;
  personId: string;
  mandateId: string;
}

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`the review queue on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let statements: string[];
    let deputy: Deputy;
    const tokens = new Map<string, string>();

    const ask = (token: string | null | undefined, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> =>
      postGraphQL(yoga, token ?? null, query, variables);
    const as = (who: Role | 'declarer') => tokens.get(who);
    const ok = async (who: Role | 'declarer', query: string, variables: Record<string, unknown> = {}) => {
      const answer = await ask(as(who), query, variables);
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      return answer.data;
    };
    const sql = async <R>(text: string, params: unknown[] = []) => (await testDb.db.query<R>(text, params)).rows;

    /** Declares a station visit as the deputy; returns its record id. */
    async function declareVisit(date: string, summary: string): Promise<string> {
      const recordId = randomUUID();
      const input = { commandId: randomUUID(), recordId, stationId: deputy.stationId, personId: deputy.personId, mandateId: deputy.mandateId, date, summary };
      const data = await ok(
        'declarer',
        `mutation Run($input: RecordStationVisitInput!) {
          recordStationVisit(input: $input) { __typename ... on Rejection { code field } ... on CommandResult { position } }
        }`,
        { input },
      );
      expect(data.recordStationVisit.__typename).toBe('CommandResult');
      // The answer comes once the events are durable; the SQL below reads the read models, so wait for them to reach it.
      await runtime.waitForModels('all', data.recordStationVisit.position);
      return recordId;
    }
    const mine = async (who: Role = 'staff') =>
      (await ok(who, PENDING, { first: 100, personId: deputy.personId })).pendingRecords.edges.map((edge: any) => edge.node) as any[];

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      const wrapped = recording(testDb.db);
      statements = wrapped.texts;
      runtime = await openRuntime({ dataDir: 'unused' }, wrapped.db);
      await runtime.projector.catchUp();
      runtime.startProjector();
      yoga = createApp(runtime);
      const [found] = await sql<Deputy>(
        `SELECT a.data->>'stationId' AS "stationId", a.data->>'personId' AS "personId", a.data->>'mandateId' AS "mandateId"
           FROM yingpan.events a
           JOIN yingpan.events m ON m.type = 'MandateStarted' AND m.data->>'mandateId' = a.data->>'mandateId'
          WHERE a.type = 'DeputyAssignedToStation' AND m.data->>'kind' = 'deputy'
            AND m.data->>'termId' = (SELECT data->>'termId' FROM yingpan.events WHERE type = 'TermOpened' ORDER BY position DESC LIMIT 1)
            AND NOT EXISTS (SELECT 1 FROM yingpan.events u WHERE u.type = 'DeputyUnassignedFromStation' AND u.stream_id = a.stream_id
                               AND u.data->>'personId' = a.data->>'personId' AND u.position > a.position)
            AND NOT EXISTS (SELECT 1 FROM yingpan.events e WHERE e.type = 'MandateEnded' AND e.data->>'mandateId' = a.data->>'mandateId')
            AND NOT EXISTS (SELECT 1 FROM yingpan.events c WHERE c.type = 'StationClosed' AND c.stream_id = a.stream_id)
            AND NOT EXISTS (SELECT 1 FROM yingpan.events v WHERE v.type = 'StationVisitRecorded' AND v.data->>'personId' = a.data->>'personId'
                               AND v.data->>'date' >= '2026-11-01')
          ORDER BY a.position LIMIT 1`,
      );
      deputy = found!;
      for (const role of ['staff', 'station-manager', 'committee-member', 'admin', 'auditor', 'deputy'] as const) {
        tokens.set(role, await runtime.tokens.mint({ role, personId: role === 'staff' || role === 'admin' || role === 'auditor' ? undefined : randomUUID() }));
      }
      tokens.set('declarer', await runtime.tokens.mint({ role: 'deputy', personId: deputy.personId }));
      // A station manager reviews only at the stations they are in charge of: the deputy's station's manager.
      const [manager] = await sql<{ personId: string }>(
        `SELECT data->>'managerPersonId' AS "personId" FROM yingpan.events
          WHERE type = 'StationManagerAssigned' AND stream_id = $1 ORDER BY position DESC LIMIT 1`,
        [`station:${deputy.stationId}`],
      );
      tokens.set('station-manager', await runtime.tokens.mint({ role: 'station-manager', personId: manager!.personId }));
    });
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    it('lists a deputy’s declaration for reviewers, with its stream; approving or rejecting it takes it out', async () => {
      const visit = await declareVisit('2026-11-02', '进站接待选民，听取关于村道硬化的意见');
      const other = await declareVisit('2026-11-03', '进站学习');
      const listed = await mine();
      const entry = listed.find((record) => record.recordId === visit);
      expect(entry).toMatchObject({
        streamId: `station:${deputy.stationId}`,
        act: 'STATION_VISIT',
        eventType: 'StationVisitRecorded',
        personId: deputy.personId,
        person: { name: expect.any(String) },
        mandateId: deputy.mandateId,
        date: '2026-11-02',
        summary: '进站接待选民，听取关于村道硬化的意见',
        stationId: deputy.stationId,
        activityId: null,
        corrected: false,
      });
      // Newest act first.
      expect(listed.findIndex((record) => record.recordId === other)).toBeLessThan(listed.findIndex((record) => record.recordId === visit));
      for (const role of ['station-manager', 'committee-member', 'admin'] as const) {
        expect(
          (await mine(role)).map((record) => record.recordId),
          role,
        ).toEqual(listed.map((record) => record.recordId));
      }

      const APPROVE = `mutation Run($input: ApproveRecordInput!) { approveRecord(input: $input) { __typename ... on Rejection { code } } }`;
      const approved = await ok('staff', APPROVE, { input: { commandId: randomUUID(), streamId: entry.streamId, recordId: visit } });
      expect(approved.approveRecord.__typename).toBe('CommandResult');
      const REJECT = `mutation Run($input: RejectRecordInput!) { rejectRecord(input: $input) { __typename ... on Rejection { code } } }`;
      const rejected = await ok('station-manager', REJECT, {
        input: { commandId: randomUUID(), streamId: `station:${deputy.stationId}`, recordId: other, reason: '日期有误' },
      });
      expect(rejected.rejectRecord.__typename).toBe('CommandResult');

      const after = (await mine()).map((record) => record.recordId);
      expect(after).not.toContain(visit);
      expect(after).not.toContain(other);
      expect(after).toHaveLength(listed.length - 2);
      // The approved one is in the station's books of that month now, with its stream.
      const books = await ok(
        'staff',
        `query ($stationId: ID!) { stationBooks(stationId: $stationId, from: "2026-11-01", to: "2026-11-30") { activities(first: 100) { edges { node { recordId status streamId } } } } }`,
        {
          stationId: deputy.stationId,
        },
      );
      expect(books.stationBooks.activities.edges.map((edge: any) => edge.node)).toContainEqual({
        recordId: visit,
        status: 'APPROVED',
        streamId: `station:${deputy.stationId}`,
      });
    });

    it('is refused to the roles that may not review, and to the public; a deputy sees their own declarations only', async () => {
      const answer = await ask(as('auditor'), PENDING, { first: 5 });
      expect(answer.data?.pendingRecords ?? null).toBeNull();
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'forbidden' });
      const anonymous = await ask(null, PENDING, { first: 5 });
      expect(anonymous.errors?.[0]?.extensions).toMatchObject({ code: 'unauthenticated' });

      const visit = await declareVisit('2026-11-06', '本人申报，待审核');
      const own = (await ok('declarer', PENDING, { first: 100 })).pendingRecords;
      const theirs = (await ok('staff', PENDING, { first: 100, personId: deputy.personId })).pendingRecords;
      expect(own.totalCount).toBe(theirs.totalCount);
      expect(own.edges.map((edge: any) => edge.node.recordId)).toEqual(theirs.edges.map((edge: any) => edge.node.recordId));
      expect(own.edges.map((edge: any) => edge.node.recordId)).toContain(visit);
      expect(own.edges.every((edge: any) => edge.node.personId === deputy.personId)).toBe(true);
      // Asking for their own by id is the same; anyone else's is refused.
      expect((await ok('declarer', PENDING, { first: 100, personId: deputy.personId })).pendingRecords.totalCount).toBe(own.totalCount);
      const other = await ask(as('declarer'), PENDING, { first: 5, personId: randomUUID() });
      expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'forbidden' });
      // Another deputy, who declared nothing, sees nothing.
      expect((await ok('deputy', PENDING, { first: 5 })).pendingRecords.totalCount).toBe(0);
    });

    it('pages through every pending record as the facts read model orders them, forwards and backwards', async () => {
      await declareVisit('2026-11-04', '进站');
      await declareVisit('2026-11-05', '进站值班');
      const expected = await sql<{ recordId: string }>(
        `SELECT record_id AS "recordId" FROM rm_facts.record_versions WHERE valid_to_position IS NULL AND status = 'pending' ORDER BY act_date DESC, record_id DESC`,
      );
      expect(expected.length).toBeGreaterThanOrEqual(2);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = (await ok('staff', PENDING, { first: 3, after })).pendingRecords;
        expect(page.totalCount).toBe(expected.length);
        seen.push(...page.edges.map((edge: any) => edge.node.recordId));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected.map((row) => row.recordId));

      const last = (await ok('staff', PENDING, { last: 2 })).pendingRecords;
      expect(last.edges.map((edge: any) => edge.node.recordId)).toEqual(seen.slice(-2));
      const before = (await ok('staff', PENDING, { last: 2, before: last.pageInfo.startCursor })).pendingRecords;
      expect(before.edges.map((edge: any) => edge.node.recordId)).toEqual(seen.slice(-4, -2));

      const atStation = (await ok('staff', PENDING, { first: 100, stationId: deputy.stationId })).pendingRecords;
      expect(atStation.edges.every((edge: any) => edge.node.stationId === deputy.stationId)).toBe(true);
      expect(atStation.totalCount).toBe(atStation.edges.length);

      for (const [args, field] of [
        [{ after: 'not-a-cursor' }, 'after'],
        [{ stationId: 'nope' }, 'stationId'],
      ] as const) {
        const answer = await ask(as('staff'), PENDING, { first: 5, ...args });
        expect(answer.errors?.[0]?.extensions, field).toMatchObject({ code: 'invalid-input', field });
      }
    });

    it('serves the stream of the records in the books, the predecessor record and the scorecards, in one statement per request', async () => {
      const streams = new Map(
        (
          await sql<{ recordId: string; streamId: string }>(
            `SELECT record_id AS "recordId", stream_id AS "streamId" FROM rm_facts.record_versions WHERE valid_to_position IS NULL`,
          )
        ).map((row) => [row.recordId, row.streamId]),
      );
      const BOOKS = `query ($stationId: ID!, $first: Int) { stationBooks(stationId: $stationId) {
        activities(first: $first) { edges { node { recordId streamId } } }
        receptions(first: $first) { edges { node { deputies { recordId streamId } } } }
        duty { records(first: $first) { edges { node { recordId streamId } } } } } }`;
      const loads = async (first: number) => {
        const from = statements.length;
        const books = (await ok('staff', BOOKS, { stationId: deputy.stationId, first })).stationBooks;
        const served = [
          ...books.activities.edges.map((edge: any) => edge.node),
          ...books.receptions.edges.flatMap((edge: any) => edge.node.deputies),
          ...books.duty.flatMap((entry: any) => entry.records.edges.map((edge: any) => edge.node)),
        ];
        for (const record of served) expect(record.streamId, record.recordId).toBe(streams.get(record.recordId));
        return { served: served.length, loaded: statements.slice(from).filter((text) => text.includes('record_id = ANY($1::uuid[])')).length };
      };
      const few = await loads(2);
      const many = await loads(100);
      expect(many.served).toBeGreaterThan(few.served);
      expect(few.loaded).toBe(1);
      expect(many.loaded).toBe(1);

      const RECORD = `query ($mandateId: ID!) { predecessorRecord(mandateId: $mandateId) { records(first: 100) { edges { node { recordId streamId } } } } }`;
      const entries = (await ok('staff', RECORD, { mandateId: deputy.mandateId })).predecessorRecord.records.edges.map((edge: any) => edge.node);
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) expect(entry.streamId).toBe(streams.get(entry.recordId));

      const CARD = `query ($personId: ID!, $year: Int) { scorecard(personId: $personId, year: $year) { mandates { years { explanation { records { recordId streamId } } } } } }`;
      // The year of their latest approved record: its scorecard traces records.
      const [{ year }] = (await sql<{ year: number }>(
        `SELECT extract(year FROM act_date)::int AS year FROM rm_facts.record_versions
          WHERE person_id = $1 AND status = 'approved' AND valid_to_position IS NULL ORDER BY act_date DESC LIMIT 1`,
        [deputy.personId],
      )) as [{ year: number }];
      const card = (await ok('staff', CARD, { personId: deputy.personId, year })).scorecard;
      const traced = card.mandates.flatMap((mandate: any) => mandate.years.flatMap((year: any) => year.explanation.flatMap((line: any) => line.records)));
      expect(traced.length).toBeGreaterThan(0);
      for (const record of traced) expect(record.streamId).toBe(streams.get(record.recordId));
    });
  });
}
