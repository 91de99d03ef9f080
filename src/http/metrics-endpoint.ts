import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Config } from '../config/config.js';
import { parseBearer } from '../modules/keys/index.js';
import type { Metrics } from '../observability/metrics.js';

/**
 * Whether `/metrics` is served on the public port, and behind which token. The metrics
 * name every queue, route and failure rate, which is no one's business but the
 * operator's, so production serves them there only behind `GAVEL_METRICS_TOKEN`;
 * development and tests keep them open for a quick look. A port of their own
 * (`GAVEL_METRICS_PORT`) takes them off the public port altogether. Null: not served.
 */
export function publicMetrics(config: Config): { token?: string } | null {
  if (config.metrics.port !== undefined) return null;
  if (config.metrics.token) return { token: config.metrics.token };
  return config.env === 'production' ? null : {};
}

/** The Prometheus text, or 401 when a token is required and the request does not carry it. */
export async function metricsResponse(metrics: Metrics, authorization: string | null | undefined, token: string | undefined): Promise<Response> {
  if (token !== undefined && !carriesToken(authorization, token)) {
    return new Response('A bearer token (GAVEL_METRICS_TOKEN) is required to read the metrics\n', {
      status: 401,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' },
    });
  }
  return new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } });
}

/** Compared as digests: equal lengths for `timingSafeEqual`, and no timing hint of the token. */
function carriesToken(authorization: string | null | undefined, token: string): boolean {
  const given = parseBearer(authorization);
  if (given === null || given === 'malformed') return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * The metrics listener of `GAVEL_METRICS_PORT`: `GET /metrics` and nothing else, on an
 * interface the operator picks (loopback by default), so a scraper reaches it while the
 * public port serves none of it.
 */
export async function startMetricsServer(metrics: Metrics, settings: { port: number; host: string; token?: string }): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    const answer =
      path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')
        ? metricsResponse(metrics, req.headers.authorization, settings.token)
        : Promise.resolve(
            new Response('Not found: this port serves GET /metrics\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
          );
    answer.then(
      async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(req.method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer()));
      },
      () => res.writeHead(500).end(),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  return server;
}
