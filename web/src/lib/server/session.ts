/**
 * The browser's sign-in: the API's signed token, kept in an httpOnly cookie so the page's
 * scripts never hold it. `/session` checks a token with the API before keeping it; `/graphql`
 * sends it on as `Authorization: Bearer …`.
 */
import type { Viewer } from '../session';

export const SESSION_COOKIE = 'yingpan_token';

/** The GraphQL selection every viewer answer carries. */
export const VIEWER_QUERY = '{ me { role roleLabelZh roleLabelEn personId name today mustEnrolTotp } }';

export interface CookieOptions {
  path: string;
  httpOnly: boolean;
  sameSite: 'lax';
  secure: boolean;
  /** Seconds; absent: the cookie lasts as long as the browser session. */
  maxAge?: number;
}

/**
 * When the token stops being valid, from its `exp` claim (seconds since 1970), or null when it
 * has none or cannot be read. Only for the cookie's lifetime: the API checks the signature.
 */
export function tokenExpiry(token: string): Date | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? new Date(claims.exp * 1000) : null;
  } catch {
    return null;
  }
}

/** How the session cookie is set: for the whole site, httpOnly, SameSite=Lax, Secure over https, gone when the token expires. */
export function sessionCookieOptions(url: URL, token: string, now: Date = new Date()): CookieOptions {
  const options: CookieOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' };
  const expiry = tokenExpiry(token);
  if (expiry) options.maxAge = Math.max(0, Math.floor((expiry.getTime() - now.getTime()) / 1000));
  return options;
}

/** A reason in both languages, as the API gives its errors. */
export interface Problem {
  code: string;
  messageZh: string;
  messageEn: string;
}

export type ViewerAnswer = { ok: true; viewer: Viewer } | { ok: false; status: number; problem: Problem };

interface GraphqlAnswer {
  data?: { me?: Viewer } | null;
  errors?: { message?: string; extensions?: { code?: string; messageZh?: string; messageEn?: string } }[];
}

/**
 * Asks the API who `token` acts as (no token: the public). A token the API refuses answers
 * 401 with the API's reason; an API that cannot be reached or answers nonsense, 502.
 */
export async function askViewer(graphqlUrl: string, token: string | undefined, fetcher: typeof fetch = fetch): Promise<ViewerAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  let body: GraphqlAnswer;
  try {
    response = await fetcher(graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query: VIEWER_QUERY }) });
    body = (await response.json()) as GraphqlAnswer;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, status: 502, problem: { code: 'api-unreachable', messageZh: `无法连接服务：${message}`, messageEn: `API unreachable: ${message}` } };
  }
  const viewer = body.data?.me;
  if (response.ok && viewer && typeof viewer.role === 'string') return { ok: true, viewer };
  const error = body.errors?.[0];
  const messageEn = error?.extensions?.messageEn ?? error?.message ?? `The API answered HTTP ${response.status}`;
  return {
    ok: false,
    status: response.status === 401 ? 401 : 502,
    problem: { code: error?.extensions?.code ?? 'API_ERROR', messageEn, messageZh: error?.extensions?.messageZh ?? messageEn },
  };
}
