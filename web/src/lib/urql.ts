/**
 * The GraphQL client. The browser only ever talks to this web server's own origin: `/graphql`
 * here is forwarded to the API by src/routes/graphql/+server.ts.
 */
import { Client, cacheExchange, fetchExchange } from '@urql/core';

export function createClient(url = '/graphql'): Client {
  return new Client({
    url,
    exchanges: [cacheExchange, fetchExchange],
    // Subscriptions go over fetch (server-sent events), the same path as queries and mutations.
    fetchSubscriptions: true,
    // Always POST through fetch: no URL-length limits, one code path through the proxy.
    preferGetMethod: false,
  });
}
