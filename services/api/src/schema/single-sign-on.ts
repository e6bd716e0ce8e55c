/**
 * Sign-in through the single sign-on provider (auth-sso.ts), when one is configured: whether there
 * is one and its button's label (`singleSignOn`, null when none), beginning and completing a
 * sign-in (the web's /login/sso and /login/sso/callback call these), and for administrators an
 * account's identity at the provider (`Account.singleSignOnIdentity`, linking and unlinking it).
 */
import { DomainError } from '@yingpan/domain';
import { accountById, identitiesOf } from '@yingpan/projections';
import { Account, answerOf, SignInResult } from './accounts.ts';
import { builder } from './builder.ts';

interface ProviderInfo {
  label: string;
  claim: string;
}

const SingleSignOn = builder.objectRef<ProviderInfo>('SingleSignOn').implement({
  description: 'The single sign-on provider (OpenID Connect) this system accepts sign-ins from.',
  fields: (t) => ({
    label: t.exposeString('label', { description: 'What the sign-in page’s button says, e.g. 省政务统一身份认证.' }),
    claim: t.exposeString('claim', {
      description: 'The claim of the provider’s identities that accounts are linked by (e.g. preferred_username, a staff number).',
    }),
  }),
});

const SingleSignOnStart = builder.objectRef<{ url: string; binding: string }>('SingleSignOnStart').implement({
  description: 'A sign-in begun: send the browser to `url`; keep `binding` in the browser (an HttpOnly cookie) for `completeSingleSignOn`.',
  fields: (t) => ({
    url: t.exposeString('url', { description: 'The provider’s authorization address (state, nonce and the PKCE challenge in it).' }),
    binding: t.exposeString('binding', { description: 'A secret tying the answer to the browser that began it.' }),
  }),
});

const CompleteSingleSignOnInput = builder.inputType('CompleteSingleSignOnInput', {
  fields: (t) => ({
    query: t.string({ required: true, description: 'The query string the provider sent the browser back with (`?code=…&state=…`).' }),
    binding: t.string({ required: true, description: 'What `beginSingleSignOn` answered as `binding`.' }),
  }),
});

builder.objectFields(Account, (t) => ({
  singleSignOnIdentity: t.string({
    nullable: true,
    description: 'The value of the configured claim at the single sign-on provider that signs in to this account; null when not linked or none is configured.',
    resolve: async (account, _, { db, sso }) => {
      const provider = sso.provider;
      if (!provider) return null;
      const identities = await identitiesOf(db, account.accountId);
      return identities.find((identity) => identity.issuer === provider.issuer && identity.claim === provider.claim)?.value ?? null;
    },
  }),
}));

builder.queryFields((t) => ({
  singleSignOn: t.field({
    type: SingleSignOn,
    nullable: true,
    skipTypeScopes: true,
    description: 'The single sign-on provider, when one is configured (null: password sign-in only).',
    resolve: (_, __, { sso }) => sso.provider,
  }),
}));

const accountAfter = async (db: Parameters<typeof accountById>[0], accountId: string) => {
  const account = await accountById(db, accountId);
  if (!account) throw new DomainError('account-not-found', { zh: '找不到该账户', en: 'No such account' }, 'accountId');
  return account;
};

builder.mutationFields((t) => ({
  beginSingleSignOn: t.field({
    type: SingleSignOnStart,
    errors: { types: [DomainError] },
    description: 'Begins a sign-in through the single sign-on provider (authorization code with PKCE; state and nonce kept on the server).',
    resolve: (_, __, { sso }) => sso.begin(),
  }),
  completeSingleSignOn: t.field({
    type: SignInResult,
    description:
      'Completes a sign-in with the provider’s answer: a session as a password sign-in opens, the authenticator’s challenge for an administrator or auditor, or why not (one answer for any identity that signs in to no account).',
    args: { input: t.arg({ type: CompleteSingleSignOnInput, required: true }) },
    async resolve(_, { input }, { sso, client }) {
      return answerOf(await sso.complete({ ...input, ...client }));
    },
  }),
  linkAccountToSingleSignOn: t.field({
    type: Account,
    errors: { types: [DomainError] },
    description: 'Links an account to the identity whose configured claim at the single sign-on provider has `value` (administrators).',
    args: { accountId: t.arg.id({ required: true }), value: t.arg.string({ required: true }) },
    async resolve(_, { accountId, value }, { actor, sso, db }) {
      await sso.link(actor, String(accountId), value);
      return accountAfter(db, String(accountId));
    },
  }),
  unlinkAccountFromSingleSignOn: t.field({
    type: Account,
    errors: { types: [DomainError] },
    description: 'Removes the link between an account and its identity at the single sign-on provider (administrators).',
    args: { accountId: t.arg.id({ required: true }), reason: t.arg.string() },
    async resolve(_, { accountId, reason }, { actor, sso, db }) {
      await sso.unlink(actor, String(accountId), reason ?? null);
      return accountAfter(db, String(accountId));
    },
  }),
}));
