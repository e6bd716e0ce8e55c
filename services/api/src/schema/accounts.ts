/**
 * Accounts, sign-in and sessions (auth-accounts.ts does the work; the domain's account commands
 * write the events). Open to everyone: `setupNeeded`, `signIn` (and `signInWithTotp`, its second
 * step for administrators and auditors), `completeFirstInstall`. One's own account: `myAccount`,
 * `changePassword`, `beginTotpEnrolment` / `confirmTotpEnrolment`, `signOut`, `signOutOtherDevices`,
 * `revokeMySession` (passkeys: passkeys.ts). Administrators: `accounts`, `account` (with the grant history), and creating,
 * linking, granting, revoking, resetting passwords and authenticators.
 */
import { createContextCache } from '@pothos/core';
import { DomainError, GRANTABLE_ROLES, ROLE_LABELS, type GrantableRole, type GrantScope } from '@yingpan/domain';
import { type AccountRow, accountById, accountList, actorNames, type GrantRow, grantHistory, grantsOn } from '@yingpan/projections';
import DataLoader from 'dataloader';
import type { Context } from '../context.ts';
import { countyToday } from '@yingpan/domain';
import { type SessionRow, type TotpEnrolment as TotpEnrolmentValue, totpRequiredFor, type SignInOutcome } from '../auth-accounts.ts';
import { forbidden, scopesOf } from '../access.ts';
import { builder } from './builder.ts';
import { NodeRef, nodeType } from './node.ts';
import { isUuid, vocabulary } from './common.ts';

export const GrantRoleEnum = vocabulary('GrantRole', 'A role an account can be granted.', GRANTABLE_ROLES, (role) => ROLE_LABELS[role].zh);
export const GrantScopeKind = builder.enumType('GrantScopeKind', {
  description: 'Where a grant applies.',
  values: {
    COUNTY: { value: 'county', description: '全县' },
    TOWNSHIP: { value: 'township', description: '一个乡镇（街道）的全部站点' },
    STATION: { value: 'station', description: '一个代表家站' },
  } as const,
});

/** Per request: the names of the actors a page's grants name, in one statement. */
const actorNameLoader = createContextCache(
  (context: Context) =>
    new DataLoader<string, string | null>(async (ids) => {
      const names = await actorNames(context.db, ids);
      return ids.map((id) => names.get(id) ?? null);
    }),
);

