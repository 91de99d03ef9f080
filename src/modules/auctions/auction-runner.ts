import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AgentRegistry, RosterEntry } from '../agents/agent-registry.js';
import type { ExecutionResult, IntentForAgents } from '../agents/types.js';
import { createBatcher } from '../events/batcher.js';
import type { EventBus } from '../events/event-bus.js';
import type { EventLog, IntentChange, NewEvent } from '../events/event-log.js';
import { Bid, type AttemptRecord, type IntentStatus } from '../intents/intent.entity.js';
import { buildBidders } from './bidders.js';
import { priceUsd, usageFor } from './costs.js';
import {
  AuctionFailedError,
  collectBids,
  createRelevanceIndex,
  rankBids,
  runWithFailover,
  type BidRecord,
  type RankedBid,
  type RelevanceIndex,
} from './engine/index.js';
import type { IntentFollowUps } from '../intents/intent-follow-ups.js';
import type { Verdict } from './verifier.js';

/** Streamed output is stored and published in slices this often, not token by token. */
const CHUNK_FLUSH_MS = 50;

export interface AuctionSettings {
  /** Bids below this confidence are stored but never win. */
  minConfidence: number;
  executionTimeoutMs: number;
  maxAttempts: number;
}

export interface AuctionDeps {
  orm: MikroORM;
  pool: pg.Pool;
  events: EventLog;
  bus: EventBus;
  registry: AgentRegistry;
  metrics: Metrics;
  logger: Logger;
  settings: AuctionSettings;
  verify: (candidate: RosterEntry, intent: IntentForAgents, output: string, signal: AbortSignal) => Promise<Verdict>;
  followUps: Pick<IntentFollowUps, 'started' | 'final'>;
}

/** What a run needs of its intent, as claimed from the database. */
interface RunIntent {
  id: number;
  tenantId: string;
  text: string;
  domain: string | null;
  auctionTier: 'standard' | 'shield';
  sandbox: boolean;
  bidWindowMs: number;
  /** Status before this run claimed it: anything past `pending` means a resumed run. */
  previousStatus: IntentStatus;
  /** It has webhooks or a wallet hold, so its moments have follow-ups. */
  followUps: boolean;
}

const BID_COLUMNS: Array<[string, string]> = [
  ['intent_id', 'int'],
  ['agent_id', 'uuid'],
  ['outcome', 'text'],
  ['confidence', 'float8'],
  ['score', 'float8'],
  ['reasoning', 'text'],
  ['estimated_cost_usd', 'float8'],
  ['latency_ms', 'float8'],
  ['rank', 'int'],
  ['eligible', 'bool'],
  ['won', 'bool'],
  ['created_at', 'timestamptz'],
];

/**
 * Runs one intent's auction as a durable job: bid → rank → execute with failover →
 * (verify) → receipt. On the common path that is three statements after the claim:
 * the bids with the auction's events and state, then the receipt with its events.
 * Every write is guarded on the intent not being final, so a retried job (after a
 * crash) resumes from what is stored and the intent completes exactly once.
 */
export class AuctionRunner {
  private relevance: RelevanceIndex;

  constructor(private readonly deps: AuctionDeps) {
    this.relevance = createRelevanceIndex([]);
    deps.registry.onReload((roster) => {
      this.relevance = createRelevanceIndex(roster.map((e) => e.profile));
    });
  }

  async run(intentId: number): Promise<void> {
    const intent = await this.claim(intentId);
    // Already final: a retry after a crash may still owe the final follow-ups.
    if (!intent) return this.deps.followUps.final(intentId);
    const controller = new AbortController();
    // A cancel on any instance arrives as the intent's `cancelled` event.
    const cancels = this.deps.bus.pubsub.subscribe('final', intentId);
    void (async () => {
      for await (const e of cancels) if (e.type === 'cancelled') controller.abort();
    })();
    try {
      const forAgents: IntentForAgents = { intentId: String(intent.id), text: intent.text, domain: intent.domain, deadline: Date.now() + intent.bidWindowMs };
      const { candidates, started } = await this.auction(intent, forAgents);
      if (controller.signal.aborted || started === null) return;
      if (candidates.length === 0) {
        await this.finish(intent, 'failed', { errorCode: 'no_bids', errorMessage: 'No agent could serve this intent with enough confidence' }, []);
      } else {
        if (intent.followUps) void this.deps.followUps.started(intent.id);
        await this.execute(intent, forAgents, candidates, controller.signal, started);
      }
      if (intent.followUps) await this.deps.followUps.final(intent.id);
    } catch (error) {
      this.deps.logger.error({ err: error, intentId }, 'auction failed unexpectedly');
      throw error; // the job engine retries; stored state lets the retry resume
    } finally {
      await cancels.return?.();
    }
  }

