/** 账户与授权 (administrators): every account, and opening one (optionally linked to a person found by name). */
import { fail, redirect } from '@sveltejs/kit';
import { type AccountView, callApi, clientOf, field, type GrantView, type MutationAnswer, outcomeOf } from '$lib/server/accounts';
import type { Actions, PageServerLoad } from './$types';

const LIST = `query($search: String) { accounts(search: $search) {
  accountId username displayName personName lockedUntil grantsToday { id roleLabelZh scopeKind township stationName } } }`;

export const load: PageServerLoad = async (event) => {
  const search = event.url.searchParams.get('q')?.trim() || null;
  const answer = await callApi<{ accounts: (AccountView & { grantsToday: GrantView[] })[] }>(LIST, { search }, clientOf(event), event.fetch);
  return { accounts: answer.data?.accounts ?? [], search, problem: answer.error };
};

export const actions: Actions = {
  create: async (event) => {
    const form = await event.request.formData();
    const values = { username: field(form, 'username'), displayName: field(form, 'displayName'), personId: field(form, 'personId') || null };
    const answer = await callApi<{ createAccount: MutationAnswer<{ accountId: string }> }>(
      `mutation($input: CreateAccountInput!) { createAccount(input: $input) {
        __typename ... on CreateAccountResult { data { accountId } } ... on Rejection { code field messageZh messageEn } } }`,
      { input: { ...values, password: String(form.get('password') ?? '') } },
      clientOf(event),
      event.fetch,
    );
    const outcome = outcomeOf<{ accountId: string }>(answer.data?.createAccount);
    if (!outcome.ok) {
      const rejection = answer.error && !answer.data ? answer.error : outcome.rejection;
      return fail(400, { ...values, personName: field(form, 'personName'), ...rejection });
    }
    redirect(303, `/admin/accounts/${outcome.data.accountId}`);
  },
};
