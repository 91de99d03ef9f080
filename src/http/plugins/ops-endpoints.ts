import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../../observability/metrics.js';

/**
 * `/metrics` in Prometheus text format, plus HTTP request counters and durations
 * labelled by route kind (never by raw path, which would explode cardinality).
 */
export function useMetrics(metrics: Metrics): Plugin {
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
      const route = routeKind(new URL(request.url).pathname);
      metrics.httpRequests.inc({ method: request.method, route, status: String(response.status) });
      metrics.httpDuration.observe({ method: request.method, route }, (performance.now() - t0) / 1000);
    },
  };
}

function routeKind(path: string): string {
  if (path === '/graphql') return 'graphql';
  if (path.startsWith('/api/')) return `rest:${path.split('/')[2] ?? ''}`;
  return 'other';
}
