import { z } from 'zod/v4';
import { RestMeDocument, RestRoutingStatsDocument, RestUsageDocument, type Scope, type Tier } from '../../../generated/graphql.js';
import { defineRoute, graphqlEnum } from '../../kit/index.js';

const TierEnum = graphqlEnum<Tier>()(['free', 'pro', 'enterprise']);
const ScopeEnum = graphqlEnum<Scope>()(['intent_submit', 'intent_read', 'agents_write', 'analytics_read', 'full_access']);

/** OctoMind's account routes: who the key is, what it used this month, how the routing performs. */
export const accountRoutes = [
  defineRoute({
    method: 'GET',
    path: '/me',
    summary: 'The calling key: tenant, tier, scopes',
    document: RestMeDocument,
    result: ({ me }) => ({
      body: {
        tenant: me.tenant,
        tenant_id: me.tenantId,
        tier: me.tier,
        user_id: me.userId,
        api_key_id: me.keyId,
        api_key_prefix: me.keyPrefix,
        scopes: me.scopes,
        sandbox: me.sandbox,
      },
    }),
    responses: {
      200: {
        description: 'The key',
        schema: z.object({
          tenant: z.string(),
          tenant_id: z.string(),
          tier: TierEnum,
          user_id: z.number().int(),
          api_key_id: z.string(),
          api_key_prefix: z.string(),
          scopes: z.array(ScopeEnum),
          sandbox: z.boolean(),
        }),
      },
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/routing/stats',
    summary: "The gateway's routing figures over 30 days (no key needed)",
    document: RestRoutingStatsDocument,
    public: true,
    result: ({ routingStats: s }) => ({
      body: {
        agents_active: s.agentsActive,
        total_intents_30d: s.totalIntents30d,
        latency: {
          bid_collection_p50_ms: s.bidCollectionP50Ms,
          bid_collection_p95_ms: s.bidCollectionP95Ms,
          execution_p50_ms: s.executionP50Ms,
          execution_p95_ms: s.executionP95Ms,
        },
        quality: {
          avg_winning_confidence: s.avgWinningConfidence,
          shield_promotion_rate: s.shieldPromotionRate,
          failure_rate_30d: s.failureRate30d,
        },
        top_domains: s.topDomains.map((d) => ({ domain: d.domain, intent_share: d.intentShare })),
      },
    }),
    responses: {
      200: {
        description: 'Routing figures',
        schema: z.object({
          agents_active: z.number().int(),
          total_intents_30d: z.number().int(),
          latency: z.object({
            bid_collection_p50_ms: z.number(),
            bid_collection_p95_ms: z.number(),
            execution_p50_ms: z.number(),
            execution_p95_ms: z.number(),
          }),
          quality: z.object({ avg_winning_confidence: z.number(), shield_promotion_rate: z.number(), failure_rate_30d: z.number() }),
          top_domains: z.array(z.object({ domain: z.string(), intent_share: z.number() })),
        }),
      },
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/usage',
    summary: "This month's intents, quota, tokens and cost for the key's tenant",
    document: RestUsageDocument,
    result: ({ usage: u }) => ({
      body: {
        period_start: u.periodStart,
        period_end: u.periodEnd,
        intents: u.intents,
        quota: u.quota,
        remaining: u.remaining,
        completed: u.completed,
        failed: u.failed,
        input_tokens: u.inputTokens,
        output_tokens: u.outputTokens,
        total_tokens: u.totalTokens,
        cost_usd: u.costUsd,
      },
    }),
    responses: {
      200: {
        description: 'Usage this month',
        schema: z.object({
          period_start: z.string(),
          period_end: z.string(),
          intents: z.number().int(),
          quota: z.number().int().nullable().describe('null: unlimited'),
          remaining: z.number().int().nullable(),
          completed: z.number().int(),
          failed: z.number().int(),
          input_tokens: z.number().int(),
          output_tokens: z.number().int(),
          total_tokens: z.number().int(),
          cost_usd: z.number(),
        }),
      },
    },
  }),
];
