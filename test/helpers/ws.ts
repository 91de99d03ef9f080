import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A real graphql-ws client over `ws`, authenticated through connectionParams. */
export function wsClient(baseUrl: string, key?: string, opts: { retry?: boolean } = {}): Client {
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: opts.retry ? 5 : 0,
    lazy: true,
  });
}

/** Collects a subscription's results until it completes, errors or `until` says stop. */
export function collect<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  until: (items: T[]) => boolean = () => false,
): { items: T[]; done: Promise<{ items: T[]; error?: unknown }>; cancel: () => void } {
  const items: T[] = [];
  let cancel: () => void = () => {};
  const done = new Promise<{ items: T[]; error?: unknown }>((resolve) => {
    cancel = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) {
            resolve({ items, error: value.errors });
            return;
          }
          items.push(value.data as T);
          if (until(items)) {
            cancel();
            resolve({ items });
          }
        },
        error: (error) => resolve({ items, error }),
        complete: () => resolve({ items }),
      },
    );
  });
  return { items, done, cancel: () => cancel() };
}
