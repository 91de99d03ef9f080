import { builder } from '../../graphql/builder.js';
import { GROUP_BYS, type CostLine, type CostSummary } from './analytics.service.js';

const CostGroupByEnum = builder.enumType('CostGroupBy', { values: GROUP_BYS });

/** The figures every cost line and the totals share. */
const CostFiguresRef = builder.interfaceRef<CostSummary['totals']>('CostFigures').implement({
  fields: (t) => ({
    intents: t.exposeInt('intents'),
    completed: t.exposeInt('completed'),
    inputTokens: t.exposeInt('inputTokens'),
    outputTokens: t.exposeInt('outputTokens'),
    totalTokens: t.int({ resolve: (l) => l.inputTokens + l.outputTokens }),
    costUsd: t.exposeFloat('costUsd'),
  }),
});

const CostLineRef = builder.objectRef<CostLine>('CostLine').implement({
  interfaces: [CostFiguresRef],
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The user id, API key id, agent slug or domain' }),
    name: t.exposeString('name', { description: 'What the key stands for, for people' }),
  }),
});

const CostTotalsRef = builder.objectRef<CostSummary['totals']>('CostTotals').implement({ interfaces: [CostFiguresRef], fields: () => ({}) });

const CostSummaryRef = builder.objectRef<CostSummary>('CostSummary').implement({
  description: "Tokens and USD of the caller's tenant per group, for chargeback and showback",
  fields: (t) => ({
    start: t.exposeString('start'),
    end: t.exposeString('end'),
    groupBy: t.field({ type: CostGroupByEnum, resolve: (s) => s.groupBy }),
    groups: t.field({ type: [CostLineRef], resolve: (s) => s.groups }),
    totals: t.field({ type: CostTotalsRef, resolve: (s) => s.totals }),
  }),
});

builder.queryField('costSummary', (t) =>
  t.field({
    type: CostSummaryRef,
    authScopes: { scope: 'analytics_read' },
    description: 'Intents created from start to end (UTC days, both included), aggregated by group',
    args: {
      start: t.arg.string({ required: true, description: 'YYYY-MM-DD' }),
      end: t.arg.string({ required: true, description: 'YYYY-MM-DD, included' }),
      groupBy: t.arg({ type: CostGroupByEnum, required: true }),
    },
    resolve: (_root, args, ctx) => ctx.modules.analytics.costSummary(ctx.auth!.tenantId, args.start, args.end, args.groupBy),
  }),
);
