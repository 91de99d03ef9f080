import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../../observability/metrics.js';
import { metricsResponse } from '../metrics-endpoint.js';

/**
 * HTTP request counters and durations labelled by `routeOf`: a bounded name (a route
 * template, or `unmatched`), never the raw path, which would let anyone add series.
 * First among the plugins that may answer, so every answer is counted, refusals included.
 */
export function useHttpMetrics(metrics: Metrics, routeOf: (method: string, pathname: string) => string): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
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

/**
 * `/metrics` in Prometheus text format, where `served` (`publicMetrics`) says so; not
 * served, it is an unknown path like any other.
 */
export function useMetricsEndpoint(metrics: Metrics, served: { token?: string } | null): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (served && url.pathname === '/metrics' && request.method === 'GET') {
        endResponse(await metricsResponse(metrics, request.headers.get('authorization'), served.token));
      }
    },
  };
}
