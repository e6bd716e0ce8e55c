/**
 * The auditors' event log through GraphQL: filters and pages against SQL on yingpan.events, the
 * per-event hash check and the chain verification (before and after bytes are changed behind the
 * store's back), records linked to their corrections and back, and a station's history folded.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { legacyAttendanceRecordId } from '@yingpan/domain';
import { formatDigest, type EventStore } from '@yingpan/event-store';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { authHeaders, graphqlClient, tokenFor } from './graphql-client.ts';

const REVIEW_TYPES = ['RecordApproved', 'RecordRejected', 'RecordCorrected', 'RecordRetracted'];

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`auditors' event log on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;

    /** The role these tests act in. */
    let token: string | null = null;
    const gql = graphqlClient(
      () => yoga,
      () => token,
    );
    const sql = async <R = any>(text: string, params: unknown[] = []) => (await testDb.db.query<R>(text, params)).rows;
    const positions = async (text: string, params: unknown[] = []) => (await sql<{ position: number }>(text, params)).map((row) => Number(row.position));

    const EVENTS = /* GraphQL */ `
      query Events($first: Int, $after: String, $order: EventOrder, $filter: EventFilter) {
        events(first: $first, after: $after, order: $order, filter: $filter) {
          edges { cursor node { position type hashValid } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      }`;

    /** Every page of a listing, following the cursors; checks each page's size and flags on the way. */
    async function listAll(filter: Record<string, unknown>, order = 'OLDEST_FIRST') {
      const nodes: { position: number; type: string; hashValid: boolean }[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const result = await gql(EVENTS, { first: 100, after, order, filter });
        expect(result.errors).toBeUndefined();
        const { edges, pageInfo } = result.data.events;
        expect(edges.length).toBeLessThanOrEqual(100);
        expect(edges.map((edge: any) => edge.cursor)).toEqual(edges.map((edge: any) => String(edge.node.position)));
        nodes.push(...edges.map((edge: any) => edge.node));
        if (!pageInfo.hasNextPage) return nodes;
        expect(edges).toHaveLength(100);
        after = pageInfo.endCursor;
      }
      throw new Error('too many pages');
    }

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      yoga = createApp(runtime);
      token = await tokenFor(runtime, 'auditor');
    });
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    it('filters and pages exactly as SQL on yingpan.events does, every link of an intact chain valid', async () => {
      const visits = await listAll({ streamCategory: 'station', types: ['StationVisitRecorded'] });
      expect(visits.map((node) => node.position)).toEqual(
        await positions(`SELECT position FROM yingpan.events WHERE stream_id LIKE 'station:%' AND type = 'StationVisitRecorded' ORDER BY position`),
      );
      expect(visits.length).toBeGreaterThan(100);
      expect(visits.every((node) => node.hashValid)).toBe(true);

      const [deputy] = await sql<{ person_id: string }>(
        `SELECT metadata->'recordedBy'->>'personId' AS person_id FROM yingpan.events WHERE metadata->'recordedBy'->>'role' = 'deputy'
          GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      );
      const declared = await listAll({ personId: deputy!.person_id, recorderRole: 'deputy' }, 'NEWEST_FIRST');
      expect(declared.map((node) => node.position)).toEqual(
        await positions(
          `SELECT position FROM yingpan.events WHERE metadata->'recordedBy'->>'personId' = $1 AND metadata->'recordedBy'->>'role' = 'deputy' ORDER BY position DESC`,
          [deputy!.person_id],
        ),
      );
      expect(declared.length).toBeGreaterThan(1);

      const window = { occurredFrom: '2024-01-01T00:00:00+08:00', occurredTo: '2025-01-01T00:00:00+08:00' };
      const homeVisits = await listAll({ ...window, types: ['HomeVisitRecorded', 'PracticalHelpRecorded'] }, 'NEWEST_FIRST');
      expect(homeVisits.map((node) => node.position)).toEqual(
        await positions(
          `SELECT position FROM yingpan.events WHERE occurred_at >= $1 AND occurred_at < $2 AND type IN ('HomeVisitRecorded', 'PracticalHelpRecorded')
            ORDER BY position DESC`,
          [window.occurredFrom, window.occurredTo],
        ),
      );
      expect(homeVisits.length).toBeGreaterThan(0);

      // Recording time: the seed appends in large batches, so split the log at its last recording instant.
      const organised = ['ActivityOrganised', 'TrainingOrganised'];
      const [last] = await sql<{ at: Date }>('SELECT max(recorded_at) AS at FROM yingpan.events');
      const lastAt = last!.at.toISOString();
      const atLast = await listAll({ types: organised, recordedFrom: lastAt, recordedTo: new Date(last!.at.getTime() + 1).toISOString() });
      const before = await listAll({ types: organised, recordedTo: lastAt }, 'NEWEST_FIRST');
      expect(atLast.map((node) => node.position)).toEqual(
        await positions('SELECT position FROM yingpan.events WHERE type = ANY($1::text[]) AND recorded_at = $2 ORDER BY position', [organised, last!.at]),
      );
      expect(before.map((node) => node.position)).toEqual(
        await positions('SELECT position FROM yingpan.events WHERE type = ANY($1::text[]) AND recorded_at < $2 ORDER BY position DESC', [organised, last!.at]),
      );
      expect(atLast.length + before.length).toBe((await positions('SELECT position FROM yingpan.events WHERE type = ANY($1::text[])', [organised])).length);
      expect(atLast.length).toBeGreaterThan(0);

      const [station] = await sql<{ stream_id: string }>(`SELECT stream_id FROM yingpan.events WHERE stream_id LIKE 'station:%' LIMIT 1`);
      const oneStream = await listAll({ streamId: station!.stream_id, types: [] });
      expect(oneStream.map((node) => node.position)).toEqual(
        await positions('SELECT position FROM yingpan.events WHERE stream_id = $1 ORDER BY position', [station!.stream_id]),
      );
    });

    it('shows every field as stored, caps the page and pages on from a cursor', async () => {
      const FULL = /* GraphQL */ `
        query Full($first: Int, $after: String, $filter: EventFilter) {
          events(first: $first, after: $after, filter: $filter) {
            edges { node { position id streamId streamCategory streamVersion type schemaVersion data recordId
                           recordedBy { personId role } occurredAt recordedAt correlationId causationId commandId prevHash hash hashValid } }
            pageInfo { hasNextPage endCursor }
          }
        }`;
      const [row] = await sql(`SELECT * FROM yingpan.events WHERE type = 'OpinionRegistered' ORDER BY position LIMIT 1`);
      const result = await gql(FULL, { first: 1, after: String(Number(row.position) - 1), filter: { types: ['OpinionRegistered'] } });
      expect(result.errors).toBeUndefined();
      expect(result.data.events.edges[0].node).toEqual({
        position: Number(row.position),
        id: row.event_id,
        streamId: row.stream_id,
        streamCategory: 'opinion',
        streamVersion: row.stream_version,
        type: 'OpinionRegistered',
        schemaVersion: row.schema_version,
        data: row.data,
        recordId: null,
        recordedBy: row.metadata.recordedBy,
        occurredAt: row.occurred_at.toISOString(),
        recordedAt: row.recorded_at.toISOString(),
        correlationId: row.metadata.correlationId,
        causationId: row.metadata.causationId,
        commandId: row.metadata.commandId,
        prevHash: row.prev_hash,
        hash: row.hash,
        hashValid: true,
      });
      expect(result.data.events.edges[0].node.data.voter.name).toBe(row.data.voter.name);

      const capped = await gql(FULL, { first: 1000 });
      expect(capped.data.events.edges).toHaveLength(100);
      expect(capped.data.events.edges.map((edge: any) => edge.node.position)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(capped.data.events.edges.every((edge: any) => edge.node.hashValid)).toBe(true);
      expect(capped.data.events.pageInfo).toEqual({ hasNextPage: true, endCursor: '100' });
      const next = await gql(FULL, { first: 2, after: '100' });
      expect(next.data.events.edges.map((edge: any) => edge.node.position)).toEqual([101, 102]);

      const badCursor = await gql(FULL, { after: 'abc' });
      expect(badCursor.errors?.[0]?.message).toMatch(/Not a cursor/);
      const badInstant = await gql(FULL, { filter: { occurredFrom: 'last tuesday' } });
      expect(badInstant.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/"filter\.occurredFrom".*must be an ISO 8601 instant/),
        extensions: { code: 'invalid-input' },
      });

      // A log that is not in SQL (KurrentDB) cannot be browsed yet, but its chain can still be verified.
      const foreign = createApp({ ...runtime, store: { verify: (options: any) => runtime.store.verify(options) } as unknown as EventStore });
      const ask = async (query: string) =>
        (await (await foreign.fetch('http://yoga/graphql', { method: 'POST', headers: authHeaders(token), body: JSON.stringify({ query }) })).json()) as any;
      expect((await ask('{ events(first: 1) { edges { cursor } } }')).errors[0]).toMatchObject({ extensions: { code: 'log-not-browsable' } });
      expect((await ask('{ chainStatus { ok } }')).data.chainStatus.ok).toBe(true);
    });

    const LINKS = /* GraphQL */ `
      query Links($first: Int, $after: String, $filter: EventFilter) {
        events(first: $first, after: $after, filter: $filter) {
          edges { node { position type recordId corrects { position type recordId } correctedBy { position type } } }
        }
      }`;

    it('links a correction to the record it corrects, and the record to its reviews and corrections', async () => {
      const pairs = await sql<{ stream_id: string; corrected: number; original: number; original_type: string; record_id: string }>(
        `SELECT c.stream_id, c.position AS corrected, o.position AS original, o.type AS original_type, c.data->>'recordId' AS record_id
           FROM yingpan.events c JOIN yingpan.events o
             ON o.stream_id = c.stream_id AND o.data->>'recordId' = c.data->>'recordId' AND o.data ? 'declared'
          WHERE c.type = 'RecordCorrected' ORDER BY c.position`,
      );
      expect(pairs.length).toBeGreaterThan(0);
      for (const pair of pairs) {
        const at = async (position: number) =>
          (await gql(LINKS, { first: 1, after: String(position - 1), filter: { streamId: pair.stream_id } })).data.events.edges[0].node;
        const correction = await at(Number(pair.corrected));
        expect(correction.type).toBe('RecordCorrected');
        expect(correction).toMatchObject({
          recordId: pair.record_id,
          corrects: { position: Number(pair.original), type: pair.original_type, recordId: pair.record_id },
        });
        expect(correction.correctedBy).toEqual([]);

        const original = await at(Number(pair.original));
        expect(original).toMatchObject({ type: pair.original_type, recordId: pair.record_id });
        expect(original.corrects).toBeNull();
        const reviews = await positions(
          `SELECT position FROM yingpan.events WHERE stream_id = $1 AND data->>'recordId' = $2 AND type = ANY($3::text[]) ORDER BY position`,
          [pair.stream_id, pair.record_id, REVIEW_TYPES],
        );
        expect(original.correctedBy.map((node: any) => node.position)).toEqual(reviews);
        expect(reviews).toContain(Number(pair.corrected));
      }

      // An attendance stored in version 1 had no recordId: the link follows the id its upcast gives it.
      const activityId = randomUUID();
      const personId = randomUUID();
      const metadata = {
        recordedBy: { personId: 'county-office', role: 'staff' },
        occurredAt: '2019-05-01T02:00:00.000Z',
        correlationId: randomUUID(),
        causationId: null,
      };
      const recordId = legacyAttendanceRecordId(activityId, personId);
      await runtime.store.append({
        streamId: `activity:${activityId}`,
        expectedVersion: 'no_stream',
        events: [
          { id: randomUUID(), type: 'TrainingAttendanceRecorded', schemaVersion: 1, data: { activityId, personId, type: 'annual-study-plan' }, metadata },
          { id: randomUUID(), type: 'RecordRetracted', schemaVersion: 1, data: { recordId, reason: '重复录入' }, metadata },
        ],
      });
      const legacy = await gql(LINKS, { filter: { streamId: `activity:${activityId}` } });
      expect(legacy.errors).toBeUndefined();
      const [attendance, retraction] = legacy.data.events.edges.map((edge: any) => edge.node);
      expect(attendance).toMatchObject({ recordId, corrects: null, correctedBy: [{ position: retraction.position, type: 'RecordRetracted' }] });
      expect(retraction).toMatchObject({ recordId, corrects: { position: attendance.position, type: 'TrainingAttendanceRecorded' }, correctedBy: [] });
    });

    it('replays a station with the state after each event, and refuses an unknown category', async () => {
      // The shortest station stream with deputies assigned more than once and a record reviewed: every
      // step carries the whole state, so walking a stream costs the square of its length.
      const [station] = await sql<{ stream_id: string }>(
        `SELECT stream_id FROM yingpan.events WHERE stream_id LIKE 'station:%' GROUP BY 1
          HAVING count(*) FILTER (WHERE type = 'DeputyAssignedToStation') > 1 AND count(*) FILTER (WHERE type = 'RecordApproved') > 0
          ORDER BY count(*), 1 LIMIT 1`,
      );
      const HISTORY = /* GraphQL */ `
        query History($streamId: String!, $first: Int, $after: String) {
          streamHistory(streamId: $streamId, first: $first, after: $after) {
            edges { cursor node { event { streamVersion type hashValid } state } }
            pageInfo { hasNextPage hasPreviousPage endCursor }
          }
        }`;
      const steps: any[] = [];
      let after: string | null = null;
      for (;;) {
        const result = await gql(HISTORY, { streamId: station!.stream_id, first: 60, after });
        expect(result.errors).toBeUndefined();
        const { edges, pageInfo } = result.data.streamHistory;
        expect(pageInfo.hasPreviousPage).toBe(after !== null);
        steps.push(...edges.map((edge: any) => edge.node));
        if (!pageInfo.hasNextPage) break;
        after = pageInfo.endCursor;
      }
      const stored = await sql<{ type: string; data: any }>('SELECT type, data FROM yingpan.events WHERE stream_id = $1 ORDER BY stream_version', [
        station!.stream_id,
      ]);
      expect(steps.map((step) => step.event.streamVersion)).toEqual(stored.map((_, index) => index + 1));
      expect(steps.map((step) => step.event.type)).toEqual(stored.map((row) => row.type));
      expect(steps.every((step) => step.event.hashValid)).toBe(true);

      let assignments = 0;
      let records = 0;
      stored.forEach((row, index) => {
        if (row.type === 'DeputyAssignedToStation') assignments += 1;
        if (typeof row.data.recordId === 'string' && typeof row.data.declared === 'boolean') records += 1;
        const state = steps[index].state;
        expect(state.status).not.toBe('none');
        expect(state.assignments).toHaveLength(assignments);
        expect(Object.keys(state.records)).toHaveLength(records);
      });
      expect(assignments).toBeGreaterThan(1);
      const grew = steps.filter((step, index) => index > 0 && step.state.assignments.length > steps[index - 1].state.assignments.length);
      expect(grew.length).toBe(assignments - (stored[0]!.type === 'DeputyAssignedToStation' ? 1 : 0));
      expect(grew.every((step) => step.event.type === 'DeputyAssignedToStation')).toBe(true);
      // A review folds into the record it names.
      const [approval] = await sql<{ stream_version: number; record_id: string }>(
        `SELECT stream_version, data->>'recordId' AS record_id FROM yingpan.events WHERE stream_id = $1 AND type = 'RecordApproved' ORDER BY position LIMIT 1`,
        [station!.stream_id],
      );
      expect(approval).toBeDefined();
      expect(steps[approval!.stream_version - 2].state.records[approval!.record_id].status).toBe('pending');
      expect(steps[approval!.stream_version - 1].state.records[approval!.record_id].status).toBe('approved');

      const [homeVisit] = await sql<{ stream_id: string }>(`SELECT stream_id FROM yingpan.events WHERE type = 'HomeVisitRecorded' LIMIT 1`);
      const visit = await gql(HISTORY, { streamId: homeVisit!.stream_id });
      expect(visit.errors).toBeUndefined();
      expect(Object.values(visit.data.streamHistory.edges[0].node.state)).toHaveLength(1);

      const unknown = await gql(HISTORY, { streamId: 'ledger:1' });
      expect(unknown.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/No decider for the stream category/),
        extensions: { code: 'unknown-stream-category' },
      });
    });

    it('walks the whole log once, then checks what was appended since; full: true walks it all again', async () => {
      const CHECK = /* GraphQL */ `query Check($full: Boolean) { chainStatus(full: $full) { ok count headPosition checkedFrom fullCheckAt } }`;
      const full = (await gql(CHECK, { full: true })).data.chainStatus;
      expect(full).toMatchObject({ ok: true, checkedFrom: 0, count: full.headPosition });
      expect(Date.parse(full.fullCheckAt)).toBeGreaterThan(Date.now() - 60_000);

      const events = [
        {
          id: randomUUID(),
          type: 'ChainProbe',
          schemaVersion: 1,
          data: { n: 1 },
          metadata: {
            recordedBy: { personId: 'auditor-1', role: 'auditor' },
            occurredAt: new Date().toISOString(),
            correlationId: randomUUID(),
            causationId: null,
          },
        },
      ];
      await runtime.store.append({ streamId: `probe:${randomUUID()}`, expectedVersion: 'no_stream', events });
      const since = (await gql(CHECK, {})).data.chainStatus;
      expect(since).toEqual({
        ok: true,
        count: full.headPosition + 1,
        headPosition: full.headPosition + 1,
        checkedFrom: full.headPosition,
        fullCheckAt: full.fullCheckAt,
      });

      const again = (await gql(CHECK, { full: true })).data.chainStatus;
      expect(again).toMatchObject({ ok: true, checkedFrom: 0, count: full.headPosition + 1 });
      expect(again.fullCheckAt >= full.fullCheckAt).toBe(true);
    });

    it('verifies the chain against a digest and finds the changed row, which alone fails its hash check', async () => {
      const STATUS = /* GraphQL */ `
        query Status($digest: String) { chainStatus(digest: $digest) { ok count headPosition headHash digest failure { position kind message } } }`;
      const [head] = await sql<{ position: number; hash: string }>('SELECT position, hash FROM yingpan.events ORDER BY position DESC LIMIT 1');
      const position = Number(head!.position);
      const intact = await gql(STATUS);
      expect(intact.data.chainStatus).toEqual({
        ok: true,
        count: position,
        headPosition: position,
        headHash: head!.hash,
        digest: formatDigest({ position, hash: head!.hash }),
        failure: null,
      });
      const digest = intact.data.chainStatus.digest;
      expect((await gql(STATUS, { digest })).data.chainStatus.ok).toBe(true);
      const forged = await gql(STATUS, { digest: formatDigest({ position: 10, hash: 'f'.repeat(64) }) });
      expect(forged.data.chainStatus).toMatchObject({ ok: false, count: 10, failure: { position: 10, kind: 'DIGEST_MISMATCH' } });
      expect((await gql(STATUS, { digest: 'not a digest' })).errors?.[0]?.message).toMatch(/Not a yingpan digest/);

      // Change one data byte and one stored hash behind the store's back.
      const dataAt = Math.floor(position / 3);
      const hashAt = Math.floor((2 * position) / 3);
      await testDb.db.exec(
        `ALTER TABLE yingpan.events DISABLE TRIGGER USER;
         UPDATE yingpan.events SET data = data || '{"forged": true}' WHERE position = ${dataAt};
         UPDATE yingpan.events SET hash = repeat('a', 64) WHERE position = ${hashAt};
         ALTER TABLE yingpan.events ENABLE TRIGGER USER;`,
      );
      const around = async (at: number) => {
        const result = await gql(EVENTS, { first: 5, after: String(at - 3) });
        return result.data.events.edges.map((edge: any) => [edge.node.position, edge.node.hashValid]);
      };
      expect(await around(dataAt)).toEqual([dataAt - 2, dataAt - 1, dataAt, dataAt + 1, dataAt + 2].map((at) => [at, at !== dataAt]));
      // A rewritten hash fails its own check, and the next event's link to it fails too.
      expect(await around(hashAt)).toEqual([hashAt - 2, hashAt - 1, hashAt, hashAt + 1, hashAt + 2].map((at) => [at, at !== hashAt && at !== hashAt + 1]));

      const tampered = await gql(STATUS, { digest });
      expect(tampered.data.chainStatus).toMatchObject({
        ok: false,
        count: dataAt - 1,
        headPosition: null,
        digest: null,
        failure: { position: dataAt, kind: 'HASH_MISMATCH' },
      });
    });
  });
}