  /** pending → bidding in one statement; null when the intent is final (or gone). */
  private async claim(intentId: number): Promise<RunIntent | null> {
    const { rows } = await this.deps.pool.query(
      `update intents i
          set status = case when prev.status = 'pending' then 'bidding' else prev.status end,
              bidding_started_at = coalesce(i.bidding_started_at, now())
         from (select id, status from intents where id = $1 for update) prev
        where i.id = prev.id and prev.status not in ('completed', 'failed', 'cancelled')
        returning i.id, i.tenant_id, i.text, i.domain, i.auction_tier, i.sandbox, i.bid_window_ms, prev.status as previous_status,
                  (i.webhook_url is not null or i.webhook is not null or i.hold_micros > 0) as follow_ups`,
      [intentId],
    );
    const r = rows[0];
    return r
      ? { id: r.id, tenantId: r.tenant_id, text: r.text, domain: r.domain, auctionTier: r.auction_tier, sandbox: r.sandbox, bidWindowMs: r.bid_window_ms, previousStatus: r.previous_status, followUps: r.follow_ups }
      : null;
  }

  /**
   * Collects and ranks every bid, then stores the bids, their events, the closing of the
   * auction and the start of the winner's execution in one statement. Bids that arrive
   * after others were already stored (slow HTTP agents) are streamed as they come.
   * A resumed run reuses the bids already stored. `started` is null if the intent
   * became final meanwhile.
   */
  private async auction(intent: RunIntent, forAgents: IntentForAgents): Promise<{ candidates: RankedBid[]; started: string | null }> {
    const { orm, registry, metrics, settings } = this.deps;
    if (intent.previousStatus !== 'pending') {
      const stored = await orm.em.fork().find(Bid, { intent: intent.id }, { populate: ['agent'], orderBy: { rank: 'asc' } });
      if (stored.length > 0) return { candidates: stored.map(rankedFromRow).filter((b) => b.eligible), started: 'resumed' };
    }
    const roster = registry.roster();
    const bySlug = new Map(roster.map((e) => [e.profile.slug, e]));
    const started = performance.now();
    const bidEvents = createBatcher<NewEvent>((batch) => this.emit(intent, batch).then(() => undefined));
    const records = await collectBids(buildBidders(roster, forAgents, this.relevance.score(intent.text, intent.domain), intent.sandbox), {
      deadlineMs: intent.bidWindowMs,
      now: () => performance.now(),
      onBid: (r) => bidEvents.add({ type: 'bid', payload: bidPayload(r, bySlug.get(r.slug)) }),
    });
    metrics.bidCollection.observe((performance.now() - started) / 1000);
    const unstreamed = await bidEvents.take();
    for (const r of records) {
      if (r.outcome === 'timed_out' || r.outcome === 'unavailable') unstreamed.push({ type: 'bid', payload: bidPayload(r, bySlug.get(r.slug)) });
    }
    const agentDomains = new Map(roster.map((e) => [e.profile.slug, e.profile.domain]));
    const { ranked, winner } = rankBids(records, { domainHint: intent.domain, agentDomains, minConfidence: settings.minConfidence });
    const now = new Date();
    const closed: NewEvent = {
      type: 'auction_closed',
      payload: {
        winner: winner?.slug ?? null,
        bids: ranked.filter((b) => b.outcome === 'bid').length,
        asked: ranked.length,
        ranking: ranked.slice(0, 10).map((b) => ({ agent: b.slug, score: b.score, eligible: b.eligible })),
      },
    };
    const set: IntentChange['set'] = [['auction_closed_at', now, 'timestamptz']];
    const events = [...unstreamed, closed];
    if (winner) {
      set.push(['status', 'executing', 'text'], ['execution_started_at', now, 'timestamptz']);
      events.push(startedEvent(winner.slug, bySlug.get(winner.slug)));
    }
    const written = await this.deps.events.write(intent.id, intent.tenantId, events, {
      set,
      onlyIfNotFinal: true,
      rows: {
        table: 'bids',
        columns: BID_COLUMNS,
        values: ranked.map((b, i) => [
          intent.id,
          bySlug.get(b.slug)!.agent.id,
          b.outcome,
          b.confidence ?? null,
          b.score ?? null,
          b.reasoning ?? b.detail ?? null,
          b.estimatedCostUsd ?? null,
          Math.round(b.latencyMs * 1000) / 1000,
          i + 1,
          b.eligible,
          false,
          now,
        ]),
      },
    });
    return { candidates: ranked.filter((b) => b.eligible), started: written ? (winner?.slug ?? '') : null };
  }

