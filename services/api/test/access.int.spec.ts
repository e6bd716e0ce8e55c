/**
 * Who may see and do what, in process through yoga.fetch on the small demo county: sign-in by
 * token (none: the public; bad, expired or foreign: 401), the public's disclosed surface, the read
 * models for signed-in roles, the log for auditors and administrators, voters' personal data only
 * for the receiving deputy, handling staff and auditors, and every command refused as "forbidden"
 * to every role it does not name, with nothing appended.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { commandDefinitions, ROLES, type Role } from '@yingpan/domain';
import { openCountyImage } from '@yingpan/projections/testing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { tokenIssuer } from '../src/auth.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { generatedCommands, mutationName } from '../src/schema/commands.ts';
import { postGraphQL } from './graphql-client.ts';
import { sample } from './sample-input.ts';

interface OpinionAt {
  opinionId: string;
  stationId: string;
  receivedBy: string;
  /** The receiving deputy's mandate at the station. */
  mandateId: string;
}

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`roles and privacy on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    /** An opinion of the seeded county, and a deputy of the same station who did not receive it. */
    let opinion: OpinionAt;
    let otherDeputy: { personId: string; mandateId: string };
    const tokens = new Map<string, string>();

    const ask = (token: string | null, query: string, variables: Record<string, unknown> = {}) => postGraphQL(yoga, token, query, variables);
    const as = (role: Role | 'receiver' | 'other-deputy' | 'other-manager') => tokens.get(role) ?? null;

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
      runtime.startProjector();
      yoga = createApp(runtime);
      const { rows } = await testDb.db.query<OpinionAt>(
        `SELECT data->>'opinionId' AS "opinionId", data->>'stationId' AS "stationId", data->>'receivedByPersonId' AS "receivedBy",
                data->>'receivedByMandateId' AS "mandateId"
           FROM yingpan.events WHERE type = 'OpinionRegistered' ORDER BY position DESC LIMIT 1`,
      );
      opinion = rows[0]!;
      const others = await testDb.db.query<{ personId: string; mandateId: string }>(
        `SELECT DISTINCT data->>'personId' AS "personId", data->>'mandateId' AS "mandateId" FROM yingpan.events
          WHERE type = 'DeputyAssignedToStation' AND data->>'stationId' = $1 AND data->>'personId' <> $2 ORDER BY 1 LIMIT 1`,
        [opinion.stationId, opinion.receivedBy],
      );
      otherDeputy = others.rows[0]!;
      for (const role of ROLES)
        if (role !== 'public')
          tokens.set(
            role,
            await runtime.tokens.mint({
              role,
              personId: role === 'deputy' || role === 'station-manager' || role === 'committee-member' ? randomUUID() : undefined,
            }),
          );
      tokens.set('receiver', await runtime.tokens.mint({ role: 'deputy', personId: opinion.receivedBy }));
      // The manager in charge of the opinion's station, and the manager of another station.
      const managers = await testDb.db.query<{ stationId: string; personId: string }>(
        `SELECT DISTINCT ON (stream_id) data->>'stationId' AS "stationId", data->>'managerPersonId' AS "personId"
           FROM yingpan.events WHERE type = 'StationManagerAssigned' ORDER BY stream_id, position DESC`,
      );
      const inCharge = managers.rows.find((row) => row.stationId === opinion.stationId)!;
      const elsewhere = managers.rows.find((row) => row.personId !== inCharge.personId)!;
      tokens.set('station-manager', await runtime.tokens.mint({ role: 'station-manager', personId: inCharge.personId }));
      tokens.set('other-manager', await runtime.tokens.mint({ role: 'station-manager', personId: elsewhere.personId }));
      tokens.set('other-deputy', await runtime.tokens.mint({ role: 'deputy', personId: otherDeputy.personId }));
    });
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    it('knows who is asking: the public without a token, the token’s role and person with one', async () => {
      expect((await ask(null, '{ me { role roleLabelZh personId } }')).data.me).toEqual({ role: 'public', roleLabelZh: '公众', personId: 'public' });
      expect((await ask(as('receiver'), '{ me { role personId name } }')).data.me).toMatchObject({
        role: 'deputy',
        personId: opinion.receivedBy,
        name: expect.any(String),
      });
      expect((await ask(as('auditor'), '{ me { role } }')).data.me).toEqual({ role: 'auditor' });
    });

    it('refuses a malformed, foreign, expired or role-less token with 401 and nothing else', async () => {
      const foreign = await tokenIssuer(new Uint8Array(32).fill(7)).mint({ role: 'admin' });
      const expired = await runtime.tokens.mint({ role: 'staff', expiresIn: '-1s' });
      const secret = (runtime.tokens as unknown as { secret?: Uint8Array }).secret;
      expect(secret).toBeUndefined(); // the secret is not reachable from the issuer
      for (const [token, message] of [
        ['not-a-token', /not valid/],
        [foreign, /not valid/],
        [expired, /expired/],
      ] as const) {
        const answer = await ask(token, '{ me { role } }');
        expect(answer.status).toBe(401);
        expect(answer.data ?? null).toBeNull();
        expect(answer.errors![0]!.message).toMatch(message);
        expect(answer.errors![0]!.extensions).toMatchObject({ code: 'unauthenticated' });
      }
      const response = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Basic YWRtaW46YWRtaW4=' },
        body: JSON.stringify({ query: '{ me { role } }' }),
      });
      expect(response.status).toBe(401);
      // A token of this server's signature without a role is not a sign-in either.
      const roleless = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setIssuer('yingpan')
        .setExpirationTime('1h')
        .sign(new Uint8Array(32).fill(7));
      expect((await ask(roleless, '{ me { role } }')).status).toBe(401);
    });

    it('shows the public disclosed profiles and performance bands, and nothing else', async () => {
      const open = await ask(
        null,
        /* GraphQL */ `{
        publicDeputies(first: 5) { edges { node { id name seats { termNumber level district } performance(year: 2025) { band dutiesMet dutiesMissed } } } pageInfo { hasNextPage } }
      }`,
      );
      expect(open.errors).toBeUndefined();
      const deputies = open.data.publicDeputies.edges.map((edge: any) => edge.node);
      expect(deputies).toHaveLength(5);
      expect(deputies.every((deputy: any) => deputy.seats.length > 0 && deputy.name.length > 0)).toBe(true);
      expect(deputies.some((deputy: any) => deputy.performance.some((year: any) => typeof year.band === 'string'))).toBe(true);
      // A performance summary has no score field: the schema serves bands, not points.
      expect((await ask(null, '{ publicDeputies(first: 1) { edges { node { performance(year: 2025) { score } } } } }')).errors![0]!.message).toMatch(
        /Cannot query field "score"/,
      );

      const staffOnly = [
        `{ peopleConnection(first: 1) { edges { node { personId } } } }`,
        `{ person(id: "${opinion.receivedBy}") { name } }`,
        `{ stationBooks(stationId: "${opinion.stationId}") { opinions(first: 5) { edges { node { opinionId } } } } }`,
        `{ events(first: 1) { edges { node { type } } } }`,
        `{ countyStatistics(first: 1, groupBy: [ACT]) { edges { cursor } } }`,
        `{ scoringRules { title } }`,
      ];
      for (const query of staffOnly) {
        const answer = await ask(null, query);
        // A nullable root field answers null beside the error; a non-null one takes `data` with it.
        expect(
          Object.values(answer.data ?? {}).every((value) => value === null),
          query,
        ).toBe(true);
        expect(answer.errors?.[0]?.extensions, query).toMatchObject({ code: 'unauthenticated' });
      }
      const books = await ask(null, `{ stationBooks(stationId: "${opinion.stationId}") { day } }`);
      expect(books.errors![0]!.extensions).toMatchObject({ code: 'unauthenticated', messageZh: expect.stringContaining('登录') });
    });

    it('keeps the event log for auditors and administrators', async () => {
      for (const role of ['deputy', 'station-manager', 'staff', 'committee-member'] as const) {
        for (const query of [
          '{ events(first: 1) { edges { node { type } } } }',
          '{ chainStatus { ok } }',
          `{ streamHistory(streamId: "opinion:${opinion.opinionId}") { edges { node { state } } } }`,
        ]) {
          const answer = await ask(as(role), query);
          expect(answer.data ?? null, `${role} ${query}`).toBeNull();
          expect(answer.errors![0]!.extensions, role).toMatchObject({ code: 'forbidden' });
        }
      }
      for (const role of ['auditor', 'admin'] as const) {
        const answer = await ask(as(role), '{ events(first: 1) { edges { node { type } } } chainStatus { ok } }');
        expect(answer.errors, role).toBeUndefined();
        expect(answer.data.chainStatus.ok).toBe(true);
      }
    });

    it('serves a voter’s personal data to the receiving deputy, handling staff, the station’s own manager and auditors only, in the books and in the log', async () => {
      const BOOK = `query Book($after: String) { stationBooks(stationId: "${opinion.stationId}") {
        opinions(first: 100, after: $after) { edges { node { opinionId receivedBy { personId } voter { name content } } } pageInfo { hasNextPage endCursor } } } }`;
      type Entry = { opinionId: string; receivedBy: { personId: string }; voter: { name: string; content: string } | null };
      /** The whole opinion book as one role reads it, a page at a time. */
      const voters = async (who: string | null) => {
        const entries: Entry[] = [];
        let after: string | null = null;
        do {
          const answer = await ask(who, BOOK, { after });
          expect(answer.errors).toBeUndefined();
          const page = answer.data.stationBooks.opinions;
          entries.push(...page.edges.map((edge: any) => edge.node));
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        } while (after !== null);
        return entries;
      };
      const forReceiver = await voters(as('receiver'));
      const mine = forReceiver.find((entry) => entry.opinionId === opinion.opinionId)!;
      expect(mine.voter).toMatchObject({ name: expect.any(String), content: expect.any(String) });
      // Only their own: every other deputy's opinion is withheld from them.
      for (const entry of forReceiver) expect(entry.voter === null).toBe(entry.receivedBy.personId !== opinion.receivedBy);
      expect((await voters(as('other-deputy'))).find((entry) => entry.opinionId === opinion.opinionId)!.voter).toBeNull();
      for (const role of ['committee-member', 'admin', 'other-manager'] as const)
        expect(
          (await voters(as(role))).every((entry) => entry.voter === null),
          role,
        ).toBe(true);
      for (const role of ['staff', 'station-manager', 'auditor'] as const)
        expect(
          (await voters(as(role))).every((entry) => entry.voter !== null),
          role,
        ).toBe(true);

      const LOG = `{ events(first: 1, filter: { streamId: "opinion:${opinion.opinionId}" }) { edges { node { type data } } }
                     streamHistory(streamId: "opinion:${opinion.opinionId}", first: 1) { edges { node { state } } } }`;
      const audited = (await ask(as('auditor'), LOG)).data;
      expect(audited.events.edges[0].node).toMatchObject({
        type: 'OpinionRegistered',
        data: { voter: { name: mine.voter!.name }, content: mine.voter!.content },
      });
      const administered = (await ask(as('admin'), LOG)).data;
      // Administrators keep the log, not the voters' words: name, phone, address and what was said are withheld, in events and in stream states.
      expect(administered.events.edges[0].node.data).toMatchObject({ voter: { withheld: true }, content: { withheld: true }, category: expect.any(String) });
      expect(administered.streamHistory.edges[0].node.state).toMatchObject({ opinionId: opinion.opinionId });
      expect(JSON.stringify(administered)).not.toContain(mine.voter!.name);
      expect(JSON.stringify(administered)).not.toContain(mine.voter!.content);
    });

    it('refuses every command, as "forbidden", to every role it does not name, appending nothing', async () => {
      let denials = 0;
      for (const definition of commandDefinitions) {
        const fields = generatedCommands.get(definition.name);
        if (!fields) continue; // RecordTrainingAttendance, hand-written, is covered below
        const field = mutationName(definition.name);
        const document = `mutation Run($input: ${definition.name}Input!) { ${field}(input: $input) { __typename ... on Rejection { code messageZh } } }`;
        for (const role of ROLES.filter((role) => !definition.roles.includes(role))) {
          const before = await runtime.store.head();
          const answer = await ask(as(role), document, { input: { commandId: randomUUID(), ...sample(fields) } });
          expect(answer.data[field], `${definition.name} as ${role}`).toMatchObject({
            __typename: 'Rejection',
            code: 'forbidden',
            messageZh: expect.stringContaining('无权'),
          });
          expect(await runtime.store.head()).toEqual(before);
          denials++;
        }
      }
      // Auditors and the public write nothing at all; every command refuses at least those two.
      expect(denials).toBeGreaterThanOrEqual(2 * generatedCommands.size);
      const training = await ask(
        as('auditor'),
        `mutation { recordTrainingAttendance(input: { commandId: "${randomUUID()}", trainingId: "${randomUUID()}", personId: "${randomUUID()}" }) { __typename ... on Rejection { code } } }`,
      );
      expect(training.data.recordTrainingAttendance).toEqual({ __typename: 'Rejection', code: 'forbidden' });
    });

    it('lets a deputy declare their own act (awaiting review) but not another’s, and staff approve it', async () => {
      const visit = ({ personId, mandateId }: { personId: string; mandateId: string }) => ({
        commandId: randomUUID(),
        recordId: randomUUID(),
        stationId: opinion.stationId,
        personId,
        mandateId,
        date: '2026-11-02',
        summary: '进站接待',
      });
      const DOC = `mutation Run($input: RecordStationVisitInput!) { recordStationVisit(input: $input) { __typename ... on Rejection { code field } ... on CommandResult { position } } }`;
      const before = await runtime.store.head();
      const notMine = await ask(as('receiver'), DOC, { input: visit(otherDeputy) });
      expect(notMine.data.recordStationVisit).toEqual({ __typename: 'Rejection', code: 'not-own-act', field: 'personId' });
      expect(await runtime.store.head()).toEqual(before);

      const input = visit({ personId: opinion.receivedBy, mandateId: opinion.mandateId });
      const declared = await ask(as('receiver'), DOC, { input });
      expect(declared.data.recordStationVisit.__typename).toBe('CommandResult');
      const { rows } = await testDb.db.query<{ declared: boolean; role: string }>(
        `SELECT (data->>'declared')::boolean AS declared, metadata->'recordedBy'->>'role' AS role FROM yingpan.events WHERE position = $1`,
        [declared.data.recordStationVisit.position],
      );
      expect(rows[0]).toEqual({ declared: true, role: 'deputy' });

      const APPROVE = `mutation Run($input: ApproveRecordInput!) { approveRecord(input: $input) { __typename ... on Rejection { code } } }`;
      const approval = { commandId: randomUUID(), streamId: `station:${opinion.stationId}`, recordId: input.recordId };
      expect((await ask(as('receiver'), APPROVE, { input: approval })).data.approveRecord).toEqual({ __typename: 'Rejection', code: 'forbidden' });
      expect((await ask(as('staff'), APPROVE, { input: { ...approval, commandId: randomUUID() } })).data.approveRecord.__typename).toBe('CommandResult');
    });

    it('lets a new-term inheritor acknowledge an item (not someone else’s), and staff reassign a flagged one; "what I inherited" follows', async () => {
      const { rows: terms } = await testDb.db.query<{ termId: string }>(
        `SELECT data->>'termId' AS "termId" FROM yingpan.events WHERE type = 'TermClosed' ORDER BY position LIMIT 1`,
      );
      const termId = terms[0]!.termId;
      const DOSSIER = `query ($termId: ID!) { handoverDossier(termId: $termId) { openItems(first: 100) { edges { node { key flagged inheritor { personId rule } acknowledgement { person { personId } on } } } } } }`;
      const items = async () => (await ask(as('staff'), DOSSIER, { termId })).data.handoverDossier.openItems.edges.map((edge: any) => edge.node);
      const before = await items();
      const item = before.find((candidate: any) => candidate.inheritor)!;
      const flagged = before.find((candidate: any) => candidate.flagged)!;
      expect(item && flagged).toBeTruthy();
      const heir = await runtime.tokens.mint({ role: 'deputy', personId: item.inheritor.personId });

      const INHERITED = `query ($personId: ID!) { inherited(personId: $personId, first: 100) { edges { node { item { key acknowledgement { on note } } } } } }`;
      const mine = (await ask(heir, INHERITED, { personId: item.inheritor.personId })).data.inherited.edges.map((edge: any) => edge.node.item);
      expect(mine.find((entry: any) => entry.key === item.key)).toMatchObject({ acknowledgement: null });

      const ACK = `mutation Run($input: AcknowledgeHandoverItemInput!) { acknowledgeHandoverItem(input: $input) { __typename ... on Rejection { code field } } }`;
      const ack = (personId: string, itemKey = item.key) => ({
        commandId: randomUUID(),
        termId,
        itemKey,
        personId,
        acknowledgedOn: '2026-11-25',
        note: '已了解，继续跟进',
      });
      const head = await runtime.store.head();
      expect((await ask(heir, ACK, { input: ack(otherDeputy.personId) })).data.acknowledgeHandoverItem).toEqual({
        __typename: 'Rejection',
        code: 'not-own-item',
        field: 'personId',
      });
      expect((await ask(as('auditor'), ACK, { input: ack(item.inheritor.personId) })).data.acknowledgeHandoverItem).toMatchObject({ code: 'forbidden' });
      expect(await runtime.store.head()).toEqual(head);
      expect((await ask(heir, ACK, { input: ack(item.inheritor.personId) })).data.acknowledgeHandoverItem.__typename).toBe('CommandResult');
      expect((await ask(heir, ACK, { input: ack(item.inheritor.personId) })).data.acknowledgeHandoverItem).toMatchObject({ code: 'already-acknowledged' });
      const after = (await ask(heir, INHERITED, { personId: item.inheritor.personId })).data.inherited.edges.map((edge: any) => edge.node.item);
      expect(after.find((entry: any) => entry.key === item.key)).toMatchObject({ acknowledgement: { on: '2026-11-25', note: '已了解，继续跟进' } });

      const REASSIGN = `mutation Run($input: ReassignHandoverItemInput!) { reassignHandoverItem(input: $input) { __typename ... on Rejection { code } } }`;
      const reassignment = {
        commandId: randomUUID(),
        termId,
        itemKey: flagged.key,
        toPersonId: opinion.receivedBy,
        reassignedOn: '2026-11-24',
        reason: '原负责人未连任，由本站代表接收',
      };
      expect((await ask(heir, REASSIGN, { input: reassignment })).data.reassignHandoverItem).toMatchObject({ code: 'forbidden' });
      expect((await ask(as('staff'), REASSIGN, { input: { ...reassignment, commandId: randomUUID() } })).data.reassignHandoverItem.__typename).toBe(
        'CommandResult',
      );
      const reassigned = (await items()).find((candidate: any) => candidate.key === flagged.key);
      expect(reassigned).toMatchObject({ flagged: false, inheritor: { personId: opinion.receivedBy, rule: 'REASSIGNED' }, acknowledgement: null });
      const theirs = (await ask(as('receiver'), INHERITED, { personId: opinion.receivedBy })).data.inherited.edges.map((edge: any) => edge.node.item.key);
      expect(theirs).toContain(flagged.key);
    });
  });
}
