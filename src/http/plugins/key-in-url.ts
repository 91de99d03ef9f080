import type { Plugin } from 'graphql-yoga';
import { createRouter, errorResponse, octomind, type Dialect } from '../../dialects/index.js';
import { keyInUrl } from '../../modules/keys/index.js';
import type { RequestIdContext } from './request-id.js';

/** Query parameters that would carry an API key: refused by name, whatever their value. */
const KEY_PARAMETERS = new Set(['api_key', 'apikey', 'key', 'access_token', 'token', 'authorization', 'bearer']);

/** A Gavel key's shape, alone or after `Bearer `, wherever in a URL it sits. */
const KEY_SHAPE = /^(Bearer\s+)?gvl_(live|test)_/i;

/**
 * Whether a URL carries an API key: a query parameter named like one, or any query
 * value or path segment shaped like a Gavel key. Such a URL already sits in logs,
 * history and Referer headers, so the request is refused and the key is never used.
 */
export function urlCarriesKey(url: URL): boolean {
  for (const [name, value] of url.searchParams) if (KEY_PARAMETERS.has(name.toLowerCase()) || KEY_SHAPE.test(value.trim())) return true;
  return url.pathname.split('/').some((segment) => KEY_SHAPE.test(safeDecode(segment)));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Refuses a key in a URL on every route, before anything reads the request: REST and
 * GraphQL operations, but also health, readiness, metrics, OpenAPI documents and file
 * downloads, which take no key and would otherwise answer as if nothing were wrong.
 * The answer is 401 in the body of whoever owns the path: GraphQL's on `/graphql`, a
 * dialect's under its base path, OctoMind's elsewhere (it hands out the file links).
 */
export function useKeyInUrlRefusal(dialects: Dialect[]): Plugin<Record<string, never>, RequestIdContext> {
  const router = createRouter(dialects);
  return {
    onRequest({ url, serverContext, endResponse }) {
      if (!urlCarriesKey(url)) return;
      const error = keyInUrl();
      const headers = { 'WWW-Authenticate': 'Bearer' };
      if (url.pathname === '/graphql') {
        const body = { errors: [{ message: error.message, extensions: { code: error.code } }] };
        return endResponse(Response.json(body, { status: 401, headers }));
      }
      const dialect = router.owner(url.pathname) ?? octomind;
      endResponse(errorResponse(dialect, { status: 401, code: error.code, message: error.message }, serverContext.requestId ?? 'unknown', headers));
    },
  };
}
