/**
 * "Who could read this voter's opinion on a day" (`voterReaders`): accounts with grants of different
 * roles, scopes and periods, asked about one opinion on two days. The answer must follow the grants
 * that held each day and the same read policy the books follow, and is for auditors and
 * administrators only.
 */
import { randomUUID } from 'node:crypto';
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { postGraphQL, type GraphQLAnswer } from './graphql-client.ts';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`who could read a voter on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let admin: string;
    let opinion: { opinionId: string; stationId: string; receivedBy: string };
    let otherStationId: string;
    let otherDeputies: string[];

    const ask = (token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> =>
      postGraphQL(yoga, token, query, variables);

    /** Opens an account with one grant, as an administrator does. */
    async function account(username: string, grant: Record<string, unknown>, personId?: string): Promise<string> {
      const created = await ask(
        admin,
        `mutation($input: CreateAccountInput!) { createAccount(input: $input) { __typename ... on CreateAccountResult { data { accountId } } ... on Rejection { code messageZh } } }`,
        { input: { username, displayName: username, password: 'a long password 1', personId } },
      );
      const accountId = created.data.createAccount.data?.accountId;
      expect(accountId, JSON.stringify(created)).toBeDefined();
      const granted = await ask(admin, `mutation($input: GrantRoleInput!) { grantRole(input: $input) { __typename ... on Rejection { code messageZh } } }`, {
        input: { accountId, ...grant },
      });
      expect(granted.data.grantRole.__typename, JSON.stringify(granted)).toBe('GrantRoleResult');
      return accountId;
    }

    const READERS = `query($opinionId: ID!, $on: Date) { voterReaders(opinionId: $opinionId, on: $on) { account { username } roleLabelZh reasonZh } }`;
    const readersOn = async (on: string, token = admin) => {
      const answer = await ask(token, READERS, { opinionId: opinion.opinionId, on });
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      return (answer.data.voterReaders as { account: { username: string } }[]).map((reader) => reader.account.username).sort();
    };

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
      runtime.startProjector();
      yoga = createApp(runtime);
      admin = await runtime.tokens.mint({ role: 'admin' });
      const { rows } = await testDb.db.query<{ opinionId: string; stationId: string; receivedBy: string }>(
        `SELECT data->>'opinionId' AS "opinionId", data->>'stationId' AS "stationId", data->>'receivedByPersonId' AS "receivedBy"
           FROM yingpan.events WHERE type = 'OpinionRegistered' ORDER BY position DESC LIMIT 1`,
      );
      opinion = rows[0]!;
      const { rows: others } = await testDb.db.query<{ stationId: string; personId: string }>(
        `SELECT data->>'stationId' AS "stationId", data->>'personId' AS "personId" FROM yingpan.events
          WHERE type = 'DeputyAssignedToStation' AND data->>'stationId' <> $1 AND data->>'personId' <> $2 LIMIT 10`,
        [opinion.stationId, opinion.receivedBy],
      );
      otherStationId = others[0]!.stationId;
      otherDeputies = [...new Set(others.map((row) => row.personId))];
    });

    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    it('lists the accounts whose grants let them read the voter that day, and no other', async () => {
      await account('clerk', { role: 'STAFF', scopeKind: 'COUNTY', from: '2026-01-01' });
      await account(
        'manager-spring',
        { role: 'STATION_MANAGER', scopeKind: 'STATION', stationId: opinion.stationId, from: '2026-01-01', until: '2026-06-30' },
        otherDeputies[2],
      );
      await account('manager-elsewhere', { role: 'STATION_MANAGER', scopeKind: 'STATION', stationId: otherStationId, from: '2026-01-01' }, otherDeputies[3]);
      await account('auditor-summer', { role: 'AUDITOR', scopeKind: 'COUNTY', from: '2026-05-01' });
      await account('administrator', { role: 'ADMIN', scopeKind: 'COUNTY', from: '2026-01-01' });
      await account('committee', { role: 'COMMITTEE_MEMBER', scopeKind: 'COUNTY', from: '2026-01-01' }, otherDeputies[1]);
      await account('receiver', { role: 'DEPUTY', scopeKind: 'COUNTY', from: '2026-01-01' }, opinion.receivedBy);
      await account('another-deputy', { role: 'DEPUTY', scopeKind: 'COUNTY', from: '2026-01-01' }, otherDeputies[0]);

      expect(await readersOn('2026-03-01')).toEqual(['clerk', 'manager-spring', 'receiver']);
      expect(await readersOn('2026-09-01')).toEqual(['auditor-summer', 'clerk', 'receiver']);
      expect(await readersOn('2025-12-31')).toEqual([]);
      const reasons = (await ask(admin, READERS, { opinionId: opinion.opinionId, on: '2026-03-01' })).data.voterReaders;
      expect(reasons).toContainEqual({ account: { username: 'manager-spring' }, roleLabelZh: expect.any(String), reasonZh: '该意见所在家站的负责人' });
    });

    it('is for auditors and administrators only, and refuses an unknown opinion in Chinese', async () => {
      const staff = await runtime.tokens.mint({ role: 'staff' });
      expect((await ask(staff, READERS, { opinionId: opinion.opinionId })).errors?.[0]?.extensions?.code).toBe('forbidden');
      const auditor = await runtime.tokens.mint({ role: 'auditor' });
      expect((await ask(auditor, READERS, { opinionId: opinion.opinionId })).errors).toBeUndefined();
      const unknown = await ask(auditor, READERS, { opinionId: randomUUID() });
      expect(unknown.errors?.[0]?.extensions).toMatchObject({ field: 'opinionId', code: 'not-found', messageZh: '找不到这条意见' });
    });
  });
}
