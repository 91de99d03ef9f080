import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../../observability/metrics.js';

/**
 * `/metrics` in Prometheus text format, plus HTTP request counters and durations
 * labelled by `routeOf`: a bounded name (a route template, or `unmatched`), never the
 * raw path, which would let anyone add series.
 */
export function useMetrics(metrics: Metrics, routeOf: (method: string, pathname: string) => string): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname === '/metrics' && request.method === 'GET') {
        endResponse(
          new Response(await metrics.registry.metrics(), {
            headers: { 'Content-Type': metrics.registry.contentType },
          }),
        );
        return;
      }
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const t0 = started.get(request);
      if (t0 === undefined) return;
      const route = routeOf(request.method, new URL(request.url).pathname);
      metrics.httpRequests.inc({ method: request.method, route, status: String(response.status) });
      metrics.httpDuration.observe({ method: request.method, route }, (performance.now() - t0) / 1000);
    },
  };
}
