/**
 * Relay object identification over a county: `node(id:)` and `nodes(ids:)` give back what the lists
 * give, under the same read rules (a station manager reads another station's opinion without its
 * voter, as that station's books would show it; a deputy may not read a record it may not review);
 * a malformed or foreign id is an argument error. Every entity type is a Node: people, mandates,
 * trainings, items open at a term change (whose local id is composite) and accounts (administrators only). Also the conventions of the arguments: a `Date`
 * that is not a calendar day, and a negative `first`, are refused with errors that name them.
 */
import { countyToday } from '@yingpan/domain';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { stationsManagedBy } from '@yingpan/projections';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { accountServiceFor } from '../src/auth-accounts.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { authHeaders, type GraphQLAnswer } from './graphql-client.ts';

const globalId = (type: string, localId: string) => Buffer.from(`${type}:${localId}`).toString('base64');

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`global ids and argument conventions on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let staff: string;
    let opinion: { opinionId: string; stationId: string; receivedBy: string };
    /** A manager in charge of the opinion's station today, and one in charge only of others. */
    let managerHere: string;
    let managerElsewhere: string;

    const ask = async (token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> => {
      const response = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: authHeaders(token), body: JSON.stringify({ query, variables }) });
      return (await response.json()) as GraphQLAnswer;
    };
    const ok = async (token: string | null, query: string, variables: Record<string, unknown> = {}) => {
      const answer = await ask(token, query, variables);
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      return answer.data;
    };

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
      yoga = createApp(runtime);
      staff = await runtime.tokens.mint({ role: 'staff' });
      const { rows } = await testDb.db.query<{ opinionId: string; stationId: string; receivedBy: string }>(
        `SELECT data->>'opinionId' AS "opinionId", data->>'stationId' AS "stationId", data->>'receivedByPersonId' AS "receivedBy"
           FROM yingpan.events WHERE type = 'OpinionRegistered' ORDER BY position DESC LIMIT 1`,
      );
      opinion = rows[0]!;
      // The latest manager of each station: one of the opinion's station, one of another.
      const { rows: managers } = await testDb.db.query<{ stationId: string; personId: string }>(
        `SELECT DISTINCT ON (stream_id) data->>'stationId' AS "stationId", data->>'managerPersonId' AS "personId"
           FROM yingpan.events WHERE type = 'StationManagerAssigned' ORDER BY stream_id, position DESC`,
      );
      const here = managers.find((row) => row.stationId === opinion.stationId)?.personId;
      const elsewhere = managers.find((row) => row.personId !== here)?.personId;
      expect(here, 'a manager of the opinion’s station').toBeDefined();
      expect(elsewhere, 'a manager of another station').toBeDefined();
      // They are in charge today: the rule under test is about stations, not about managers gone.
      expect(await stationsManagedBy(testDb.db, here!, countyToday())).toContain(opinion.stationId);
      expect(await stationsManagedBy(testDb.db, elsewhere!, countyToday())).not.toContain(opinion.stationId);
      managerHere = await runtime.tokens.mint({ role: 'station-manager', personId: here! });
      managerElsewhere = await runtime.tokens.mint({ role: 'station-manager', personId: elsewhere! });
    });

    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    it('reads again by its global id what a list gave, of any Node type, in the order asked', async () => {
      const listed = await ok(staff, '{ stations(first: 2) { edges { node { id stationId name } } } terms { id termId number } }');
      const station = listed.stations.edges[0].node;
      expect(Buffer.from(station.id, 'base64').toString()).toBe(`StationSummary:${station.stationId}`);
      const term = listed.terms[0];

      const one = await ok(staff, 'query($id: ID!) { node(id: $id) { __typename id ... on StationSummary { stationId name } } }', { id: station.id });
      expect(one.node).toEqual({ __typename: 'StationSummary', id: station.id, stationId: station.stationId, name: station.name });

      const unknown = globalId('StationSummary', '00000000-0000-4000-8000-000000000000');
      const many = await ok(staff, 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Term { number } } }', {
        ids: [globalId('Term', term.termId), unknown, station.id],
      });
      expect(many.nodes).toEqual([{ __typename: 'Term', id: term.id, number: term.number }, null, { __typename: 'StationSummary', id: station.id }]);
    });

    it('serves an opinion’s voter by node() only where the station’s books would: not to a manager of another station', async () => {
      const QUERY = 'query($id: ID!) { node(id: $id) { ... on OpinionEntry { opinionId category voter { name } } } }';
      const id = globalId('OpinionEntry', opinion.opinionId);
      const asStaff = (await ok(staff, QUERY, { id })).node;
      expect(asStaff.opinionId).toBe(opinion.opinionId);
      expect(asStaff.voter?.name).toEqual(expect.any(String));
      expect((await ok(managerHere, QUERY, { id })).node.voter?.name).toBe(asStaff.voter.name);

      const elsewhere = (await ok(managerElsewhere, QUERY, { id })).node;
      expect(elsewhere).toEqual({ opinionId: opinion.opinionId, category: asStaff.category, voter: null });
      // The same manager reading that station's books sees no voter there either.
      const books = await ok(
        managerElsewhere,
        'query($s: ID!) { stationBooks(stationId: $s) { opinions(first: 100) { edges { node { opinionId voter { name } } } } } }',
        {
          s: opinion.stationId,
        },
      );
      const inBooks = books.stationBooks.opinions.edges.map((edge: any) => edge.node).find((node: any) => node.opinionId === opinion.opinionId);
      expect(inBooks?.voter ?? null).toBeNull();
    });

    it('refuses a record to a reader its own query refuses, and everything to the public', async () => {
      const { rows } = await testDb.db.query<{ recordId: string }>(
        `SELECT DISTINCT data->>'recordId' AS "recordId" FROM yingpan.events WHERE type = 'StationVisitRecorded' LIMIT 5`,
      );
      let record: { recordId: string } | null = null;
      for (const { recordId } of rows) {
        record ??= (await ok(staff, 'query($r: ID!) { actRecord(recordId: $r) { recordId } }', { r: recordId })).actRecord;
      }
      expect(record, 'a record staff can read').not.toBeNull();
      const id = globalId('ActRecord', record!.recordId);
      const QUERY = 'query($id: ID!) { node(id: $id) { id ... on ActRecord { recordId } } }';
      expect((await ok(staff, QUERY, { id })).node).toEqual({ id, recordId: record!.recordId });

      const deputy = await runtime.tokens.mint({ role: 'deputy', personId: opinion.receivedBy });
      const asDeputy = await ask(deputy, QUERY, { id });
      expect(asDeputy.data?.node ?? null).toBeNull();
      expect(asDeputy.errors?.[0]?.extensions).toMatchObject({ code: 'forbidden' });
      // In nodes(), only the refused one is an error; the others are served.
      const mixed = await ask(deputy, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [globalId('OpinionEntry', opinion.opinionId), id] });
      expect(mixed.data?.nodes).toEqual([{ id: globalId('OpinionEntry', opinion.opinionId) }, null]);
      expect(mixed.errors?.[0]).toMatchObject({ path: ['nodes', 1], extensions: { code: 'forbidden' } });

      const asPublic = await ask(null, QUERY, { id });
      expect(asPublic.data?.node ?? null).toBeNull();
      expect(asPublic.errors?.[0]?.extensions).toMatchObject({ code: 'unauthenticated' });
    });

    it('answers an id that is not a global id of this API with an error naming the argument', async () => {
      for (const bad of ['not an id', opinion.opinionId, globalId('Nothing', opinion.opinionId), globalId('OpinionEntry', 'not-a-uuid')]) {
        const answer = await ask(staff, 'query($id: ID!) { node(id: $id) { id } }', { id: bad });
        expect(answer.data?.node ?? null).toBeNull();
        expect(answer.errors?.[0]?.extensions, bad).toMatchObject({ code: 'invalid-input', field: 'id' });
      }
      const many = await ask(staff, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [globalId('Term', opinion.opinionId), 'bad'] });
      expect(many.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-input', field: 'ids[1]' });
    });

    it('reads people, mandates, trainings, open items and accounts again by their global ids, beside their own id fields', async () => {
      const listed = await ok(
        staff,
        `{ peopleConnection(first: 1) { edges { node { id personId name mandates { id mandateId personId kind } } } }
          trainingsConnection(first: 1) { edges { node { id trainingId title } } }
          handoverDossier { term { termId } openItems(first: 1) { edges { node { id openItemId termId key kind itemId } } } } }`,
      );
      const person = listed.peopleConnection.edges[0].node;
      const mandate = person.mandates[0];
      const training = listed.trainingsConnection.edges[0].node;
      const item = listed.handoverDossier.openItems.edges[0]?.node;
      expect(mandate, 'a person with a mandate').toBeDefined();
      expect(item, 'an item open at the last term change').toBeDefined();
      expect(person.id).toBe(globalId('Person', person.personId));
      expect(mandate.id).toBe(globalId('Mandate', mandate.mandateId));
      expect(training.id).toBe(globalId('Training', training.trainingId));
      // An open item has no id of its own: its local id is its term and its key (kind and item).
      expect(item.termId).toBe(listed.handoverDossier.term.termId);
      expect(item.openItemId).toBe(`${item.termId}:${item.kind.toLowerCase().replaceAll('_', '-')}:${item.itemId}`);
      expect(item.key).toBe(item.openItemId.slice(item.termId.length + 1));
      expect(item.id).toBe(globalId('OpenItem', item.openItemId));

      const many = await ok(
        staff,
        `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
          ... on Person { personId name } ... on Mandate { mandateId personId kind } ... on Training { trainingId title } ... on OpenItem { openItemId key } } }`,
        { ids: [person.id, mandate.id, training.id, item.id] },
      );
      expect(many.nodes).toEqual([
        { __typename: 'Person', id: person.id, personId: person.personId, name: person.name },
        { __typename: 'Mandate', id: mandate.id, mandateId: mandate.mandateId, personId: person.personId, kind: mandate.kind },
        { __typename: 'Training', id: training.id, trainingId: training.trainingId, title: training.title },
        { __typename: 'OpenItem', id: item.id, openItemId: item.openItemId, key: item.key },
      ]);

      // An account: administrators read it, as `account(id:)`; anyone else is refused.
      const admin = await runtime.tokens.mint({ role: 'admin' });
      const installer = { personId: 'test-admin', role: 'admin' as const, name: null };
      const accountId = await accountServiceFor(runtime).createAccount(installer, {
        username: 'node-reader',
        displayName: '读者',
        password: 'a long password 1',
        personId: person.personId,
      });
      await runtime.projector.catchUp();
      const account = (await ok(admin, 'query($id: ID!) { account(id: $id) { id accountId } }', { id: accountId })).account;
      expect(account).toEqual({ id: globalId('Account', accountId), accountId });
      const ACCOUNT = 'query($id: ID!) { node(id: $id) { id ... on Account { accountId username personId } } }';
      expect((await ok(admin, ACCOUNT, { id: account.id })).node).toEqual({
        id: account.id,
        accountId: account.accountId,
        username: 'node-reader',
        personId: person.personId,
      });
      const asStaff = await ask(staff, ACCOUNT, { id: account.id });
      expect(asStaff.data?.node ?? null).toBeNull();
      expect(asStaff.errors?.[0]?.extensions).toMatchObject({ code: 'forbidden' });
      const mixed = await ask(staff, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [person.id, account.id] });
      expect(mixed.data?.nodes).toEqual([{ id: person.id }, null]);
      expect(mixed.errors?.[0]).toMatchObject({ path: ['nodes', 1], extensions: { code: 'forbidden' } });
      const asPublic = await ask(null, 'query($id: ID!) { node(id: $id) { id } }', { id: person.id });
      expect(asPublic.errors?.[0]?.extensions).toMatchObject({ code: 'unauthenticated' });

      // A local id under another type's name is no object of that type; an open item's of the wrong shape is malformed.
      const crossed = await ok(staff, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
        ids: [
          globalId('Person', mandate.mandateId),
          globalId('Training', person.personId),
          globalId('Mandate', training.trainingId),
          globalId('OpenItem', `${item.termId}:${item.kind === 'PAIRING' ? 'opinion' : 'pairing'}:${item.itemId}`),
        ],
      });
      expect(crossed.nodes).toEqual([null, null, null, null]);
      for (const bad of [
        globalId('OpenItem', item.itemId),
        globalId('OpenItem', item.key),
        globalId('OpenItem', `${item.termId}:unknown-kind:${item.itemId}`),
        globalId('OpenItem', `${item.openItemId}:more`),
        globalId('Person', item.openItemId),
        globalId('Training', 'not-a-uuid'),
      ]) {
        const answer = await ask(staff, 'query($id: ID!) { node(id: $id) { id } }', { id: bad });
        expect(answer.data?.node ?? null).toBeNull();
        expect(answer.errors?.[0]?.extensions, Buffer.from(bad, 'base64').toString()).toMatchObject({ code: 'invalid-input', field: 'id' });
      }
    });

    it('refuses a Date argument that is not a calendar day, as a literal and as a variable, and takes a real one', async () => {
      const literal = await ask(staff, '{ countyHeadlines(to: "2024-13-45") { stationsOpen } }');
      expect(literal.data ?? null).toBeNull();
      expect(literal.errors?.[0]?.message).toMatch(/Date must be a calendar day YYYY-MM-DD; got "2024-13-45"/);
      expect(literal.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-input' });

      for (const day of ['2024-13-45', '2024-02-30', '2024-1-05', 20240105]) {
        const variable = await ask(staff, 'query($to: Date) { countyHeadlines(to: $to) { stationsOpen } }', { to: day });
        expect(variable.data ?? null, String(day)).toBeNull();
        expect(variable.errors?.[0]?.message).toMatch(/"\$to".*Date must be a calendar day/);
        expect(variable.errors?.[0]?.extensions).toMatchObject({ code: 'invalid-input' });
      }
      const leap = await ok(staff, 'query($to: Date) { countyHeadlines(to: $to) { stationsOpen } me { today } }', { to: '2024-02-29' });
      expect(leap.countyHeadlines.stationsOpen).toEqual(expect.any(Number));
      expect(leap.me.today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it('refuses a negative `first` with the same error on every paged field', async () => {
      const queries = [
        '{ stations(first: -1) { totalCount } }',
        '{ peopleConnection(first: -1) { totalCount } }',
        '{ trainingsConnection(first: -1) { totalCount } }',
        '{ peopleSearch(first: -1) { edges { cursor } } }',
        '{ checkpoints(first: -1) { id } }',
      ];
      for (const query of queries) {
        const answer = await ask(staff, query);
        expect(answer.errors?.[0]?.extensions, query).toMatchObject({ code: 'invalid-input', field: 'first' });
        expect(answer.errors?.[0]?.message).toBe('Invalid input: first must be 0 or more');
      }
      const auditor = await runtime.tokens.mint({ role: 'auditor' });
      expect((await ask(auditor, '{ events(first: -1) { edges { cursor } } }')).errors?.[0]?.extensions).toMatchObject({
        code: 'invalid-input',
        field: 'first',
      });
      const page = await ok(staff, '{ trainingsConnection(first: 2) { totalCount edges { node { id date } } } }');
      expect(page.trainingsConnection.edges.length).toBe(Math.min(2, page.trainingsConnection.totalCount));
    });
  });
}
