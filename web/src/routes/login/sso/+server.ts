/**
 * /login/sso: the single sign-on button's target. The API begins the flow (state, nonce and PKCE
 * kept on its side) and answers the provider's address; this browser keeps the flow's binding in an
 * HttpOnly cookie and goes to the provider. Without a provider (or when it cannot be reached): back
 * to the sign-in page, which says so.
 */
import { redirect } from '@sveltejs/kit';
import { callApi, clientOf, type MutationAnswer, outcomeOf } from '$lib/server/accounts';
import { keepFlow } from './sso';
import type { RequestHandler } from './$types';

const BEGIN = `mutation { beginSingleSignOn { __typename ... on BeginSingleSignOnResult { data { url binding } } ... on Rejection { code messageZh messageEn } } }`;

export const GET: RequestHandler = async (event) => {
  const { address, userAgent } = clientOf(event);
  const answer = await callApi<{ beginSingleSignOn: MutationAnswer<{ url: string; binding: string }> }>(BEGIN, {}, { address, userAgent }, event.fetch);
  const outcome = outcomeOf(answer.data?.beginSingleSignOn);
  if (!outcome.ok) redirect(303, '/login?sso=unavailable');
  keepFlow(event.cookies, event.url, outcome.data.binding, event.url.searchParams.get('next'));
  redirect(303, outcome.data.url);
};
