import { builder } from '../../graphql/builder.js';
import { invalid } from '../../errors/app-error.js';
import type { Agent } from './agent.entity.js';
import type { GavelContext } from '../../graphql/context.js';
import { figures, type AgentStatsFigures } from './agent-stats.js';

/** Every agent's figures, read once per request however many agents it lists. */
const requestStats = new WeakMap<GavelContext, Promise<Map<string, AgentStatsFigures>>>();
function statsOfRequest(ctx: GavelContext): Promise<Map<string, AgentStatsFigures>> {
  let stats = requestStats.get(ctx);
  if (!stats) requestStats.set(ctx, (stats = ctx.modules.agentStats.all()));
  return stats;
}

export const AgentKindEnum = builder.enumType('AgentKind', { values: ['tool', 'llm', 'http'] as const });

const PriceRef = builder.objectRef<Agent>('PriceTable').implement({
  description: 'USD per million tokens',
  fields: (t) => ({
    inputPerMTok: t.exposeFloat('priceInputPerMTok'),
    outputPerMTok: t.exposeFloat('priceOutputPerMTok'),
  }),
});

export const AgentRef = builder.objectRef<Agent>('Agent').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    emoji: t.exposeString('emoji'),
    domain: t.exposeString('domain'),
    skills: t.exposeStringList('skills'),
    description: t.exposeString('description'),
    version: t.exposeString('version'),
    kind: t.field({ type: AgentKindEnum, resolve: (a) => a.kind }),
    price: t.field({ type: PriceRef, resolve: (a) => a }),
    active: t.exposeBoolean('active'),
    available: t.boolean({
      description: 'Whether it can bid right now (an LLM agent needs a configured provider; an open circuit makes an agent unavailable)',
      resolve: (a, _args, ctx) => ctx.modules.agents.availability(a.slug).available,
    }),
    unavailableReason: t.string({
      nullable: true,
      resolve: (a, _args, ctx) => {
        const availability = ctx.modules.agents.availability(a.slug);
        return availability.available ? null : availability.reason;
      },
    }),
    stats: t.field({
      type: AgentStatsRef,
      description: 'Over every finished intent, all tenants together (nothing tenant-specific)',
      resolve: async (a, _args, ctx) => (await statsOfRequest(ctx)).get(a.id) ?? figures(0, 0),
    }),
  }),
});

const AgentStatsRef = builder.objectRef<AgentStatsFigures>('AgentStats').implement({
  fields: (t) => ({
    bids: t.exposeInt('bids', { description: 'Auctions this agent bid in' }),
    wins: t.exposeInt('wins'),
    winRate: t.exposeFloat('winRate', { description: 'wins / bids, 0 when it never bid' }),
  }),
});

builder.queryField('agents', (t) =>
  t.field({
    type: [AgentRef],
    description: 'The roster, by domain then name',
    args: {
      domain: t.arg.string(),
      kind: t.arg({ type: AgentKindEnum }),
      available: t.arg.boolean(),
    },
    resolve: (_root, args, ctx) =>
      ctx.modules.agents
        .list({ domain: args.domain ?? undefined, kind: args.kind ?? undefined })
        .then((agents) => (args.available == null ? agents : agents.filter((a) => ctx.modules.agents.availability(a.slug).available === args.available))),
  }),
);

builder.queryField('agent', (t) =>
  t.field({
    type: AgentRef,
    args: { id: t.arg.id({ required: true, description: 'Agent id or slug' }) },
    resolve: async (_root, { id }, ctx) => {
      if (String(id).length > 80) throw invalid('id is too long', 'id');
      return ctx.modules.agents.get(String(id));
    },
  }),
);
