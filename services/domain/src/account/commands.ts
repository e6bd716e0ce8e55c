/**
 * Account commands. They are run by the API's account service (which hashes passwords and checks
 * sign-in), not generated as mutations: their inputs carry password hashes that no client sends.
 */
import { z } from 'zod';
import { defineCommand } from '../kernel/command.ts';
import { countyToday } from '../kernel/clock.ts';
import { DomainError } from '../kernel/errors.ts';
import type { CommandContext } from '../kernel/messages.ts';
import { id, isoDate, text } from '../kernel/schemas.ts';
import { personStream } from '../person/decider.ts';
import { stationStream } from '../station/state.ts';
import { accountDecider, accountIdFor, accountStream } from './decider.ts';
import { ROLES } from '../kernel/roles.ts';
import { GRANTABLE_ROLES, grantScope, PASSKEY_NAME_MAX, PASSKEY_TRANSPORTS, USERNAME } from './events.ts';

const hash = z.string().startsWith('$argon2id$');
const username = z.string().trim().toLowerCase().regex(USERNAME, 'user names are 2–40 letters, digits, dots, dashes or underscores');
const byId = z.object({ accountId: id });

export const createAccount = defineCommand({
  name: 'CreateAccount',
  description: 'Opens an account (an administrator; or the first-install setup code on a log with no accounts).',
  roles: ['admin'],
  input: z.object({
    username,
    displayName: text(100),
    passwordHash: hash.nullable().default(null),
    firstInstall: z.boolean().default(false),
  }),
  decider: accountDecider,
  streamId: (input) => accountStream(accountIdFor(input.username)),
  toCommand: (input) => ({ type: 'CreateAccount' as const, data: { accountId: accountIdFor(input.username), ...input } }),
});

export const linkAccountToPerson = defineCommand({
  name: 'LinkAccountToPerson',
  description: 'Links an account to a person of the directory.',
  roles: ['admin'],
  input: byId.extend({ personId: id }),
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  toCommand: async (input, { lookups }) => ({
    type: 'LinkAccountToPerson' as const,
    data: { ...input, personKnown: await lookups.exists(personStream(input.personId)) },
  }),
});

export const grantRole = defineCommand({
  name: 'GrantRole',
  description: 'Grants an account a role for a scope and a period.',
  roles: ['admin'],
  input: byId.extend({
    grantId: id,
    role: z.enum(GRANTABLE_ROLES),
    scope: grantScope.default({ kind: 'county' }),
    from: isoDate.optional(),
    until: isoDate.nullable().default(null),
  }),
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  toCommand: async (input, { lookups }) => ({
    type: 'GrantRole' as const,
    data: {
      ...input,
      from: input.from ?? countyToday(),
      stationKnown: input.scope.kind !== 'station' || (await lookups.exists(stationStream(input.scope.stationId))),
    },
  }),
});

export const revokeRole = defineCommand({
  name: 'RevokeRole',
  description: 'Revokes a grant from a day on (default today).',
  roles: ['admin'],
  input: byId.extend({ grantId: id, on: isoDate.optional(), reason: text(1000).nullable().default(null) }),
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  toCommand: (input) => ({ type: 'RevokeRole' as const, data: { ...input, on: input.on ?? countyToday() } }),
});

/** Only the account's own holder sets its password. */
const ownAccount = (input: { accountId: string }, { context }: { context: CommandContext }) => {
  if (context.actor.accountId !== input.accountId) {
    throw new DomainError('not-own-account', { zh: '只能修改本人账户的密码', en: 'You may set the password of your own account only' }, 'accountId');
  }
};

export const setPassword = defineCommand({
  name: 'SetPassword',
  description: "The account's holder sets a new password.",
  roles: GRANTABLE_ROLES,
  input: byId.extend({ passwordHash: hash }),
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  scope: ownAccount,
  toCommand: (data) => ({ type: 'SetPassword' as const, data }),
});

export const resetPassword = defineCommand({
  name: 'ResetPassword',
  description: 'An administrator gives an account a new password, to be changed by its holder.',
  roles: ['admin'],
  input: byId.extend({ passwordHash: hash }),
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  toCommand: (data) => ({ type: 'ResetPassword' as const, data }),
});

export const lockOutSignIn = defineCommand({
  name: 'LockOutSignIn',
  description: 'Refuses password sign-in to an account for a while after too many wrong passwords (issued by the failed sign-in itself).',
  roles: ['public'],
  input: byId.extend({ failures: z.number().int().positive(), until: z.iso.datetime({ offset: true }) }),
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  toCommand: (data) => ({ type: 'LockOutSignIn' as const, data }),
});

