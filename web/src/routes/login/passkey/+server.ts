/**
 * 使用通行密钥登录, the web server's half (PasskeySignIn.svelte is the page's): `options` asks the API
 * for a one-time challenge naming no account; `verify` hands the authenticator's answer to the API,
 * and a session it opens goes into the HttpOnly cookie (never to the page's scripts), as after a
 * password. The browser's address goes along, so refused answers are throttled per address.
 */
import { json, type RequestHandler } from '@sveltejs/kit';
import { callApi, clientOf } from '$lib/server/accounts';
import { apiGraphqlUrl } from '$lib/server/api';
import { askViewer, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/session';
import { afterSignIn, ENROL_TOTP_HREF } from '$lib/session';

const OPTIONS = 'mutation { passkeySignInOptions { options retryAfterSeconds } }';
const VERIFY = `mutation($answer: JSON!) { signInWithPasskey(answer: $answer) { ok token mustChangePassword mustEnrolTotp messageZh messageEn } }`;

interface SignInResult {
  ok: boolean;
  token: string | null;
  mustChangePassword: boolean;
  mustEnrolTotp: boolean;
  messageZh: string | null;
  messageEn: string | null;
}

const unavailable = (error: { messageZh: string; messageEn: string } | null) => ({
  messageZh: error?.messageZh ?? '登录服务暂不可用，请稍后再试',
  messageEn: error?.messageEn ?? 'Sign-in is unavailable; try again later',
});

export const POST: RequestHandler = async (event) => {
  const body = (await event.request.json().catch(() => null)) as { step?: string; answer?: unknown; next?: string | null } | null;
  const client = clientOf(event);
  // A sign-in opens a session of its own: the cookie's current one is not sent.
  const caller = { address: client.address, userAgent: client.userAgent };
  if (body?.step === 'options') {
    const answer = await callApi<{ passkeySignInOptions: { options: unknown; retryAfterSeconds: number | null } }>(OPTIONS, {}, caller, event.fetch);
    const found = answer.data?.passkeySignInOptions;
    if (!found) return json(unavailable(answer.error), { status: 502 });
    if (!found.options) {
      const wait = found.retryAfterSeconds ?? 60;
      const shown = wait < 60 ? `${wait} 秒` : `${Math.ceil(wait / 60)} 分钟`;
      return json({ messageZh: `尝试次数过多，请 ${shown}后再试`, messageEn: `Too many attempts; try again in ${wait} s` }, { status: 429 });
    }
    return json({ options: found.options });
  }
  if (body?.step === 'verify' && body.answer && typeof body.answer === 'object') {
    const answer = await callApi<{ signInWithPasskey: SignInResult }>(VERIFY, { answer: body.answer }, caller, event.fetch);
    const result = answer.data?.signInWithPasskey;
    if (!result) return json(unavailable(answer.error), { status: 502 });
    if (!result.ok || !result.token) return json({ messageZh: result.messageZh, messageEn: result.messageEn }, { status: 401 });
    event.cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(event.url, result.token));
    const viewer = await askViewer(apiGraphqlUrl(), result.token, event.fetch);
    const next = result.mustEnrolTotp ? ENROL_TOTP_HREF : result.mustChangePassword ? '/account?reason=change-password' : (body.next ?? null);
    return json({ location: viewer.ok ? afterSignIn(viewer.viewer.role, next) : '/account' });
  }
  return json({ messageZh: '请求不完整', messageEn: 'Incomplete request' }, { status: 400 });
};
