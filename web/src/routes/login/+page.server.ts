/**
 * 登录: user name and password, and for administrators and auditors the 6-digit code of their
 * authenticator app as a second step. The API checks them (argon2id, throttled, the same answer for
 * an unknown name) and opens a session; its token goes into the HttpOnly cookie, never to the page.
 * Between the two steps the page holds only the API's short-lived challenge, not a session.
 */
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { callApi, clientOf, field } from '$lib/server/accounts';
import { apiGraphqlUrl } from '$lib/server/api';
import { askViewer, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/session';
import { afterSignIn, ENROL_TOTP_HREF } from '$lib/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const answer = await callApi<{ setupNeeded: boolean; singleSignOn: { label: string } | null }>('{ setupNeeded singleSignOn { label } }', {}, {}, event.fetch);
  return { setupNeeded: answer.data?.setupNeeded ?? false, singleSignOn: answer.data?.singleSignOn ?? null };
};

const RESULT = 'ok token mustChangePassword mustEnrolTotp totpRequired challenge restart retryAfterSeconds messageZh messageEn';
const SIGN_IN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { ${RESULT} } }`;
const SIGN_IN_WITH_TOTP = `mutation SignInWithTotp($input: TotpSignInInput!) { signInWithTotp(input: $input) { ${RESULT} } }`;

interface SignInResult {
  ok: boolean;
  token: string | null;
  mustChangePassword: boolean;
  mustEnrolTotp: boolean;
  totpRequired: boolean;
  challenge: string | null;
  restart: boolean;
  messageZh: string;
  messageEn: string;
}

/** A session opened: its token into the cookie, and on to the next page (我的账户 when something is asked of its holder). */
async function signedIn(event: RequestEvent, result: SignInResult & { token: string }): Promise<never> {
  event.cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(event.url, result.token));
  const viewer = await askViewer(apiGraphqlUrl(), result.token, event.fetch);
  const next = result.mustEnrolTotp ? ENROL_TOTP_HREF : result.mustChangePassword ? '/account?reason=change-password' : event.url.searchParams.get('next');
  redirect(303, viewer.ok ? afterSignIn(viewer.viewer.role, next) : '/account');
}

// Named actions (SvelteKit allows no default beside them): the password, then the code.
export const actions: Actions = {
  password: async (event) => {
    const form = await event.request.formData();
    const username = field(form, 'username');
    const password = String(form.get('password') ?? '');
    if (!username || !password) {
      return fail(400, { username, messageZh: '请输入用户名和密码', messageEn: 'Enter your user name and password' });
    }
    const client = clientOf(event);
    const answer = await callApi<{ signIn: SignInResult }>(
      SIGN_IN,
      { input: { username, password } },
      { address: client.address, userAgent: client.userAgent },
      event.fetch,
    );
    const result = answer.data?.signIn;
    if (result?.totpRequired && result.challenge) {
      return { step: 'code' as const, username, challenge: result.challenge, messageZh: null as string | null, messageEn: null as string | null };
    }
    if (!result?.ok || !result.token) {
      return fail(result ? 401 : 502, {
        username,
        messageZh: result?.messageZh ?? answer.error?.messageZh ?? '登录失败',
        messageEn: result?.messageEn ?? answer.error?.messageEn ?? 'Sign-in failed',
      });
    }
    return signedIn(event, { ...result, token: result.token });
  },
  code: async (event) => {
    const form = await event.request.formData();
    const username = field(form, 'username');
    const challenge = field(form, 'challenge');
    const code = field(form, 'code');
    if (!/^\d{6}$/.test(code.replace(/\s/g, ''))) {
      return fail(400, { step: 'code' as const, username, challenge, messageZh: '请输入 6 位数字动态码', messageEn: 'Enter the 6-digit code' });
    }
    const client = clientOf(event);
    const answer = await callApi<{ signInWithTotp: SignInResult }>(
      SIGN_IN_WITH_TOTP,
      { input: { challenge, code } },
      { address: client.address, userAgent: client.userAgent },
      event.fetch,
    );
    const result = answer.data?.signInWithTotp;
    if (!result?.ok || !result.token) {
      const messageZh = result?.messageZh ?? answer.error?.messageZh ?? '登录失败';
      const messageEn = result?.messageEn ?? answer.error?.messageEn ?? 'Sign-in failed';
      // Timed out or out of tries: back to the password.
      if (!result || result.restart) return fail(result ? 401 : 502, { username, messageZh, messageEn });
      return fail(401, { step: 'code' as const, username, challenge, messageZh, messageEn });
    }
    return signedIn(event, { ...result, token: result.token });
  },
};
