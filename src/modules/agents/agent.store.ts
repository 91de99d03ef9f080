import type { EntityManager, RequiredEntityData } from '@mikro-orm/postgresql';
import { run, sql, type Db, type Sql } from '../../db/sql.js';
import { bidCountsPart } from '../auctions/bid.store.js';
import { Agent } from './agent.entity.js';

/** Everything that reads or writes the agents module's tables: `agents`, `agent_stats`, `agent_stats_backlog`. */

/** Agents' public columns as a relation (id, slug, name, emoji, domain), for other modules' reads that show agents. */
export const publicAgentsPart: Sql = sql`(select id, slug, name, emoji, domain from agents)`;

export function activeAgents(em: EntityManager): Promise<Agent[]> {
  return em.find(Agent, { active: true }, { orderBy: { domain: 'asc', name: 'asc' } });
}

export function listAgents(em: EntityManager, filter: { domain?: string; kind?: string; includeInactive?: boolean }): Promise<Agent[]> {
  const where: Record<string, unknown> = filter.includeInactive ? {} : { active: true };
  if (filter.domain) where.domain = filter.domain;
  if (filter.kind) where.kind = filter.kind;
  return em.find(Agent, where, { orderBy: { domain: 'asc', name: 'asc' } });
}

/** An agent by id (a UUID) or else by slug. */
export function agentByIdOrSlug(em: EntityManager, idOrSlug: string): Promise<Agent | null> {
  return em.findOne(Agent, /^[0-9a-f-]{36}$/i.test(idOrSlug) ? { id: idOrSlug } : { slug: idOrSlug });
}

export function agentById(em: EntityManager, id: string): Promise<Agent | null> {
  return em.findOne(Agent, { id });
}

export function agentBySlug(em: EntityManager, slug: string): Promise<Agent | null> {
  return em.findOne(Agent, { slug });
}

export function catalogAgents(em: EntityManager): Promise<Agent[]> {
  return em.find(Agent, { source: 'catalog' });
}

/** A new agent, stored at the entity manager's next flush. */
export function newAgent(em: EntityManager, data: RequiredEntityData<Agent>): Agent {
  return em.create(Agent, data);
}

/**
 * The CTE body that queues an ending intent for the agents' figures, for the statement
 * that ends it (it reads `intent`, empty when that statement's write was stopped).
 */
export function statsBacklogPart(intentId: number): Sql {
  return sql`insert into agent_stats_backlog (intent_id) select ${intentId}::int from intent on conflict do nothing`;
}

/**
 * Folds up to `batch` queued intents' bids into `agent_stats` and dequeues them, in one
 * statement (`skip locked`: instances never wait for each other); returns how many it folded.
 */
export async function foldStatsBacklog(db: Db, batch: number): Promise<number> {
  const { rows } = await run<{ n: number }>(
    db,
    sql`with batch as (
           delete from agent_stats_backlog
            where intent_id in (select intent_id from agent_stats_backlog order by intent_id limit ${batch}::int for update skip locked)
           returning intent_id),
         counted as (${bidCountsPart(sql`select intent_id from batch`)}),
         stored as (
           insert into agent_stats (agent_id, bids, wins) select agent_id, bids, wins from counted
           on conflict (agent_id) do update set bids = agent_stats.bids + excluded.bids, wins = agent_stats.wins + excluded.wins)
         select count(*)::int as n from batch`,
  );
  return rows[0]!.n;
}

/** Every agent's bids and wins: the folded counts plus the backlog's (agents that never bid are absent). */
export async function statsOfAll(db: Db): Promise<Array<{ agentId: string; bids: number; wins: number }>> {
  const { rows } = await run<{ agent_id: string; bids: string; wins: string }>(
    db,
    sql`select agent_id, sum(bids) as bids, sum(wins) as wins from (
         select agent_id, bids, wins from agent_stats
         union all
         ${bidCountsPart(sql`select intent_id from agent_stats_backlog`)}
       ) s group by agent_id`,
  );
  return rows.map((r) => ({ agentId: r.agent_id, bids: Number(r.bids), wins: Number(r.wins) }));
}
