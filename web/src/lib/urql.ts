/**
 * The GraphQL client. The browser only ever talks to this web server's own origin: `/graphql`
 * here is forwarded to the API by src/routes/graphql/+server.ts (with the session's token).
 */
import { Client, cacheExchange, fetchExchange, mapExchange } from '@urql/core';
import { writtenPosition, type WrittenPosition } from './consistency';
import { isSessionRejected } from './session';

export interface ClientOptions {
  /** Called when the API refuses the session's token (HTTP 401): it expired or is no longer valid. */
  onSessionRejected?: () => void;
  /** The position this tab has written up to (consistency.ts); by default kept in sessionStorage. */
  written?: WrittenPosition;
}

export function createClient(url = '/graphql', options: ClientOptions = {}): Client {
  const written = options.written ?? writtenPosition();
  return new Client({
    url,
    exchanges: [
      cacheExchange,
      mapExchange({
        onResult(result) {
          // A mutation's answer says how far the log reached; later reads wait for the read models to get there.
          written.note(result.extensions);
        },
        onError(error) {
          if (isSessionRejected(error)) options.onSessionRejected?.();
        },
      }),
      fetchExchange,
    ],
    // Read your own writes: every request names the position this tab has written up to.
    fetchOptions: () => ({ headers: written.headers() }),
    // Subscriptions go over fetch (server-sent events), the same path as queries and mutations.
    fetchSubscriptions: true,
    // Always POST through fetch: no URL-length limits, one code path through the proxy.
    preferGetMethod: false,
  });
}