  private async execute(intent: RunIntent, forAgents: IntentForAgents, candidates: RankedBid[], signal: AbortSignal, alreadyStarted: string): Promise<void> {
    const { registry, settings, verify, metrics } = this.deps;
    const started = performance.now();
    const shield = intent.auctionTier === 'shield';
    let previous: { slug: string; reason: string } | null = null;
    let pendingChunks: NewEvent[] = [];
    try {
      const outcome = await runWithFailover(
        candidates,
        async (candidate, attemptSignal) => {
          const entry = registry.entry(candidate.slug);
          // The winner's start was written with the auction; later attempts say so now.
          if (previous || candidate.slug !== alreadyStarted) {
            await this.emit(intent, [
              ...(previous ? [{ type: 'failover' as const, payload: { from: previous.slug, to: candidate.slug, reason: previous.reason } }] : []),
              startedEvent(candidate.slug, entry),
            ]);
          }
          previous = { slug: candidate.slug, reason: 'failed' };
          if (!entry) throw new Error(`agent ${candidate.slug} is no longer active`);
          const chunks = createBatcher<string>(
            (texts) => this.emit(intent, [chunkEvent(candidate.slug, texts)]).then(() => undefined),
            CHUNK_FLUSH_MS,
          );
          try {
            const result = await this.executeOne(entry, intent, { ...forAgents, deadline: Date.now() + settings.executionTimeoutMs }, AbortSignal.any([signal, attemptSignal]), (t) => chunks.add(t));
            // Output not yet streamed is written with whatever comes next (often the receipt).
            const rest = await chunks.take();
            pendingChunks = rest.length ? [chunkEvent(candidate.slug, rest)] : [];
            return { entry, result };
          } catch (error) {
            previous = { slug: candidate.slug, reason: error instanceof Error ? error.message : String(error) };
            await chunks.drain().catch(() => {});
            throw error;
          }
        },
        {
          attemptTimeoutMs: settings.executionTimeoutMs,
          maxAttempts: settings.maxAttempts,
          now: () => Date.now(),
          verify: shield
            ? async (_candidate, { entry, result }) => {
                await this.emit(intent, pendingChunks, { set: [['status', 'verifying', 'text']], onlyIfNotFinal: true });
                pendingChunks = [];
                const verdict = await verify(entry, forAgents, result.output, signal);
                if (!verdict.accepted) previous = { slug: entry.profile.slug, reason: `rejected: ${verdict.reason ?? 'by the verifier'}` };
                await this.emit(intent, [{ type: 'verification', payload: { agent: entry.profile.slug, accepted: verdict.accepted, reason: verdict.reason ?? null } }], {
                  set: verdict.accepted ? [] : [['status', 'executing', 'text']],
                  onlyIfNotFinal: true,
                });
                return verdict;
              }
            : undefined,
        },
      );
      metrics.execution.observe((performance.now() - started) / 1000);
      const { entry, result } = outcome.result;
      const usage = usageFor(entry.profile, intent.text, result.output, result.usage);
      await this.finish(
        intent,
        'completed',
        {
          result: result.output,
          winningAgentId: entry.agent.id,
          winningConfidence: outcome.candidate.confidence ?? null,
          winningReasoning: outcome.candidate.reasoning ?? null,
          attempts: outcome.attempts.map(toAttemptRecord),
          promotions: outcome.promotions,
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          // Sandbox keys are never charged.
          costUsd: intent.sandbox ? 0 : priceUsd(entry.profile, usage),
        },
        pendingChunks,
        outcome.candidate.slug,
      );
    } catch (error) {
      if (signal.aborted) return; // cancelled: the cancel already wrote the final state
      if (!(error instanceof AuctionFailedError)) throw error;
      await this.finish(
        intent,
        'failed',
        {
          errorCode: 'execution_failed',
          errorMessage: `Every candidate failed: ${error.attempts.map((a) => `${a.slug} ${a.outcome}`).join(', ')}`,
          attempts: error.attempts.map(toAttemptRecord),
          promotions: error.attempts.filter((a) => a.outcome === 'rejected').length,
        },
        pendingChunks,
      );
    }
  }

