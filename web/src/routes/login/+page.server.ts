/**
 * 登录: user name and password. The API checks them (argon2id, throttled, the same answer for an
 * unknown name) and opens a session; its token goes into the HttpOnly cookie, never to the page.
 */
import { fail, redirect } from '@sveltejs/kit';
import { callApi, clientOf, field } from '$lib/server/accounts';
import { apiGraphqlUrl } from '$lib/server/api';
import { askViewer, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/session';
import { afterSignIn } from '$lib/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const answer = await callApi<{ setupNeeded: boolean }>('{ setupNeeded }', {}, {}, event.fetch);
  return { setupNeeded: answer.data?.setupNeeded ?? false };
};

const SIGN_IN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { ok token mustChangePassword retryAfterSeconds messageZh messageEn } }`;

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const username = field(form, 'username');
    const password = String(form.get('password') ?? '');
    if (!username || !password) {
      return fail(400, { username, messageZh: '请输入用户名和密码', messageEn: 'Enter your user name and password' });
    }
    const client = clientOf(event);
    const answer = await callApi<{ signIn: { ok: boolean; token: string | null; mustChangePassword: boolean; messageZh: string; messageEn: string } }>(
      SIGN_IN,
      { input: { username, password } },
      { address: client.address, userAgent: client.userAgent },
      event.fetch,
    );
    const result = answer.data?.signIn;
    if (!result?.ok || !result.token) {
      return fail(result ? 401 : 502, {
        username,
        messageZh: result?.messageZh ?? answer.error?.messageZh ?? '登录失败',
        messageEn: result?.messageEn ?? answer.error?.messageEn ?? 'Sign-in failed',
      });
    }
    event.cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(event.url, result.token));
    const viewer = await askViewer(apiGraphqlUrl(), result.token, event.fetch);
    const next = result.mustChangePassword ? '/account?reason=change-password' : event.url.searchParams.get('next');
    redirect(303, viewer.ok ? afterSignIn(viewer.viewer.role, next) : '/account');
  },
};
