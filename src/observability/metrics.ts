import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so tests can build many apps in one process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gavel_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'gavel_http_requests_total',
      help: 'HTTP requests by method, route kind and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'gavel_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    intentsTotal: new Counter({
      name: 'gavel_intents_total',
      help: 'Intents that reached a final status',
      labelNames: ['status', 'tier'] as const,
      registers: [registry],
    }),
    bidCollection: new Histogram({
      name: 'gavel_bid_collection_seconds',
      help: 'Time to close an auction bid window',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    openSubscriptions: new Gauge({
      name: 'gavel_open_subscriptions',
      help: 'Subscription streams open on this instance',
      registers: [registry],
    }),
    subscriptionExecutions: new Counter({
      name: 'gavel_subscription_executions_total',
      help: 'Subscription events executed (once per subscription shape when shared)',
      labelNames: ['field'] as const,
      registers: [registry],
    }),
    execution: new Histogram({
      name: 'gavel_execution_seconds',
      help: 'Winner execution time',
      buckets: [0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
