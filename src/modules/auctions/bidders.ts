import type { RosterEntry } from '../agents/index.js';
import type { BidDecision, IntentForAgents, ProviderCause } from '../agents/index.js';
import { countTokens } from '../agents/index.js';
import type { AgentProfile } from '../agents/index.js';
import { estimateCostUsd } from './costs.js';
import type { Bidder } from './engine/index.js';

/** LLM generalists never outbid a tool that is sure it can compute the answer. */
const LLM_CONFIDENCE_CAP = 0.85;
/** Below this relevance an LLM agent has nothing to offer and declines. */
const LLM_MIN_RELEVANCE = 0.05;
/**
 * Tools that can all compute the answer are ranked by how well their profile fits the
 * intent (the metric-imperial converter before the cooking converter on "5 km in
 * miles"): relevance lifts a tool's confidence by up to this share of what is left to 1,
 * never lowering it (a sure tool stays above every LLM).
 */
const TOOL_RELEVANCE_SHARE = 0.5;
/**
 * Agents of this domain are the fallback for intents no specialist covers closely ("Help
 * me name my bakery"): they bid at least GENERALIST_CONFIDENCE, above the default minimum
 * confidence, so such an intent is served rather than failing with no_bids, and below
 * what a specialist that fits bids.
 */
export const GENERAL_DOMAIN = 'general';
const GENERALIST_CONFIDENCE = 0.4;

/**
 * One bidder per roster entry. In-process agents answer from memory (tool matching,
 * relevance scores computed once for the whole roster); HTTP agents bid over the wire.
 * Sandbox intents: nothing leaves the process, and every agent bids, so a test key
 * sees the full auction.
 *
 * Bidders are small class instances, not closures: an auction makes one per agent,
 * and a closure per agent (named, so the runtime's keep-names wrapper ran for each)
 * cost more than the bids themselves.
 */
export function buildBidders(roster: readonly RosterEntry[], intent: IntentForAgents, relevance: ReadonlyMap<string, number>, sandbox: boolean): Bidder[] {
  const auction = new SharedBidding(intent, sandbox);
  return roster.map((entry): Bidder => {
    const { profile, executor } = entry;
    const availability = executor.availability();
    if (!availability.available && !sandbox) return { slug: profile.slug, unavailable: availability.reason };
    const rel = relevance.get(profile.slug) ?? 0;
    if (profile.kind === 'tool') return new ToolBidder(entry, rel, auction);
    if (profile.kind === 'llm' || sandbox) return new ProfileBidder(entry, rel, auction);
    return new RemoteBidder(entry, auction);
  });
}

/** LLM agents kept out of an auction by their provider, as the intent's error. */
export interface ProviderBlock {
  cause: ProviderCause;
  reason: string;
  /** The agents that would have bid enough to be eligible, best first (at most WOULD_HAVE_BID_SHOWN): what the provider would unlock. */
  agents: string[];
}

const WOULD_HAVE_BID_SHOWN = 5;

/**
 * After an auction with no eligible bid: whether LLM agents kept out by their provider
 * (none configured, or its circuit open) would have bid enough to be eligible. Then the
 * intent fails with that cause, which names what to fix and the agents it would bring
 * in, rather than `no_bids`, which says no agent could serve it. "Help me name my
 * bakery" has no tool, but a generalist would have answered it.
 */
export function providerBlock(
  roster: readonly RosterEntry[],
  intent: IntentForAgents,
  relevance: ReadonlyMap<string, number>,
  minConfidence: number,
): ProviderBlock | null {
  const auction = new SharedBidding(intent, false);
  let block: Omit<ProviderBlock, 'agents'> | null = null;
  const wouldBid: Array<{ slug: string; confidence: number }> = [];
  for (const entry of roster) {
    const availability = entry.executor.availability();
    if (entry.profile.kind !== 'llm' || availability.available || !availability.cause) continue;
    const decision = new ProfileBidder(entry, relevance.get(entry.profile.slug) ?? 0, auction).bid();
    if (decision.type !== 'bid' || decision.confidence < minConfidence) continue;
    block ??= { cause: availability.cause, reason: availability.reason };
    wouldBid.push({ slug: entry.profile.slug, confidence: decision.confidence });
  }
  if (!block) return null;
  wouldBid.sort((a, b) => b.confidence - a.confidence || (a.slug < b.slug ? -1 : 1));
  return { ...block, agents: wouldBid.slice(0, WOULD_HAVE_BID_SHOWN).map((b) => b.slug) };
}

