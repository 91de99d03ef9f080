import type pg from 'pg';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AgentRegistry, RosterEntry } from '../agents/agent-registry.js';
import type { ExecutionResult, IntentForAgents } from '../agents/types.js';
import { createBatcher } from '../events/batcher.js';
import type { EventBus } from '../events/event-bus.js';
import type { BidRow, EventLog, IntentChange, NewEvent } from '../events/event-log.js';
import { TERMINAL_STATUSES, type AttemptRecord, type IntentStatus } from '../intents/intent.entity.js';
import { COMPLETED_WITH_WORK, completeJobPart } from '../../jobs/job-queue.js';
import { statsBacklogPart } from '../agents/agent.store.js';
import { AUCTION_QUEUE, AUCTION_RETRIES, auctionJobId } from './auction-job.js';
import { buildBidders } from './bidders.js';
import { priceUsd, usageFor } from './costs.js';
import {
  AuctionFailedError,
  collectBids,
  type Attempt,
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

/** What a run needs of its intent, as claimed from the database (or as its submitter stored it). */
export interface RunIntent {
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

  /**
   * Runs the intent's auction. `claimed` is the intent as its submitter stored it, already
   * `bidding` with this job started here; otherwise (a poller, a retry) the run claims it.
   */
  async run(intentId: number, claimed?: RunIntent): Promise<void | typeof COMPLETED_WITH_WORK> {
    const intent = claimed ?? (await this.claim(intentId));
    // Already final: a retry after a crash may still owe the final follow-ups.
    if (!intent) return this.deps.followUps.final(intentId);
    let completed = false;
    const controller = new AbortController();
    // A cancel on any instance arrives as the intent's `cancelled` event.
    const cancels = this.deps.bus.pubsub.subscribe('final', intentId);
    void (async () => {
      for await (const e of cancels) if (e.type === 'cancelled') controller.abort();
    })();
    try {
      const forAgents: IntentForAgents = { intentId: String(intent.id), text: intent.text, domain: intent.domain, deadline: Date.now() + intent.bidWindowMs };
      const closing = await this.auction(intent, forAgents);
      if (controller.signal.aborted) return;
      if (closing.candidates.length === 0) {
        completed = await this.finish(
          intent,
          'failed',
          { errorCode: 'no_bids', errorMessage: 'No agent could serve this intent with enough confidence' },
          [],
          undefined,
          closing,
        );
      } else {
        // A winner that answers in-process is run before anything is stored, and its
        // receipt is written with the auction: one statement for the whole intent.
        const instant = closing.resumed ? null : await this.tryInstant(intent, forAgents, closing, controller.signal);
        if (instant && 'completed' in instant) {
          completed = instant.completed;
          if (intent.followUps) await this.deps.followUps.started(intent.id);
        } else {
          // A winner that failed in-process is not run again: failover goes on from the
          // runner-up, and the auction's write already says so (a crash after it must not
          // run the failed winner again). A resumed run goes on from where the stopped one
          // was, its attempts kept.
          let events = closing.events;
          let started = closing.resumed ? '' : closing.candidates[0]!.slug;
          let earlier = closing.resumed ? await this.storedAttempts(intent.id) : NO_ATTEMPTS;
          if (instant) {
            const next = closing.candidates[1];
            earlier = { attempts: [instant.failed], finished: new Set([instant.failed.slug]), handedOver: true };
            started = next?.slug ?? '';
            if (next)
              events = [
                ...events,
                failoverEvent(instant.failed.slug, next.slug, instant.failed.error ?? 'failed'),
                startedEvent(next.slug, this.deps.registry.entry(next.slug)),
              ];
          }
          if (!closing.resumed && !(await this.emit(intent, events, closing.change))) return; // final meanwhile
          if (intent.followUps) void this.deps.followUps.started(intent.id);
          const candidates = closing.candidates.filter((c) => !earlier.finished.has(c.slug));
          completed = await this.execute(intent, forAgents, candidates, controller.signal, started, earlier);
        }
      }
      if (intent.followUps) await this.deps.followUps.final(intent.id);
      if (completed) return COMPLETED_WITH_WORK;
    } catch (error) {
      this.deps.logger.error({ err: error, intentId }, 'auction failed unexpectedly');
      throw error; // the job engine retries; stored state lets the retry resume
    } finally {
      await cancels.return?.();
    }
  }

  /**
   * Settles an intent whose auction job ran out of tries (its process kept dying on it,
   * or the run kept failing unexpectedly): failed with `internal_error`, unless it ended
   * meanwhile. Its follow-ups (the wallet hold, webhooks) run as for any final intent.
   */
  async abandon(intentId: number): Promise<void> {
    const { rows } = await this.deps.pool.query('select * from intents where id = $1', [intentId]);
    const row = rows[0];
    if (row && !TERMINAL_STATUSES.includes(row.status)) {
      this.deps.logger.error({ intentId, status: row.status }, 'auction abandoned after its last try');
      await this.finish(
        runIntentFromRow(row, row.status),
        'failed',
        { errorCode: 'internal_error', errorMessage: `The auction could not be completed in ${AUCTION_RETRIES + 1} tries` },
        [],
      );
    }
    await this.deps.followUps.final(intentId);
  }

  /** pending → bidding in one statement; null when the intent is final (or gone). */
  private async claim(intentId: number): Promise<RunIntent | null> {
    const { rows } = await this.deps.pool.query(
      `update intents i
          set status = case when prev.status = 'pending' then 'bidding' else prev.status end,
              bidding_started_at = coalesce(i.bidding_started_at, now())
         from (select id, status from intents where id = $1 for update) prev
        where i.id = prev.id and prev.status not in ('completed', 'failed', 'cancelled')
        returning i.*, prev.status as previous_status`,
      [intentId],
    );
    return rows[0] ? runIntentFromRow(rows[0], rows[0].previous_status) : null;
  }

  /**
   * Collects and ranks every bid, and prepares the write that closes the auction: the
   * bids, the closing event and the start of the winner's execution, for one statement
   * (on its own, or with the receipt). Bids that arrive after others were already stored
   * (slow HTTP agents) are streamed as they come and restated with their rank at the
   * close. A resumed run reuses a closed auction's bids and has nothing to write.
   */
  private async auction(intent: RunIntent, forAgents: IntentForAgents): Promise<Closing> {
    const { registry, metrics, settings } = this.deps;
    // Agents whose bid already has a row: streamed in this run, or left by a run that died.
    const stored = new Set<string>();
    if (intent.previousStatus !== 'pending') {
      const previous = await this.storedBids(intent.id);
      if (previous.closed) return { candidates: previous.ranked.filter((b) => b.eligible), resumed: true, events: [], change: {} };
      for (const b of previous.ranked) stored.add(b.slug);
    }
    const roster = registry.roster();
    const bySlug = new Map(roster.map((e) => [e.profile.slug, e]));
    const started = performance.now();
    const streaming = createBatcher<BidRecord>(async (batch) => {
      const fresh = batch.filter((r) => !stored.has(r.slug));
      // Not once the intent ended (cancelled meanwhile): its bids were counted as it ended.
      const written = await this.emit(
        intent,
        fresh.map((r) => bidEvent(r, bySlug.get(r.slug)!, { rank: null, eligible: false, score: null })),
        { onlyIfNotFinal: true },
      );
      if (written) for (const r of fresh) stored.add(r.slug);
    });
    const records = await collectBids(buildBidders(roster, forAgents, this.relevance.score(intent.text, intent.domain), intent.sandbox), {
      deadlineMs: intent.bidWindowMs,
      now: () => performance.now(),
      onBid: (r) => streaming.add(r),
    });
    metrics.bidCollection.observe((performance.now() - started) / 1000);
    // Bids not streamed yet, in the order they came; agents that never answered last.
    const unstreamed = await streaming.take();
    for (const r of records) if (r.outcome === 'timed_out' || r.outcome === 'unavailable') unstreamed.push(r);
    const agentDomains = new Map(roster.map((e) => [e.profile.slug, e.profile.domain]));
    const { ranked, winner } = rankBids(records, { domainHint: intent.domain, agentDomains, minConfidence: settings.minConfidence });
    const placed = new Map(ranked.map((b, i) => [b.slug, { bid: b, rank: i + 1 }]));
    const closing = (slug: string) => {
      const { bid, rank } = placed.get(slug)!;
      return bidEvent(bid, bySlug.get(slug)!, { rank, eligible: bid.eligible, score: bid.score });
    };
    const events: NewEvent[] = unstreamed.filter((r) => !stored.has(r.slug)).map((r) => closing(r.slug));
    const restate = [...stored].filter((slug) => placed.has(slug)).map((slug) => closing(slug).bid!);
    const now = new Date();
    events.push({
      type: 'auction_closed',
      payload: {
        winner: winner?.slug ?? null,
        bids: ranked.filter((b) => b.outcome === 'bid').length,
        asked: ranked.length,
        ranking: ranked.slice(0, 10).map((b) => ({ agent: b.slug, score: b.score, eligible: b.eligible })),
      },
    });
    const set: IntentChange['set'] = [['auction_closed_at', now, 'timestamptz']];
    if (winner) {
      set.push(['status', 'executing', 'text'], ['execution_started_at', now, 'timestamptz']);
      events.push(startedEvent(winner.slug, bySlug.get(winner.slug)));
    }
    return { candidates: ranked.filter((b) => b.eligible), resumed: false, events, change: { set, onlyIfNotFinal: true, restate } };
  }

  /**
   * Runs the winner at once when it answers in-process (a tool; any agent under a
   * sandbox key) on the standard tier, and writes the auction and the receipt together.
   * Null when the winner is not such an agent: the auction is then written on its own
   * and the winner runs through failover as any other would. When it fails, the failed
   * attempt: failover starts from the runner-up.
   */
  private async tryInstant(
    intent: RunIntent,
    forAgents: IntentForAgents,
    closing: Closing,
    signal: AbortSignal,
  ): Promise<{ completed: boolean } | { failed: Attempt } | null> {
    const candidate = closing.candidates[0]!;
    const entry = this.deps.registry.entry(candidate.slug);
    if (!entry || intent.auctionTier !== 'standard' || !(entry.profile.kind === 'tool' || intent.sandbox)) return null;
    const startedAt = Date.now();
    const texts: string[] = [];
    let result: ExecutionResult;
    try {
      result = await this.executeOne(entry, intent, { ...forAgents, deadline: startedAt + this.deps.settings.executionTimeoutMs }, signal, (t) =>
        texts.push(t),
      );
    } catch (error) {
      return {
        failed: { slug: candidate.slug, outcome: 'failed', error: error instanceof Error ? error.message : String(error), startedAt, finishedAt: Date.now() },
      };
    }
    this.deps.metrics.execution.observe((Date.now() - startedAt) / 1000);
    const attempt = { slug: candidate.slug, outcome: 'succeeded' as const, startedAt, finishedAt: Date.now() };
    const chunks = texts.length ? [chunkEvent(candidate.slug, texts)] : [];
    return {
      completed: await this.finish(intent, 'completed', this.receiptOf(intent, entry, candidate, result, [attempt], 0), chunks, candidate.slug, closing),
    };
  }

  /**
   * The attempts a stopped run of this intent made, from its stored events: an agent
   * that handed over (a failover from it) is `finished` and not run again; one that was
   * started and never ended was interrupted by the stop, and is run again.
   */
  private async storedAttempts(intentId: number): Promise<EarlierAttempts> {
    const { rows } = await this.deps.pool.query<{ type: string; payload: Record<string, string>; created_at: Date }>(
      `select type, payload, created_at from intent_events where intent_id = $1 and type in ('execution_started', 'failover') order by seq`,
      [intentId],
    );
    const attempts: Attempt[] = [];
    const finished = new Set<string>();
    const open = new Map<string, number>();
    for (const { type, payload, created_at } of rows) {
      const at = created_at.getTime();
      if (type === 'execution_started') open.set(payload.agent!, at);
      else {
        const reason = payload.reason ?? 'failed';
        attempts.push({
          slug: payload.from!,
          outcome: reason.startsWith('rejected') ? 'rejected' : 'failed',
          error: reason,
          startedAt: open.get(payload.from!) ?? at,
          finishedAt: at,
        });
        open.delete(payload.from!);
        finished.add(payload.from!);
      }
    }
    for (const [slug, startedAt] of open) attempts.push({ slug, outcome: 'failed', error: INTERRUPTED, startedAt, finishedAt: Date.now() });
    return { attempts, finished };
  }

  /** The bids a previous run of this intent stored, best first; `closed` once the auction ranked them. */
  private async storedBids(intentId: number): Promise<{ closed: boolean; ranked: RankedBid[] }> {
    const { rows } = await this.deps.pool.query(
      `select a.slug, b.outcome, b.confidence, b.reasoning, b.estimated_cost_usd, b.latency_ms, b.score, b.eligible, b.rank
         from bids b join agents a on a.id = b.agent_id
        where b.intent_id = $1
        order by b.rank nulls last, b.seq`,
      [intentId],
    );
    return {
      closed: rows.length > 0 && rows.every((r) => r.rank !== null),
      ranked: rows.map((r) => ({
        slug: r.slug,
        outcome: r.outcome,
        confidence: r.confidence ?? undefined,
        reasoning: r.reasoning ?? undefined,
        estimatedCostUsd: r.estimated_cost_usd ?? undefined,
        latencyMs: r.latency_ms,
        score: r.score ?? 0,
        eligible: r.eligible,
      })),
    };
  }

  /**
   * Runs the candidates in order until one delivers; true when the receipt was written
   * (see `finish`). `earlier`: attempts already made (a winner that failed in-process, a
   * stopped run's), first in the receipt's chain.
   */
  private async execute(
    intent: RunIntent,
    forAgents: IntentForAgents,
    candidates: RankedBid[],
    signal: AbortSignal,
    alreadyStarted: string,
    earlier: EarlierAttempts = NO_ATTEMPTS,
  ): Promise<boolean> {
    const { registry, settings, verify, metrics } = this.deps;
    const started = performance.now();
    const shield = intent.auctionTier === 'shield';
    // The next start is a failover from the last attempt that ended, unless that was written
    // already (an interrupted attempt is simply run again).
    const last = earlier.attempts.at(-1);
    let previous: { slug: string; reason: string } | null =
      last && last.error !== INTERRUPTED && !earlier.handedOver ? { slug: last.slug, reason: last.error ?? last.outcome } : null;
    const prior = earlier.attempts;
    let pendingChunks: NewEvent[] = [];
    try {
      const outcome = await runWithFailover(
        candidates,
        async (candidate, attemptSignal) => {
          const entry = registry.entry(candidate.slug);
          // The winner's start was written with the auction; later attempts say so now.
          if (previous || candidate.slug !== alreadyStarted) {
            await this.emit(intent, [
              ...(previous ? [failoverEvent(previous.slug, candidate.slug, previous.reason)] : []),
              startedEvent(candidate.slug, entry),
            ]);
          }
          previous = { slug: candidate.slug, reason: 'failed' };
          if (!entry) throw new Error(`agent ${candidate.slug} is no longer active`);
          const chunks = createBatcher<string>((texts) => this.emit(intent, [chunkEvent(candidate.slug, texts)]).then(() => undefined), CHUNK_FLUSH_MS);
          try {
            const result = await this.executeOne(
              entry,
              intent,
              { ...forAgents, deadline: Date.now() + settings.executionTimeoutMs },
              AbortSignal.any([signal, attemptSignal]),
              (t) => chunks.add(t),
            );
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
          maxAttempts: settings.maxAttempts - earlier.finished.size,
          now: () => Date.now(),
          verify: shield
            ? async (_candidate, { entry, result }) => {
                await this.emit(intent, pendingChunks, { set: [['status', 'verifying', 'text']], onlyIfNotFinal: true });
                pendingChunks = [];
                // The check has time of its own: the intent's deadline was the bid window's close.
                const verdict = await verify(entry, { ...forAgents, deadline: Date.now() + settings.executionTimeoutMs }, result.output, signal);
                if (!verdict.accepted) previous = { slug: entry.profile.slug, reason: `rejected: ${verdict.reason ?? 'by the verifier'}` };
                await this.emit(
                  intent,
                  [{ type: 'verification', payload: { agent: entry.profile.slug, accepted: verdict.accepted, reason: verdict.reason ?? null } }],
                  {
                    set: verdict.accepted ? [] : [['status', 'executing', 'text']],
                    onlyIfNotFinal: true,
                  },
                );
                return verdict;
              }
            : undefined,
        },
      );
      metrics.execution.observe((performance.now() - started) / 1000);
      const { entry, result } = outcome.result;
      const attempts = [...prior, ...outcome.attempts];
      const promotions = attempts.filter((a) => a.outcome === 'rejected').length;
      return await this.finish(
        intent,
        'completed',
        this.receiptOf(intent, entry, outcome.candidate, result, attempts, promotions),
        pendingChunks,
        outcome.candidate.slug,
      );
    } catch (error) {
      if (signal.aborted) return false; // cancelled: the cancel already wrote the final state
      if (!(error instanceof AuctionFailedError)) throw error;
      const attempts = [...prior, ...error.attempts];
      return await this.finish(
        intent,
        'failed',
        {
          errorCode: 'execution_failed',
          errorMessage: `Every candidate failed: ${attempts.map((a) => `${a.slug} ${a.outcome}`).join(', ')}`,
          attempts: attempts.map(toAttemptRecord),
          promotions: attempts.filter((a) => a.outcome === 'rejected').length,
        },
        pendingChunks,
      );
    }
  }

  /** The receipt of a delivered result: tokens (the provider's, or counted), cost from the agent's prices. */
  private receiptOf(
    intent: RunIntent,
    entry: RosterEntry,
    candidate: RankedBid,
    result: ExecutionResult,
    attempts: Attempt[],
    promotions: number,
  ): ReceiptFields {
    const usage = usageFor(entry.profile, intent.text, result.output, result.usage);
    return {
      result: result.output,
      winningAgentId: entry.agent.id,
      winningAgentProfile: { name: entry.profile.name, emoji: entry.profile.emoji, domain: entry.profile.domain },
      winningConfidence: candidate.confidence ?? null,
      winningReasoning: candidate.reasoning ?? null,
      attempts: attempts.map(toAttemptRecord),
      promotions,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      // Sandbox keys are never charged.
      costUsd: intent.sandbox ? 0 : priceUsd(entry.profile, usage),
    };
  }

  private async executeOne(
    entry: RosterEntry,
    intent: RunIntent,
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

  private emit(intent: RunIntent, events: NewEvent[], change?: IntentChange) {
    return this.deps.events.write(intent.id, intent.tenantId, events, change);
  }

  /**
   * Writes the receipt and its events once: the guard on status makes a duplicate finish
   * a no-op. The same statement completes the intent's job, so the job ends exactly when
   * the intent does, queues its bids for the agents' figures (once, as the intent ends
   * once), and, given a `closing` not yet written, closes the auction too;
   * true once that statement ran.
   */
  private async finish(
    intent: RunIntent,
    status: 'completed' | 'failed',
    fields: ReceiptFields,
    before: NewEvent[],
    winnerSlug?: string,
    closing?: Closing,
  ): Promise<boolean> {
    const set: IntentChange['set'] = [
      ...(closing?.change.set ?? []).filter(([column]) => column !== 'status'),
      ['status', status, 'text'],
      ['completed_at', new Date(), 'timestamptz'],
    ];
    for (const [key, [column, type]] of Object.entries(RECEIPT_COLUMNS)) {
      const value = fields[key as keyof ReceiptFields];
      if (value !== undefined) set.push([column, type === 'jsonb' ? JSON.stringify(value) : value, type]);
    }
    const { winningAgentId: _, ...summary } = fields;
    const closingEvents = closing?.events ?? [];
    // Bids written by this very statement cannot be updated by it: the winner's row is
    // written as won instead.
    const restate = closing?.change.restate ?? [];
    const winnerRow = fields.winningAgentId ? [...closingEvents.map((e) => e.bid), ...restate].find((b) => b?.agentId === fields.winningAgentId) : undefined;
    if (winnerRow) winnerRow.won = true;
    const written = await this.emit(intent, [...closingEvents, ...before, { type: status, payload: { ...summary, winner: winnerSlug ?? null } }], {
      set,
      onlyIfNotFinal: true,
      restate,
      wonAgentId: winnerRow ? undefined : fields.winningAgentId,
      also: [completeJobPart(AUCTION_QUEUE, auctionJobId(intent.id)), statsBacklogPart(intent.id)],
    });
    if (written) this.deps.metrics.intentsTotal.inc({ status, tier: intent.auctionTier });
    return true;
  }
}

/** Attempts made before this run went on: the receipt's chain starts with them; `finished` agents are not run again. */
interface EarlierAttempts {
  attempts: Attempt[];
  finished: Set<string>;
  /** The failover from the last of them (and the next start) is written already. */
  handedOver?: boolean;
}

const NO_ATTEMPTS: EarlierAttempts = { attempts: [], finished: new Set() };

/** The error of an attempt its process stopped in the middle of (it is run again). */
const INTERRUPTED = 'interrupted: its process stopped before it finished';

/** A closed auction: its candidates, and the write that records it (nothing when resumed). */
interface Closing {
  candidates: RankedBid[];
  resumed: boolean;
  events: NewEvent[];
  change: IntentChange;
}

interface ReceiptFields {
  result?: string;
  winningAgentId?: string;
  winningAgentProfile?: { name: string; emoji: string; domain: string };
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
  winningAgentProfile: ['winning_agent_profile', 'jsonb'],
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

/** A stored `intents` row as a run needs it; `previousStatus` is what it was before the run claimed it. */
export function runIntentFromRow(row: Record<string, any>, previousStatus: IntentStatus): RunIntent {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    text: row.text,
    domain: row.domain,
    auctionTier: row.auction_tier,
    sandbox: row.sandbox,
    bidWindowMs: row.bid_window_ms,
    previousStatus,
    followUps: row.webhook_url !== null || row.webhook !== null || Number(row.hold_micros) > 0,
  };
}

function startedEvent(slug: string, entry: RosterEntry | undefined): NewEvent {
  return { type: 'execution_started', payload: { agent: slug, name: entry?.profile.name ?? slug } };
}

function failoverEvent(from: string, to: string, reason: string): NewEvent {
  return { type: 'failover', payload: { from, to, reason } };
}

function chunkEvent(agent: string, texts: string[]): NewEvent {
  return { type: 'chunk', payload: { agent, text: texts.join('') } };
}

/** A bid as an event: the payload subscribers see, and the `bids` row that stores it. */
function bidEvent(r: BidRecord, entry: RosterEntry, placing: Pick<BidRow, 'rank' | 'eligible' | 'score'>): NewEvent {
  const answer = {
    outcome: r.outcome,
    confidence: r.confidence ?? null,
    reasoning: r.reasoning ?? r.detail ?? null,
    estimatedCostUsd: r.estimatedCostUsd ?? null,
    latencyMs: Math.round(r.latencyMs * 1000) / 1000,
  };
  return {
    type: 'bid',
    payload: { agent: r.slug, name: entry.profile.name, emoji: entry.profile.emoji, domain: entry.profile.domain, ...answer },
    bid: { agentId: entry.agent.id, ...answer, ...placing },
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
