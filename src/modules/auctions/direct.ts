import type { AgentRegistry, RosterEntry } from '../agents/index.js';
import type { ReceiptFields } from './receipt.js';
import { startedEvent, type AuctionClose, type AuctionRun } from './run.js';

/*
 * A direct call: the client names the agent, and there is no auction. What bidding
 * decides for an auction (who runs, and the write that says so) is decided here; the
 * execution, the receipt and the final write are the auction's own.
 */

/** The named agent in the live roster, by slug or by id; undefined when it is not an active agent. */
export function namedAgent(registry: AgentRegistry, agent: string): RosterEntry | undefined {
  return registry.entry(agent) ?? registry.roster().find((e) => e.agent.id === agent);
}

/**
 * Why the named agent cannot be run, as the failed intent's receipt: it is not an active
 * agent (unknown, or retired), or it cannot be reached on a live key (no provider, an
 * open circuit: the same agents an auction would not ask). Null when it can run.
 */
export function unavailableReceipt(agent: string, entry: RosterEntry | undefined, sandbox: boolean): ReceiptFields | null {
  const availability = entry?.executor.availability();
  const out = !sandbox && availability && !availability.available ? availability : null;
  const reason = !entry ? 'it is not an active agent' : out ? out.reason : null;
  // Kept out by its LLM provider: the provider's code, which says what to fix (or to retry).
  return reason === null ? null : { errorCode: out?.cause ?? 'agent_unavailable', errorMessage: `Agent ${agent} cannot run this intent: ${reason}` };
}

/**
 * The direct call's close: the named agent as the only candidate, and the start of its
 * execution as the write (no bids, no `auction_closed`: nothing was auctioned). A run
 * resumed after its start was written has nothing to write, as a resumed auction.
 */
export function directClose(run: AuctionRun, entry: RosterEntry): AuctionClose {
  const slug = entry.profile.slug;
  const candidates = [{ slug, outcome: 'bid' as const, latencyMs: 0, score: 0, eligible: true }];
  if (run.intent.previousStatus === 'executing' || run.intent.previousStatus === 'verifying') return { candidates, resumed: true, events: [], change: {} };
  return {
    candidates,
    resumed: false,
    events: [startedEvent(slug, entry)],
    change: {
      set: { status: 'executing', execution_started_at: new Date() },
      onlyIfNotFinal: true,
    },
  };
}