export const Grant = builder.objectRef<GrantRow>('Grant').implement({
  description: 'A role granted to an account for a scope and a period, with who granted and revoked it.',
  fields: (t) => ({
    id: t.exposeID('grantId'),
    role: t.field({ type: GrantRoleEnum, resolve: (grant) => grant.role }),
    roleLabelZh: t.string({ resolve: (grant) => ROLE_LABELS[grant.role].zh }),
    scopeKind: t.field({ type: GrantScopeKind, resolve: (grant) => grant.scope.kind }),
    township: t.string({ nullable: true, resolve: (grant) => (grant.scope.kind === 'township' ? grant.scope.township : null) }),
    stationId: t.id({ nullable: true, resolve: (grant) => (grant.scope.kind === 'station' ? grant.scope.stationId : null) }),
    stationName: t.exposeString('stationName', { nullable: true }),
    from: t.expose('from', { type: 'Date', description: 'The first day it holds (YYYY-MM-DD).' }),
    until: t.expose('until', { type: 'Date', nullable: true, description: 'The last day it holds; null: open-ended.' }),
    revokedOn: t.expose('revokedOn', { type: 'Date', nullable: true, description: 'The day it stopped holding, if revoked.' }),
    revokeReason: t.exposeString('revokeReason', { nullable: true }),
    grantedBy: t.exposeString('grantedBy', { description: 'Who granted it (a person id, or account:<user name>).' }),
    grantedByName: t.string({
      nullable: true,
      description: 'The name of who granted it: the account’s shown name, or the person’s; null when no account or person has that id (e.g. a service).',
      resolve: (grant, _, context) => actorNameLoader(context).load(grant.grantedBy),
    }),
    grantedAt: t.expose('grantedAt', { type: 'DateTime' }),
    revokedBy: t.exposeString('revokedBy', { nullable: true }),
    revokedByName: t.string({
      nullable: true,
      description: 'The name of who revoked it, as `grantedByName`; null when not revoked or not known.',
      resolve: (grant, _, context) => (grant.revokedBy === null ? null : actorNameLoader(context).load(grant.revokedBy)),
    }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    holdsToday: t.boolean({
      resolve: (grant) => {
        const today = countyToday();
        return grant.from <= today && (grant.until === null || grant.until >= today) && (grant.revokedOn === null || grant.revokedOn > today);
      },
    }),
  }),
});

export const Account = builder.objectRef<AccountRow>('Account').implement({
  description: 'Someone who signs in: a user name, the name shown, the person they act as, and their grants.',
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.id(
      nodeType<AccountRow>(
        'Account',
        (account) => account.accountId,
        // The same rule as `account`: administrators (one's own account is `myAccount`).
        async (context, accountId) => {
          if (!scopesOf(context.actor).manageAccounts) throw forbidden(context.actor);
          return accountById(context.db, accountId);
        },
      ),
    ),
    accountId: t.exposeID('accountId', { description: 'The account: the account commands take it.' }),
    username: t.exposeString('username'),
    displayName: t.exposeString('displayName'),
    personId: t.exposeID('personId', { nullable: true }),
    personName: t.exposeString('personName', { nullable: true }),
    mustChangePassword: t.exposeBoolean('mustChangePassword', { description: 'An administrator reset the password: its holder should choose their own.' }),
    lockedUntil: t.expose('lockedUntil', {
      type: 'DateTime',
      nullable: true,
      description: 'Password sign-in is refused until then (too many wrong passwords).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    totpEnrolled: t.boolean({
      description: 'An authenticator app is enrolled: sign-in asks for its 6-digit code after the password.',
      resolve: (account) => account.totpEnrolledAt !== null,
    }),
    totpEnrolledAt: t.expose('totpEnrolledAt', { type: 'DateTime', nullable: true, description: 'When the authenticator was enrolled.' }),
    grants: t.field({
      type: [Grant],
      description: 'Every grant, revoked ones included, in the order given (the grant history).',
      resolve: (account, _, { db }) => grantHistory(db, account.accountId),
    }),
    grantsToday: t.field({
      type: [Grant],
      description: 'The grants that hold today.',
      resolve: (account, _, { db }) => grantsOn(db, account.accountId, countyToday()),
    }),
  }),
});

const Session = builder.objectRef<SessionRow & { current: boolean }>('Session').implement({
  description: 'A device signed in to an account.',
  fields: (t) => ({
    id: t.exposeID('sessionId'),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it signed in.' }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime', description: 'Its last request (to the minute).' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'It ends then at the latest (it ends sooner when idle).' }),
    userAgent: t.exposeString('userAgent'),
    address: t.exposeString('address'),
    current: t.exposeBoolean('current', { description: 'The device asking.' }),
  }),
});

export const MyAccount = builder.objectRef<AccountRow & { sessionId: string | undefined }>('MyAccount').implement({
  description: 'The account this request is signed in with.',
  fields: (t) => ({
    account: t.field({ type: Account, resolve: (mine) => mine }),
    totpRequired: t.boolean({
      description:
        'Its grants today make it an administrator or auditor: it signs in with an authenticator’s code, and acts as the public until one is enrolled.',
      resolve: async (mine, _, { db }) => totpRequiredFor((await grantsOn(db, mine.accountId, countyToday())).map((grant) => grant.role)),
    }),
    sessions: t.field({
      type: [Session],
      description: 'The devices signed in to it.',
      resolve: async (mine, _, { accounts }) =>
        (await accounts.sessionsOf(mine.accountId)).map((session) => ({ ...session, current: session.sessionId === mine.sessionId })),
    }),
  }),
});

interface SignInAnswer {
  ok: boolean;
  token: string | null;
  mustChangePassword: boolean;
  mustEnrolTotp: boolean;
  totpRequired: boolean;
  challenge: string | null;
  restart: boolean;
  retryAfterSeconds: number | null;
  messageZh: string | null;
  messageEn: string | null;
}

const NOT_TWO_STEP = { mustEnrolTotp: false, totpRequired: false, challenge: null, restart: false };

