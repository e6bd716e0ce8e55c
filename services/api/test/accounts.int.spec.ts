/**
 * Real people sign in, in process through yoga.fetch on the small demo county: the first install
 * with a one-time setup code, password sign-in into a server-side session, an administrator's
 * accounts and grants (a station manager granted one station reads that station's voters only and
 * acts only there), the sessions of an account (sign out the other devices, idle and absolute
 * timeouts), password hashes withheld from every reader of the log, and 100 wrong passwords
 * (throttled with growing waits, locked out as an event, the same answers for an unknown name).
 */
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { now, setClock } from '@yingpan/domain';
import { seedCountyFixture } from '@yingpan/seed/fixture';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { accountServiceFor, type AccountService } from '../src/auth-accounts.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';

type Answer = { status: number; data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };

const PASSWORD = 'correct horse 电池';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`accounts and sign-in on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let accounts: AccountService;
    let adminToken: string;
    /** Two stations with an opinion each, and the manager of the first. */
    let stationA: { stationId: string; managerPersonId: string };
    let stationB: { stationId: string };
    let restoreClock: (() => void) | null = null;

    const ask = async (token: string | null, query: string, variables: Record<string, unknown> = {}, address = '10.0.0.1'): Promise<Answer> => {
      const response = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': address,
          'user-agent': 'test browser',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
    };
    const SIGN_IN = `mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) { ok token mustChangePassword retryAfterSeconds messageZh messageEn } }`;
    const signIn = async (username: string, password: string, address?: string) =>
      (await ask(null, SIGN_IN, { u: username, p: password }, address)).data.signIn;
    /** Moves the county's clock (sessions and throttling read it) by `ms` from now. */
    const advance = (ms: number) => {
      const target = now().getTime() + ms;
      const started = Date.now();
      restoreClock?.();
      restoreClock = setClock({ now: () => new Date(target + (Date.now() - started)) });
    };

    beforeAll(async () => {
      testDb = await target.open();
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await seedCountyFixture(runtime.store, { seed: 4, scale: 'small' });
      await runtime.projector.catchUp();
      runtime.startProjector();
      yoga = createApp(runtime);
      accounts = accountServiceFor(runtime);
      await accounts.prepare();
      const { rows } = await testDb.db.query<{ stationId: string; managerPersonId: string }>(
        `SELECT DISTINCT ON (stream_id) data->>'stationId' AS "stationId", data->>'managerPersonId' AS "managerPersonId"
           FROM yingpan.events WHERE type = 'StationManagerAssigned'
            AND data->>'stationId' IN (SELECT data->>'stationId' FROM yingpan.events WHERE type = 'OpinionRegistered')
          ORDER BY stream_id, position DESC`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(2);
      stationA = rows[0]!;
      stationB = rows.find((row) => row.managerPersonId !== stationA.managerPersonId) ?? rows[1]!;
    }, 600_000);
    afterEach(() => {
      restoreClock?.();
      restoreClock = null;
    });
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    it('creates the first administrator only with the one-time setup code, never with a default password', async () => {
      expect((await ask(null, '{ setupNeeded }')).data.setupNeeded).toBe(true);
      expect((await signIn('admin', 'admin')).ok).toBe(false);
      const code = (await accounts.issueSetupCode())!;
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      const INSTALL = `mutation($input: FirstInstallInput!) { completeFirstInstall(input: $input) {
        __typename ... on MutationCompleteFirstInstallSuccess { data { ok token } } ... on Rejection { code messageZh } } }`;
      const input = { setupCode: 'AAAA-BBBB-CCCC', username: 'lizhuren', displayName: '李主任', password: PASSWORD };
      expect((await ask(null, INSTALL, { input })).data.completeFirstInstall).toMatchObject({
        code: 'setup-code-invalid',
        messageZh: expect.stringMatching(/设置码/),
      });
      expect((await ask(null, INSTALL, { input: { ...input, setupCode: code, password: 'short' } })).data.completeFirstInstall.code).toBe('weak-password');
      const done = (await ask(null, INSTALL, { input: { ...input, setupCode: code } })).data.completeFirstInstall;
      expect(done.data.ok).toBe(true);
      adminToken = done.data.token;
      expect((await ask(adminToken, '{ me { role name } setupNeeded }')).data).toEqual({ me: { role: 'admin', name: '李主任' }, setupNeeded: false });
      // The code is used up, and no further code is issued once an account exists.
      expect((await ask(null, INSTALL, { input: { ...input, setupCode: code, username: 'another' } })).data.completeFirstInstall.code).toBe('setup-done');
      expect(await accounts.issueSetupCode()).toBeNull();
    });

    it('signs in with the password and answers an unknown name exactly as a wrong password, in Chinese', async () => {
      const ok = await signIn('LiZhuRen', PASSWORD);
      expect(ok).toMatchObject({ ok: true, token: expect.stringMatching(/^ys_/) });
      const wrong = await signIn('lizhuren', 'not the password', '10.0.0.2');
      const unknown = await signIn('nobody-here', 'not the password', '10.0.0.2');
      expect(wrong).toEqual(unknown);
      expect(wrong).toMatchObject({ ok: false, token: null, messageZh: '用户名或密码错误' });
      const mine = (await ask(ok.token, '{ myAccount { account { username displayName } sessions { current userAgent address } } }')).data.myAccount;
      expect(mine.account).toEqual({ username: 'lizhuren', displayName: '李主任' });
      expect(mine.sessions).toContainEqual({ current: true, userAgent: 'test browser', address: '10.0.0.1' });
    });

    it('grants a station manager one station: they read and act at that station only', async () => {
      const CREATE = `mutation($input: CreateAccountInput!) { createAccount(input: $input) {
        __typename ... on MutationCreateAccountSuccess { data { id username personName } } ... on Rejection { code } } }`;
      const input = { username: 'zhanzhang', displayName: '站长', password: 'first password 1', personId: stationA.managerPersonId };
      // Only an administrator opens accounts.
      const staff = (await signIn('zhanzhang', 'first password 1')).ok;
      expect(staff).toBe(false);
      const created = (await ask(adminToken, CREATE, { input })).data.createAccount;
      expect(created.data).toMatchObject({ username: 'zhanzhang', personName: expect.any(String) });
      const accountId = created.data.id;
      expect((await ask(adminToken, CREATE, { input })).data.createAccount.code).toBe('username-taken');

      const GRANT = `mutation($input: GrantRoleInput!) { grantRole(input: $input) {
        __typename ... on MutationGrantRoleSuccess { data { grants { id role scopeKind stationId holdsToday grantedBy } } } ... on Rejection { code } } }`;
      const granted = (await ask(adminToken, GRANT, { input: { accountId, role: 'STATION_MANAGER', scopeKind: 'STATION', stationId: stationA.stationId } }))
        .data.grantRole.data.grants;
      expect(granted).toEqual([
        {
          id: expect.any(String),
          role: 'STATION_MANAGER',
          scopeKind: 'STATION',
          stationId: stationA.stationId,
          holdsToday: true,
          grantedBy: 'account:lizhuren',
        },
      ]);

      const signedIn = await signIn('zhanzhang', 'first password 1');
      expect(signedIn).toMatchObject({ ok: true, mustChangePassword: true });
      const manager = signedIn.token;
      expect((await ask(manager, '{ me { role } }')).data.me.role).toBe('station-manager');
      // A station manager may not manage accounts.
      expect((await ask(manager, '{ accounts { username } }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await ask(manager, CREATE, { input: { ...input, username: 'sneaky' } })).data.createAccount.code).toBe('forbidden');

      const BOOK = `query($id: ID!) { stationBooks(stationId: $id) { opinions(first: 100) { edges { node { voter { name } } } } } }`;
      const voters = async (stationId: string) =>
        ((await ask(manager, BOOK, { id: stationId })).data.stationBooks.opinions.edges as { node: { voter: { name: string } | null } }[]).map(
          (edge) => edge.node.voter,
        );
      const own = await voters(stationA.stationId);
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((voter) => voter !== null)).toBe(true);
      const other = await voters(stationB.stationId);
      expect(other.length).toBeGreaterThan(0);
      expect(other.every((voter) => voter === null)).toBe(true);

      // Revoked: the same session is the public's from then on (no grant holds).
      const REVOKE = `mutation($a: ID!, $g: ID!) { revokeRole(accountId: $a, grantId: $g, reason: "调岗") {
        ... on MutationRevokeRoleSuccess { data { grants { revokedOn revokeReason holdsToday } } } } }`;
      const revoked = (await ask(adminToken, REVOKE, { a: accountId, g: granted[0].id })).data.revokeRole.data.grants;
      expect(revoked).toEqual([{ revokedOn: expect.any(String), revokeReason: '调岗', holdsToday: false }]);
      expect((await ask(manager, '{ me { role } }')).data.me.role).toBe('public');
      const unserved = await ask(manager, BOOK, { id: stationA.stationId });
      expect(unserved.data?.stationBooks ?? null).toBeNull();
      expect(unserved.errors?.[0]?.extensions?.messageZh).toMatch(/\p{Script=Han}/u);
    });

    it('lists the devices, signs the others out, and ends sessions idle too long or too old', async () => {
      const phone = (await signIn('lizhuren', PASSWORD)).token;
      const desk = (await signIn('lizhuren', PASSWORD)).token;
      const SESSIONS = '{ myAccount { sessions { id current } } }';
      expect((await ask(desk, SESSIONS)).data.myAccount.sessions.length).toBeGreaterThanOrEqual(2);
      expect(
        (await ask(desk, 'mutation { signOutOtherDevices { ... on MutationSignOutOtherDevicesSuccess { data } } }')).data.signOutOtherDevices.data,
      ).toBeGreaterThanOrEqual(1);
      const refused = await ask(phone, '{ me { role } }');
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.extensions?.messageZh).toBe('登录已失效，请重新登录');
      expect((await ask(desk, SESSIONS)).data.myAccount.sessions).toEqual([{ id: expect.any(String), current: true }]);
      adminToken = desk;

      advance((accounts.sessions.idleMinutes - 5) * 60_000);
      expect((await ask(desk, '{ me { role } }')).status).toBe(200); // used: idle time starts again
      advance((accounts.sessions.idleMinutes + 1) * 60_000);
      expect((await ask(desk, '{ me { role } }')).status).toBe(401);

      const fresh = (await signIn('lizhuren', PASSWORD)).token;
      for (let hours = 1; hours < accounts.sessions.absoluteHours; hours++) {
        advance(60 * 60_000);
        expect((await ask(fresh, '{ me { role } }')).status).toBe(200);
      }
      advance(61 * 60_000);
      expect((await ask(fresh, '{ me { role } }')).status).toBe(401);
    });

    it('withholds password hashes from every reader of the log, auditors and administrators alike', async () => {
      adminToken = (await signIn('lizhuren', PASSWORD)).token;
      const answer = await ask(adminToken, `{ events(first: 20, filter: { types: ["PasswordSet", "PasswordReset"] }) { edges { node { type data } } } }`);
      expect(answer.errors).toBeUndefined();
      const edges = answer.data.events.edges as { node: { type: string; data: Record<string, unknown> } }[];
      expect(edges.length).toBeGreaterThanOrEqual(2);
      for (const { node } of edges) expect(node.data.passwordHash).toEqual({ withheld: true });
      expect(JSON.stringify(answer)).not.toContain('$argon2id$');
    });

    it('throttles 100 wrong passwords with growing waits, locks the account out as an event, and answers an unknown name the same', async () => {
      const run = async (username: string, address: string) => {
        const answers: { ok: boolean; retryAfterSeconds: number | null; messageZh: string }[] = [];
        for (let attempt = 0; attempt < 100; attempt++) {
          const answer = await signIn(username, `wrong password ${attempt}`, address);
          answers.push({ ok: answer.ok, retryAfterSeconds: answer.retryAfterSeconds, messageZh: answer.messageZh });
          // Every 10th attempt waits out the delay it was given, so the failures keep counting.
          if (attempt % 10 === 9 && answer.retryAfterSeconds) advance((answer.retryAfterSeconds + 1) * 1000);
        }
        return answers;
      };
      const known = await run('zhanzhang', '10.1.0.1');
      restoreClock?.();
      restoreClock = null;
      const unknown = await run('no-such-clerk', '10.1.0.2');
      expect(unknown).toEqual(known);
      expect(known.every((answer) => !answer.ok)).toBe(true);
      // The first six are heard (the sixth starts a wait of 2 s), and each failure after doubles the wait.
      expect(known.slice(0, 6).every((answer) => answer.retryAfterSeconds === null && answer.messageZh === '用户名或密码错误')).toBe(true);
      expect(known[6]).toMatchObject({ retryAfterSeconds: expect.any(Number), messageZh: expect.stringMatching(/^尝试次数过多，请 .+后再试$/) });
      const waits = known.map((answer) => answer.retryAfterSeconds ?? 0);
      expect(Math.max(...waits)).toBeGreaterThanOrEqual(60);

      const { rows } = await testDb.db.query<{ type: string; data: { failures: number } }>(
        `SELECT type, data FROM yingpan.events WHERE type = 'SignInLockedOut' ORDER BY position`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(1);
      expect(rows[0]!.data.failures).toBeGreaterThanOrEqual(10);
      // One more wrong password locks it again: now even the right password waits; an administrator's reset lifts it.
      expect(await signIn('zhanzhang', 'still wrong', '10.1.0.9')).toMatchObject({ ok: false, messageZh: '用户名或密码错误' });
      const locked = await signIn('zhanzhang', 'first password 1', '10.1.0.9');
      expect(locked).toMatchObject({ ok: false, token: null });
      expect(locked.retryAfterSeconds).toBeGreaterThan(14 * 60);
      const { rows: ids } = await testDb.db.query<{ id: string }>(`SELECT account_id AS id FROM rm_accounts.accounts WHERE username = 'zhanzhang'`);
      const reset = await ask(adminToken, `mutation($a: ID!) { resetPassword(accountId: $a, password: "a new password 2") { __typename } }`, { a: ids[0]!.id });
      expect(reset.data.resetPassword.__typename).toBe('MutationResetPasswordSuccess');
      expect((await signIn('zhanzhang', 'a new password 2', '10.1.0.9')).ok).toBe(true);
    });
  });
}
