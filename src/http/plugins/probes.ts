import type { Plugin } from 'graphql-yoga';

/**
 * `GET /health` (the process serves) and `GET /ready` (it can reach its database), on
 * their exact paths. Yoga's own checks answer any URL that merely ends with the path
 * (`/api/intents/health` was a 200), and its health check runs before every plugin of
 * ours (no request id, no CORS, no refusal of a key in the URL), so both are ours.
 */
export function useProbes(ready: () => Promise<void>): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      // A body, as Mindra's `GET /health` shows one; load balancers read only the status.
      if (url.pathname === '/health') return endResponse(Response.json({ status: 'ok' }));
      if (url.pathname !== '/ready') return;
      try {
        await ready();
        endResponse(new Response(null, { status: 200 }));
      } catch (error) {
        endResponse(new Response((error as Error).message, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
      }
    },
  };
}