/** A sign-in step's outcome as the schema answers it. */
export function answerOf(outcome: SignInOutcome): SignInAnswer {
  if (outcome.ok) {
    return {
      ...NOT_TWO_STEP,
      ok: true,
      token: outcome.token,
      mustChangePassword: outcome.account.mustChangePassword,
      mustEnrolTotp: outcome.mustEnrolTotp,
      retryAfterSeconds: null,
      messageZh: null,
      messageEn: null,
    };
  }
  return {
    ...NOT_TWO_STEP,
    ok: false,
    token: null,
    mustChangePassword: false,
    totpRequired: outcome.reason === 'totp',
    challenge: outcome.reason === 'totp' ? outcome.challenge : null,
    restart: outcome.reason === 'restart',
    retryAfterSeconds: outcome.reason === 'throttled' ? outcome.retryAfterSeconds : null,
    messageZh: outcome.messageZh,
    messageEn: outcome.messageEn,
  };
}

export const SignInResult = builder.objectRef<SignInAnswer>('SignInResult').implement({
  description:
    'The answer to a sign-in: a session token (the web keeps it in an HttpOnly cookie), or why not — the same answer for an unknown user name as for a wrong password.',
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    token: t.exposeString('token', { nullable: true, description: 'The session token: send it as `Authorization: Bearer <token>`.' }),
    mustChangePassword: t.exposeBoolean('mustChangePassword'),
    mustEnrolTotp: t.exposeBoolean('mustEnrolTotp', {
      description: 'Signed in as an administrator or auditor without an authenticator: the session may only enrol one (我的账户) until then.',
    }),
    totpRequired: t.exposeBoolean('totpRequired', {
      description: 'The password checked; now send the authenticator’s 6-digit code with `challenge` to `signInWithTotp`.',
    }),
    challenge: t.exposeString('challenge', { nullable: true, description: 'For `signInWithTotp` (a few minutes, a few tries).' }),
    restart: t.exposeBoolean('restart', { description: 'The two-step sign-in timed out or had too many tries: start again with the password.' }),
    retryAfterSeconds: t.exposeInt('retryAfterSeconds', { nullable: true, description: 'Too many attempts: wait this long.' }),
    messageZh: t.exposeString('messageZh', { nullable: true }),
    messageEn: t.exposeString('messageEn', { nullable: true }),
  }),
});

const mine = (actor: { accountId?: string | undefined }) => {
  if (!actor.accountId) throw new DomainError('no-account', { zh: '请用账户登录', en: 'Sign in with an account' });
  return actor.accountId;
};

builder.queryFields((t) => ({
  setupNeeded: t.boolean({
    skipTypeScopes: true,
    description: 'True while the log has no account: the first administrator is created with the setup code printed on the server’s console.',
    resolve: (_, __, { accounts }) => accounts.setupNeeded(),
  }),
  myAccount: t.field({
    type: MyAccount,
    nullable: true,
    skipTypeScopes: true,
    description: 'The account this request is signed in with (null for the public and for service tokens).',
    resolve: async (_, __, { actor, db }) => {
      if (!actor.accountId) return null;
      const account = await accountById(db, actor.accountId);
      return account && { ...account, sessionId: actor.sessionId };
    },
  }),
  accounts: t.field({
    type: [Account],
    authScopes: { manageAccounts: true },
    description: 'Every account (administrators), optionally those whose user name, shown name or person’s name contains `search`.',
    args: { search: t.arg.string() },
    resolve: (_, { search }, { db }) => accountList(db, search ?? undefined),
  }),
  account: t.field({
    type: Account,
    nullable: true,
    authScopes: { manageAccounts: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, { db }) => (isUuid(String(id)) ? accountById(db, String(id)) : null),
  }),
}));

const SignInInput = builder.inputType('SignInInput', {
  fields: (t) => ({ username: t.string({ required: true }), password: t.string({ required: true }) }),
});

const TotpSignInInput = builder.inputType('TotpSignInInput', {
  fields: (t) => ({
    challenge: t.string({ required: true, description: 'What `signIn` answered when the password checked.' }),
    code: t.string({ required: true, description: 'The 6 digits the authenticator app shows.' }),
  }),
});

const TotpEnrolment = builder.objectRef<TotpEnrolmentValue>('TotpEnrolment').implement({
  description: 'What an authenticator app is enrolled with: shown once to the account’s holder, as text and as a QR code of `uri`.',
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'The shared secret (base32), to type into the app by hand.' }),
    uri: t.exposeString('uri', { description: 'The `otpauth://totp/…` address the QR code carries.' }),
  }),
});

