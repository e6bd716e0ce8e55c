/**
 * `/files/…` on the web server's own origin: evidence files (佐证材料), forwarded to the API's
 * `/files/…` (services/api/src/files-http.ts) with the session cookie's token as the bearer — the
 * upload's parts and its attaching, a subject's list, a file and its thumbnail. The API decides who
 * may see a file (403 for anyone else); a request from another site's page is refused here.
 */
import { apiUrl } from '$lib/server/api';
import { forwardToApi } from '$lib/server/graphql-proxy';
import { SESSION_COOKIE } from '$lib/server/session';
import type { RequestHandler } from './$types';

const forward: RequestHandler = ({ request, url, params, cookies }) =>
  forwardToApi(request, apiUrl(`/files/${params.path}`, url.search), { token: cookies.get(SESSION_COOKIE), origin: url.origin, shape: 'plain' });

export const GET = forward;
export const PUT = forward;
export const POST = forward;
