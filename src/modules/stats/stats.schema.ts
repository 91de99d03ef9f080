import { builder } from '../../graphql/builder.js';
import type { RoutingStats, Usage } from './stats.service.js';

const UsageRef = builder.objectRef<Usage>('Usage').implement({
  description: "The calling key's usage in the current calendar month (UTC), as its quota counts it",
  fields: (t) => ({
    periodStart: t.expose('periodStart', { type: 'DateTime' }),
    periodEnd: t.expose('periodEnd', { type: 'DateTime' }),
    intents: t.exposeInt('intents', { description: 'Intents submitted this month that count against the quota (sandbox ones do not)' }),
    quota: t.exposeInt('quota', { nullable: true, description: 'Monthly intent quota of the tier; null is unlimited' }),
    remaining: t.int({ nullable: true, resolve: (u) => (u.quota === null ? null : Math.max(0, u.quota - u.intents)) }),
    completed: t.exposeInt('completed'),
    failed: t.exposeInt('failed'),
    inputTokens: t.exposeInt('inputTokens'),
    outputTokens: t.exposeInt('outputTokens'),
    totalTokens: t.int({ resolve: (u) => u.inputTokens + u.outputTokens }),
    costUsd: t.exposeFloat('costUsd'),
  }),
});

const DomainShareRef = builder.objectRef<{ domain: string; intentShare: number }>('DomainShare').implement({
  fields: (t) => ({ domain: t.exposeString('domain'), intentShare: t.exposeFloat('intentShare') }),
});

const RoutingStatsRef = builder.objectRef<RoutingStats>('RoutingStats').implement({
  description: 'Aggregated, anonymised routing performance over the last 30 days',
  fields: (t) => ({
    agentsActive: t.exposeInt('agentsActive'),
    totalIntents30d: t.exposeInt('totalIntents30d'),
    bidCollectionP50Ms: t.exposeFloat('bidCollectionP50Ms'),
    bidCollectionP95Ms: t.exposeFloat('bidCollectionP95Ms'),
    executionP50Ms: t.exposeFloat('executionP50Ms'),
    executionP95Ms: t.exposeFloat('executionP95Ms'),
    avgWinningConfidence: t.exposeFloat('avgWinningConfidence'),
    shieldPromotionRate: t.exposeFloat('shieldPromotionRate'),
    failureRate30d: t.exposeFloat('failureRate30d'),
    topDomains: t.field({ type: [DomainShareRef], resolve: (s) => s.topDomains }),
  }),
});

builder.queryField('usage', (t) =>
  t.field({ type: UsageRef, authScopes: { authenticated: true }, resolve: (_r, _a, ctx) => ctx.modules.stats.usage(ctx.auth!) }),
);

builder.queryField('routingStats', (t) =>
  t.field({ type: RoutingStatsRef, description: 'Public: no key needed', resolve: (_r, _a, ctx) => ctx.modules.stats.routing() }),
);
