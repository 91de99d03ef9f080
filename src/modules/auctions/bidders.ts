import type { RosterEntry } from '../agents/agent-registry.js';
import type { BidDecision, IntentForAgents } from '../agents/types.js';
import { countTokens } from '../agents/executors/tokens.js';
import type { AgentProfile } from '../agents/types.js';
import { estimateCostUsd } from './costs.js';
import type { Bidder } from './engine/index.js';


/** LLM generalists never outbid a tool that is sure it can compute the answer. */
const LLM_CONFIDENCE_CAP = 0.85;
/** Below this relevance an LLM agent has nothing to offer and declines. */
const LLM_MIN_RELEVANCE = 0.05;

/**
 * One bidder per roster entry. In-process agents answer from memory (tool matching,
 * relevance scores computed once for the whole roster); HTTP agents bid over the wire.
 * Sandbox intents: nothing leaves the process, and every agent bids, so a test key
 * sees the full auction.
 */
export function buildBidders(
  roster: readonly RosterEntry[],
  intent: IntentForAgents,
  relevance: ReadonlyMap<string, number>,
  sandbox: boolean,
): Bidder[] {
  const toolMatches = new Map<string, Promise<BidDecision>>();
  // For an estimate, prompt + text tokens are the sum of the parts: the text is
  // tokenized once per auction and each system prompt once per process.
  const textTokens = countTokens(intent.text);
  const tokensFor = (e: RosterEntry) => textTokens + (e.profile.kind === 'llm' ? promptTokens(e.profile) : 0);

  return roster.map((entry): Bidder => {
    const { profile, executor } = entry;
    const rel = relevance.get(profile.slug) ?? 0;
    const cost = () => estimateCostUsd(profile, intent.text, tokensFor(entry));
    const availability = executor.availability();
    if (!availability.available && !sandbox) return { slug: profile.slug, unavailable: availability.reason };

    if (profile.kind === 'tool') {
      return {
        slug: profile.slug,
        bid: async (signal) => {
          // Tool agents sharing a capability share one parse of the text.
          const key = profile.tool ?? '';
          let decision = toolMatches.get(key);
          if (!decision) toolMatches.set(key, (decision = executor.bid(intent, signal)));
          const d = await decision;
          if (d.type === 'bid') return { ...d, estimatedCostUsd: cost() };
          return sandbox ? sandboxBid(rel, `sandbox: ${d.reason}`, cost()) : d;
        },
      };
    }
    if (profile.kind === 'llm' || sandbox) {
      return {
        slug: profile.slug,
        bid: async () => {
          if (rel < LLM_MIN_RELEVANCE) {
            return sandbox
              ? sandboxBid(rel, 'sandbox: little in the intent matches its skills', cost())
              : { type: 'decline', reason: 'nothing in the intent matches its skills' };
          }
          return {
            type: 'bid',
            confidence: round(Math.min(LLM_CONFIDENCE_CAP, rel)),
            reasoning: `${profile.name}: ${profile.domain} specialist in ${profile.skills.slice(0, 3).join(', ')}; relevance ${round(rel)}`,
            estimatedCostUsd: cost(),
          };
        },
      };
    }
    return { slug: profile.slug, bid: (signal) => executor.bid(intent, signal) };
  });
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
