/**
 * /login/sso/callback: where the single sign-on provider sends the browser back. The API checks the
 * answer against the flow this browser began (state, binding, PKCE, nonce) and finds the account
 * linked to the identity; a session's token goes into the HttpOnly cookie as after a password, and
 * the browser loads its next page afresh (the page's viewer is written into that document). An
 * administrator or auditor gives the authenticator's code next, and a refusal is shown in words:
 * both on /login/sso/result.
 */
import { redirect } from '@sveltejs/kit';
import { callApi, clientOf } from '$lib/server/accounts';
import { apiGraphqlUrl } from '$lib/server/api';
import { askViewer, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/session';
import { afterSignIn, ENROL_TOTP_HREF } from '$lib/session';
import { keepResult, takeFlow } from '../sso';
import type { RequestHandler } from './$types';

const COMPLETE = `mutation($input: CompleteSingleSignOnInput!) {
  completeSingleSignOn(input: $input) { ok token mustEnrolTotp totpRequired challenge messageZh messageEn } }`;

interface Result {
  ok: boolean;
  token: string | null;
  mustEnrolTotp: boolean;
  totpRequired: boolean;
  challenge: string | null;
  messageZh: string | null;
  messageEn: string | null;
}

export const GET: RequestHandler = async (event) => {
  const { binding, next } = takeFlow(event.cookies);
  const { address, userAgent } = clientOf(event);
  const answer = await callApi<{ completeSingleSignOn: Result }>(
    COMPLETE,
    { input: { query: event.url.search, binding } },
    { address, userAgent },
    event.fetch,
  );
  const result = answer.data?.completeSingleSignOn;
  if (result?.ok && result.token) {
    event.cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(event.url, result.token));
    const viewer = await askViewer(apiGraphqlUrl(), result.token, event.fetch);
    redirect(303, result.mustEnrolTotp ? ENROL_TOTP_HREF : viewer.ok ? afterSignIn(viewer.viewer.role, next) : '/account');
  }
  if (result?.totpRequired && result.challenge) {
    keepResult(event.cookies, event.url, { step: 'code', challenge: result.challenge, next });
  } else {
    keepResult(event.cookies, event.url, {
      step: 'refused',
      next,
      messageZh: result?.messageZh ?? answer.error?.messageZh ?? '登录失败',
      messageEn: result?.messageEn ?? answer.error?.messageEn ?? 'Sign-in failed',
    });
  }
  redirect(303, '/login/sso/result');
};
