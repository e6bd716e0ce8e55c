/**
 * `/import/api/…` on the web server's own origin: forwarded to the API's `/import/…` (the template,
 * the upload's parts, the run with its progress lines), with the session cookie's token as the
 * bearer ($lib/server/graphql-proxy). A request from another site's page is refused, as on /graphql.
 */
import { apiUrl } from '$lib/server/api';
import { forwardToApi } from '$lib/server/graphql-proxy';
import { SESSION_COOKIE } from '$lib/server/session';
import type { RequestHandler } from './$types';

const forward: RequestHandler = ({ request, url, params, cookies }) =>
  forwardToApi(request, apiUrl(`/import/${params.path}`, url.search), { token: cookies.get(SESSION_COOKIE), origin: url.origin, shape: 'plain' });

export const GET = forward;
export const PUT = forward;
export const POST = forward;
