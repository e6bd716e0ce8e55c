/**
 * The day the county stands on, moved across the open term's planned end: the demo county is
 * built on 2026-11-10 (its term 18 due to end on 2026-11-19, never closed), and then the clock is
 * set to the day before, the day of and days after that end, and to 29 February 2028. On each, a
 * deputy declares a station visit of that day (no moment given: the clock's), a later date is
 * refused as the future, staff approve the visit, and it stands in the station's books, in the
 * deputy's score for the year (traced in its explanation), and not in a
 * view of the day before. A term runs until it is closed, so an approved act of an open mandate
 * counts whatever its planned end.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { clockOn, countyToday, setClock } from '@yingpan/domain';
import { TEST_TODAY } from '@yingpan/domain/test-clock';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { postGraphQL } from './graphql-client.ts';

const BUILT_ON = '2026-11-10';
const DAYS = [
  { day: '2026-11-18', when: 'the day before the planned end' },
  { day: '2026-11-19', when: 'on the planned end' },
  { day: '2026-12-04', when: 'after the planned end' },
  { day: '2028-02-29', when: 'on 29 February, two years past the planned end' },
];
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

interface Deputy {
  stationId: string;
  personId: string;
  mandateId: string;
}

const BOOKS = /* GraphQL */ `
  query Books($s: ID!, $from: Date, $asOf: AsOfInput) {
    stationBooks(stationId: $s, from: $from, asOf: $asOf) {
      to
      activities(first: 100) { edges { node { recordId date status } } }
    }
  }`;
const SCORE = /* GraphQL */ `
  query Score($p: ID!, $y: Int!) {
    scorecard(personId: $p, year: $y) {
      mandates { mandateId lastDay provisional years { year total held { from to } explanation { records { recordId } } } }
    }
  }`;

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`an open term past its planned end, on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let deputy: Deputy;
    let staff: string;
    let declarer: string;
    let restore = () => {};

    const ask = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
      const answer = await postGraphQL(yoga, token, query, variables);
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      return answer.data;
    };
    const visit = (date: string) => ({
      commandId: randomUUID(),
      recordId: randomUUID(),
      stationId: deputy.stationId,
      personId: deputy.personId,
      mandateId: deputy.mandateId,
      date,
      summary: '进站接待选民',
    });
    const RECORD = `mutation($input: RecordStationVisitInput!) { recordStationVisit(input: $input) { __typename ... on Rejection { code field } } }`;

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 9, scale: 'small', today: BUILT_ON });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
      runtime.startProjector();
      yoga = createApp(runtime);
      const { rows } = await testDb.db.query<Deputy>(
        `SELECT a.data->>'stationId' AS "stationId", a.data->>'personId' AS "personId", a.data->>'mandateId' AS "mandateId"
           FROM yingpan.events a
           JOIN yingpan.events m ON m.type = 'MandateStarted' AND m.data->>'mandateId' = a.data->>'mandateId'
          WHERE a.type = 'DeputyAssignedToStation' AND m.data->>'kind' = 'deputy'
            AND m.data->>'termId' = (SELECT data->>'termId' FROM yingpan.events WHERE type = 'TermOpened' ORDER BY position DESC LIMIT 1)
            AND NOT EXISTS (SELECT 1 FROM yingpan.events u WHERE u.type = 'DeputyUnassignedFromStation' AND u.stream_id = a.stream_id
                               AND u.data->>'personId' = a.data->>'personId' AND u.position > a.position)
            AND NOT EXISTS (SELECT 1 FROM yingpan.events e WHERE e.type = 'MandateEnded' AND e.data->>'mandateId' = a.data->>'mandateId')
          ORDER BY a.position LIMIT 1`,
      );
      deputy = rows[0]!;
      staff = await runtime.tokens.mint({ role: 'staff' });
      declarer = await runtime.tokens.mint({ role: 'deputy', personId: deputy.personId });
    });
    afterEach(() => restore());
    afterAll(async () => {
      restore();
      await runtime?.close();
      await testDb?.dispose();
    });

    it('built the county up to the day it stands on: nothing after it, the term still open', async () => {
      const { rows } = await testDb.db.query<{ last: string; closes: number }>(
        `SELECT max(data->>'date') FILTER (WHERE data ? 'date' AND data ? 'recordId') AS last,
                count(*) FILTER (WHERE type = 'TermClosed')::int AS closes
           FROM yingpan.events`,
      );
      expect(rows[0]!.last <= BUILT_ON).toBe(true);
      expect(rows[0]!.closes).toBe(1);
    });

    for (const { day, when } of DAYS) {
      it(`${when} (${day}): a declared visit of the day is approved and counts in the books and the score`, async () => {
        restore = setClock(clockOn(day));
        expect(countyToday()).toBe(day);
        const year = Number(day.slice(0, 4));

        const tomorrow = await ask(declarer, RECORD, { input: visit(dayAfter(day)) });
        expect(tomorrow.recordStationVisit).toEqual({ __typename: 'Rejection', code: 'future-date', field: 'date' });

        const input = visit(day);
        expect((await ask(declarer, RECORD, { input })).recordStationVisit.__typename).toBe('CommandResult');
        const approved = await ask(staff, `mutation($input: ApproveRecordInput!) { approveRecord(input: $input) { __typename } }`, {
          input: { commandId: randomUUID(), recordId: input.recordId, streamId: `station:${deputy.stationId}` },
        });
        expect(approved.approveRecord.__typename).toBe('CommandResult');

        // The books run to the clock's today and hold it, approved; a view of the day before does not.
        const { stationBooks } = await ask(staff, BOOKS, { s: deputy.stationId, from: dayBefore(day) });
        expect(stationBooks.to).toBe(day);
        expect(stationBooks.activities.edges.map((edge: any) => edge.node)).toContainEqual({ recordId: input.recordId, date: day, status: 'APPROVED' });
        const before = await ask(staff, BOOKS, { s: deputy.stationId, from: dayBefore(day), asOf: { view: 'HAPPENED', date: dayBefore(day) } });
        expect(before.stationBooks.activities.edges.map((edge: any) => edge.node.recordId)).not.toContain(input.recordId);

        // The seat is held all year (the term has not closed), so the year is still provisional and the visit is scored.
        const { scorecard } = await ask(staff, SCORE, { p: deputy.personId, y: year });
        const seat = scorecard.mandates.find((mandate: any) => mandate.mandateId === deputy.mandateId);
        expect(seat).toMatchObject({ lastDay: null, provisional: true });
        expect(seat.years[0].held).toEqual({ from: `${year}-01-01`, to: `${year}-12-31` });
        const traced = seat.years[0].explanation.flatMap((line: any) => line.records.map((record: any) => record.recordId));
        expect(traced).toContain(input.recordId);
      });
    }

    it('the fixed test day is the one every other test stands on', () => {
      restore();
      expect(countyToday()).toBe(TEST_TODAY);
    });
  });
}
