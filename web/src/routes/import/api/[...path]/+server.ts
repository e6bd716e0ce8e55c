/**
 * `/import/api/…` on the web server's own origin: forwarded to the API's `/import/…` (the template,
 * the upload's parts, the run with its progress lines), with the session cookie's token as the
 * bearer. A request from another site's page is refused, as on /graphql.
 */
import { apiUrl } from '$lib/server/api';
import { SESSION_COOKIE } from '$lib/server/session';
import type { RequestHandler } from './$types';

const hostOf = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

const forward: RequestHandler = async ({ request, url, params, cookies }) => {
  const origin = request.headers.get('origin');
  if (request.method !== 'GET' && origin !== null && hostOf(origin) !== url.host) {
    return Response.json({ error: { zh: '请求来自其他网站，已拒绝', en: 'Refused: the request came from another site' } }, { status: 403 });
  }
  const token = cookies.get(SESSION_COOKIE);
  const headers = new Headers();
  if (token) headers.set('authorization', `Bearer ${token}`);
  const type = request.headers.get('content-type');
  if (type) headers.set('content-type', type);
  const target = apiUrl(`/import/${params.path}`, url.search);
  const body = request.method === 'GET' ? undefined : await request.arrayBuffer();
  const upstream = await fetch(target, { method: request.method, headers, body });
  const out = new Headers();
  for (const name of ['content-type', 'content-disposition', 'cache-control']) {
    const value = upstream.headers.get(name);
    if (value) out.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers: out });
};

export const GET = forward;
export const PUT = forward;
export const POST = forward;
