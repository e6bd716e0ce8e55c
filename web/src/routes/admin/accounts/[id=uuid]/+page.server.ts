/** One account (administrators): its person, grants and their history; grant, revoke, link, reset the password or the authenticator. */
import { error, fail } from '@sveltejs/kit';
import { type AccountView, callApi, clientOf, field, type GrantView, type MutationAnswer, outcomeOf } from '$lib/server/accounts';
import type { Actions, PageServerLoad } from './$types';

const ACCOUNT = `query($id: ID!) {
  account(id: $id) { accountId username displayName personId personName mustChangePassword lockedUntil createdAt totpEnrolled totpEnrolledAt singleSignOnIdentity
    passkeys { id name registeredAt lastUsedAt }
    grants { id role roleLabelZh scopeKind township stationId stationName from until revokedOn revokeReason grantedBy grantedByName grantedAt revokedBy revokedByName revokedAt holdsToday } }
  stations(first: 100) { edges { node { stationId name township } } }
  singleSignOn { label claim } }`;

export const load: PageServerLoad = async (event) => {
  const answer = await callApi<{
    account:
      | (AccountView & {
          grants: GrantView[];
          singleSignOnIdentity: string | null;
          passkeys: { id: string; name: string; registeredAt: string; lastUsedAt: string | null }[];
        })
      | null;
    stations: { edges: { node: { stationId: string; name: string; township: string } }[] };
    singleSignOn: { label: string; claim: string } | null;
  }>(ACCOUNT, { id: event.params.id }, clientOf(event), event.fetch);
  if (!answer.data?.account) error(answer.error?.code === 'forbidden' ? 403 : 404, answer.error?.messageZh ?? '找不到该账户');
  const stations = answer.data.stations.edges.map((edge) => edge.node);
  return {
    account: answer.data.account,
    stations,
    townships: [...new Set(stations.map((station) => station.township))].sort(),
    singleSignOn: answer.data.singleSignOn,
  };
};

const RESULT = (name: string) => `__typename ... on ${name}Result { data { id } } ... on Rejection { code field messageZh messageEn }`;

async function mutate(event: Parameters<Actions[string]>[0], action: string, name: string, document: string, variables: Record<string, unknown>) {
  const answer = await callApi<Record<string, MutationAnswer>>(document, variables, clientOf(event), event.fetch);
  const key = name.charAt(0).toLowerCase() + name.slice(1);
  const outcome = outcomeOf(answer.data?.[key]);
  if (!outcome.ok) return fail(400, { action, ...(answer.data ? outcome.rejection : answer.error!) });
  return { action, done: true };
}

export const actions: Actions = {
  grant: async (event) => {
    const form = await event.request.formData();
    const scopeKind = field(form, 'scopeKind') || 'COUNTY';
    return mutate(event, 'grant', 'GrantRole', `mutation($input: GrantRoleInput!) { grantRole(input: $input) { ${RESULT('GrantRole')} } }`, {
      input: {
        accountId: event.params.id,
        role: field(form, 'role'),
        scopeKind,
        township: scopeKind === 'TOWNSHIP' ? field(form, 'township') : null,
        stationId: scopeKind === 'STATION' ? field(form, 'stationId') || null : null,
        from: field(form, 'from') || null,
        until: field(form, 'until') || null,
      },
    });
  },
  revoke: async (event) => {
    const form = await event.request.formData();
    return mutate(
      event,
      'revoke',
      'RevokeRole',
      `mutation($a: ID!, $g: ID!, $r: String) { revokeRole(accountId: $a, grantId: $g, reason: $r) { ${RESULT('RevokeRole')} } }`,
      {
        a: event.params.id,
        g: field(form, 'grantId'),
        r: field(form, 'reason') || null,
      },
    );
  },
  link: async (event) => {
    const form = await event.request.formData();
    return mutate(
      event,
      'link',
      'LinkAccountToPerson',
      `mutation($a: ID!, $p: ID!) { linkAccountToPerson(accountId: $a, personId: $p) { ${RESULT('LinkAccountToPerson')} } }`,
      {
        a: event.params.id,
        p: field(form, 'personId'),
      },
    );
  },
  linkSingleSignOn: async (event) => {
    const form = await event.request.formData();
    return mutate(
      event,
      'linkSingleSignOn',
      'LinkAccountToSingleSignOn',
      `mutation($a: ID!, $v: String!) { linkAccountToSingleSignOn(accountId: $a, value: $v) { ${RESULT('LinkAccountToSingleSignOn')} } }`,
      { a: event.params.id, v: field(form, 'value') },
    );
  },
  unlinkSingleSignOn: async (event) => {
    const form = await event.request.formData();
    return mutate(
      event,
      'unlinkSingleSignOn',
      'UnlinkAccountFromSingleSignOn',
      `mutation($a: ID!, $r: String) { unlinkAccountFromSingleSignOn(accountId: $a, reason: $r) { ${RESULT('UnlinkAccountFromSingleSignOn')} } }`,
      { a: event.params.id, r: field(form, 'reason') || null },
    );
  },
  removePasskey: async (event) => {
    const form = await event.request.formData();
    const answer = await callApi<{ removePasskey: { __typename: string; messageZh?: string; messageEn?: string } }>(
      `mutation($id: ID!) { removePasskey(id: $id) { __typename ... on Rejection { code field messageZh messageEn } } }`,
      { id: field(form, 'credentialId') },
      clientOf(event),
      event.fetch,
    );
    const result = answer.data?.removePasskey;
    if (result?.__typename === 'RemovePasskeyResult') return { action: 'removePasskey', done: true };
    return fail(400, { action: 'removePasskey', ...(result ?? answer.error!) });
  },
  resetTotp: async (event) => {
    const form = await event.request.formData();
    return mutate(event, 'resetTotp', 'ResetTotp', `mutation($a: ID!, $r: String) { resetTotp(accountId: $a, reason: $r) { ${RESULT('ResetTotp')} } }`, {
      a: event.params.id,
      r: field(form, 'reason') || null,
    });
  },
  reset: async (event) => {
    const form = await event.request.formData();
    return mutate(
      event,
      'reset',
      'ResetPassword',
      `mutation($a: ID!, $p: String!) { resetPassword(accountId: $a, password: $p) { ${RESULT('ResetPassword')} } }`,
      {
        a: event.params.id,
        p: String(form.get('password') ?? ''),
      },
    );
  },
};
