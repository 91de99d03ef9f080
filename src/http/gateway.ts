import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { createGraphQLError, createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { GavelContext } from '../graphql/context.js';
import { schema } from '../graphql/schema.js';
import { createRouteLabeler, dialects, octomind, useDialects } from '../dialects/index.js';
import type { Config } from '../config/config.js';
import type { Modules } from '../graphql/context.js';
import type { LimitService } from '../modules/limits/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createContextFactory } from './auth-context.js';
import { publicMetrics } from './metrics-endpoint.js';
import { databaseUnavailable, isDatabaseUnavailable } from '../errors/database-unavailable.js';
import { useConsole } from './plugins/console.js';
import { useCors } from './plugins/cors.js';
import { graphiqlOptions, renderLocalGraphiQL } from './plugins/graphiql.js';
import { FILE_DOWNLOAD_PATH, useFileDownloads } from './plugins/file-downloads.js';
import { useKeyInUrlRefusal } from './plugins/key-in-url.js';
import { useIdempotency } from './plugins/idempotency.js';
import { useProbes } from './plugins/probes.js';
import { useGraphqlMetrics } from './plugins/graphql-metrics.js';
import { useHttpMetrics, useMetricsEndpoint } from './plugins/ops-endpoints.js';
import { useQueryLimits } from './plugins/query-limits.js';
import { useRequestId, type RequestIdContext } from './plugins/request-id.js';
import { useRateLimitHeaders } from './plugins/rate-limit-headers.js';
import { useRequestLog } from './plugins/request-log.js';

export type Gateway = YogaServerInstance<RequestIdContext, GavelContext>;

/** The one yoga instance: GraphQL over HTTP, SSE and (via getEnveloped) WebSocket, REST routes, ops endpoints. */
export interface GatewayParts {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** What resolvers call. */
  modules: Modules;
  /** Every keyed operation counts against its key's rate. */
  limits: LimitService;
  /** The readiness check (`/ready`): the database answers. */
  ready: () => Promise<void>;
}

export function createGateway(parts: GatewayParts): Gateway {
  const { config, logger, modules } = parts;
  const ownEndpoints = { '/graphql': 'graphql', '/health': 'health', '/ready': 'ready', '/metrics': 'metrics' };
  const routeLabeler = createRouteLabeler(dialects, ownEndpoints, [
    [FILE_DOWNLOAD_PATH, '/files/:id/:name'],
    [/^\/console(\/|$)/, '/console'],
  ]);
  const yoga: Gateway = createYoga<RequestIdContext, GavelContext>({
    schema,
    graphqlEndpoint: '/graphql',
    // Yoga's health check answers any URL ending with this and cannot be turned off: no
    // URL ends with a raw NUL (it would be percent-encoded), so it never answers. /health
    // and /ready are plugins/probes.ts.
    healthCheckEndpoint: '\u0000',
    landingPage: false,
    graphiql: config.env === 'development' ? graphiqlOptions : false,
    renderGraphiQL: renderLocalGraphiQL,
    logging: logger,
    // CORS is ours (plugins/cors.ts), on every route, REST included.
    cors: false,
    context: createContextFactory(parts),
    // Expected failures are AppErrors (GraphQLErrors with a code) and pass through;
    // anything else is an INTERNAL_ERROR with no detail leaked (outside development).
    maskedErrors: {
      isDev: config.env === 'development',
      maskError(error, message, isDev) {
        const original = error instanceof GraphQLError ? error.originalError : error;
        // Pothos refusing an argument (a negative `first`, a malformed cursor) is the caller's mistake.
        if (original instanceof PothosValidationError && error instanceof GraphQLError) {
          return createGraphQLError(original.message, { path: error.path, extensions: { code: 'INVALID_REQUEST', http: { status: 400 } } });
        }
        // Yoga's own refusals of a request (malformed JSON, a batch, a GET mutation) say
        // BAD_REQUEST; Gavel's code for the caller's mistake is INVALID_REQUEST. Relabelled
        // in place: yoga logs any error that maskError replaces as an unexpected one.
        if (error instanceof GraphQLError && error.extensions.code === 'BAD_REQUEST') {
          (error.extensions as { code?: string }).code = 'INVALID_REQUEST';
          return error;
        }
        if (!original || original instanceof GraphQLError) return error as Error;
        // The database restarting is not a bug: 503 with Retry-After, logged once as a warning.
        if (isDatabaseUnavailable(original)) {
          logger.warn({ err: original }, 'database unavailable');
          const unavailable = databaseUnavailable();
          return createGraphQLError(unavailable.message, { path: error instanceof GraphQLError ? error.path : undefined, extensions: unavailable.extensions });
        }
        logger.error({ err: original }, 'unexpected error');
        return createGraphQLError(isDev && original instanceof Error ? original.message : message, {
          path: error instanceof GraphQLError ? error.path : undefined,
          extensions: { code: 'INTERNAL_ERROR', http: { status: 500 } },
        });
      },
    },
    plugins: [
      useRequestId(),
      useCors(config.corsOrigins),
      useRequestLog(logger),
      useRateLimitHeaders(),
      useHttpMetrics(parts.metrics, routeLabeler),
      useGraphqlMetrics(parts.metrics),
      // Before anything else answers: /metrics, /ready and file downloads take no key, but one in their URL is refused too.
      useKeyInUrlRefusal(dialects),
      useMetricsEndpoint(parts.metrics, publicMetrics(config)),
      useProbes(parts.ready),
      useConsole({ redirectRoot: config.env === 'production' }),
      useQueryLimits({ suggestFields: config.env === 'development' }),
      useIdempotency(() => modules.idempotency),
      useDialects(() => yoga, dialects, { heartbeatMs: config.sseHeartbeatMs, logger }),
      useFileDownloads(() => modules.files, octomind),
    ],
  });
  return yoga;
}
