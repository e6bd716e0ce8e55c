/**
 * What /login/sso (begin) and /login/sso/callback (complete) share: the cookies that carry a
 * single sign-on from the click to the provider's answer. The binding ties the answer to this
 * browser (the API keeps only its SHA-256 beside the flow's state, nonce and PKCE verifier); the
 * page to go on to is kept beside it. Both live ten minutes, HttpOnly, on /login/sso only.
 */
import type { Cookies } from '@sveltejs/kit';

export const SSO_BINDING_COOKIE = 'yingpan_sso';
export const SSO_NEXT_COOKIE = 'yingpan_sso_next';

const options = (url: URL) => ({ path: '/login/sso', httpOnly: true, sameSite: 'lax' as const, secure: url.protocol === 'https:', maxAge: 600 });

export function keepFlow(cookies: Cookies, url: URL, binding: string, next: string | null): void {
  cookies.set(SSO_BINDING_COOKIE, binding, options(url));
  if (next) cookies.set(SSO_NEXT_COOKIE, next, options(url));
  else cookies.delete(SSO_NEXT_COOKIE, { path: '/login/sso' });
}

/** The flow's cookies, read once: they are gone after. */
export function takeFlow(cookies: Cookies): { binding: string; next: string | null } {
  const binding = cookies.get(SSO_BINDING_COOKIE) ?? '';
  const next = cookies.get(SSO_NEXT_COOKIE) ?? null;
  cookies.delete(SSO_BINDING_COOKIE, { path: '/login/sso' });
  cookies.delete(SSO_NEXT_COOKIE, { path: '/login/sso' });
  return { binding, next };
}
