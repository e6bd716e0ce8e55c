/**
 * Accounts: who may sign in, as which person, with which roles where and when. Every change is an
 * event in the hash-chained log, so "who could do what on a given day" is read from the log.
 *
 * A password's argon2id hash is kept in the log (`PasswordSet`, `PasswordReset`): the log is the
 * only store, and a backup restores sign-in with it. It is never served: the API withholds the
 * fields named in ACCOUNT_SECRET_FIELDS from every reader of the log, auditors included.
 *
 * An authenticator's TOTP secret is different: anyone holding it can make codes, so it is never in
 * the log (which auditors read and export). The sign-in service keeps it in its own table
 * (`yingpan_auth.totp_secrets`); the log records only that an authenticator was enrolled or reset.
 *
 * A passkey (WebAuthn) is the other way round: what the server keeps of it is a public key, which
 * only checks signatures and makes none, so it is in the log (`PasskeyRegistered`) with its
 * credential id and a name its holder gave it. The private key never leaves the holder's phone or
 * security key.
 */
import { z } from 'zod';
import { ROLES } from '../kernel/roles.ts';
import { defineEvent, type EventOf } from '../kernel/registry.ts';

/** Fields of account events that no reader of the log is ever shown. */
export const ACCOUNT_SECRET_FIELDS = ['passwordHash'] as const;

/** The roles an account can be granted (everyone is the public without one). */
export const GRANTABLE_ROLES = ROLES.filter((role) => role !== 'public') as Exclude<(typeof ROLES)[number], 'public'>[];
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

/** Where a grant applies: the whole county, one township's stations, or one station. */
export const grantScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('county') }),
  z.object({ kind: z.literal('township'), township: z.string().min(1).max(100) }),
  z.object({ kind: z.literal('station'), stationId: z.uuid() }),
]);
export type GrantScope = z.infer<typeof grantScope>;

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;
const username = z.string().regex(USERNAME);
const argon2idHash = z.string().regex(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/, 'must be an argon2id hash');

export const AccountCreated = defineEvent({
  type: 'AccountCreated',
  version: 1,
  stream: 'account',
  description: 'An account was opened: a user name to sign in with and the name shown for it. It grants nothing by itself.',
  schema: z.object({
    accountId: z.uuid(),
    username,
    displayName: z.string().min(1).max(100),
    /** Made by the first-install setup code on a log with no accounts (the first administrator). */
    firstInstall: z.boolean(),
  }),
});

export const AccountLinkedToPerson = defineEvent({
  type: 'AccountLinkedToPerson',
  version: 1,
  stream: 'account',
  description: 'An account was linked to a person of the directory: it acts as that person (a deputy, a station manager).',
  schema: z.object({ accountId: z.uuid(), personId: z.uuid() }),
});

export const RoleGranted = defineEvent({
  type: 'RoleGranted',
  version: 1,
  stream: 'account',
  description: 'A role was granted to an account for a scope (the county, a township, a station) from a day until a day (or open-ended).',
  schema: z.object({
    accountId: z.uuid(),
    grantId: z.uuid(),
    role: z.enum(GRANTABLE_ROLES),
    scope: grantScope,
    from: z.iso.date(),
    until: z.iso.date().nullable(),
  }),
});

export const RoleRevoked = defineEvent({
  type: 'RoleRevoked',
  version: 1,
  stream: 'account',
  description: 'A grant was revoked: it no longer holds from that day on.',
  schema: z.object({ accountId: z.uuid(), grantId: z.uuid(), on: z.iso.date(), reason: z.string().max(1000).nullable() }),
});

export const PasswordSet = defineEvent({
  type: 'PasswordSet',
  version: 1,
  stream: 'account',
  description: "The account's holder set their password (kept as an argon2id hash, never shown to any reader of the log).",
  schema: z.object({ accountId: z.uuid(), passwordHash: argon2idHash }),
});

export const PasswordReset = defineEvent({
  type: 'PasswordReset',
  version: 1,
  stream: 'account',
  description: 'An administrator gave the account a new password (argon2id hash, never shown), to be changed by its holder.',
  schema: z.object({ accountId: z.uuid(), passwordHash: argon2idHash }),
});

export const SignInLockedOut = defineEvent({
  type: 'SignInLockedOut',
  version: 1,
  stream: 'account',
  description: 'Too many wrong passwords in a row: password sign-in to the account is refused until the instant named.',
  schema: z.object({ accountId: z.uuid(), failures: z.number().int().positive(), until: z.iso.datetime({ offset: true }) }),
});

