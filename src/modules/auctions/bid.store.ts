import type { EntityManager } from '@mikro-orm/postgresql';
import { binaryArray, type ArrayElement } from '../../db/binary-array.js';
import { identifier, join, run, sql, typed, type Db, type Sql } from '../../db/sql.js';
import { Bid, type BidOutcome } from '../intents/intent.entity.js';

/**
 * Everything that reads or writes `bids` (the auctions module's table). Bids are written
 * inside the events' statement (see EventLog.write): the parts below are CTEs of that
 * statement, and read `intent`, the intent row as the statement updated it (empty when
 * the write was stopped), and `intent.event_seq`, the counter after the write.
 */

/** A bid as its `bids` row keeps it. */
export interface BidRow {
  agentId: string;
  outcome: BidOutcome;
  confidence: number | null;
  score: number | null;
  reasoning: string | null;
  estimatedCostUsd: number | null;
  latencyMs: number;
  /** Null until the auction closes. */
  rank: number | null;
  eligible: boolean;
  won?: boolean;
}

/** The columns of a bid row, in the order the write sends them: [column, element type, value]. */
const BID_COLUMNS: Array<[string, ArrayElement, (b: BidRow) => unknown]> = [
  ['agent_id', 'uuid', (b) => b.agentId],
  ['outcome', 'text', (b) => b.outcome],
  ['confidence', 'float8', (b) => b.confidence],
  ['score', 'float8', (b) => b.score],
  ['reasoning', 'text', (b) => b.reasoning],
  ['estimated_cost_usd', 'float8', (b) => b.estimatedCostUsd],
  ['latency_ms', 'float8', (b) => b.latencyMs],
  ['rank', 'int4', (b) => b.rank],
  ['eligible', 'bool', (b) => b.eligible],
  ['won', 'bool', (b) => b.won ?? false],
];
const NAMES = BID_COLUMNS.map(([column]) => identifier(column));

/** Bids travel as one binary array per column (see binary-array.ts), unnested into rows `v`. */
function unnested(rows: BidRow[], positions?: number[]): Sql {
  const columns = BID_COLUMNS.map(([, type, value]) => typed(binaryArray(type, rows.map(value)), `${type}[]`));
  if (positions) columns.push(typed(binaryArray('int4', positions), 'int4[]'));
  return sql`unnest(${join(columns, ', ')}) as v(${join(NAMES, ', ')}${positions ? sql`, position` : sql``})`;
}

/**
 * Inserts bids streamed as events: each row's seq is `seqOf` its position among the
 * statement's events (an expression over `v.position`).
 */
export function insertBidsPart(intentId: number, at: Date, bids: Array<{ row: BidRow; position: number }>, seqOf: (position: Sql) => Sql): Sql {
  return sql`insert into bids (intent_id, ${join(NAMES, ', ')}, created_at, seq)
           select ${intentId}::int, ${join(
             NAMES.map((n) => sql`v.${n}`),
             ', ',
           )}, ${at}::timestamptz, ${seqOf(sql`v.position`)}
             from intent, ${unnested(
               bids.map((b) => b.row),
               bids.map((b) => b.position),
             )}`;
}

/** Restates bids stored earlier (as they streamed in) with what the close decided: rank, eligibility, score. */
export function restateBidsPart(intentId: number, rows: BidRow[]): Sql {
  return sql`update bids b set ${join(
    NAMES.slice(1).map((n) => sql`${n} = v.${n}`),
    ', ',
  )}
           from intent, ${unnested(rows)}
          where b.intent_id = ${intentId}::int and b.agent_id = v.agent_id`;
}

/** Marks this agent's (already stored) bid on the intent as the winning one. */
export function markWonPart(intentId: number, agentId: string): Sql {
  return sql`update bids set won = true from intent where bids.intent_id = ${intentId}::int and bids.agent_id = ${agentId}::uuid`;
}

/**
 * The intent's bids after `afterSeq` as stored events (their payload rebuilt as it was
 * published), for a union with the other events: columns seq, type, created_at, payload.
 * `agents` is a relation of agents' public columns (id, slug, name, emoji, domain).
 */
export function bidEventsPart(intentId: number, afterSeq: number, agents: Sql): Sql {
  return sql`select b.seq, 'bid' as type, b.created_at,
              jsonb_build_object('agent', a.slug, 'name', a.name, 'emoji', a.emoji, 'domain', a.domain, 'outcome', b.outcome,
                                 'confidence', b.confidence, 'reasoning', b.reasoning, 'estimatedCostUsd', b.estimated_cost_usd, 'latencyMs', b.latency_ms) as payload
         from bids b join ${agents} a on a.id = b.agent_id
        where b.intent_id = ${intentId}::int and b.seq > ${afterSeq}::int`;
}

/** A stored bid as a resumed run reads it: its agent's slug and what the close decided (rank null before). */
export interface StoredBidRow {
  slug: string;
  outcome: BidOutcome;
  confidence: number | null;
  reasoning: string | null;
  estimated_cost_usd: number | null;
  latency_ms: number;
  score: number | null;
  eligible: boolean;
  rank: number | null;
}

/**
 * The intent's stored bids, ranked first (best first), then in the order they streamed in.
 * `agents` is a relation of agents' public columns (id, slug, …).
 */
export async function storedBidRows(db: Db, intentId: number, agents: Sql): Promise<StoredBidRow[]> {
  const { rows } = await run<StoredBidRow>(
    db,
    sql`select a.slug, b.outcome, b.confidence, b.reasoning, b.estimated_cost_usd, b.latency_ms, b.score, b.eligible, b.rank
       from bids b join ${agents} a on a.id = b.agent_id
      where b.intent_id = ${intentId}::int
      order by b.rank nulls last, b.seq`,
  );
  return rows;
}

/** Each agent's bids and wins over the intents `intentIds` (a subquery of ids): columns agent_id, bids, wins. */
export function bidCountsPart(intentIds: Sql): Sql {
  return sql`select b.agent_id, count(*) filter (where b.outcome = 'bid') as bids, count(*) filter (where b.won) as wins
      from bids b where b.intent_id in (${intentIds}) group by b.agent_id`;
}

/** An intent's bids, best first, with their agents. */
export function bidsOf(em: EntityManager, intentId: number): Promise<Bid[]> {
  return em.find(Bid, { intent: intentId }, { orderBy: { rank: 'asc', seq: 'asc' }, populate: ['agent'] });
}
