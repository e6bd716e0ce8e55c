/** Posts GraphQL documents to an in-process app (`yoga.fetch`), as the API tests do. */
import type { Role } from '@yingpan/domain';
import type { createApp } from '../src/app.ts';
import type { Runtime } from '../src/runtime.ts';

export interface GraphQLAnswer {
  data?: any;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

/** Headers that sign a request in with `token` (none for the public). */
export const authHeaders = (token: string | null): Record<string, string> => ({
  'content-type': 'application/json',
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

/**
 * `app` and `token` are read at each call, so the client can be made before the app exists (in
 * `beforeAll`). Without `token` the requests are the public's.
 */
export function graphqlClient(app: () => ReturnType<typeof createApp>, token: () => string | null = () => null) {
  return async (query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> => {
    const response = await app().fetch('http://yoga/graphql', {
      method: 'POST',
      headers: authHeaders(token()),
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLAnswer;
  };
}

/** A token for `role` from the runtime's issuer (personal roles need `personId`). */
export const tokenFor = (runtime: Runtime, role: Role, personId?: string) => runtime.tokens.mint({ role, personId });
