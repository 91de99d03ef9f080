import type pg from 'pg';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { AgentRegistry, RosterEntry } from '../agents/index.js';
import type { AgentProfile, ChatMessage, IntentForAgents } from '../agents/index.js';
import type { EventBus } from '../events/index.js';
import type { EventLog, IntentChange, NewEvent } from '../events/index.js';
import type { IntentStatus, SelectionCriteria } from '../intents/intent.entity.js';
import type { IntentFollowUps } from '../intents/index.js';
import type { Attempt, RankedBid } from './engine/index.js';
import type { ProviderBlock } from './bidders.js';
import type { Verdict } from './verifier.js';

export interface AuctionSettings {
  /** Bids below this confidence are stored but never win. */
  minConfidence: number;
  executionTimeoutMs: number;
  maxAttempts: number;
}

/** What every phase may use; built once by the composition root, `src/app.ts`. */
export interface AuctionDeps {
  pool: pg.Pool;
  events: EventLog;
  bus: EventBus;
  registry: AgentRegistry;
  metrics: Metrics;
  logger: Logger;
  settings: AuctionSettings;
  verify: (candidate: RosterEntry, intent: IntentForAgents, output: string, signal: AbortSignal) => Promise<Verdict>;
  followUps: Pick<IntentFollowUps, 'started' | 'final' | 'agent'>;
  /**
   * A session's turn: the conversation so far for the agent that runs it (undefined for
   * an intent that is no turn). Handed in by the composition root, from the sessions module.
   */
  historyOf?: (intentId: number, agent: AgentProfile, text: string) => Promise<ChatMessage[] | undefined>;
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
  /** A direct call (a session's turn): the agent it names, run with no auction. */
  directAgent: string | null;
  /** It has webhooks or a wallet hold, so its moments have follow-ups. */
  followUps: boolean;
  /** Which agents may win; null: any. */
  selection: SelectionCriteria | null;
}

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
    directAgent: row.direct_agent ?? null,
    followUps: row.webhook_url !== null || row.webhook !== null || Number(row.hold_micros) > 0,
    selection: row.selection ?? null,
  };
}

/**
 * How the choice of who executes ended: the candidates in order, and the write that
 * records it (the bids, `auction_closed` and the winner's start; for a direct call only
 * the start). Nothing to write when `resumed`: a stopped run already wrote it.
 */
export interface AuctionClose {
  candidates: RankedBid[];
  resumed: boolean;
  events: NewEvent[];
  change: IntentChange;
  /** No candidate, and LLM agents that would have bid were kept out by their provider: the intent fails with its cause. */
  blocked?: ProviderBlock | null;
}

/** Attempts made before this run went on: the receipt's chain starts with them; `finished` agents are not run again. */
export interface EarlierAttempts {
  attempts: Attempt[];
  finished: Set<string>;
  /** The failover from the last of them (and the next start) is written already. */
  handedOver?: boolean;
}

export const NO_ATTEMPTS: EarlierAttempts = { attempts: [], finished: new Set() };

/** The error of an attempt its process stopped in the middle of (it is run again). */
export const INTERRUPTED = 'interrupted: its process stopped before it finished';

/** Milliseconds each phase took, as the metrics observe them. */
export interface RunTimings {
  biddingMs?: number;
  executionMs?: number;
}

/**
 * One run of one intent, handed from phase to phase: each phase reads what the ones
 * before it learned here instead of taking a list of arguments.
 */
export class AuctionRun {
  /** The intent as agents see it; its deadline is the bid window's close. */
  readonly forAgents: IntentForAgents;
  /** Aborted by a cancel (see the orchestrator): every phase stops writing then. */
  readonly controller = new AbortController();
  /** Set once bidding (or the direct call's naming of its agent) is over. */
  close: AuctionClose | null = null;
  /** Attempts made before the execution phase: a stopped run's, or a failed instant winner. */
  earlier: EarlierAttempts = NO_ATTEMPTS;
  readonly timings: RunTimings = {};
  /** A session's turn: the conversation before it, as the agent receives it (see `AuctionDeps.historyOf`). */
  history: ChatMessage[] | undefined;

  constructor(
    readonly intent: RunIntent,
    private readonly log: EventLog,
  ) {
    this.forAgents = { intentId: String(intent.id), text: intent.text, domain: intent.domain, deadline: Date.now() + intent.bidWindowMs };
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The intent for agents with a deadline of its own: an execution or a check does not end at the bid window's close. */
  forAgentsWithin(ms: number): IntentForAgents {
    return { ...this.forAgents, ...(this.history ? { history: this.history } : {}), deadline: Date.now() + ms };
  }

  /** One statement: the events, and the change to the intent that goes with them (see `EventLog.write`). */
  write(events: NewEvent[], change?: IntentChange) {
    return this.log.write(this.intent.id, this.intent.tenantId, events, change);
  }
}

export function startedEvent(slug: string, entry: RosterEntry | undefined): NewEvent {
  return { type: 'execution_started', payload: { agent: slug, name: entry?.profile.name ?? slug } };
}

/**
 * Tells the intent's webhooks (Mindra's `agent.started` / `agent.completed`) that an agent
 * began or ended its attempt number `attempt` (from 1); a no-op for an intent with none.
 */
export function announceAttempt(run: AuctionRun, deps: AuctionDeps, attempt: number, slug: string, ended?: Pick<Attempt, 'outcome' | 'error'>): void {
  if (!run.intent.followUps) return;
  const profile = deps.registry.entry(slug)?.profile;
  void deps.followUps.agent(run.intent.id, {
    phase: ended ? 'completed' : 'started',
    attempt,
    agent: { slug, name: profile?.name ?? slug, vertical: profile?.domain ?? '' },
    ...(ended ? { outcome: ended.outcome, error: ended.error ?? null } : {}),
    at: new Date().toISOString(),
  });
}

export function failoverEvent(from: string, to: string, reason: string): NewEvent {
  return { type: 'failover', payload: { from, to, reason } };
}

export function chunkEvent(agent: string, texts: string[]): NewEvent {
  return { type: 'chunk', payload: { agent, text: texts.join('') } };
}
