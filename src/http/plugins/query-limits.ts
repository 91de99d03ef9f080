import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError } from 'graphql';
import { AppError } from '../../errors/app-error.js';

/**
 * The ceilings every GraphQL operation must fit, over HTTP, SSE and WebSocket alike,
 * sized for this schema and the documents Gavel ships (test/http/query-limits.test.ts
 * measures both and fails when either outgrows them):
 * - depth: the schema has no cycles, and its longest path is 8 fields; the deepest
 *   shipped document (`RestIntents`) is 7. Only introspection can go deeper (`ofType`
 *   chains); `__schema` is exempt, so tools' standard introspection query passes, and
 *   graphql-js's own rule stops circular `fields { type { fields … } } }` nesting.
 * - aliases: no shipped document uses one; 30 lets a client fetch a page of intents by
 *   id in one request. `__typename` counts (armor exempts it by default).
 * - cost (armor's model: objects 2, scalars 1, times 1.5 per level): the costliest
 *   shipped document is 351; 5,000 is a full page of intents with their bids and
 *   attempts, several times over.
 * - tokens: the longest shipped document is 90 tokens, the standard introspection query
 *   163; 2,000 bounds the parser's work before any of the above is checked.
 * - directives: none shipped; 10 covers `@include`/`@skip` on every optional part.
 */
export const QUERY_LIMITS = { depth: 10, aliases: 30, cost: 5_000, tokens: 2_000, directives: 10 } as const;

/**
 * A query refused by the limits is the caller's error: 400 INVALID_REQUEST (armor's own
 * error carries no code and a misleading "Syntax Error:" prefix).
 */
function refuseQuery(_context: unknown, error: GraphQLError): never {
  throw new AppError('INVALID_REQUEST', error.message.replace(/^Syntax Error: /, ''));
}

/** The query limits, and field suggestions only in development (they map a private schema). */
export function useQueryLimits(options: { suggestFields: boolean }) {
  const onReject = [refuseQuery];
  return EnvelopArmorPlugin({
    maxDepth: { n: QUERY_LIMITS.depth, onReject },
    maxAliases: { n: QUERY_LIMITS.aliases, allowList: [], onReject },
    costLimit: { maxCost: QUERY_LIMITS.cost, onReject },
    maxTokens: { n: QUERY_LIMITS.tokens, onReject },
    maxDirectives: { n: QUERY_LIMITS.directives, onReject },
    blockFieldSuggestion: { enabled: !options.suggestFields },
  });
}
