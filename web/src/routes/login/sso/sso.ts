/**
 * What /login/sso (begin), /login/sso/callback (complete) and /login/sso/result share: the cookies
 * that carry a single sign-on from the click to the provider's answer. The binding ties the answer
 * to this browser (the API keeps only its SHA-256 beside the flow's state, nonce and PKCE
 * verifier); the page to go on to is kept beside it. An answer that did not sign in (a refusal in
 * words, or the authenticator's challenge) is handed to /login/sso/result the same way, read once.
 * All live ten minutes at most, HttpOnly, on /login/sso only.
 */
import type { Cookies } from '@sveltejs/kit';

export const SSO_BINDING_COOKIE = 'yingpan_sso';
export const SSO_NEXT_COOKIE = 'yingpan_sso_next';
export const SSO_RESULT_COOKIE = 'yingpan_sso_result';

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

/** What /login/sso/result shows: the authenticator's code asked for, or why the sign-in was refused. */
export type SsoResult =
  | { step: 'code'; challenge: string; next: string | null }
  | { step: 'refused'; messageZh: string; messageEn: string; next: string | null };

export function keepResult(cookies: Cookies, url: URL, result: SsoResult): void {
  cookies.set(SSO_RESULT_COOKIE, JSON.stringify(result), { ...options(url), maxAge: 300 });
}

/** The result handed over, read once; null when there is none (read already, or too old). */
export function takeResult(cookies: Cookies): SsoResult | null {
  const text = cookies.get(SSO_RESULT_COOKIE);
  cookies.delete(SSO_RESULT_COOKIE, { path: '/login/sso' });
  if (!text) return null;
  try {
    return JSON.parse(text) as SsoResult;
  } catch {
    return null;
  }
}
