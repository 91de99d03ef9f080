import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Intent } from '../intents/intent.entity.js';

/**
 * Each agent's bids and wins over every finished intent, folded in from `bids` a batch
 * at a time (see agent-stats.ts): reading an agent's win rate is then one row, not a
 * count over every bid it ever made. Keyed like `bids.agent_id`, with no foreign key.
 */
export const AgentStats = defineEntity({
  name: 'AgentStats',
  tableName: 'agent_stats',
  properties: {
    agentId: p.uuid().primary(),
    bids: p.bigint('number').default(0),
    wins: p.bigint('number').default(0),
  },
});
export type AgentStats = InferEntity<typeof AgentStats>;

/** Intents that finished and whose bids are not folded into `agent_stats` yet. */
export const AgentStatsBacklog = defineEntity({
  name: 'AgentStatsBacklog',
  tableName: 'agent_stats_backlog',
  properties: {
    intent: () => p.manyToOne(Intent).primary().deleteRule('cascade'),
  },
});
export type AgentStatsBacklog = InferEntity<typeof AgentStatsBacklog>;
