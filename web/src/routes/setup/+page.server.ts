/**
 * 首次安装: on a log with no accounts, the first administrator is created with the one-time setup
 * code printed on the server's console (or by `npx yingpan init`), and signed in. No default password.
 */
import { fail, redirect } from '@sveltejs/kit';
import { callApi, clientOf, field, type MutationAnswer } from '$lib/server/accounts';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/session';
import { ENROL_TOTP_HREF } from '$lib/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const answer = await callApi<{ setupNeeded: boolean }>('{ setupNeeded }', {}, {}, event.fetch);
  return { setupNeeded: answer.data?.setupNeeded ?? false };
};

const INSTALL = `mutation FirstInstall($input: FirstInstallInput!) { completeFirstInstall(input: $input) {
  __typename ... on CompleteFirstInstallResult { data { ok token } } ... on Rejection { code field messageZh messageEn } } }`;

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = { setupCode: field(form, 'setupCode'), username: field(form, 'username'), displayName: field(form, 'displayName') };
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? '')) {
      return fail(400, { ...values, messageZh: '两次输入的密码不一致', messageEn: 'The passwords differ' });
    }
    const client = clientOf(event);
    const answer = await callApi<{ completeFirstInstall: MutationAnswer<{ ok: boolean; token: string }> }>(
      INSTALL,
      { input: { ...values, password } },
      { address: client.address, userAgent: client.userAgent },
      event.fetch,
    );
    const result = answer.data?.completeFirstInstall;
    const token: string | undefined = result?.data?.token;
    if (!token) {
      return fail(400, {
        ...values,
        messageZh: result?.messageZh ?? answer.error?.messageZh ?? '未能完成首次安装',
        messageEn: result?.messageEn ?? answer.error?.messageEn ?? 'The first install failed',
      });
    }
    event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(event.url, token));
    // The first administrator enrols an authenticator app before anything else (我的账户).
    redirect(303, ENROL_TOTP_HREF);
  },
};
