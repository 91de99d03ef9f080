import { usePrometheus, createCounter, createHistogram, type FillLabelsFnParams } from '@graphql-yoga/plugin-prometheus';
import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import * as shipped from '../../generated/graphql.js';
import type { Metrics } from '../../observability/metrics.js';

/** The names of the operations Gavel ships: every dialect's documents (codegen builds them all). */
const KNOWN_OPERATIONS: ReadonlySet<string> = new Set(
  Object.values(shipped as Record<string, unknown>)
    .filter((value): value is DocumentNode => typeof value === 'object' && value !== null && (value as DocumentNode).kind === 'Document')
    .flatMap((document) => document.definitions.flatMap((d) => (d.kind === 'OperationDefinition' && d.name ? [d.name.value] : []))),
);

/**
 * An operation name as a label. A client names its operations as it likes, so a raw name
 * would let anyone add series (as raw paths did); only the names of Gavel's own
 * documents pass, the rest is `other` (`anonymous` without a name). A client may borrow
 * a shipped name, which keeps the label bounded all the same.
 */
export function operationLabel(name: string | undefined): string {
  if (name === undefined || name === 'Anonymous') return 'anonymous'; // the plugin's word for no name
  return KNOWN_OPERATIONS.has(name) ? name : 'other';
}

type OperationLabels = 'operationType' | 'operationName';

function operationLabels(params: FillLabelsFnParams): Record<OperationLabels, string> {
  return { operationType: params.operationType ?? 'unknown', operationName: operationLabel(params.operationName) };
}

/**
 * GraphQL-level metrics (`@graphql-yoga/plugin-prometheus`) on the app's registry, for
 * every operation whatever its transport: HTTP, REST routes (which run their documents
 * through the envelope) and WebSocket. Each metric is declared here so that its labels
 * are bounded: operation type, `operationLabel`, and the phase of an error; never the
 * URL, nor an error's path (list indices are unbounded). Off: resolver timing (a timer
 * on every field of every result costs more than it tells, and the execute phase has
 * the total), parse and validate (cached by yoga), per-request summaries (they cannot
 * be aggregated across instances), and yoga's HTTP histogram (labelled by URL;
 * `gavel_http_request_duration_seconds` has the route template instead).
 */
export function useGraphqlMetrics(metrics: Metrics): Plugin {
  const { registry } = metrics;
  return usePrometheus({
    registry,
    endpoint: false, // served by useMetricsEndpoint, behind its exposure rules
    metrics: {
      graphql_envelop_request: createCounter({
        registry,
        counter: { name: 'gavel_graphql_operations_total', help: 'GraphQL operations executed or subscribed', labelNames: ['operationType', 'operationName'] },
        fillLabelsFn: operationLabels,
      }),
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'gavel_graphql_errors_total',
          help: 'GraphQL errors by phase: parse, validate, context (key or rate refused), execute, subscribe',
          labelNames: ['operationType', 'operationName', 'phase'],
        },
        fillLabelsFn: (params) => ({ ...operationLabels(params), phase: params.errorPhase ?? 'execute' }),
      }),
      graphql_envelop_phase_context: createHistogram({
        registry,
        histogram: {
          name: 'gavel_graphql_context_seconds',
          help: 'Time to build an operation context: the key check and the rate count',
          labelNames: ['operationType', 'operationName'],
          // The plugin times phases with Date.now(): nothing finer than a millisecond to bucket.
          buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
        },
        fillLabelsFn: operationLabels,
      }),
      graphql_envelop_phase_execute: createHistogram({
        registry,
        histogram: {
          name: 'gavel_graphql_execute_seconds',
          help: 'Time to execute an operation (a waited-for submit includes its auction)',
          labelNames: ['operationType', 'operationName'],
          buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120, 300],
        },
        fillLabelsFn: operationLabels,
      }),
      graphql_envelop_execute_resolver: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_request_duration: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
      graphql_yoga_http_duration: false,
    },
  });
}