  private async executeOne(entry: RosterEntry, intent: RunIntent, forAgents: IntentForAgents, signal: AbortSignal, onChunk: (text: string) => void): Promise<ExecutionResult> {
    if (intent.sandbox && entry.profile.kind !== 'tool') {
      // Sandbox: nothing leaves the process and nothing is charged.
      const output = `[sandbox] Simulated result from ${entry.profile.name}: a live key would have it answer "${truncate(intent.text, 120)}".`;
      onChunk(output);
      return { output };
    }
    return entry.executor.execute(forAgents, onChunk, signal);
  }

  private emit(intent: RunIntent, events: NewEvent[], change?: IntentChange) {
    return this.deps.events.write(intent.id, intent.tenantId, events, change);
  }

  /** Writes the receipt and its events once: the guard on status makes a duplicate finish a no-op. */
  private async finish(intent: RunIntent, status: 'completed' | 'failed', fields: ReceiptFields, before: NewEvent[], winnerSlug?: string): Promise<void> {
    const set: IntentChange['set'] = [
      ['status', status, 'text'],
      ['completed_at', new Date(), 'timestamptz'],
    ];
    for (const [key, [column, type]] of Object.entries(RECEIPT_COLUMNS)) {
      const value = fields[key as keyof ReceiptFields];
      if (value !== undefined) set.push([column, type === 'jsonb' ? JSON.stringify(value) : value, type]);
    }
    const { winningAgentId: _, ...summary } = fields;
    const written = await this.emit(intent, [...before, { type: status, payload: { ...summary, winner: winnerSlug ?? null } }], {
      set,
      onlyIfNotFinal: true,
      wonAgentId: fields.winningAgentId,
    });
    if (written) this.deps.metrics.intentsTotal.inc({ status, tier: intent.auctionTier });
  }
}

interface ReceiptFields {
  result?: string;
  winningAgentId?: string;
  winningConfidence?: number | null;
  winningReasoning?: string | null;
  attempts?: AttemptRecord[];
  promotions?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  errorCode?: string;
  errorMessage?: string;
}

const RECEIPT_COLUMNS: Record<keyof ReceiptFields, [string, string]> = {
  result: ['result', 'text'],
  winningAgentId: ['winning_agent_id', 'uuid'],
  winningConfidence: ['winning_confidence', 'float8'],
  winningReasoning: ['winning_reasoning', 'text'],
  attempts: ['attempts', 'jsonb'],
  promotions: ['promotions', 'int'],
  inputTokens: ['input_tokens', 'int'],
  outputTokens: ['output_tokens', 'int'],
  costUsd: ['cost_usd', 'float8'],
  errorCode: ['error_code', 'text'],
  errorMessage: ['error_message', 'text'],
};

function startedEvent(slug: string, entry: RosterEntry | undefined): NewEvent {
  return { type: 'execution_started', payload: { agent: slug, name: entry?.profile.name ?? slug } };
}

function chunkEvent(agent: string, texts: string[]): NewEvent {
  return { type: 'chunk', payload: { agent, text: texts.join('') } };
}

function bidPayload(r: BidRecord, entry: RosterEntry | undefined): Record<string, unknown> {
  return {
    agent: r.slug,
    name: entry?.profile.name ?? r.slug,
    emoji: entry?.profile.emoji ?? '',
    domain: entry?.profile.domain ?? null,
    outcome: r.outcome,
    confidence: r.confidence ?? null,
    reasoning: r.reasoning ?? r.detail ?? null,
    estimatedCostUsd: r.estimatedCostUsd ?? null,
    latencyMs: Math.round(r.latencyMs * 1000) / 1000,
  };
}

function rankedFromRow(b: Bid): RankedBid {
  return {
    slug: b.agent.slug,
    outcome: b.outcome,
    confidence: b.confidence ?? undefined,
    reasoning: b.reasoning ?? undefined,
    estimatedCostUsd: b.estimatedCostUsd ?? undefined,
    latencyMs: b.latencyMs,
    score: b.score ?? 0,
    eligible: b.eligible,
  };
}

function toAttemptRecord(a: { slug: string; outcome: AttemptRecord['outcome']; error?: string; startedAt: number; finishedAt: number }): AttemptRecord {
  return {
    agent: a.slug,
    outcome: a.outcome,
    ...(a.error ? { error: a.error } : {}),
    startedAt: new Date(a.startedAt).toISOString(),
    finishedAt: new Date(a.finishedAt).toISOString(),
  };
}

function truncate(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}
