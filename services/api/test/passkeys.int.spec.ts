/**
 * Passkeys, in process through yoga.fetch on the small demo county, with an authenticator in the
 * test (passkey-authenticator.ts): a deputy adds a passkey to their account (in the log with its
 * public key, listed on 我的账户), signs in with it alone into the same kind of session as a
 * password; replayed, forged and bent answers are refused and counted against the address; an
 * administrator or auditor signed in with a user-verified passkey is not asked for an
 * authenticator's code; a removed passkey signs its devices out and signs in no more.
 */
import { testTargets, type TestDb } from '@yingpan/db/testing';
import { generateKeyPairSync } from 'node:crypto';
import { generate } from 'otplib';
import { openCountyImage } from '@yingpan/projections/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { accountServiceFor, type AccountService } from '../src/auth-accounts.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { TestAuthenticator } from './passkey-authenticator.ts';

type Answer = { status: number; data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };

const PASSWORD = 'correct horse 电池';
const RESULT = 'ok token mustChangePassword mustEnrolTotp totpRequired challenge restart retryAfterSeconds messageZh messageEn';
const REGISTRATION_OPTIONS = `mutation { passkeyRegistrationOptions {
  __typename ... on PasskeyRegistrationOptionsResult { data } ... on Rejection { code messageZh } } }`;
const REGISTER = `mutation($answer: JSON!, $name: String!) { registerPasskey(answer: $answer, name: $name) {
  __typename ... on RegisterPasskeyResult { data { id name registeredAt lastUsedAt transports } } ... on Rejection { code messageZh } } }`;
const SIGN_IN_OPTIONS = 'mutation { passkeySignInOptions { options retryAfterSeconds } }';
const SIGN_IN = `mutation($answer: JSON!) { signInWithPasskey(answer: $answer) { ${RESULT} } }`;
const REMOVE = `mutation($id: ID!) { removePasskey(id: $id) { __typename ... on Rejection { code messageZh } } }`;
const MY_PASSKEYS = '{ myAccount { passkeys { id name lastUsedAt } } }';

