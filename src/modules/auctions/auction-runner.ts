import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AgentRegistry, RosterEntry } from '../agents/agent-registry.js';
import type { ExecutionResult, IntentForAgents } from '../agents/types.js';
import { Bid, Intent, TERMINAL_STATUSES, type AttemptRecord, type IntentStatus } from '../intents/intent.entity.js';
import type { IntentService } from '../intents/intent.service.js';
import { insertRows } from '../../db/bulk-insert.js';
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
import type { Verdict } from './verifier.js';
import { createBatcher } from '../events/batcher.js';
import type { EventBus } from '../events/event-bus.js';
import type { EventLog, NewEvent } from '../events/event-log.js';

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
  intents: IntentService;
  metrics: Metrics;
  logger: Logger;
  settings: AuctionSettings;
  verify: (candidate: RosterEntry, intent: IntentForAgents, output: string, signal: AbortSignal) => Promise<Verdict>;
}

/**
 * Runs one intent's auction as a durable job: bid → rank → execute with failover →
 * (verify) → receipt. Every step is written before the next starts, and every write
 * is guarded on the intent not being final, so a retried job (after a crash) resumes
 * where the stored state says and the intent completes exactly once.
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
    const { orm, logger } = this.deps;
    const em = orm.em.fork();
    const intent = await em.findOne(Intent, intentId);
    if (!intent || TERMINAL_STATUSES.includes(intent.status)) return;
    const controller = new AbortController();
    // A cancel on any instance arrives as the intent's `cancelled` event.
    const cancels = this.deps.bus.pubsub.subscribe('intent', intentId);
    void (async () => {
      for await (const e of cancels) if (e.type === 'cancelled') controller.abort();
    })();
    try {
      const forAgents: IntentForAgents = {
        intentId: String(intent.id),
        text: intent.text,
        domain: intent.domain,
        deadline: Date.now() + intent.bidWindowMs,
      };
      const ranked = await this.bidsFor(intent, forAgents);
      if (controller.signal.aborted) return;
      const candidates = ranked.filter((b) => b.eligible);
      if (candidates.length === 0) {
        await this.finish(intent, 'failed', { errorCode: 'no_bids', errorMessage: 'No agent could serve this intent with enough confidence' });
        return;
      }
      if (!(await this.transition(intent, 'executing', { executionStartedAt: new Date() }))) return;
      await this.execute(intent, forAgents, candidates, controller.signal);
    } catch (error) {
      logger.error({ err: error, intentId }, 'auction failed unexpectedly');
      throw error; // the job engine retries; stored state lets the retry resume
    } finally {
      await cancels.return?.();
    }
  }

  /** Collects, ranks and stores every bid; a retried job reuses the bids already stored. */
  private async bidsFor(intent: Intent, forAgents: IntentForAgents): Promise<RankedBid[]> {
    const { orm, registry, metrics, settings } = this.deps;
    // Bids exist only past `pending`: a retried job resumes from them instead of re-bidding.
    if (intent.status !== 'pending') {
      const stored = await orm.em.fork().find(Bid, { intent: intent.id }, { populate: ['agent'], orderBy: { rank: 'asc' } });
      if (stored.length > 0) return stored.map(rankedFromRow);
    }

    await this.transition(intent, 'bidding', { biddingStartedAt: new Date() });
    const roster = registry.roster();
    const relevance = this.relevance.score(intent.text, intent.domain);
    const started = performance.now();
    const bySlugEntry = new Map(roster.map((e) => [e.profile.slug, e]));
    // Bids are stored and pushed to subscribers as they arrive (same-tick bids together).
    const bidEvents = createBatcher<NewEvent>((batch) => this.emit(intent, batch).then(() => undefined));
    const records = await collectBids(buildBidders(roster, forAgents, relevance, intent.sandbox), {
      deadlineMs: intent.bidWindowMs,
      now: () => performance.now(),
      onBid: (r) => bidEvents.add({ type: 'bid', payload: bidPayload(r, bySlugEntry.get(r.slug)) }),
    });
    const late = records.filter((r) => r.outcome === 'timed_out' || r.outcome === 'unavailable');
    for (const r of late) bidEvents.add({ type: 'bid', payload: bidPayload(r, bySlugEntry.get(r.slug)) });
    metrics.bidCollection.observe((performance.now() - started) / 1000);
    const agentDomains = new Map(roster.map((e) => [e.profile.slug, e.profile.domain]));
    const { ranked, winner } = rankBids(records, { domainHint: intent.domain, agentDomains, minConfidence: settings.minConfidence });
    const bySlug = new Map(roster.map((e) => [e.profile.slug, e.agent.id]));
    const now = new Date();
    // One multi-row INSERT for the whole roster, not 201 unit-of-work entities; the
    // bid events' last batch is written meanwhile.
    const bidsStored = insertRows(
      this.deps.pool,
      'bids',
      ['intent_id', 'agent_id', 'outcome', 'confidence', 'score', 'reasoning', 'estimated_cost_usd', 'latency_ms', 'rank', 'eligible', 'won', 'created_at'],
      ranked.map((b, i) => [
        intent.id,
        bySlug.get(b.slug)!,
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
    );
    await Promise.all([bidsStored, bidEvents.drain()]);
    await orm.em.fork().nativeUpdate(Intent, { id: intent.id }, { auctionClosedAt: new Date() });
    await this.emit(intent, [
      {
        type: 'auction_closed',
        payload: {
          winner: winner?.slug ?? null,
          bids: ranked.filter((b) => b.outcome === 'bid').length,
          asked: ranked.length,
          ranking: ranked.slice(0, 10).map((b) => ({ agent: b.slug, score: b.score, eligible: b.eligible })),
        },
      },
    ]);
    return ranked;
  }

  private async execute(intent: Intent, forAgents: IntentForAgents, candidates: RankedBid[], signal: AbortSignal): Promise<void> {
    const { registry, settings, verify, metrics } = this.deps;
    const started = performance.now();
    const shield = intent.auctionTier === 'shield';
    let previous: { slug: string; reason: string } | null = null;
    try {
      const outcome = await runWithFailover(
        candidates,
        async (candidate, attemptSignal) => {
          const entry = registry.entry(candidate.slug);
          await this.emit(intent, [
            ...(previous ? [{ type: 'failover' as const, payload: { from: previous.slug, to: candidate.slug, reason: previous.reason } }] : []),
            { type: 'execution_started', payload: { agent: candidate.slug, name: entry?.profile.name ?? candidate.slug } },
          ]);
          previous = { slug: candidate.slug, reason: 'failed' };
          if (!entry) throw new Error(`agent ${candidate.slug} is no longer active`);
          const combined = AbortSignal.any([signal, attemptSignal]);
          const chunks = createBatcher<string>((texts) => this.emit(intent, [{ type: 'chunk', payload: { agent: candidate.slug, text: texts.join('') } }]).then(() => undefined), CHUNK_FLUSH_MS);
          try {
            const result = await this.executeOne(entry, intent, { ...forAgents, deadline: Date.now() + settings.executionTimeoutMs }, combined, (t) => chunks.add(t));
            return { entry, result };
          } catch (error) {
            previous = { slug: candidate.slug, reason: error instanceof Error ? error.message : String(error) };
            throw error;
          } finally {
            await chunks.drain();
          }
        },
        {
          attemptTimeoutMs: settings.executionTimeoutMs,
          maxAttempts: settings.maxAttempts,
          now: () => Date.now(),
          verify: shield
            ? async (_candidate, { entry, result }) => {
                if (!(await this.transition(intent, 'verifying'))) return { accepted: false, reason: 'cancelled' };
                const verdict = await verify(entry, forAgents, result.output, signal);
                await this.emit(intent, [{ type: 'verification', payload: { agent: entry.profile.slug, accepted: verdict.accepted, reason: verdict.reason ?? null } }]);
                if (!verdict.accepted) {
                  previous = { slug: entry.profile.slug, reason: `rejected: ${verdict.reason ?? 'by the verifier'}` };
                  await this.transition(intent, 'executing');
                }
                return verdict;
              }
            : undefined,
        },
      );
      metrics.execution.observe((performance.now() - started) / 1000);
      const { entry, result } = outcome.result;
      const usage = usageFor(entry.profile, intent.text, result.output, result.usage);
      await this.finish(intent, 'completed', {
        result: result.output,
        winningAgent: entry.agent.id,
        winningConfidence: outcome.candidate.confidence ?? null,
        winningReasoning: outcome.candidate.reasoning ?? null,
        attempts: outcome.attempts.map(toAttemptRecord),
        promotions: outcome.promotions,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        // Sandbox keys are never charged.
        costUsd: intent.sandbox ? 0 : priceUsd(entry.profile, usage),
      }, outcome.candidate.slug);
    } catch (error) {
      if (signal.aborted) return; // cancelled: the cancel already wrote the final state
      if (!(error instanceof AuctionFailedError)) throw error;
      await this.finish(intent, 'failed', {
        errorCode: 'execution_failed',
        errorMessage: `Every candidate failed: ${error.attempts.map((a) => `${a.slug} ${a.outcome}`).join(', ')}`,
        attempts: error.attempts.map(toAttemptRecord),
        promotions: error.attempts.filter((a) => a.outcome === 'rejected').length,
      });
    }
  }

  private async executeOne(
    entry: RosterEntry,
    intent: Intent,
    forAgents: IntentForAgents,
    signal: AbortSignal,
    onChunk: (text: string) => void,
  ): Promise<ExecutionResult> {
    if (intent.sandbox && entry.profile.kind !== 'tool') {
      // Sandbox: nothing leaves the process and nothing is charged.
      const output = `[sandbox] Simulated result from ${entry.profile.name}: a live key would have it answer "${truncate(intent.text, 120)}".`;
      onChunk(output);
      return { output };
    }
    return entry.executor.execute(forAgents, onChunk, signal);
  }

  private emit(intent: Intent, events: NewEvent[]) {
    return this.deps.events.append(intent.id, intent.tenant.id, events);
  }

  /** Moves a non-final intent to a new status; false when it is already final (e.g. cancelled). */
  private async transition(intent: Intent, status: IntentStatus, extra: Partial<Intent> = {}): Promise<boolean> {
    const updated = await this.deps.orm.em
      .fork()
      .nativeUpdate(Intent, { id: intent.id, status: { $nin: [...TERMINAL_STATUSES] } }, { status, ...extra });
    return updated > 0;
  }

  /** Writes the receipt once: the guard on status makes a duplicate finish a no-op. */
  private async finish(intent: Intent, status: 'completed' | 'failed', fields: Record<string, unknown>, winnerSlug?: string): Promise<void> {
    const { orm, metrics, registry } = this.deps;
    const finished = await orm.em.fork().transactional(async (em) => {
      const updated = await em.nativeUpdate(
        Intent,
        { id: intent.id, status: { $nin: [...TERMINAL_STATUSES] } },
        { status, completedAt: new Date(), ...fields },
      );
      if (updated === 0) return false;
      const agentId = winnerSlug ? registry.entry(winnerSlug)?.agent.id : undefined;
      if (agentId) await em.nativeUpdate(Bid, { intent: intent.id, agent: agentId }, { won: true });
      return true;
    });
    if (!finished) return;
    metrics.intentsTotal.inc({ status, tier: intent.auctionTier });
    const receipt = Object.fromEntries(
      ['result', 'errorCode', 'errorMessage', 'winningConfidence', 'inputTokens', 'outputTokens', 'costUsd', 'promotions', 'attempts']
        .filter((k) => k in fields)
        .map((k) => [k, fields[k]]),
    );
    await this.emit(intent, [{ type: status, payload: { ...receipt, winner: winnerSlug ?? null } }]);
  }
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
  } as RankedBid;
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
