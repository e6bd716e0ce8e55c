/** /login/sso/result: a single sign-on that did not open a session yet — the authenticator's code to give, or why it was refused. */
import { takeResult } from '../sso';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const result = takeResult(event.cookies);
  return (
    result ?? {
      step: 'refused' as const,
      next: null,
      messageZh: '登录请求已失效，请重新点击统一身份认证登录',
      messageEn: 'The sign-in request expired; start the single sign-on again',
    }
  );
};