/** What the bidders of one auction share: the intent, and the work done once for all of them. */
class SharedBidding {
  /** Tool agents sharing a capability share one parse of the text. */
  readonly toolMatches = new Map<string, Promise<BidDecision>>();
  /** For an estimate, prompt + text tokens are the sum of the parts: the text is tokenized once per auction. */
  private readonly textTokens: number;

  constructor(
    readonly intent: IntentForAgents,
    readonly sandbox: boolean,
  ) {
    this.textTokens = countTokens(intent.text);
  }

  costFor(profile: AgentProfile): number {
    return estimateCostUsd(profile, this.intent.text, this.textTokens + (profile.kind === 'llm' ? promptTokens(profile) : 0));
  }
}

/** An agent answering in-process: its roster entry, its relevance to the intent, what its auction shares. */
abstract class InProcessBidder {
  readonly slug: string;

  constructor(
    protected readonly entry: RosterEntry,
    protected readonly relevance: number,
    protected readonly auction: SharedBidding,
  ) {
    this.slug = entry.profile.slug;
  }
}

/** A tool bids when its capability can parse the intent (in the sandbox, every tool bids). */
class ToolBidder extends InProcessBidder {
  async bid(signal: AbortSignal): Promise<BidDecision> {
    const { profile, executor } = this.entry;
    const { toolMatches, intent, sandbox } = this.auction;
    const key = profile.tool ?? '';
    let decision = toolMatches.get(key);
    if (!decision) toolMatches.set(key, (decision = executor.bid(intent, signal)));
    const d = await decision;
    if (d.type === 'bid') {
      return {
        type: 'bid',
        confidence: round(d.confidence + (1 - d.confidence) * TOOL_RELEVANCE_SHARE * this.relevance),
        reasoning: `${d.reasoning}; profile relevance ${round(this.relevance)}`,
        estimatedCostUsd: this.auction.costFor(profile),
      };
    }
    return sandbox ? sandboxBid(this.relevance, `sandbox: ${d.reason}`, this.auction.costFor(profile)) : d;
  }
}

/** An LLM agent (or any agent in the sandbox) bids its relevance to the intent, at once. */
class ProfileBidder extends InProcessBidder {
  bid(): BidDecision {
    const { profile } = this.entry;
    const rel = this.relevance;
    if (profile.domain === GENERAL_DOMAIN && rel < GENERALIST_CONFIDENCE) {
      const reasoning = `${profile.name}: no specialist covers this closely; a generalist can answer it`;
      return this.auction.sandbox
        ? sandboxBid(GENERALIST_CONFIDENCE, `sandbox: ${reasoning}`, this.auction.costFor(profile))
        : { type: 'bid', confidence: GENERALIST_CONFIDENCE, reasoning, estimatedCostUsd: this.auction.costFor(profile) };
    }
    if (rel < LLM_MIN_RELEVANCE) {
      return this.auction.sandbox
        ? sandboxBid(rel, 'sandbox: little in the intent matches its skills', this.auction.costFor(profile))
        : { type: 'decline', reason: 'nothing in the intent matches its skills' };
    }
    return {
      type: 'bid',
      confidence: round(Math.min(LLM_CONFIDENCE_CAP, rel)),
      reasoning: `${profile.name}: ${profile.domain} specialist in ${profile.skills.slice(0, 3).join(', ')}; relevance ${round(rel)}`,
      estimatedCostUsd: this.auction.costFor(profile),
    };
  }
}

/** An external (HTTP) agent bids over the wire. */
class RemoteBidder {
  readonly slug: string;

  constructor(
    private readonly entry: RosterEntry,
    private readonly auction: SharedBidding,
  ) {
    this.slug = entry.profile.slug;
  }

  bid(signal: AbortSignal): Promise<BidDecision> {
    return this.entry.executor.bid(this.auction.intent, signal);
  }
}

const promptTokenCache = new WeakMap<AgentProfile, number>();
function promptTokens(profile: AgentProfile): number {
  let n = promptTokenCache.get(profile);
  if (n === undefined) promptTokenCache.set(profile, (n = profile.systemPrompt ? countTokens(profile.systemPrompt) + 1 : 0));
  return n;
}

function sandboxBid(relevance: number, reasoning: string, estimatedCostUsd: number): BidDecision {
  return { type: 'bid', confidence: round(Math.min(LLM_CONFIDENCE_CAP, relevance * 0.5)), reasoning, estimatedCostUsd };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
