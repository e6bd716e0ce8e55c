/**
 * `/graphql` on the web server's own origin: forwarded to the API at `${API_URL}/graphql`, with
 * the session cookie's token as the bearer. When the API refuses that token (401: expired or
 * signed with another secret), the cookie goes too, so the browser is simply signed out.
 */
import { apiGraphqlUrl } from '$lib/server/api';
import { forwardGraphql } from '$lib/server/graphql-proxy';
import { SESSION_COOKIE } from '$lib/server/session';
import type { RequestHandler } from './$types';

const forward: RequestHandler = async ({ request, url, cookies }) => {
  const token = cookies.get(SESSION_COOKIE);
  const response = await forwardGraphql(request, apiGraphqlUrl(url.search), { token, origin: url.origin });
  if (response.status === 401 && token && !request.headers.has('authorization')) cookies.delete(SESSION_COOKIE, { path: '/' });
  return response;
};

export const GET = forward;
export const POST = forward;
