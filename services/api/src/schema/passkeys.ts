/**
 * Passkeys (auth-passkeys.ts does the work): one's own on `myAccount.passkeys`, added with
 * `passkeyRegistrationOptions` then `registerPasskey`, removed with `removePasskey`; signing in,
 * open to everyone, with `passkeySignInOptions` then `signInWithPasskey` (the same `SignInResult`
 * as a password). Options and answers are the JSON WebAuthn's browser side makes and reads
 * (`@simplewebauthn/browser`), passed through untouched.
 */
import { DomainError } from '@yingpan/domain';
import type { PasskeyListed } from '../auth-passkeys.ts';
import { Account, answerOf, MyAccount, SignInResult } from './accounts.ts';
import { builder } from './builder.ts';

const Passkey = builder.objectRef<PasskeyListed>('Passkey').implement({
  description: 'A passkey of an account: a phone’s or a security key’s credential that signs in after the device checks its holder.',
  fields: (t) => ({
    id: t.exposeID('credentialId', { description: 'The credential id (base64url), which `removePasskey` takes.' }),
    name: t.exposeString('name', { description: 'The name its holder gave it (“iPhone”).' }),
    registeredAt: t.expose('registeredAt', { type: 'DateTime', description: 'When it was added.' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Its last sign-in; null: not used to sign in yet.' }),
    transports: t.exposeStringList('transports', {
      description: 'How a browser reaches it: internal (the device itself), hybrid (a phone nearby), usb, nfc, ble.',
    }),
  }),
});

const PasskeySignInOptions = builder.objectRef<{ options: unknown; retryAfterSeconds: number | null }>('PasskeySignInOptions').implement({
  description: 'What the browser asks its authenticator with, or how long to wait (too many failed sign-ins from this address).',
  fields: (t) => ({
    options: t.field({
      type: 'JSON',
      nullable: true,
      description: 'WebAuthn request options (JSON) for `startAuthentication`: a one-time challenge, user verification required, no account named.',
      resolve: (answer) => answer.options,
    }),
    retryAfterSeconds: t.exposeInt('retryAfterSeconds', { nullable: true }),
  }),
});

builder.objectFields(MyAccount, (t) => ({
  passkeys: t.field({
    type: [Passkey],
    description: 'The account’s passkeys, the newest first.',
    resolve: (mine, _, { passkeys }) => passkeys.list(mine.accountId),
  }),
}));

builder.objectFields(Account, (t) => ({
  passkeys: t.field({
    type: [Passkey],
    description: 'The account’s passkeys, the newest first (administrators remove one for a lost phone with `removePasskey`).',
    resolve: (account, _, { passkeys }) => passkeys.list(account.accountId),
  }),
}));

const answerText = (answer: unknown) => JSON.stringify(answer ?? null);

builder.mutationFields((t) => ({
  passkeyRegistrationOptions: t.field({
    type: 'JSON',
    errors: { types: [DomainError] },
    description:
      'WebAuthn creation options (JSON) for `startRegistration`, to add a passkey to one’s own account: a one-time challenge (5 minutes), a discoverable credential verified by its holder, the passkeys it has already excluded.',
    resolve: (_, __, { actor, passkeys }) => passkeys.registrationOptions(actor),
  }),
  registerPasskey: t.field({
    type: Passkey,
    errors: { types: [DomainError] },
    description: 'Checks the authenticator’s answer to `passkeyRegistrationOptions` and adds the passkey under `name` (PasskeyRegistered in the log).',
    args: {
      answer: t.arg({ type: 'JSON', required: true, description: 'What `startRegistration` answered.' }),
      name: t.arg.string({ required: true, description: 'A name to tell it apart (“iPhone”), at most 40 characters.' }),
    },
    resolve: (_, { answer, name }, { actor, passkeys }) => passkeys.register(actor, answerText(answer), name),
  }),
  removePasskey: t.field({
    type: 'Boolean',
    errors: { types: [DomainError] },
    description:
      'Removes one of one’s own passkeys, or an administrator any account’s (a lost phone): PasskeyRemoved in the log; the devices signed in with it are signed out.',
    args: { id: t.arg.id({ required: true }) },
    async resolve(_, { id }, { actor, passkeys }) {
      await passkeys.remove(actor, String(id));
      return true;
    },
  }),
  passkeySignInOptions: t.field({
    type: PasskeySignInOptions,
    description: 'Starts a sign-in with a passkey: options naming no account (the device offers the passkeys it holds for this site).',
    resolve: (_, __, { passkeys, client }) => passkeys.signInOptions(client),
  }),
  signInWithPasskey: t.field({
    type: SignInResult,
    description:
      'Signs in with the authenticator’s answer to `passkeySignInOptions`: a new session on success, as after a password. A user-verified passkey is both factors: administrators and auditors are not asked for an authenticator’s code. A refused answer counts as a failed sign-in of the address.',
    args: { answer: t.arg({ type: 'JSON', required: true, description: 'What `startAuthentication` answered.' }) },
    async resolve(_, { answer }, { passkeys, client }) {
      return answerOf(await passkeys.signIn({ answer: answerText(answer), ...client }));
    },
  }),
}));
