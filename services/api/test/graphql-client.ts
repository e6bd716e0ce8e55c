/** Posts GraphQL documents to an in-process app (`yoga.fetch`), as the API tests do. */
import type { Role } from '@yingpan/domain';
import type { createApp } from '../src/app.ts';
import { CONSISTENCY_HEADER, POSITION_EXTENSION } from '../src/consistency.ts';
import type { Runtime } from '../src/runtime.ts';

export type App = ReturnType<typeof createApp>;

export interface GraphQLAnswer {
  data?: any;
  errors?: { message: string; extensions?: Record<string, any> }[];
  extensions?: Record<string, unknown>;
}

/** Headers that sign a request in with `token` (none for the public). */
export const authHeaders = (token: string | null): Record<string, string> => ({
  'content-type': 'application/json',
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

/**
 * The log position the tests' requests to each app have written up to (every client's, as one
 * browser tab would): sent as `X-Consistent-With` on each request to that app, so a test reads its
 * own writes as the web client does (consistency.ts). Taken from the answers' `logPosition`
 * extension. Kept per app: the files of a suite may share one module instance (vitest without
 * isolation), and a position written to another file's database would make every read here wait
 * for a log that never gets that far.
 */
const written = new WeakMap<App, number>();

/**
 * Posts `query` to `app` as `token` (the public without one), reading the writes made through
 * that app so far; notes the position the answer's mutations wrote.
 */
export async function postGraphQL(
  app: App,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number } & GraphQLAnswer> {
  const position = written.get(app) ?? 0;
  const response = await app.fetch('http://yoga/graphql', {
    method: 'POST',
    headers: { ...authHeaders(token), ...(position > 0 ? { [CONSISTENCY_HEADER]: String(position) } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await response.json()) as GraphQLAnswer;
  const wrote = answer.extensions?.[POSITION_EXTENSION];
  if (typeof wrote === 'number' && wrote > position) written.set(app, wrote);
  return { status: response.status, ...answer };
}

/**
 * `app` and `token` are read at each call, so the client can be made before the app exists (in
 * `beforeAll`). Without `token` the requests are the public's.
 */
export function graphqlClient(app: () => App, token: () => string | null = () => null) {
  return async (query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> => {
    const { status: _status, ...answer } = await postGraphQL(app(), token(), query, variables);
    return answer;
  };
}

/** A token for `role` from the runtime's issuer (personal roles need `personId`). */
export const tokenFor = (runtime: Runtime, role: Role, personId?: string) => runtime.tokens.mint({ role, personId });
