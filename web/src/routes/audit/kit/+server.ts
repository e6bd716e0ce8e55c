/**
 * `/audit/kit?…` on the web server's own origin: the auditor's kit (核验包), forwarded to the API's
 * `GET /kit?…` (services/api/src/kit-http.ts) as /graphql is, with the session cookie's token as
 * the bearer; the answer — the file with its Chinese name, or the refusal in Chinese — comes back
 * unchanged. The API decides who may have it (auditors and administrators).
 */
import { apiUrl } from '$lib/server/api';
import { forwardGraphql } from '$lib/server/graphql-proxy';
import { SESSION_COOKIE } from '$lib/server/session';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ request, url, cookies }) => {
  const token = cookies.get(SESSION_COOKIE);
  const response = await forwardGraphql(request, apiUrl('/kit', url.search), { token, origin: url.origin });
  if (response.status === 401 && token && !request.headers.has('authorization')) cookies.delete(SESSION_COOKIE, { path: '/' });
  return response;
};
