/**
 * 添加通行密钥, the web server's half (Passkeys.svelte is the page's): `options` asks the API for
 * creation options for the account signed in; `register` hands the authenticator's answer and the
 * name given to the API, which checks it and records the passkey. The session token rides from the
 * HttpOnly cookie as the bearer.
 */
import { json, type RequestHandler } from '@sveltejs/kit';
import { callApi, clientOf, type MutationAnswer, outcomeOf } from '$lib/server/accounts';

const OPTIONS = `mutation { passkeyRegistrationOptions {
  __typename ... on PasskeyRegistrationOptionsResult { data } ... on Rejection { code messageZh messageEn } } }`;
const REGISTER = `mutation($answer: JSON!, $name: String!) { registerPasskey(answer: $answer, name: $name) {
  __typename ... on RegisterPasskeyResult { data { id name } } ... on Rejection { code messageZh messageEn } } }`;

export const POST: RequestHandler = async (event) => {
  const body = (await event.request.json().catch(() => null)) as { step?: string; answer?: unknown; name?: string } | null;
  const client = clientOf(event);
  if (body?.step === 'options') {
    const answer = await callApi<{ passkeyRegistrationOptions: MutationAnswer<unknown> }>(OPTIONS, {}, client, event.fetch);
    const outcome = answer.data ? outcomeOf(answer.data.passkeyRegistrationOptions) : { ok: false as const, rejection: answer.error! };
    return outcome.ok ? json({ options: outcome.data }) : json(outcome.rejection, { status: 400 });
  }
  if (body?.step === 'register' && body.answer && typeof body.answer === 'object') {
    const answer = await callApi<{ registerPasskey: MutationAnswer<{ id: string; name: string }> }>(
      REGISTER,
      { answer: body.answer, name: String(body.name ?? '') },
      client,
      event.fetch,
    );
    const outcome = answer.data ? outcomeOf(answer.data.registerPasskey) : { ok: false as const, rejection: answer.error! };
    return outcome.ok ? json({ passkey: outcome.data }) : json(outcome.rejection, { status: 400 });
  }
  return json({ code: 'bad-request', messageZh: '请求不完整', messageEn: 'Incomplete request' }, { status: 400 });
};
