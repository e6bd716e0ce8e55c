/**
 * Sign-in through a single sign-on provider, against a real OpenID Connect provider (`oidc-provider`,
 * started here on a loopback port: oidc-testing.ts) and its own login and consent pages: an
 * administrator links an account to an identity; that identity signs in to the same kind of session
 * as a password does; an identity linked to nothing, or to an account without grants, gets one
 * answer that names no account; a wrong state, an answer brought by another browser, a replayed
 * answer and a replayed code are refused; a locked-out account is refused; an administrator with an
 * authenticator still gives its code.
 */
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { now } from '@yingpan/domain';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { accountServiceFor, type AccountService } from '../src/auth-accounts.ts';
import { FLOW_INVALID, SsoService, UNKNOWN_IDENTITY } from '../src/auth-sso.ts';
import { signInAtProvider, startTestIdentityProvider, TEST_PROVIDER_LABEL, type TestIdentityProvider } from '../src/oidc-testing.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { tokenFor } from './graphql-client.ts';

type Answer = { status: number; data?: any; errors?: { message: string }[] };

const REDIRECT_URL = 'http://web.test/login/sso/callback';
const PASSWORD = 'correct horse 电池';
const RESULT = 'ok token mustEnrolTotp totpRequired challenge retryAfterSeconds messageZh messageEn';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`single sign-on on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let accounts: AccountService;
    let provider: TestIdentityProvider;
    let adminToken: string;
    const admin = { personId: 'test-admin', role: 'admin' as const, name: null };

    const ask = async (token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<Answer> => {
      const response = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': '10.0.0.9',
          'user-agent': 'test browser',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
    };
    const begin = async (): Promise<{ url: string; binding: string }> => {
      const answer = await ask(null, `mutation { beginSingleSignOn { __typename ... on BeginSingleSignOnResult { data { url binding } } } }`);
      return answer.data.beginSingleSignOn.data;
    };
    const complete = async (query: string, binding: string) =>
      (
        await ask(null, `mutation($input: CompleteSingleSignOnInput!) { completeSingleSignOn(input: $input) { ${RESULT} } }`, {
          input: { query, binding },
        })
      ).data.completeSingleSignOn;
    /** The whole flow as `login` at the provider: the callback it answered, the binding, and the outcome. */
    const signInAs = async (login: string) => {
      const { url, binding } = await begin();
      const callback = await signInAtProvider(url, login);
      return { callback, binding, result: await complete(callback.search, binding) };
    };
    const link = (accountId: string, value: string) =>
      ask(
        adminToken,
        `mutation($a: ID!, $v: String!) { linkAccountToSingleSignOn(accountId: $a, value: $v) {
          __typename ... on LinkAccountToSingleSignOnResult { data { username singleSignOnIdentity } } ... on Rejection { code messageZh } } }`,
        { a: accountId, v: value },
      );
    const staffAccount = async (username: string, displayName: string, grant = true) => {
      const accountId = await accounts.createAccount(admin, { username, displayName, password: PASSWORD });
      if (grant) await accounts.grantRole(admin, { accountId, role: 'staff', scope: { kind: 'county' } });
      return accountId;
    };

    beforeAll(async () => {
      provider = await startTestIdentityProvider({ redirectUrl: REDIRECT_URL });
      testDb = await target.open();
      runtime = await openRuntime({ dataDir: 'unused', oidc: provider.settings() }, testDb.db);
      runtime.startProjector();
      yoga = createApp(runtime);
      accounts = accountServiceFor(runtime);
      await accounts.prepare();
      adminToken = await tokenFor(runtime, 'admin');
    }, 120_000);
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
      await provider?.close();
    });

    it('names the provider for the sign-in page, and nothing when none is configured', async () => {
      expect((await ask(null, '{ singleSignOn { label claim } }')).data.singleSignOn).toEqual({ label: TEST_PROVIDER_LABEL, claim: 'preferred_username' });
      const none = new SsoService({ db: testDb.db, bus: runtime.commands, accounts, settings: null, waitForProjections: async () => {} });
      expect(none.provider).toBeNull();
      expect(await none.complete({ query: '?code=x&state=y', binding: 'b', address: '', userAgent: '' })).toMatchObject({ ok: false });
    });

    it('signs an identity an administrator linked in to its account, with a session like a password sign-in', async () => {
      const accountId = await staffAccount('zhangsan', '张三');
      expect((await link(accountId, 'zs-gov')).data.linkAccountToSingleSignOn.data).toEqual({ username: 'zhangsan', singleSignOnIdentity: 'zs-gov' });
      const { url } = await begin();
      // Authorization code with PKCE, state and nonce.
      const sent = new URL(url);
      expect(sent.origin).toBe(provider.issuer);
      expect(Object.fromEntries(sent.searchParams)).toMatchObject({
        response_type: 'code',
        client_id: 'yingpan',
        redirect_uri: REDIRECT_URL,
        code_challenge_method: 'S256',
        code_challenge: expect.stringMatching(/^[\w-]{43}$/),
        state: expect.any(String),
        nonce: expect.any(String),
      });
      const { result } = await signInAs('zs-gov');
      expect(result).toMatchObject({ ok: true, token: expect.stringMatching(/^ys_/), totpRequired: false });
      const mine = (await ask(result.token, '{ me { role name } myAccount { account { username } sessions { current userAgent } } }')).data;
      expect(mine.me).toEqual({ role: 'staff', name: '张三' });
      expect(mine.myAccount.account.username).toBe('zhangsan');
      expect(mine.myAccount.sessions).toContainEqual({ current: true, userAgent: 'test browser' });
      // Signing out ends it as it ends a password session.
      expect((await ask(result.token, 'mutation { signOut }')).data.signOut).toBe(true);
      expect((await ask(result.token, '{ me { role } }')).status).toBe(401);
    });

    it('answers every identity that signs in to no account alike, in Chinese, naming no account', async () => {
      // Nobody linked; a user name of this system (not linked); an account linked but granted nothing today.
      await staffAccount('lisi', '李四');
      const idle = await staffAccount('wangwu', '王五', false);
      expect((await link(idle, 'ww-gov')).data.linkAccountToSingleSignOn.__typename).toBe('LinkAccountToSingleSignOnResult');
      const answers = [(await signInAs('nobody-gov')).result, (await signInAs('lisi')).result, (await signInAs('ww-gov')).result];
      for (const answer of answers) {
        expect(answer).toEqual({
          ok: false,
          token: null,
          mustEnrolTotp: false,
          totpRequired: false,
          challenge: null,
          retryAfterSeconds: null,
          messageZh: UNKNOWN_IDENTITY.messageZh,
          messageEn: UNKNOWN_IDENTITY.messageEn,
        });
      }
      expect(UNKNOWN_IDENTITY.messageZh).toMatch(/未关联/);
      expect(UNKNOWN_IDENTITY.messageZh).not.toMatch(/lisi|王五|wangwu/);
    });

    it('refuses a wrong state, and an answer brought back by another browser', async () => {
      const { url, binding } = await begin();
      const callback = await signInAtProvider(url, 'zs-gov');
      const forged = new URL(callback);
      forged.searchParams.set('state', 'not-the-state-we-sent');
      expect(await complete(forged.search, binding)).toMatchObject({ ok: false, token: null, messageZh: FLOW_INVALID.messageZh });
      expect(await complete(callback.search.replace(/state=[^&]*/, ''), binding)).toMatchObject({ ok: false, messageZh: FLOW_INVALID.messageZh });
      // The right state with another browser's binding: refused, and the flow is spent.
      expect(await complete(callback.search, 'another-browser')).toMatchObject({ ok: false, token: null, messageZh: FLOW_INVALID.messageZh });
      expect(await complete(callback.search, binding)).toMatchObject({ ok: false, token: null, messageZh: FLOW_INVALID.messageZh });
    });

    it('refuses a replayed answer and a replayed code', async () => {
      const first = await signInAs('zs-gov');
      expect(first.result.ok).toBe(true);
      // The same answer again: its flow is used.
      expect(await complete(first.callback.search, first.binding)).toMatchObject({ ok: false, token: null, messageZh: FLOW_INVALID.messageZh });
      // The used code under a fresh flow's state: the provider refuses it (used, and not this flow's PKCE verifier).
      const fresh = await begin();
      const state = new URL(fresh.url).searchParams.get('state')!;
      const replay = new URL(first.callback);
      replay.searchParams.set('state', state);
      const refused = await complete(replay.search, fresh.binding);
      expect(refused).toMatchObject({ ok: false, token: null, messageZh: expect.stringMatching(/统一身份认证未能完成登录/) });
    });

    it('lets an administrator move, refuse and remove a link', async () => {
      const accountId = await staffAccount('zhaoliu', '赵六');
      // One identity signs in to one account.
      const taken = (await link(accountId, 'zs-gov')).data.linkAccountToSingleSignOn;
      expect(taken).toMatchObject({ code: 'identity-taken', messageZh: expect.stringMatching(/另一账户/) });
      expect((await link(accountId, 'zl-gov')).data.linkAccountToSingleSignOn.data.singleSignOnIdentity).toBe('zl-gov');
      expect((await signInAs('zl-gov')).result.ok).toBe(true);
      // Linked to another value: the old one signs in to nothing.
      expect((await link(accountId, 'zl2-gov')).data.linkAccountToSingleSignOn.data.singleSignOnIdentity).toBe('zl2-gov');
      expect((await signInAs('zl-gov')).result.messageZh).toBe(UNKNOWN_IDENTITY.messageZh);
      const unlinked = await ask(
        adminToken,
        `mutation($a: ID!) { unlinkAccountFromSingleSignOn(accountId: $a, reason: "调离") {
          ... on UnlinkAccountFromSingleSignOnResult { data { singleSignOnIdentity } } } }`,
        { a: accountId },
      );
      expect(unlinked.data.unlinkAccountFromSingleSignOn.data.singleSignOnIdentity).toBeNull();
      expect((await signInAs('zl2-gov')).result.messageZh).toBe(UNKNOWN_IDENTITY.messageZh);
      // The links are events of the account's stream.
      const { rows } = await testDb.db.query<{ type: string }>(
        `SELECT type FROM yingpan.events WHERE stream_id = $1 AND type LIKE 'Account%IdentityProvider' ORDER BY position`,
        [`account:${accountId}`],
      );
      expect(rows.map((row) => row.type)).toEqual([
        'AccountLinkedToIdentityProvider',
        'AccountUnlinkedFromIdentityProvider',
        'AccountLinkedToIdentityProvider',
        'AccountUnlinkedFromIdentityProvider',
      ]);
      // Only administrators link.
      const staff = (await signInAs('zs-gov')).result.token;
      const forbidden = await ask(
        staff,
        `mutation($a: ID!) { linkAccountToSingleSignOn(accountId: $a, value: "x") { __typename ... on Rejection { code } } }`,
        {
          a: accountId,
        },
      );
      expect(forbidden.data?.linkAccountToSingleSignOn?.code ?? forbidden.errors?.[0]?.message).toMatch(/forbidden|Not authorized/);
    });

    it('refuses a locked-out account as a password sign-in would', async () => {
      const accountId = await staffAccount('sunqi', '孙七');
      await link(accountId, 'sq-gov');
      const until = new Date(now().getTime() + 15 * 60_000).toISOString();
      const outcome = await runtime.commands.execute(
        'LockOutSignIn',
        { accountId, failures: 10, until },
        { commandId: crypto.randomUUID(), actor: { personId: 'public', role: 'public' }, occurredAt: now().toISOString(), correlationId: crypto.randomUUID() },
      );
      await runtime.waitForProjections(outcome.events.at(-1)!.position);
      const { result } = await signInAs('sq-gov');
      expect(result).toMatchObject({ ok: false, token: null, retryAfterSeconds: expect.any(Number), messageZh: expect.stringMatching(/尝试次数过多/) });
    });

    it('asks an administrator with an authenticator for its code after the provider', async () => {
      const accountId = await accounts.createAccount(admin, { username: 'zhouba', displayName: '周八', password: PASSWORD });
      await accounts.grantRole(admin, { accountId, role: 'admin', scope: { kind: 'county' } });
      await link(accountId, 'zb-gov');
      // Enrol an authenticator through the password sign-in's session.
      const session = (await ask(null, `mutation { signIn(input: { username: "zhouba", password: "${PASSWORD}" }) { token } }`)).data.signIn.token;
      const secret = (await ask(session, `mutation { beginTotpEnrolment { ... on BeginTotpEnrolmentResult { data { secret } } } }`)).data.beginTotpEnrolment
        .data.secret;
      await ask(session, `mutation($c: String!) { confirmTotpEnrolment(code: $c) { __typename } }`, {
        c: await generate({ secret, epoch: Math.floor(Date.now() / 1000) }),
      });
      const { result } = await signInAs('zb-gov');
      expect(result).toMatchObject({ ok: false, token: null, totpRequired: true, challenge: expect.stringMatching(/^yc_/) });
      const second = (
        await ask(null, `mutation($c: String!, $code: String!) { signInWithTotp(input: { challenge: $c, code: $code }) { ok token } }`, {
          c: result.challenge,
          code: await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }),
        })
      ).data.signInWithTotp;
      expect(second.ok).toBe(true);
      expect((await ask(second.token, '{ me { role } }')).data.me.role).toBe('admin');
    });
  });
}