for (const target of testTargets) {
  describe.skipIf(target.skipReason !== null)(`passkeys on ${target.name}`, () => {
    let testDb: TestDb;
    let runtime: Runtime;
    let yoga: ReturnType<typeof createApp>;
    let accounts: AccountService;
    let adminToken: string;
    let adminSecret: string;
    let deputyPassword: string;
    let deputyAccountId: string;
    /** The deputy's phone, which keeps no counter (as phones' passkeys do not). */
    const phone = new TestAuthenticator('http://localhost:3000', false);
    /** A security key, whose counter moves on at each use. */
    const key = new TestAuthenticator('http://localhost:3000', true);

    const ask = async (token: string | null, query: string, variables: Record<string, unknown> = {}, address = '10.9.0.1'): Promise<Answer> => {
      const response = await yoga.fetch('http://yoga/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': address,
          'user-agent': 'test phone',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
    };
    const signIn = async (username: string, password: string) =>
      (await ask(null, `mutation($u: String!, $p: String!) { signIn(input: { username: $u, password: $p }) { ${RESULT} } }`, { u: username, p: password })).data
        .signIn;
    const codeOf = (secret: string, ahead = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + ahead });
    const registrationOptions = async (token: string | null) => (await ask(token, REGISTRATION_OPTIONS)).data.passkeyRegistrationOptions;
    /** Adds a passkey of `authenticator` to the account of `token` under `name`. */
    const addPasskey = async (token: string, authenticator: TestAuthenticator, name: string) => {
      const options = (await registrationOptions(token)).data;
      const { answer, credential } = authenticator.register(options);
      const added = (await ask(token, REGISTER, { answer, name })).data.registerPasskey;
      expect(added.__typename).toBe('RegisterPasskeyResult');
      return { credential, passkey: added.data };
    };
    const signInOptions = async (address?: string) => (await ask(null, SIGN_IN_OPTIONS, {}, address)).data.passkeySignInOptions.options;
    const signInWithPasskey = async (answer: unknown, address?: string) => (await ask(null, SIGN_IN, { answer }, address)).data.signInWithPasskey;
    /** Opens an account with a county-wide grant (as the first administrator); answers its id. */
    const openAccount = async (username: string, displayName: string, role: string, personId?: string): Promise<string> => {
      const created = await ask(
        adminToken,
        `mutation($input: CreateAccountInput!) { createAccount(input: $input) { ... on CreateAccountResult { data { accountId } } ... on Rejection { code } } }`,
        { input: { username, displayName, password: PASSWORD, personId } },
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

    beforeAll(async () => {
      testDb = await openCountyImage(target, { seed: 7, scale: 'small' });
      runtime = await openRuntime({ dataDir: 'unused' }, testDb.db);
      await runtime.projector.catchUp();
      runtime.startProjector();
      yoga = createApp(runtime);
      accounts = accountServiceFor(runtime);
      await accounts.prepare();
      // The first administrator, with an authenticator app as administrators must.
      const code = (await accounts.issueSetupCode())!;
      const done = (
        await ask(
          null,
          `mutation($input: FirstInstallInput!) { completeFirstInstall(input: $input) { ... on CompleteFirstInstallResult { data { token } } } }`,
          { input: { setupCode: code, username: 'lizhuren', displayName: '李主任', password: PASSWORD } },
        )
      ).data.completeFirstInstall.data;
      adminToken = done.token;
      const begun = (await ask(adminToken, `mutation { beginTotpEnrolment { ... on BeginTotpEnrolmentResult { data { secret } } } }`)).data.beginTotpEnrolment
        .data;
      adminSecret = begun.secret;
      await ask(adminToken, `mutation($code: String!) { confirmTotpEnrolment(code: $code) { __typename } }`, { code: await codeOf(adminSecret) });
      expect((await ask(adminToken, '{ me { role } }')).data.me.role).toBe('admin');
      // A deputy of the county, with an account linked to them.
      const { rows } = await testDb.db.query<{ personId: string }>(
        `SELECT data->>'personId' AS "personId" FROM yingpan.events WHERE type = 'MandateStarted' AND data->>'kind' = 'deputy' ORDER BY position LIMIT 1`,
      );
      deputyAccountId = await openAccount('daibiao', '王代表', 'DEPUTY', rows[0]!.personId);
      deputyPassword = PASSWORD;
    }, 600_000);
    afterAll(async () => {
      await runtime?.close();
      await testDb?.dispose();
    });

    it('adds a passkey to the deputy signed in: in the log with its public key, listed on their account', async () => {
      // Nobody signed in has no account to add one to.
      expect(await registrationOptions(null)).toMatchObject({ code: 'no-account', messageZh: expect.stringMatching(/登录/) });
      const deputy = (await signIn('daibiao', deputyPassword)).token;
      const optionsAnswer = await registrationOptions(deputy);
      const options = optionsAnswer.data;
      expect(options).toMatchObject({
        rp: { id: 'localhost', name: '营盘' },
        user: { name: 'daibiao', displayName: '王代表' },
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        excludeCredentials: [],
      });
      const { answer, credential } = phone.register(options);
      expect((await ask(deputy, REGISTER, { answer, name: '  ' })).data.registerPasskey).toMatchObject({ code: 'passkey-name' });
      const added = (await ask(deputy, REGISTER, { answer, name: 'iPhone' })).data.registerPasskey;
      expect(added).toEqual({
        __typename: 'RegisterPasskeyResult',
        data: { id: credential.id, name: 'iPhone', registeredAt: expect.any(String), lastUsedAt: null, transports: ['internal', 'hybrid'] },
      });
      expect((await ask(deputy, MY_PASSKEYS)).data.myAccount.passkeys).toEqual([{ id: credential.id, name: 'iPhone', lastUsedAt: null }]);

      // The log holds the public key (it only checks signatures), the counter, the transports and the name.
      const { rows } = await testDb.db.query<{ data: any }>(`SELECT data FROM yingpan.events WHERE type = 'PasskeyRegistered'`);
      expect(rows.map((row) => row.data)).toEqual([
        {
          accountId: expect.any(String),
          credentialId: credential.id,
          publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/),
          counter: 0,
          transports: ['internal', 'hybrid'],
          name: 'iPhone',
        },
      ]);

      // The same answer again: its challenge is used up.
      expect((await ask(deputy, REGISTER, { answer, name: 'iPhone 2' })).data.registerPasskey.code).toBe('passkey-challenge');
      // The next options exclude the passkey held, so the phone is not added twice.
      const next = (await registrationOptions(deputy)).data;
      expect(next.excludeCredentials).toEqual([{ id: credential.id, type: 'public-key', transports: ['internal', 'hybrid'] }]);
      // An answer made for another site, or without the holder verified, is not added.
      const elsewhere = key.register(next, { origin: 'https://evil.example' }).answer;
      expect((await ask(deputy, REGISTER, { answer: elsewhere, name: '钓鱼网站' })).data.registerPasskey).toMatchObject({
        code: 'passkey-not-verified',
        messageZh: expect.stringMatching(/未能添加通行密钥/),
      });
      const unverified = key.register((await registrationOptions(deputy)).data, { userVerified: false }).answer;
      expect((await ask(deputy, REGISTER, { answer: unverified, name: '未验证' })).data.registerPasskey.code).toBe('passkey-not-verified');
      // A challenge issued to another account is not this one's.
      const adminOptions = (await registrationOptions(adminToken)).data;
      const stolen = key.register(adminOptions).answer;
      expect((await ask(deputy, REGISTER, { answer: stolen, name: '别人的' })).data.registerPasskey.code).toBe('passkey-challenge');
      // Two passkeys may not share a name.
      const twin = key.register((await registrationOptions(deputy)).data).answer;
      expect((await ask(deputy, REGISTER, { answer: twin, name: 'iPhone' })).data.registerPasskey.code).toBe('passkey-name-taken');
      expect((await ask(deputy, MY_PASSKEYS)).data.myAccount.passkeys).toHaveLength(1);
    });

    it('signs the deputy in with the passkey alone, into the same kind of session as a password', async () => {
      const options = await signInOptions();
      // Usernameless: no account and no credential named; the holder must be verified.
      expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required', challenge: expect.any(String) });
      expect(options.allowCredentials ?? []).toEqual([]);
      const result = await signInWithPasskey(phone.authenticate(options));
      expect(result).toMatchObject({ ok: true, token: expect.stringMatching(/^ys_/), mustEnrolTotp: false, totpRequired: false });
      const mine = await ask(
        result.token,
        '{ me { role name } myAccount { account { username } sessions { current userAgent } passkeys { name registeredAt lastUsedAt } } }',
      );
      expect(mine.data).toEqual({
        me: { role: 'deputy', name: '王代表' },
        myAccount: {
          account: { username: 'daibiao' },
          sessions: expect.arrayContaining([{ current: true, userAgent: 'test phone' }]),
          passkeys: [{ name: 'iPhone', registeredAt: expect.any(String), lastUsedAt: expect.any(String) }],
        },
      });
      // Both times are the database's: the sign-in comes after the registration, whatever day the county is set to.
      const [passkey] = mine.data.myAccount.passkeys;
      expect(Date.parse(passkey.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(passkey.registeredAt));
      // A phone keeps no counter: it signs in again with 0.
      expect((await signInWithPasskey(phone.authenticate(await signInOptions()))).ok).toBe(true);
    });

    it('refuses replayed, forged and bent answers, each a failed sign-in of the address', async () => {
      const address = '10.9.7.7';
      const deputy = (await signIn('daibiao', deputyPassword)).token;
      const { credential } = await addPasskey(deputy, key, '安全密钥');
      const good = key.authenticate(await signInOptions(address), credential);
      expect((await signInWithPasskey(good, address)).ok).toBe(true);
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const stranger = new TestAuthenticator();
      stranger.register((await registrationOptions(deputy)).data); // made, never registered
      const refusedAnswers = [
        // The same answer sent again: its challenge was used.
        good,
        // Signed by a key that is not the passkey's.
        key.authenticate(await signInOptions(address), credential, { signWith: other }),
        // A challenge the API never issued.
        key.authenticate(await signInOptions(address), credential, { challenge: 'bWFkZS11cC1jaGFsbGVuZ2UtbWFkZS11cC1jaGFsbGVuZ2U' }),
        // Another site's page asked for it.
        key.authenticate(await signInOptions(address), credential, { origin: 'https://evil.example' }),
        // Another site's RP ID.
        key.authenticate(await signInOptions(address), credential, { rpId: 'evil.example' }),
        // The holder not verified (a passkey is two factors only with its fingerprint, face or PIN).
        key.authenticate(await signInOptions(address), credential, { userVerified: false }),
        // A counter not above the last one seen: a cloned security key.
        key.authenticate(await signInOptions(address), credential, { counter: 1 }),
        // A credential no account holds.
        stranger.authenticate(await signInOptions(address)),
      ];
      for (const answer of refusedAnswers) {
        expect(await signInWithPasskey(answer, address)).toMatchObject({
          ok: false,
          token: null,
          messageZh: '通行密钥验证未通过，请重试，或改用用户名和密码登录',
        });
      }
      const { rows } = await testDb.db.query<{ failures: number }>(`SELECT failures FROM yingpan_auth.sign_in_failures WHERE key = $1`, [`addr:${address}`]);
      expect(rows[0]?.failures).toBe(refusedAnswers.length);
      // Not JSON WebAuthn knows at all.
      expect((await signInWithPasskey({ hello: 'world' }, address)).ok).toBe(false);
      // The passkey itself still signs in.
      expect((await signInWithPasskey(key.authenticate(await signInOptions(address), credential), address)).ok).toBe(true);
    });

    it('lets an administrator signed in with a user-verified passkey act without an authenticator code', async () => {
      const adminKey = new TestAuthenticator();
      await addPasskey(adminToken, adminKey, '办公室安全密钥');
      // The password alone asks for the code ...
      expect(await signIn('lizhuren', PASSWORD)).toMatchObject({ ok: false, totpRequired: true });
      // ... the passkey does not: it is both factors.
      const result = await signInWithPasskey(adminKey.authenticate(await signInOptions()));
      expect(result).toMatchObject({ ok: true, mustEnrolTotp: false, totpRequired: false });
      expect((await ask(result.token, '{ me { role mustEnrolTotp } }')).data.me).toEqual({ role: 'admin', mustEnrolTotp: false });
      expect((await ask(result.token, '{ events(first: 1) { edges { node { type } } } }')).errors).toBeUndefined();
    });

    it('lets an auditor without an authenticator add a passkey, and then sign in with it as the auditor', async () => {
      await openAccount('shenji', '审计员', 'AUDITOR');
      const first = await signIn('shenji', PASSWORD);
      expect(first).toMatchObject({ ok: true, mustEnrolTotp: true });
      const auditorKey = new TestAuthenticator();
      await addPasskey(first.token, auditorKey, 'YubiKey');
      // The password's session stays the public's: one factor.
      expect((await ask(first.token, '{ me { role mustEnrolTotp } }')).data.me).toEqual({ role: 'public', mustEnrolTotp: true });
      const result = await signInWithPasskey(auditorKey.authenticate(await signInOptions()));
      expect(result).toMatchObject({ ok: true, mustEnrolTotp: false });
      expect((await ask(result.token, '{ me { role mustEnrolTotp } }')).data.me).toEqual({ role: 'auditor', mustEnrolTotp: false });
      // A password sign-in is still one factor until an authenticator is enrolled.
      expect((await signIn('shenji', PASSWORD)).mustEnrolTotp).toBe(true);
      // Another account's passkey is not theirs to remove.
      const deputyPasskey = phone.credentials[0]!.id;
      expect((await ask(result.token, REMOVE, { id: deputyPasskey })).data.removePasskey.code).toBe('passkey-not-found');
    });

    it('removes a passkey: in the log, the devices signed in with it signed out, and it signs in no more', async () => {
      const signedInWithPhone = (await signInWithPasskey(phone.authenticate(await signInOptions()))).token;
      const withPassword = (await signIn('daibiao', deputyPassword)).token;
      const credentialId = phone.credentials[0]!.id;
      expect((await ask(withPassword, REMOVE, { id: credentialId })).data.removePasskey.__typename).toBe('RemovePasskeyResult');
      expect((await ask(signedInWithPhone, '{ me { role } }')).status).toBe(401);
      expect((await ask(withPassword, '{ me { role } }')).data.me.role).toBe('deputy');
      expect((await ask(withPassword, MY_PASSKEYS)).data.myAccount.passkeys.map((passkey: { name: string }) => passkey.name)).toEqual(['安全密钥']);
      const { rows } = await testDb.db.query<{ data: any }>(`SELECT data FROM yingpan.events WHERE type = 'PasskeyRemoved'`);
      expect(rows.map((row) => row.data)).toEqual([{ accountId: expect.any(String), credentialId }]);
      expect((await signInWithPasskey(phone.authenticate(await signInOptions()))).ok).toBe(false);
      expect((await ask(withPassword, REMOVE, { id: credentialId })).data.removePasskey.code).toBe('passkey-not-found');
    });

    it('lets an administrator see an account’s passkeys and remove one (a lost key), signing its devices out', async () => {
      const PASSKEYS_OF = `query($id: ID!) { account(id: $id) { passkeys { id name } } }`;
      const listed = (await ask(adminToken, PASSKEYS_OF, { id: deputyAccountId })).data.account.passkeys;
      expect(listed).toEqual([{ id: expect.any(String), name: '安全密钥' }]);
      const lost = key.credentials.find((credential) => credential.id === listed[0].id)!;
      const office = '10.9.0.77';
      const signedInWithKey = await signInWithPasskey(key.authenticate(await signInOptions(office), lost), office);
      expect(signedInWithKey).toMatchObject({ ok: true });
      expect((await ask(adminToken, REMOVE, { id: lost.id })).data.removePasskey.__typename).toBe('RemovePasskeyResult');
      expect((await ask(signedInWithKey.token, '{ me { role } }')).status).toBe(401);
      expect((await ask(adminToken, PASSKEYS_OF, { id: deputyAccountId })).data.account.passkeys).toEqual([]);
      const { rows } = await testDb.db.query<{ data: unknown }>(`SELECT data FROM yingpan.events WHERE type = 'PasskeyRemoved' ORDER BY position DESC LIMIT 1`);
      expect(rows[0]!.data).toEqual({ accountId: deputyAccountId, credentialId: lost.id });
      expect((await signInWithPasskey(key.authenticate(await signInOptions(office), lost), office)).ok).toBe(false);
    });
  });
}
