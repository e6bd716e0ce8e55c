/**
 * Forwards a request to the API and streams the answer back unchanged: GraphQL (`/graphql`, so
 * server-sent events of subscriptions pass through as they arrive), the Excel import
 * (`/import/api/…` → `/import/…`), evidence files (`/files/…`: their upload in parts and the files
 * themselves) and downloads such as the auditor's kit (`/audit/kit` → `/kit`). The one module that
 * forwards to the API. The browser needs no CORS and never learns the API's address. The sign-in
 * token kept in the session cookie goes on as the request's bearer token (a request that brings its
 * own Authorization header keeps it).
 */

/**
 * The largest request body forwarded, in bytes: the web server's own limit (adapter-node's
 * BODY_SIZE_LIMIT default, 512 KB), which the API's limit matches. A larger body is answered 413
 * here, as the API would answer it.
 */
export const BODY_LIMIT_BYTES = 512 * 1024;

/** Headers that describe one hop, not the message; Node's fetch also decodes compressed bodies. */
const DROPPED_REQUEST_HEADERS = ['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'upgrade', 'accept-encoding'];
const DROPPED_RESPONSE_HEADERS = ['connection', 'keep-alive', 'content-length', 'transfer-encoding', 'content-encoding'];

/** How a refusal made here is shaped: as GraphQL errors (`/graphql`), or as the file handlers' `{error: {zh, en}}`. */
export type RefusalShape = 'graphql' | 'plain';

/** An answer in the API's error shape, in both languages. */
function refusal(shape: RefusalShape, status: number, code: string, messageZh: string, messageEn: string): Response {
  const body =
    shape === 'graphql' ? { errors: [{ message: messageEn, extensions: { code, messageZh, messageEn } }] } : { error: { zh: messageZh, en: messageEn, code } };
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

const tooLarge = (shape: RefusalShape) =>
  refusal(shape, 413, 'request-too-large', `请求内容过大（上限 ${BODY_LIMIT_BYTES / 1024} KB）`, `Request body too large (limit ${BODY_LIMIT_BYTES} bytes)`);

/** `${apiUrl}${path}` with the incoming query string, e.g. the API's `/files/…` for the web's `/files/…`. */
export function apiPathUrl(apiUrl: string, path: string, search = ''): string {
  return `${apiUrl.replace(/\/+$/, '')}${path}${search}`;
}

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
  /** This web server's origin: a request whose Origin names another host or port is refused (see below). */
  origin?: string;
  /** How a refusal made here is shaped (default: GraphQL errors). */
  shape?: RefusalShape;
}

/**
 * The host and port an origin names (null for 'null' or nonsense). Only they are compared: behind
 * a proxy or without adapter-node's ORIGIN setting the server takes its own scheme to be https
 * while the browser says http, and the scheme tells no other site apart.
 */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}

/**
 * Forwards one request. Only the site's own pages may use it: a request whose `Origin` names another
 * origin — another port or a sibling subdomain is the same *site*, so the session cookie would go
 * along — is refused with 403 before anything reaches the API, and no CORS header ever comes back,
 * so no other origin can read an answer made with someone's session.
 */
export async function forwardToApi(request: Request, target: string, options: ForwardOptions = {}): Promise<Response> {
  const shape = options.shape ?? 'graphql';
  const from = request.headers.get('origin');
  if (options.origin && from !== null && hostOf(from) !== hostOf(options.origin)) {
    return refusal(shape, 403, 'forbidden-origin', '只接受本站页面发出的请求', 'Only this site’s own pages may send requests here');
  }
  const headers = upstreamHeaders(request.headers, options.token);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  if (hasBody && Number(request.headers.get('content-length')) > BODY_LIMIT_BYTES) return tooLarge(shape);

  let body: ArrayBuffer | undefined;
  try {
    body = hasBody ? await request.arrayBuffer() : undefined;
  } catch (error) {
    // The web server stops reading past its limit (a chunked body without a length).
    if ((error as { status?: number }).status === 413) return tooLarge(shape);
    throw error;
  }
  if (body && body.byteLength > BODY_LIMIT_BYTES) return tooLarge(shape);

  let upstream: Response;
  try {
    upstream = await fetch(target, { method: request.method, headers, body, signal: request.signal, redirect: 'manual' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return refusal(shape, 502, 'api-unreachable', `无法连接服务器，请稍后重试（${message}）`, `API unreachable: ${message}`);
  }

  const responseHeaders = new Headers(upstream.headers);
  for (const name of DROPPED_RESPONSE_HEADERS) responseHeaders.delete(name);
  for (const name of [...responseHeaders.keys()]) if (name.startsWith('access-control-')) responseHeaders.delete(name);
  if (responseHeaders.get('content-type')?.startsWith('text/event-stream')) {
    responseHeaders.set('cache-control', 'no-cache');
    responseHeaders.set('x-accel-buffering', 'no');
  }
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: responseHeaders });
}

/** Forwards a GraphQL request (refusals as GraphQL errors). */
export const forwardGraphql = (request: Request, target: string, options: Omit<ForwardOptions, 'shape'> = {}): Promise<Response> =>
  forwardToApi(request, target, { ...options, shape: 'graphql' });