export const TotpEnrolled = defineEvent({
  type: 'TotpEnrolled',
  version: 1,
  stream: 'account',
  description:
    "The account's holder enrolled an authenticator app (TOTP, a 6-digit code every 30 s), confirmed by a code: sign-in asks for a code from then on. Only the fact is in the log; the shared secret is kept by the sign-in service, never in an event.",
  schema: z.object({ accountId: z.uuid() }),
});

export const TotpReset = defineEvent({
  type: 'TotpReset',
  version: 1,
  stream: 'account',
  description:
    "An administrator removed the account's authenticator (a lost phone): its secret is forgotten, its devices are signed out, and its holder enrols a new one at the next sign-in.",
  schema: z.object({ accountId: z.uuid(), reason: z.string().max(1000).nullable() }),
});

/** An identity at a single sign-on provider: its issuer, the claim that names people there, and one person's value of it. */
const identity = {
  accountId: z.uuid(),
  /** The provider's issuer URL, as its discovery document names it. */
  issuer: z.url().max(500),
  /** The claim accounts are found by (e.g. `preferred_username`, a staff number). */
  claim: z.string().min(1).max(100),
  /** This person's value of the claim at the provider. */
  value: z.string().min(1).max(200),
};

export const AccountLinkedToIdentityProvider = defineEvent({
  type: 'AccountLinkedToIdentityProvider',
  version: 1,
  stream: 'account',
  description:
    'An administrator linked the account to an identity at a single sign-on provider (OpenID Connect): whoever that provider signs in with this value of the claim signs in to this account.',
  schema: z.object(identity),
});

export const AccountUnlinkedFromIdentityProvider = defineEvent({
  type: 'AccountUnlinkedFromIdentityProvider',
  version: 1,
  stream: 'account',
  description: 'The link between the account and an identity at a single sign-on provider was removed: that identity no longer signs in to it.',
  schema: z.object({ ...identity, reason: z.string().max(1000).nullable() }),
});

/** How a browser may reach an authenticator (WebAuthn's AuthenticatorTransport). */
export const PASSKEY_TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;
export type PasskeyTransport = (typeof PASSKEY_TRANSPORTS)[number];
/** The longest name a passkey is given ("iPhone", "办公室电脑的安全密钥"). */
export const PASSKEY_NAME_MAX = 40;
const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

export const PasskeyRegistered = defineEvent({
  type: 'PasskeyRegistered',
  version: 1,
  stream: 'account',
  description:
    "The account's holder registered a passkey (WebAuthn): a phone's or a security key's credential that signs in without a password, after the device checked its holder (fingerprint, face or PIN). The log keeps its public key, which can only check signatures; the private key stays on the device.",
  schema: z.object({
    accountId: z.uuid(),
    /** The credential's id as the authenticator made it (base64url). */
    credentialId: base64url(1400),
    /** The credential's public key (COSE, base64url). */
    publicKey: base64url(2000),
    /** The authenticator's signature counter when registered (0 for most phones, which keep none). */
    counter: z.number().int().nonnegative(),
    transports: z.array(z.enum(PASSKEY_TRANSPORTS)).max(PASSKEY_TRANSPORTS.length),
    /** The name its holder gave it, to tell their passkeys apart ("iPhone"). */
    name: z.string().trim().min(1).max(PASSKEY_NAME_MAX),
  }),
});

export const PasskeyRemoved = defineEvent({
  type: 'PasskeyRemoved',
  version: 1,
  stream: 'account',
  description:
    'A passkey was removed from the account (by its holder, or an administrator for a lost phone): it signs in no more, and the devices signed in with it are signed out.',
  schema: z.object({ accountId: z.uuid(), credentialId: base64url(1400) }),
});

export const accountEvents = [
  AccountCreated,
  AccountLinkedToPerson,
  RoleGranted,
  RoleRevoked,
  PasswordSet,
  PasswordReset,
  SignInLockedOut,
  TotpEnrolled,
  TotpReset,
  AccountLinkedToIdentityProvider,
  AccountUnlinkedFromIdentityProvider,
  PasskeyRegistered,
  PasskeyRemoved,
];
export type AccountEvent =
  | EventOf<typeof AccountCreated>
  | EventOf<typeof AccountLinkedToPerson>
  | EventOf<typeof RoleGranted>
  | EventOf<typeof RoleRevoked>
  | EventOf<typeof PasswordSet>
  | EventOf<typeof PasswordReset>
  | EventOf<typeof SignInLockedOut>
  | EventOf<typeof TotpEnrolled>
  | EventOf<typeof TotpReset>
  | EventOf<typeof AccountLinkedToIdentityProvider>
  | EventOf<typeof AccountUnlinkedFromIdentityProvider>
  | EventOf<typeof PasskeyRegistered>
  | EventOf<typeof PasskeyRemoved>;
