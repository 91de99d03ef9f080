import { assertDocumentedResponse } from './openapi.js';

/** Small real-HTTP clients for tests: GraphQL POST and REST JSON. */
export interface GqlResult<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

export async function gql<T = any>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  key?: string,
  headers: Record<string, string> = {},
): Promise<GqlResult<T>> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export async function rest<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep text */
  }
  await assertDocumentedResponse(baseUrl, method, path, res.status, res.headers, body);
  return { status: res.status, headers: res.headers, body };
}

/** Creates a key through the public GraphQL API with the operator's key. */
export async function createKey(
  baseUrl: string,
  rootKey: string,
  input: { tenant: string; tier?: 'free' | 'pro' | 'enterprise'; scopes: string[]; sandbox?: boolean; expiresAt?: string },
): Promise<{ key: string; id: string }> {
  const res = await gql(
    baseUrl,
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }`,
    { input: { tier: 'free', ...input } },
    rootKey,
  );
  if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
  return { key: res.body.data.createApiKey.key, id: res.body.data.createApiKey.apiKey.id };
}

/** A key of `tenant` (created if new) that may submit and read intents. */
export async function intentKey(
  t: { url: string; rootKey: string },
  tenant: string,
  tier: 'free' | 'pro' | 'enterprise' = 'pro',
  extra: { sandbox?: boolean } = {},
): Promise<string> {
  return (await createKey(t.url, t.rootKey, { tenant, tier, scopes: ['intent_submit', 'intent_read'], ...extra })).key;
}

/** How many agents the roster has (every one of them is asked for a bid). */
export async function rosterSize(baseUrl: string): Promise<number> {
  return (await gql(baseUrl, '{ agents { id } }')).body.data.agents.length;
}

/** Polls `read` until `done` holds of its value (fails after `timeoutMs`); for state reached by background work. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
