/**
 * Forwards a GraphQL request to the API and streams the answer back unchanged, so server-sent
 * events (subscriptions) pass through as they arrive. The browser needs no CORS and never
 * learns the API's address. The sign-in token kept in the session cookie goes on as the
 * request's bearer token (a request that brings its own Authorization header keeps it).
 */

/** Headers that describe one hop, not the message; Node's fetch also decodes compressed bodies. */
const DROPPED_REQUEST_HEADERS = ['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'upgrade', 'accept-encoding'];
const DROPPED_RESPONSE_HEADERS = ['connection', 'keep-alive', 'content-length', 'transfer-encoding', 'content-encoding'];

/** `${apiUrl}/graphql` with the incoming query string (GET requests carry the operation there). */
export function graphqlUrl(apiUrl: string, search: string): string {
  return `${apiUrl.replace(/\/+$/, '')}/graphql${search}`;
}

/** The headers sent to the API: the request's own, less the hop-by-hop ones, with the session's bearer token unless it has one. */
export function upstreamHeaders(incoming: Headers, token?: string): Headers {
  const headers = new Headers(incoming);
  for (const name of DROPPED_REQUEST_HEADERS) headers.delete(name);
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  return headers;
}

export interface ForwardOptions {
  /** The signed-in token from the session cookie, if any. */
  token?: string;
}

export async function forwardGraphql(request: Request, target: string, options: ForwardOptions = {}): Promise<Response> {
  const headers = upstreamHeaders(request.headers, options.token);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';

  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      signal: request.signal,
      redirect: 'manual',
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return Response.json({ errors: [{ message: `API unreachable: ${message}` }] }, { status: 502 });
  }

  const responseHeaders = new Headers(upstream.headers);
  for (const name of DROPPED_RESPONSE_HEADERS) responseHeaders.delete(name);
  if (responseHeaders.get('content-type')?.startsWith('text/event-stream')) {
    responseHeaders.set('cache-control', 'no-cache');
    responseHeaders.set('x-accel-buffering', 'no');
  }
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: responseHeaders });
}
