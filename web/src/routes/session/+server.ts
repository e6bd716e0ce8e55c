/**
 * The browser's sign-in (see $lib/server/session.ts).
 * - `GET`: who the session acts as (the public without one); a token the API no longer accepts
 *   is dropped and answered 401 with the API's reason.
 * - `POST { token }`: asks the API `me` with the token; only a token it accepts is kept, in an
 *   httpOnly cookie. Answers the viewer, or 400/401 with the reason (nothing kept).
 * - `DELETE`: signs out (a password sign-in's session is ended on the server as well).
 */
import { json } from '@sveltejs/kit';
import { callApi } from '$lib/server/accounts';
import { apiGraphqlUrl } from '$lib/server/api';
import { SESSION_COOKIE, askViewer, sessionCookieOptions, type Problem } from '$lib/server/session';
import { PUBLIC_ROLE } from '$lib/session';
import type { RequestHandler } from './$types';

const refuse = (status: number, problem: Problem) => json({ error: problem }, { status, headers: { 'cache-control': 'no-store' } });

export const GET: RequestHandler = async ({ cookies, fetch }) => {
  const token = cookies.get(SESSION_COOKIE);
  const answer = await askViewer(apiGraphqlUrl(), token, fetch);
  if (!answer.ok) {
    if (answer.status === 401) cookies.delete(SESSION_COOKIE, { path: '/' });
    return refuse(answer.status, answer.problem);
  }
  return json({ viewer: answer.viewer }, { headers: { 'cache-control': 'no-store' } });
};

export const POST: RequestHandler = async ({ request, cookies, url, fetch }) => {
  let token: unknown;
  try {
    ({ token } = (await request.json()) as { token?: unknown });
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token.trim() === '' || token.length > 4096) {
    return refuse(400, { code: 'missing-token', messageZh: '请粘贴登录凭证', messageEn: 'Paste a sign-in token' });
  }
  const answer = await askViewer(apiGraphqlUrl(), token.trim(), fetch);
  if (!answer.ok) return refuse(answer.status, answer.problem);
  if (answer.viewer.role === PUBLIC_ROLE) {
    // The API read no sign-in from it: nothing worth keeping.
    return refuse(401, { code: 'unauthenticated', messageZh: '登录凭证无效', messageEn: 'The sign-in token is not valid for this server' });
  }
  cookies.set(SESSION_COOKIE, token.trim(), sessionCookieOptions(url, token.trim()));
  return json({ viewer: answer.viewer }, { headers: { 'cache-control': 'no-store' } });
};

export const DELETE: RequestHandler = async ({ cookies, fetch }) => {
  const token = cookies.get(SESSION_COOKIE);
  // A session signed in with a password ends on the server too (a service token simply expires).
  if (token?.startsWith('ys_')) await callApi('mutation { signOut }', {}, { token }, fetch);
  cookies.delete(SESSION_COOKIE, { path: '/' });
  return new Response(null, { status: 204 });
};
