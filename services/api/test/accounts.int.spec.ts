/**
 * Real people sign in, in process through yoga.fetch on the small demo county: the first install
 * with a one-time setup code, password sign-in into a server-side session, an administrator's
 * accounts and grants (a station manager granted one station reads that station's voters only and
 * acts only there), the sessions of an account (sign out the other devices, idle and absolute
 * timeouts), password hashes withheld from every reader of the log, 100 wrong passwords
 * (throttled with growing waits, locked out as an event, the same answers for an unknown name),
 * and administrators and auditors signing in with an authenticator app's code (enrolment, the
 * second step, wrong codes throttled, a reset by another administrator, other roles unaffected).
 */
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { now, setClock } from '@yingpan/domain';
import { generate } from 'otplib';
import { actorNames } from '@yingpan/projections';
import { openCountyImage } from '@yingpan/projections/testing';
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
    const RESULT = 'ok token mustChangePassword mustEnrolTotp totpRequired challenge restart retryAfterSeconds messageZh messageEn';
    const SIGN_IN = `mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) { ${RESULT} } }`;
    const signIn = async (username: string, password: string, address?: string) =>
      (await ask(null, SIGN_IN, { u: username, p: password }, address)).data.signIn;
    const TOTP_SIGN_IN = `mutation($c: String!, $code: String!) { signInWithTotp(input: { challenge: $c, code: $code }) { ${RESULT} } }`;
    const signInWithTotp = async (challenge: string, code: string, address?: string) =>
      (await ask(null, TOTP_SIGN_IN, { c: challenge, code }, address)).data.signInWithTotp;
    /**
     * The code an authenticator shows `ahead` seconds from now (the world's clock, as a phone's).
     * A step once accepted is refused again, so a test signing in again soon after takes the next one.
     */
    const codeOf = (secret: string, ahead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + ahead });
    /** Enrols an authenticator for the account of `token`: answers its secret. */
    const enrol = async (token: string): Promise<string> => {
      const begun = (await ask(token, `mutation { beginTotpEnrolment { ... on BeginTotpEnrolmentResult { data { secret uri } } } }`)).data.beginTotpEnrolment
        .data;
      const confirmed = await ask(token, `mutation($code: String!) { confirmTotpEnrolment(code: $code) { __typename ... on Rejection { code } } }`, {
        code: await codeOf(begun.secret),
      });
      expect(confirmed.data.confirmTotpEnrolment.__typename).toBe('ConfirmTotpEnrolmentResult');
      return begun.secret;
    };
    /** The first administrator's authenticator secret (enrolled at the first install). */
    let adminSecret: string;
    /** Moves the county's clock (throttling reads it) by `ms` from now. */
    const advance = (ms: number) => {
      const target = now().getTime() + ms;
      const started = Date.now();
      restoreClock?.();
      restoreClock = setClock({ now: () => new Date(target + (Date.now() - started)) });
    };

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
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
        __typename ... on CompleteFirstInstallResult { data { ok token } } ... on Rejection { code messageZh } } }`;
      const input = { setupCode: 'AAAA-BBBB-CCCC', username: 'lizhuren', displayName: '李主任', password: PASSWORD };
      expect((await ask(null, INSTALL, { input })).data.completeFirstInstall).toMatchObject({
        code: 'setup-code-invalid',
        messageZh: expect.stringMatching(/设置码/),
      });
      expect((await ask(null, INSTALL, { input: { ...input, setupCode: code, password: 'short' } })).data.completeFirstInstall.code).toBe('weak-password');
      const done = (await ask(null, INSTALL, { input: { ...input, setupCode: code } })).data.completeFirstInstall;
      expect(done.data.ok).toBe(true);
      adminToken = done.data.token;
      // An administrator's access waits for an authenticator: enrolled, the same session is the administrator's.
      expect((await ask(adminToken, '{ me { role mustEnrolTotp } setupNeeded }')).data).toEqual({
        me: { role: 'public', mustEnrolTotp: true },
        setupNeeded: false,
      });
      adminSecret = await enrol(adminToken);
      expect((await ask(adminToken, '{ me { role name mustEnrolTotp } }')).data).toEqual({ me: { role: 'admin', name: '李主任', mustEnrolTotp: false } });
      // The code is used up, and no further code is issued once an account exists.
      expect((await ask(null, INSTALL, { input: { ...input, setupCode: code, username: 'another' } })).data.completeFirstInstall.code).toBe('setup-done');
      expect(await accounts.issueSetupCode()).toBeNull();
    });

    it('signs in with the password and answers an unknown name exactly as a wrong password, in Chinese', async () => {
      const first = await signIn('LiZhuRen', PASSWORD);
      expect(first).toMatchObject({ ok: false, token: null, totpRequired: true, challenge: expect.stringMatching(/^yc_/) });
      const ok = await signInWithTotp(first.challenge, await codeOf(adminSecret, 30));
      expect(ok).toMatchObject({ ok: true, token: expect.stringMatching(/^ys_/), mustEnrolTotp: false });
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
        __typename ... on CreateAccountResult { data { accountId username personName } } ... on Rejection { code } } }`;
      const input = { username: 'zhanzhang', displayName: '站长', password: 'first password 1', personId: stationA.managerPersonId };
      // Only an administrator opens accounts.
      const staff = (await signIn('zhanzhang', 'first password 1')).ok;
      expect(staff).toBe(false);
      const created = (await ask(adminToken, CREATE, { input })).data.createAccount;
      expect(created.data).toMatchObject({ username: 'zhanzhang', personName: expect.any(String) });
      const accountId = created.data.accountId;
      expect((await ask(adminToken, CREATE, { input })).data.createAccount.code).toBe('username-taken');

      const GRANT = `mutation($input: GrantRoleInput!) { grantRole(input: $input) {
        __typename ... on GrantRoleResult { data { grants { id role scopeKind stationId holdsToday grantedBy grantedByName } } } ... on Rejection { code } } }`;
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
          grantedByName: '李主任',
        },
      ]);

      const signedIn = await signIn('zhanzhang', 'first password 1');
      expect(signedIn).toMatchObject({ ok: true, mustChangePassword: true });
      const manager = signedIn.token;
      expect((await ask(manager, '{ me { role } }')).data.me.role).toBe('station-manager');
      // A station manager may not manage accounts.
      expect((await ask(manager, '{ accounts { username } }')).errors?.[0]?.extensions?.code).toBe('forbidden');
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
        ... on RevokeRoleResult { data { grants { revokedOn revokeReason holdsToday revokedBy revokedByName } } } } }`;
      const revoked = (await ask(adminToken, REVOKE, { a: accountId, g: granted[0].id })).data.revokeRole.data.grants;
      expect(revoked).toEqual([
        { revokedOn: expect.any(String), revokeReason: '调岗', holdsToday: false, revokedBy: 'account:lizhuren', revokedByName: '李主任' },
      ]);
      expect((await ask(manager, '{ me { role } }')).data.me.role).toBe('public');
      const unserved = await ask(manager, BOOK, { id: stationA.stationId });
      expect(unserved.data?.stationBooks ?? null).toBeNull();
      expect(unserved.errors?.[0]?.extensions?.messageZh).toMatch(/\p{Script=Han}/u);
    });

    /** Opens an account with a county-wide grant of `role` (as the first administrator); answers its id. */
    const openAccount = async (username: string, displayName: string, password: string, role: string): Promise<string> => {
      const created = await ask(
        adminToken,
        `mutation($input: CreateAccountInput!) { createAccount(input: $input) { ... on CreateAccountResult { data { accountId } } ... on Rejection { code } } }`,
        { input: { username, displayName, password } },
      );
      const accountId = created.data.createAccount.data.accountId;
      const granted = await ask(
        adminToken,
        `mutation($a: ID!, $r: GrantRole!) { grantRole(input: { accountId: $a, role: $r, scopeKind: COUNTY }) { __typename } }`,
        {
          a: accountId,
          r: role,
        },
      );
      expect(granted.data.grantRole.__typename).toBe('GrantRoleResult');
      return accountId;
    };

    it('names who granted: an account by its shown name, a person by the directory, nothing for an id it does not know', async () => {
      const { rows } = await testDb.db.query<{ id: string; name: string }>(
        'SELECT person_id::text AS id, name FROM rm_directory.people ORDER BY person_id LIMIT 1',
      );
      const person = rows[0]!;
      const names = await actorNames(testDb.db, [
        'account:lizhuren',
        person.id,
        'account:nobody-here',
        'service:import',
        '00000000-0000-4000-8000-000000000000',
      ]);
      expect(Object.fromEntries(names)).toEqual({ 'account:lizhuren': '李主任', [person.id]: person.name });
    });

    /** Time passes for an account's sessions (they keep the database's time): every time of theirs moves `ms` earlier. */
    const age = (accountId: string, ms: number) =>
      testDb.db.query(
        `UPDATE yingpan_auth.sessions SET created_at = created_at - $2 * interval '1 millisecond', last_seen_at = last_seen_at - $2 * interval '1 millisecond',
                expires_at = expires_at - $2 * interval '1 millisecond' WHERE account_id = $1`,
        [accountId, ms],
      );

    it('lists the devices, signs the others out, and ends sessions idle too long or too old', async () => {
      const accountId = await openAccount('wenshu', '文书', PASSWORD, 'STAFF');
      const phone = (await signIn('wenshu', PASSWORD)).token;
      const desk = (await signIn('wenshu', PASSWORD)).token;
      const SESSIONS = '{ myAccount { sessions { id current } } }';
      expect((await ask(desk, SESSIONS)).data.myAccount.sessions.length).toBeGreaterThanOrEqual(2);
      expect(
        (await ask(desk, 'mutation { signOutOtherDevices { ... on SignOutOtherDevicesResult { data } } }')).data.signOutOtherDevices.data,
      ).toBeGreaterThanOrEqual(1);
      const refused = await ask(phone, '{ me { role } }');
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.extensions?.messageZh).toBe('登录已失效，请重新登录');
      expect((await ask(desk, SESSIONS)).data.myAccount.sessions).toEqual([{ id: expect.any(String), current: true }]);

      await age(accountId, (accounts.sessions.idleMinutes - 5) * 60_000);
      expect((await ask(desk, '{ me { role } }')).status).toBe(200); // used: idle time starts again
      await age(accountId, (accounts.sessions.idleMinutes + 1) * 60_000);
      expect((await ask(desk, '{ me { role } }')).status).toBe(401);

      const fresh = (await signIn('wenshu', PASSWORD)).token;
      for (let hours = 1; hours < accounts.sessions.absoluteHours; hours++) {
        await age(accountId, 60 * 60_000);
        expect((await ask(fresh, '{ me { role } }')).status).toBe(200);
      }
      await age(accountId, 61 * 60_000);
      expect((await ask(fresh, '{ me { role } }')).status).toBe(401);
    });

    it('dates a session by the database’s clock, not the county’s day (YINGPAN_TODAY, the tests’ clock)', async () => {
      await openAccount('jiluyuan', '记录员', PASSWORD, 'STAFF');
      const dbNow = async () => new Date((await testDb.db.query<{ now: Date | string }>('SELECT now()')).rows[0]!.now).getTime();
      // The county's clock a year ahead of its test day: a session dated by it would fall far outside
      // the database's moments around the sign-in.
      advance(365 * 24 * 3_600_000);
      const before = await dbNow();
      const token = (await signIn('jiluyuan', PASSWORD)).token;
      const after = await dbNow();
      expect(Math.abs(now().getTime() - before)).toBeGreaterThan(24 * 3_600_000);
      const [session] = (await ask(token, '{ myAccount { sessions { createdAt lastSeenAt expiresAt } } }')).data.myAccount.sessions;
      for (const at of [session.createdAt, session.lastSeenAt]) {
        expect(Date.parse(at)).toBeGreaterThanOrEqual(before);
        expect(Date.parse(at)).toBeLessThanOrEqual(after);
      }
      expect(Date.parse(session.expiresAt) - Date.parse(session.createdAt)).toBe(accounts.sessions.absoluteHours * 3_600_000);
    });

    it('withholds password hashes from every reader of the log, auditors and administrators alike', async () => {
      const answer = await ask(adminToken, `{ events(first: 20, filter: { types: ["PasswordSet", "PasswordReset"] }) { edges { node { type data } } } }`);
      expect(answer.errors).toBeUndefined();
      const edges = answer.data.events.edges as { node: { type: string; data: Record<string, unknown> } }[];
      expect(edges.length).toBeGreaterThanOrEqual(2);
      for (const { node } of edges) expect(node.data.passwordHash).toEqual({ withheld: true });
      expect(JSON.stringify(answer)).not.toContain('$argon2id$');
    });

    it('throttles 100 wrong passwords with growing waits, locks the account out as an event, and answers an unknown name the same', async () => {
      // Each run stands still on the clock but for the waits it sits out, so the two see the same waits
      // however long the machine takes to answer (a second passing mid-run turned 900 s into 899).
      const run = async (username: string, address: string) => {
        let at = now().getTime();
        restoreClock?.();
        restoreClock = setClock({ now: () => new Date(at) });
        const answers: { ok: boolean; retryAfterSeconds: number | null; messageZh: string }[] = [];
        for (let attempt = 0; attempt < 100; attempt++) {
          const answer = await signIn(username, `wrong password ${attempt}`, address);
          answers.push({ ok: answer.ok, retryAfterSeconds: answer.retryAfterSeconds, messageZh: answer.messageZh });
          // Every 10th attempt waits out the delay it was given, so the failures keep counting.
          if (attempt % 10 === 9 && answer.retryAfterSeconds) at += (answer.retryAfterSeconds + 1) * 1000;
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
      expect(reset.data.resetPassword.__typename).toBe('ResetPasswordResult');
      expect((await signIn('zhanzhang', 'a new password 2', '10.1.0.9')).ok).toBe(true);
    });

    describe('an auditor with an authenticator app', () => {
      const AUDITOR_PASSWORD = 'auditor password 3';
      const EVENTS = '{ events(first: 1) { edges { node { type } } } }';
      let auditorId: string;
      let secret: string;
      /** The code that confirmed the enrolment. */
      let enrolmentCode: string;
      /** The auditor signed in with password and code. */
      let auditorSession: string;

      it('is the public until an authenticator is enrolled, and enrolling needs a right code', async () => {
        auditorId = await openAccount('shenji', '审计员', AUDITOR_PASSWORD, 'AUDITOR');
        const first = await signIn('shenji', AUDITOR_PASSWORD, '10.2.0.1');
        expect(first).toMatchObject({ ok: true, mustEnrolTotp: true, totpRequired: false });
        const token = first.token;
        expect((await ask(token, '{ me { role mustEnrolTotp } myAccount { totpRequired account { username totpEnrolled } } }')).data).toEqual({
          me: { role: 'public', mustEnrolTotp: true },
          myAccount: { totpRequired: true, account: { username: 'shenji', totpEnrolled: false } },
        });
        // The auditor's access is withheld, and the answer says how to get it.
        const withheld = await ask(token, EVENTS);
        expect(withheld.errors?.[0]?.extensions).toMatchObject({ code: 'totp-enrolment-required', messageZh: expect.stringMatching(/身份验证器/) });

        const BEGIN = `mutation { beginTotpEnrolment { ... on BeginTotpEnrolmentResult { data { secret uri } } ... on Rejection { code } } }`;
        const begun = (await ask(token, BEGIN)).data.beginTotpEnrolment.data;
        expect(begun.secret).toMatch(/^[A-Z2-7]{32}$/);
        expect(begun.uri).toBe(`otpauth://totp/%E8%90%A5%E7%9B%98:shenji?secret=${begun.secret}&issuer=%E8%90%A5%E7%9B%98`);
        // Shown again (a reload of the page) it is the same secret, until confirmed.
        expect((await ask(token, BEGIN)).data.beginTotpEnrolment.data.secret).toBe(begun.secret);
        secret = begun.secret;

        const CONFIRM = `mutation($code: String!) { confirmTotpEnrolment(code: $code) { __typename ... on Rejection { code messageZh } } }`;
        const wrongCode = String((Number(await codeOf(secret)) + 1) % 1_000_000).padStart(6, '0');
        expect((await ask(token, CONFIRM, { code: wrongCode })).data.confirmTotpEnrolment).toMatchObject({
          code: 'totp-wrong-code',
          messageZh: expect.stringMatching(/动态码不正确/),
        });
        enrolmentCode = await codeOf(secret);
        expect((await ask(token, CONFIRM, { code: enrolmentCode })).data.confirmTotpEnrolment.__typename).toBe('ConfirmTotpEnrolmentResult');
        expect((await ask(token, '{ me { role mustEnrolTotp } }')).data.me).toEqual({ role: 'auditor', mustEnrolTotp: false });
        expect((await ask(token, EVENTS)).errors).toBeUndefined();
        expect((await ask(token, BEGIN)).data.beginTotpEnrolment.code).toBe('totp-enrolled');

        // The log says that it was enrolled, never with what: the secret is in no event.
        const enrolled = await ask(token, `{ events(first: 5, filter: { types: ["TotpEnrolled"] }) { edges { node { data } } } }`);
        expect(enrolled.data.events.edges.map((edge: any) => edge.node.data)).toContainEqual({ accountId: auditorId });
        const { rows } = await testDb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM yingpan.events WHERE strpos(data::text, $1) > 0`, [secret]);
        expect(rows[0]!.n).toBe(0);
      });

      it('signs in with the password and then the code; the code alone or once more does not', async () => {
        const first = await signIn('shenji', AUDITOR_PASSWORD, '10.2.0.2');
        expect(first).toMatchObject({ ok: false, token: null, totpRequired: true, messageZh: '请输入身份验证器上的 6 位动态码' });
        // The code accepted at enrolment is spent (the very code: one computed now may belong to a later step).
        const replayed = await signInWithTotp(first.challenge, enrolmentCode, '10.2.0.2');
        expect(replayed).toMatchObject({ ok: false, token: null, messageZh: expect.stringMatching(/^动态码错误/) });
        expect(await signInWithTotp('yc_made-up', await codeOf(secret, 30), '10.2.0.2')).toMatchObject({ ok: false, restart: true });
        const code = await codeOf(secret, 30);
        const done = await signInWithTotp(first.challenge, code, '10.2.0.2');
        expect(done).toMatchObject({ ok: true, token: expect.stringMatching(/^ys_/), mustEnrolTotp: false });
        expect((await ask(done.token, '{ me { role } }')).data.me.role).toBe('auditor');
        auditorSession = done.token;
        // Used: neither the challenge nor the code signs in again.
        expect(await signInWithTotp(first.challenge, code, '10.2.0.2')).toMatchObject({ ok: false, restart: true });
        const again = await signIn('shenji', AUDITOR_PASSWORD, '10.2.0.2');
        expect((await signInWithTotp(again.challenge, code, '10.2.0.2')).ok).toBe(false);
      });

      it('counts wrong codes as failed sign-ins: growing waits, then a lock-out in the log', async () => {
        const { rows: before } = await testDb.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM yingpan.events WHERE type = 'SignInLockedOut' AND data->>'accountId' = $1`,
          [auditorId],
        );
        // Wrong codes, each waiting out the wait it was given; a challenge used up (5 tries) is asked again with the password.
        const answers: { ok: boolean; retryAfterSeconds: number | null }[] = [];
        let challenge: string | null = null;
        for (let turn = 0; turn < 40 && answers.length < 16; turn++) {
          let answer: { ok: boolean; restart: boolean; totpRequired: boolean; challenge: string | null; retryAfterSeconds: number | null };
          if (challenge === null) {
            answer = await signIn('shenji', AUDITOR_PASSWORD, '10.2.0.3');
            if (answer.totpRequired) challenge = answer.challenge;
          }
          if (challenge !== null) {
            answer = await signInWithTotp(challenge, '000000', '10.2.0.3');
            if (answer.restart) {
              challenge = null;
              continue;
            }
          }
          answers.push({ ok: answer!.ok, retryAfterSeconds: answer!.retryAfterSeconds });
          if (answer!.retryAfterSeconds) advance((answer!.retryAfterSeconds + 1) * 1000);
        }
        expect(answers).toHaveLength(16);
        expect(answers.every((answer) => !answer.ok)).toBe(true);
        // The first are heard (one wrong code was counted before); past five failures each doubles the wait.
        expect(answers.slice(0, 4).every((answer) => answer.retryAfterSeconds === null)).toBe(true);
        const waits = answers.map((answer) => answer.retryAfterSeconds).filter((wait) => wait !== null);
        expect(waits.slice(0, 4)).toEqual([2, 4, 8, 16]);
        const { rows: after } = await testDb.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM yingpan.events WHERE type = 'SignInLockedOut' AND data->>'accountId' = $1`,
          [auditorId],
        );
        expect(after[0]!.n).toBeGreaterThan(before[0]!.n);
        // One more wrong code locks it again: now even the right password waits.
        const last = await signIn('shenji', AUDITOR_PASSWORD, '10.2.0.4');
        expect(last.totpRequired).toBe(true);
        expect((await signInWithTotp(last.challenge, '000000', '10.2.0.4')).ok).toBe(false);
        const locked = await signIn('shenji', AUDITOR_PASSWORD, '10.2.0.4');
        expect(locked).toMatchObject({ ok: false, token: null, totpRequired: false });
        expect(locked.retryAfterSeconds).toBeGreaterThan(14 * 60);
      });

      it('an administrator resets a lost authenticator: in the log, its devices signed out, enrolment asked again', async () => {
        const staff = (await signIn('wenshu', PASSWORD, '10.2.0.5')).token;
        const RESET = `mutation($a: ID!, $r: String) { resetTotp(accountId: $a, reason: $r) {
          __typename ... on ResetTotpResult { data { totpEnrolled } } ... on Rejection { code messageZh } } }`;
        expect((await ask(staff, RESET, { a: auditorId, r: null })).data.resetTotp.code).toBe('forbidden');
        const { rows: ids } = await testDb.db.query<{ id: string }>(`SELECT account_id AS id FROM rm_accounts.accounts WHERE username = 'lizhuren'`);
        expect((await ask(adminToken, RESET, { a: ids[0]!.id, r: null })).data.resetTotp.code).toBe('own-account');

        expect((await ask(auditorSession, '{ me { role } }')).data.me.role).toBe('auditor');
        const reset = (await ask(adminToken, RESET, { a: auditorId, r: '手机遗失' })).data.resetTotp;
        expect(reset).toEqual({ __typename: 'ResetTotpResult', data: { totpEnrolled: false } });
        expect((await ask(auditorSession, '{ me { role } }')).status).toBe(401);
        const { rows } = await testDb.db.query<{ data: Record<string, unknown> }>(
          `SELECT data FROM yingpan.events WHERE type = 'TotpReset' AND data->>'accountId' = $1`,
          [auditorId],
        );
        expect(rows.map((row) => row.data)).toEqual([{ accountId: auditorId, reason: '手机遗失' }]);
        expect((await ask(adminToken, RESET, { a: auditorId, r: null })).data.resetTotp.code).toBe('totp-not-enrolled');

        // A reset does not lift the lock-out of the wrong codes before: waited out, the password alone signs in, to enrol again.
        const { rows: lock } = await testDb.db.query<{ until: Date }>(
          `SELECT greatest((SELECT locked_until FROM rm_accounts.accounts WHERE username = 'shenji'),
                           (SELECT max(blocked_until) FROM yingpan_auth.sign_in_failures WHERE key = 'user:shenji')) AS until`,
        );
        advance(new Date(lock[0]!.until).getTime() - now().getTime() + 60_000);
        const after = await signIn('shenji', AUDITOR_PASSWORD, '10.2.0.6');
        expect(after).toMatchObject({ ok: true, mustEnrolTotp: true });
        expect((await ask(after.token, '{ me { role } }')).data.me.role).toBe('public');
      });

      it('leaves the other roles as they were: staff sign in with the password alone', async () => {
        const staff = await signIn('wenshu', PASSWORD, '10.2.0.7');
        expect(staff).toMatchObject({ ok: true, mustEnrolTotp: false, totpRequired: false, challenge: null });
        expect((await ask(staff.token, '{ me { role mustEnrolTotp } myAccount { totpRequired } }')).data).toEqual({
          me: { role: 'staff', mustEnrolTotp: false },
          myAccount: { totpRequired: false },
        });
      });
    });
  });
}
