/** `/graphql` on the web server's own origin: forwarded to the API at `${API_URL}/graphql`. */
import { env } from '$env/dynamic/private';
import { forwardGraphql, graphqlUrl } from '$lib/server/graphql-proxy';
import type { RequestHandler } from './$types';

const DEFAULT_API_URL = 'http://localhost:4000';

const forward: RequestHandler = ({ request, url }) => forwardGraphql(request, graphqlUrl(env.API_URL || DEFAULT_API_URL, url.search));

export const GET = forward;
export const POST = forward;
