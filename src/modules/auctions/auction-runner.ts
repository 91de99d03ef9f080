import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AgentRegistry, RosterEntry } from '../agents/agent-registry.js';
import type { ExecutionResult, IntentForAgents } from '../agents/types.js';
import { Bid, Intent, TERMINAL_STATUSES, type AttemptRecord, type IntentStatus } from '../intents/intent.entity.js';
import type { IntentService } from '../intents/intent.service.js';
import { buildBidders } from './bidders.js';
import { priceUsd, usageFor } from './costs.js';
import {
  AuctionFailedError,
  collectBids,
  createRelevanceIndex,
  rankBids,
  runWithFailover,
  type RankedBid,
  type RelevanceIndex,
} from './engine/index.js';
import type { Verdict } from './verifier.js';

export interface AuctionSettings {
  /** Bids below this confidence are stored but never win. */
  minConfidence: number;
  executionTimeoutMs: number;
  maxAttempts: number;
}

export interface AuctionDeps {
  orm: MikroORM;
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
    const { orm, intents, logger } = this.deps;
    const em = orm.em.fork();
    const intent = await em.findOne(Intent, intentId, { populate: ['tenant'] });
    if (!intent || TERMINAL_STATUSES.includes(intent.status)) return;
    const controller = new AbortController();
    const stopListening = intents.bus.listen(intentId, (c) => c.status === 'cancelled' && controller.abort());
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
      stopListening();
    }
  }

  /** Collects, ranks and stores every bid; a retried job reuses the bids already stored. */
  private async bidsFor(intent: Intent, forAgents: IntentForAgents): Promise<RankedBid[]> {
    const { orm, registry, metrics, settings } = this.deps;
    const stored = await orm.em.fork().find(Bid, { intent: intent.id }, { populate: ['agent'], orderBy: { rank: 'asc' } });
    if (stored.length > 0) return stored.map(rankedFromRow);

    await this.transition(intent, 'bidding', { biddingStartedAt: new Date() });
    const roster = registry.roster();
    const relevance = this.relevance.score(intent.text, intent.domain);
    const started = performance.now();
    const records = await collectBids(buildBidders(roster, forAgents, relevance, intent.sandbox), {
      deadlineMs: intent.bidWindowMs,
      now: () => performance.now(),
    });
    metrics.bidCollection.observe((performance.now() - started) / 1000);
    const agentDomains = new Map(roster.map((e) => [e.profile.slug, e.profile.domain]));
    const { ranked, winner } = rankBids(records, { domainHint: intent.domain, agentDomains, minConfidence: settings.minConfidence });
    const bySlug = new Map(roster.map((e) => [e.profile.slug, e.agent.id]));
    const now = new Date();
    // One multi-row INSERT for the whole roster, not 201 unit-of-work entities.
    await orm.em.fork().insertMany(
      Bid,
      ranked.map((b, i) => ({
        intent: intent.id,
        agent: bySlug.get(b.slug)!,
        outcome: b.outcome,
        confidence: b.confidence ?? null,
        score: b.score ?? null,
        reasoning: b.reasoning ?? b.detail ?? null,
        estimatedCostUsd: b.estimatedCostUsd ?? null,
        latencyMs: Math.round(b.latencyMs * 1000) / 1000,
        rank: i + 1,
        eligible: b.eligible,
        won: false,
        createdAt: now,
      })),
    );
    await orm.em.fork().nativeUpdate(Intent, { id: intent.id }, { auctionClosedAt: new Date() });
    void winner;
    return ranked;
  }

  private async execute(intent: Intent, forAgents: IntentForAgents, candidates: RankedBid[], signal: AbortSignal): Promise<void> {
    const { registry, settings, verify, metrics } = this.deps;
    const started = performance.now();
    const shield = intent.auctionTier === 'shield';
    try {
      const outcome = await runWithFailover(
        candidates,
        async (candidate, attemptSignal) => {
          const entry = registry.entry(candidate.slug);
          if (!entry) throw new Error(`agent ${candidate.slug} is no longer active`);
          const combined = AbortSignal.any([signal, attemptSignal]);
          const result = await this.executeOne(entry, intent, { ...forAgents, deadline: Date.now() + settings.executionTimeoutMs }, combined);
          return { entry, result };
        },
        {
          attemptTimeoutMs: settings.executionTimeoutMs,
          maxAttempts: settings.maxAttempts,
          now: () => Date.now(),
          verify: shield
            ? async (_candidate, { entry, result }) => {
                if (!(await this.transition(intent, 'verifying'))) return { accepted: false, reason: 'cancelled' };
                const verdict = await verify(entry, forAgents, result.output, signal);
                if (!verdict.accepted) await this.transition(intent, 'executing');
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

  private async executeOne(entry: RosterEntry, intent: Intent, forAgents: IntentForAgents, signal: AbortSignal): Promise<ExecutionResult> {
    if (intent.sandbox && entry.profile.kind !== 'tool') {
      // Sandbox: nothing leaves the process and nothing is charged.
      return { output: `[sandbox] Simulated result from ${entry.profile.name}: a live key would have it answer "${truncate(intent.text, 120)}".` };
    }
    return entry.executor.execute(forAgents, () => {}, signal);
  }

  /** Moves a non-final intent to a new status; false when it is already final (e.g. cancelled). */
  private async transition(intent: Intent, status: IntentStatus, extra: Partial<Intent> = {}): Promise<boolean> {
    const updated = await this.deps.orm.em
      .fork()
      .nativeUpdate(Intent, { id: intent.id, status: { $nin: [...TERMINAL_STATUSES] } }, { status, ...extra });
    if (updated > 0) this.deps.intents.bus.publish({ intentId: intent.id, tenantId: intent.tenant.id, status });
    return updated > 0;
  }

  /** Writes the receipt once: the guard on status makes a duplicate finish a no-op. */
  private async finish(intent: Intent, status: 'completed' | 'failed', fields: Record<string, unknown>, winnerSlug?: string): Promise<void> {
    const { orm, metrics, registry } = this.deps;
    await orm.em.fork().transactional(async (em) => {
      const updated = await em.nativeUpdate(
        Intent,
        { id: intent.id, status: { $nin: [...TERMINAL_STATUSES] } },
        { status, completedAt: new Date(), ...fields },
      );
      if (updated === 0 || !winnerSlug) return;
      const agentId = registry.entry(winnerSlug)?.agent.id;
      if (agentId) await em.nativeUpdate(Bid, { intent: intent.id, agent: agentId }, { won: true });
    });
    metrics.intentsTotal.inc({ status, tier: intent.auctionTier });
    this.deps.intents.bus.publish({ intentId: intent.id, tenantId: intent.tenant.id, status });
  }
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