export const enrolTotp = defineCommand({
  name: 'EnrolTotp',
  description:
    "The account's holder enrolled an authenticator app, confirmed by a code (issued by the sign-in service once the code checks; the secret stays with it). An administrator or auditor without one acts as the public until enrolled, so any role may.",
  roles: ROLES,
  input: byId,
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  scope: (input, { context }) => {
    if (context.actor.accountId !== input.accountId) {
      throw new DomainError(
        'not-own-account',
        { zh: '只能为本人账户绑定身份验证器', en: 'You may enrol an authenticator for your own account only' },
        'accountId',
      );
    }
  },
  toCommand: (data) => ({ type: 'EnrolTotp' as const, data }),
});

export const resetTotp = defineCommand({
  name: 'ResetTotp',
  description: "An administrator removes another account's authenticator (its holder lost it); the holder enrols a new one at the next sign-in.",
  roles: ['admin'],
  input: byId.extend({ reason: text(1000).nullable().default(null) }),
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  // One's own: a stolen session could otherwise swap in the thief's authenticator. Another administrator resets it.
  scope: (input, { context }) => {
    if (context.actor.accountId === input.accountId) {
      throw new DomainError(
        'own-account',
        { zh: '不能重置本人的身份验证器，请由另一位系统管理员操作', en: 'Another administrator resets your own authenticator' },
        'accountId',
      );
    }
  },
  toCommand: (data) => ({ type: 'ResetTotp' as const, data }),
});

const identityOf = byId.extend({ issuer: z.url().max(500), claim: text(100) });

export const linkAccountToIdentityProvider = defineCommand({
  name: 'LinkAccountToIdentityProvider',
  description:
    "Links an account to a person's identity at the single sign-on provider: the value of the configured claim there (run by the sign-in service, which checks that no other account has it).",
  roles: ['admin'],
  input: identityOf.extend({ value: text(200) }),
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  toCommand: (data) => ({ type: 'LinkAccountToIdentityProvider' as const, data }),
});

export const unlinkAccountFromIdentityProvider = defineCommand({
  name: 'UnlinkAccountFromIdentityProvider',
  description: 'Removes the link between an account and its identity at the single sign-on provider.',
  roles: ['admin'],
  input: identityOf.extend({ reason: text(1000).nullable().default(null) }),
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  toCommand: (data) => ({ type: 'UnlinkAccountFromIdentityProvider' as const, data }),
});

const base64url = z
  .string()
  .min(1)
  .max(2000)
  .regex(/^[A-Za-z0-9_-]+$/);

export const registerPasskey = defineCommand({
  name: 'RegisterPasskey',
  description:
    "The account's holder registered a passkey, its registration checked by the sign-in service (which issues this command). An administrator or auditor still to enrol a second factor acts as the public, so any role may.",
  roles: ROLES,
  input: byId.extend({
    credentialId: base64url.max(1400),
    publicKey: base64url,
    counter: z.number().int().nonnegative(),
    transports: z.array(z.enum(PASSKEY_TRANSPORTS)).max(PASSKEY_TRANSPORTS.length).default([]),
    name: z.string().trim().min(1).max(PASSKEY_NAME_MAX),
  }),
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  scope: (input, { context }) => {
    if (context.actor.accountId !== input.accountId) {
      throw new DomainError('not-own-account', { zh: '只能为本人账户添加通行密钥', en: 'You may register a passkey for your own account only' }, 'accountId');
    }
  },
  toCommand: (data) => ({ type: 'RegisterPasskey' as const, data }),
});

export const removePasskey = defineCommand({
  name: 'RemovePasskey',
  description: "Removes a passkey from an account: its holder's own, or any account's by an administrator (a lost phone).",
  roles: ROLES,
  input: byId.extend({ credentialId: base64url.max(1400) }),
  decider: accountDecider,
  streamId: (input) => accountStream(input.accountId),
  scope: (input, { context }) => {
    if (context.actor.accountId !== input.accountId && context.actor.role !== 'admin') {
      throw new DomainError('not-own-account', { zh: '只能删除本人账户的通行密钥', en: 'You may remove the passkeys of your own account only' }, 'accountId');
    }
  },
  toCommand: (data) => ({ type: 'RemovePasskey' as const, data }),
});

export const accountCommands = [
  createAccount,
  linkAccountToPerson,
  grantRole,
  revokeRole,
  setPassword,
  resetPassword,
  lockOutSignIn,
  enrolTotp,
  resetTotp,
  linkAccountToIdentityProvider,
  unlinkAccountFromIdentityProvider,
  registerPasskey,
  removePasskey,
];