const FirstInstallInput = builder.inputType('FirstInstallInput', {
  fields: (t) => ({
    setupCode: t.string({ required: true, description: 'The one-time code printed on the server’s console (or by `npx yingpan init`).' }),
    username: t.string({ required: true }),
    displayName: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});

const CreateAccountInput = builder.inputType('CreateAccountInput', {
  fields: (t) => ({
    username: t.string({ required: true }),
    displayName: t.string({ required: true }),
    password: t.string({ required: true, description: 'A first password, to be changed by its holder.' }),
    personId: t.id({ description: 'The person of the directory the account acts as.' }),
  }),
});

const GrantRoleInput = builder.inputType('GrantRoleInput', {
  fields: (t) => ({
    accountId: t.id({ required: true }),
    role: t.field({ type: GrantRoleEnum, required: true }),
    scopeKind: t.field({ type: GrantScopeKind, required: true }),
    township: t.string({ description: 'For a township scope.' }),
    stationId: t.id({ description: 'For a station scope.' }),
    from: t.string({ description: 'The first day (YYYY-MM-DD); default today.' }),
    until: t.string({ description: 'The last day; none: open-ended.' }),
  }),
});

const scopeOf = (input: { scopeKind: 'county' | 'township' | 'station'; township?: string | null; stationId?: string | number | null }): GrantScope => {
  if (input.scopeKind === 'township') return { kind: 'township', township: input.township ?? '' };
  if (input.scopeKind === 'station') return { kind: 'station', stationId: String(input.stationId ?? '') };
  return { kind: 'county' };
};

const accountAfter = async (db: Parameters<typeof accountById>[0], accountId: string) => {
  const account = await accountById(db, accountId);
  if (!account) throw new DomainError('account-not-found', { zh: '找不到该账户', en: 'No such account' }, 'accountId');
  return account;
};

builder.mutationFields((t) => ({
  signIn: t.field({
    type: SignInResult,
    description: 'Signs in with a user name and password; a new session on success.',
    args: { input: t.arg({ type: SignInInput, required: true }) },
    async resolve(_, { input }, { accounts, client }) {
      return answerOf(await accounts.signIn({ ...input, ...client }));
    },
  }),
  signInWithTotp: t.field({
    type: SignInResult,
    description:
      'The second step of an administrator’s or auditor’s sign-in: the authenticator’s 6-digit code with the challenge `signIn` answered. A wrong code counts as a failed sign-in.',
    args: { input: t.arg({ type: TotpSignInInput, required: true }) },
    async resolve(_, { input }, { accounts, client }) {
      return answerOf(await accounts.signInWithTotp({ ...input, ...client }));
    },
  }),
  completeFirstInstall: t.field({
    type: SignInResult,
    errors: { types: [DomainError] },
    description: 'Creates the first administrator on a log with no accounts, with the one-time setup code, and signs them in.',
    args: { input: t.arg({ type: FirstInstallInput, required: true }) },
    async resolve(_, { input }, { accounts, client }) {
      const { token } = await accounts.completeFirstInstall({ ...input, ...client });
      // The first administrator enrols an authenticator before anything else.
      return { ...NOT_TWO_STEP, ok: true, token, mustChangePassword: false, mustEnrolTotp: true, retryAfterSeconds: null, messageZh: null, messageEn: null };
    },
  }),
  signOut: t.boolean({
    description: 'Ends this request’s session (true when one ended).',
    resolve: async (_, __, { actor, accounts }) =>
      !!actor.accountId && !!actor.sessionId && (await accounts.revokeSessions(actor.accountId, { only: actor.sessionId })) > 0,
  }),
  signOutOtherDevices: t.field({
    type: 'Int',
    errors: { types: [DomainError] },
    description: 'Ends every other session of one’s account (退出其他设备); answers how many.',
    resolve: (_, __, { actor, accounts }) => accounts.revokeSessions(mine(actor), { except: actor.sessionId }),
  }),
  revokeMySession: t.field({
    type: 'Int',
    errors: { types: [DomainError] },
    description: 'Ends one session of one’s own account.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, { actor, accounts }) => accounts.revokeSessions(mine(actor), { only: String(id) }),
  }),
  changePassword: t.field({
    type: 'Boolean',
    errors: { types: [DomainError] },
    description: 'Changes one’s own password (the current one is checked); the other devices are signed out.',
    args: { currentPassword: t.arg.string({ required: true }), newPassword: t.arg.string({ required: true }) },
    async resolve(_, { currentPassword, newPassword }, { actor, accounts }) {
      await accounts.changePassword(actor, currentPassword, newPassword);
      return true;
    },
  }),
  beginTotpEnrolment: t.field({
    type: TotpEnrolment,
    errors: { types: [DomainError] },
    description: 'The secret to enrol an authenticator app for one’s own account (the same one until confirmed); never written to the log.',
    resolve: (_, __, { actor, accounts }) => accounts.beginTotpEnrolment(actor),
  }),
  confirmTotpEnrolment: t.field({
    type: 'Boolean',
    errors: { types: [DomainError] },
    description: 'Confirms the enrolment with a code the app shows: from then on sign-in asks for a code (the log records TotpEnrolled).',
    args: { code: t.arg.string({ required: true }) },
    async resolve(_, { code }, { actor, accounts }) {
      await accounts.confirmTotpEnrolment(actor, code);
      return true;
    },
  }),
  resetTotp: t.field({
    type: Account,
    errors: { types: [DomainError] },
    description:
      'Removes another account’s authenticator (a lost phone) and signs out its devices; its holder enrols a new one at the next sign-in (administrators).',
    args: { accountId: t.arg.id({ required: true }), reason: t.arg.string() },
    async resolve(_, { accountId, reason }, { actor, accounts, db }) {
      await accounts.resetTotp(actor, String(accountId), reason ?? null);
      return accountAfter(db, String(accountId));
    },
  }),
  createAccount: t.field({
    type: Account,
    errors: { types: [DomainError] },
    description: 'Opens an account (administrators), optionally linked to a person; its holder changes the first password.',
    args: { input: t.arg({ type: CreateAccountInput, required: true }) },
    async resolve(_, { input }, { actor, accounts, db }) {
      const accountId = await accounts.createAccount(actor, { ...input, personId: input.personId ? String(input.personId) : null });
      return accountAfter(db, accountId);
    },
  }),
  linkAccountToPerson: t.field({
    type: Account,
    errors: { types: [DomainError] },
    description: 'Links an account to a person of the directory (administrators).',
    args: { accountId: t.arg.id({ required: true }), personId: t.arg.id({ required: true }) },
    async resolve(_, { accountId, personId }, { actor, accounts, db }) {
      await accounts.linkToPerson(actor, String(accountId), String(personId));
      return accountAfter(db, String(accountId));
    },
  }),
  grantRole: t.field({
    type: Account,
    errors: { types: [DomainError] },
    description: 'Grants an account a role for the county, a township or a station, from a day (default today) until a day (administrators).',
    args: { input: t.arg({ type: GrantRoleInput, required: true }) },
    async resolve(_, { input }, { actor, accounts, db }) {
      await accounts.grantRole(actor, {
        accountId: String(input.accountId),
        role: input.role as GrantableRole,
        scope: scopeOf(input),
        from: input.from || null,
        until: input.until || null,
      });
      return accountAfter(db, String(input.accountId));
    },
  }),
  revokeRole: t.field({
    type: Account,
    errors: { types: [DomainError] },
    description: 'Revokes a grant from today on (administrators).',
    args: { accountId: t.arg.id({ required: true }), grantId: t.arg.id({ required: true }), reason: t.arg.string() },
    async resolve(_, { accountId, grantId, reason }, { actor, accounts, db }) {
      await accounts.revokeRole(actor, { accountId: String(accountId), grantId: String(grantId), reason });
      return accountAfter(db, String(accountId));
    },
  }),
  resetPassword: t.field({
    type: Account,
    errors: { types: [DomainError] },
    description: 'Gives an account a new password to be changed by its holder, and signs out its devices (administrators).',
    args: { accountId: t.arg.id({ required: true }), password: t.arg.string({ required: true }) },
    async resolve(_, { accountId, password }, { actor, accounts, db }) {
      await accounts.resetPassword(actor, String(accountId), password);
      return accountAfter(db, String(accountId));
    },
  }),
}));
