import { cacheExchange, Client, fetchExchange, subscriptionExchange, type CombinedError } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

/**
 * One urql client per signed-in key: queries and mutations over HTTP POST /graphql,
 * subscriptions over graphql-ws on the same path. The key goes in the Authorization
 * header and in the connection_init payload, never in a URL.
 */
export function createGavelClient(key: string): { client: Client; dispose(): void } {
  const wsUrl = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`;
  const ws = createWsClient({
    url: wsUrl,
    connectionParams: { authorization: `Bearer ${key}` },
    lazy: true,
    retryAttempts: 5,
  });
  const client = new Client({
    url: '/graphql',
    preferGetMethod: false,
    fetchOptions: { headers: { authorization: `Bearer ${key}` } },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return { subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }) };
        },
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}

/** The first error code in an urql error (extensions.code), or null. */
export function errorCode(error: CombinedError | undefined | null): string | null {
  if (!error) return null;
  for (const e of error.graphQLErrors) {
    const code = e.extensions?.code;
    if (typeof code === 'string') return code;
  }
  if (error.response && (error.response as Response).status === 401) return 'UNAUTHORIZED';
  return error.networkError ? 'NETWORK' : null;
}

/** A sentence for people: the server's message without urql's "[GraphQL] " prefix. */
export function errorMessage(error: CombinedError): string {
  return error.graphQLErrors[0]?.message ?? error.networkError?.message ?? error.message;
}
