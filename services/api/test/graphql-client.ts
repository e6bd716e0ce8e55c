/** Posts GraphQL documents to an in-process app (`yoga.fetch`), as the API tests do. */
import type { Role } from '@yingpan/domain';
import type { createApp } from '../src/app.ts';
import { CONSISTENCY_HEADER, POSITION_EXTENSION } from '../src/consistency.ts';
import type { Runtime } from '../src/runtime.ts';

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
 * The log position the tests' requests have written up to (every client's, as one browser tab
 * would): sent as `X-Consistent-With` on each request, so a test reads its own writes as the web
 * client does (consistency.ts). Taken from the answers' `logPosition` extension.
 */
let written = 0;

/** The headers of a request that reads the writes seen so far. */
export const consistentHeaders = (token: string | null): Record<string, string> => ({
  ...authHeaders(token),
  ...(written > 0 ? { [CONSISTENCY_HEADER]: String(written) } : {}),
});

/** Notes the position an answer reports its mutations wrote. */
export function noteWritten(answer: { extensions?: Record<string, unknown> }): void {
  const position = answer.extensions?.[POSITION_EXTENSION];
  if (typeof position === 'number' && position > written) written = position;
}

/**
 * `app` and `token` are read at each call, so the client can be made before the app exists (in
 * `beforeAll`). Without `token` the requests are the public's.
 */
export function graphqlClient(app: () => ReturnType<typeof createApp>, token: () => string | null = () => null) {
  return async (query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> => {
    const response = await app().fetch('http://yoga/graphql', {
      method: 'POST',
      headers: consistentHeaders(token()),
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await response.json()) as GraphQLAnswer;
    noteWritten(answer);
    return answer;
  };
}

/** A token for `role` from the runtime's issuer (personal roles need `personId`). */
export const tokenFor = (runtime: Runtime, role: Role, personId?: string) => runtime.tokens.mint({ role, personId });
