/** Posts GraphQL documents to an in-process app (`yoga.fetch`), as the API tests do. */
import type { createApp } from '../src/app.ts';

export interface GraphQLAnswer {
  data?: any;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

/** `app` is read at each call, so the client can be made before the app exists (in `beforeAll`). */
export function graphqlClient(app: () => ReturnType<typeof createApp>) {
  return async (query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> => {
    const response = await app().fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLAnswer;
  };
}
