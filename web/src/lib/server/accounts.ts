/**
 * The account pages' calls to the API, made by the web server (form actions and loads): the
 * session token rides from the HttpOnly cookie as the bearer and never reaches the page's scripts;
 * the browser's address goes along (X-Forwarded-For) so the API throttles failed sign-ins per address.
 */
import type { Cookies } from '@sveltejs/kit';
import { apiGraphqlUrl } from './api';
import { SESSION_COOKIE } from './session';

export interface ApiAnswer<T> {
  status: number;
  data: T | null;
  error: { code: string; messageZh: string; messageEn: string } | null;
}

/** A grant as the account pages show it. */
export interface GrantView {
  id: string;
  role: string;
  roleLabelZh: string;
  scopeKind: 'COUNTY' | 'TOWNSHIP' | 'STATION';
  township: string | null;
  stationId?: string | null;
  stationName: string | null;
  from: string;
  until: string | null;
  revokedOn?: string | null;
  revokeReason?: string | null;
  grantedBy?: string;
  /** Who granted it by name (null: an id no account or person has, shown as is). */
  grantedByName?: string | null;
  grantedAt?: string;
  /** Who revoked it (an actor id) and when; null while it is not revoked. */
  revokedBy?: string | null;
  /** Who revoked it by name, as `grantedByName`. */
  revokedByName?: string | null;
  revokedAt?: string | null;
  holdsToday?: boolean;
}

/** An account as the account pages show it. */
export interface AccountView {
  accountId: string;
  username: string;
  displayName: string;
  personId?: string | null;
  personName: string | null;
  mustChangePassword?: boolean;
  lockedUntil?: string | null;
  createdAt?: string;
  totpEnrolled?: boolean;
  totpEnrolledAt?: string | null;
  grants?: GrantView[];
  grantsToday?: GrantView[];
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string;
  address: string;
  current: boolean;
}

/** A mutation's answer: its result's `data`, or a Rejection. */
export interface MutationAnswer<T = unknown> {
  __typename?: string;
  data?: T;
  code?: string;
  messageZh?: string;
  messageEn?: string;
}

/** A Rejection in a mutation's answer, as the forms show it. */
export interface Rejection {
  code: string;
  messageZh: string;
  messageEn: string;
}

export async function callApi<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown>,
  client: { token?: string | undefined; address?: string; userAgent?: string | null },
  fetcher: typeof fetch = fetch,
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (client.token) headers.authorization = `Bearer ${client.token}`;
  if (client.address) headers['x-forwarded-for'] = client.address;
  if (client.userAgent) headers['user-agent'] = client.userAgent;
  try {
    const response = await fetcher(apiGraphqlUrl(), { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: T | null; errors?: { message?: string; extensions?: Record<string, string> }[] };
    const first = body.errors?.[0];
    return {
      status: response.status,
      data: body.data ?? null,
      error: first
        ? {
            code: first.extensions?.code ?? 'API_ERROR',
            messageZh: first.extensions?.messageZh ?? first.message ?? '服务出错',
            messageEn: first.extensions?.messageEn ?? first.message ?? 'API error',
          }
        : null,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 502, data: null, error: { code: 'api-unreachable', messageZh: `无法连接服务：${message}`, messageEn: `API unreachable: ${message}` } };
  }
}

/** The caller as the API should see it: the cookie's session, the browser's address and user agent. */
export const clientOf = (event: { cookies: Cookies; getClientAddress(): string; request: Request }) => ({
  token: event.cookies.get(SESSION_COOKIE),
  address: safeAddress(event),
  userAgent: event.request.headers.get('user-agent'),
});

function safeAddress(event: { getClientAddress(): string }): string {
  try {
    return event.getClientAddress();
  } catch {
    return 'unknown';
  }
}

/** A mutation's typed result: its `data` on success, the Rejection otherwise. */
export function outcomeOf<T>(result: { __typename?: string; data?: T; code?: string; messageZh?: string; messageEn?: string } | null | undefined) {
  if (result && 'data' in result && result.data !== undefined) return { ok: true as const, data: result.data };
  return {
    ok: false as const,
    rejection: { code: result?.code ?? 'error', messageZh: result?.messageZh ?? '操作未完成', messageEn: result?.messageEn ?? 'Not done' } satisfies Rejection,
  };
}

/** Form fields as trimmed strings. */
export const field = (form: FormData, name: string): string => String(form.get(name) ?? '').trim();
