/**
 * The GraphQL client. The browser only ever talks to this web server's own origin: `/graphql`
 * here is forwarded to the API by src/routes/graphql/+server.ts (with the session's token).
 */
import { Client, cacheExchange, fetchExchange, mapExchange } from '@urql/core';
import { isSessionRejected } from './session';

export interface ClientOptions {
  /** Called when the API refuses the session's token (HTTP 401): it expired or is no longer valid. */
  onSessionRejected?: () => void;
}

export function createClient(url = '/graphql', options: ClientOptions = {}): Client {
  return new Client({
    url,
    exchanges: [
      cacheExchange,
      mapExchange({
        onError(error) {
          if (isSessionRejected(error)) options.onSessionRejected?.();
        },
      }),
      fetchExchange,
    ],
    // Subscriptions go over fetch (server-sent events), the same path as queries and mutations.
    fetchSubscriptions: true,
    // Always POST through fetch: no URL-length limits, one code path through the proxy.
    preferGetMethod: false,
  });
}
