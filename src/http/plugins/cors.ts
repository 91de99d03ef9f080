import type { Plugin } from 'graphql-yoga';

/** Which browser origins may read Gavel's answers: every one (`*`), or exactly these. */
export type CorsOrigins = '*' | readonly string[];

/** The response headers browser code reads (everything else but the CORS-safelisted ones is hidden from it). */
export const EXPOSED_HEADERS = [
  'Location',
  'X-Request-ID',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
  'Retry-After',
  'WWW-Authenticate',
  'Allow',
  'Content-Disposition',
  'ETag',
];

/** The request headers the server and the dialects read, which a preflight must allow. */
export const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Idempotency-Key', 'Prefer', 'Last-Event-ID', 'X-Request-ID', 'Accept'];

const ALLOWED_METHODS = 'GET, HEAD, POST, PATCH, DELETE';
/** How long a browser may cache a preflight's answer (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * CORS for every route (GraphQL, the REST dialects, downloads, ops). An allowed origin
 * is named back with the exposed headers, and never with `Allow-Credentials`: keys travel
 * in `Authorization`, not cookies, so no ambient credential can be borrowed by a page. A
 * disallowed origin gets no CORS header at all, so its page cannot read the answer.
 *
 * yoga's own CORS (whatwg-node `useCORS`) is switched off in favour of these ~40 lines:
 * with several listed origins it answers an unlisted one `Access-Control-Allow-Origin:
 * null`, the origin sandboxed iframes and `file:` pages send, which admits exactly them;
 * with one listed origin it names it to every caller without `Vary: Origin`, which a
 * shared cache then serves to the wrong page; and it sends `Allow-Credentials: true`
 * unless told otherwise.
 */
export function useCors(origins: CorsOrigins): Plugin {
  const allowed = (origin: string) => origins === '*' || origins.includes(origin);
  return {
    onRequest({ request, endResponse }) {
      const origin = request.headers.get('origin');
      if (request.method !== 'OPTIONS' || !origin || !request.headers.has('access-control-request-method')) return;
      const headers: Record<string, string> = { 'Content-Length': '0' };
      if (allowed(origin)) {
        Object.assign(headers, {
          'Access-Control-Allow-Methods': ALLOWED_METHODS,
          'Access-Control-Allow-Headers': ALLOWED_HEADERS.join(', '),
          'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_S),
        });
      }
      // Safari waits for a body on a 204 without a length.
      endResponse(new Response(null, { status: 204, headers }));
    },
    onResponse({ request, response }) {
      // Whether CORS headers come depends on the origin: caches must keep one answer per origin.
      response.headers.append('Vary', 'Origin');
      const origin = request.headers.get('origin');
      if (!origin || !allowed(origin)) return;
      response.headers.set('Access-Control-Allow-Origin', origin);
      if (request.method !== 'OPTIONS') response.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
    },
  };
}
