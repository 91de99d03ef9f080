import type { RosterEntry } from '../agents/index.js';
import type { SelectionCriteria } from '../intents/intent.entity.js';
import { createBatcher } from '../events/index.js';
import type { BidRow, IntentChange, NewEvent } from '../events/index.js';
import { buildBidders, providerBlock } from './bidders.js';
import { collectBids, rankBids, type BidRecord, type RelevanceIndex } from './engine/index.js';
import { storedBidding } from './resume.js';
import { startedEvent, type AuctionClose, type AuctionDeps, type AuctionRun } from './run.js';

/**
 * Collects and ranks every bid, and prepares the write that closes the auction: the
 * bids, the closing event and the start of the winner's execution, for one statement
 * (on its own, or with the receipt). Bids that arrive after others were already stored
 * (slow HTTP agents) are streamed as they come and restated with their rank at the
 * close. A resumed run reuses a closed auction's bids and has nothing to write.
 */
export async function closeAuction(run: AuctionRun, deps: AuctionDeps, relevance: RelevanceIndex): Promise<AuctionClose> {
  const { registry, metrics, settings } = deps;
  const { intent } = run;
  // `stored`: agents whose bid already has a row: streamed in this run, or left by a run that died.
  const { close: resumed, streamed: stored } = await storedBidding(deps.pool, intent);
  if (resumed) return resumed;
  const roster = selectedRoster(registry.roster(), intent.selection);
  const minConfidence = Math.max(settings.minConfidence, intent.selection?.minConfidence ?? 0);
  const bySlug = new Map(roster.map((e) => [e.profile.slug, e]));
  const started = performance.now();
  const streaming = createBatcher<BidRecord>(async (batch) => {
    const fresh = batch.filter((r) => !stored.has(r.slug));
    // Not once the intent ended (cancelled meanwhile): its bids were counted as it ended.
    const written = await run.write(
      fresh.map((r) => bidEvent(r, bySlug.get(r.slug)!, { rank: null, eligible: false, score: null })),
      { onlyIfNotFinal: true },
    );
    if (written) for (const r of fresh) stored.add(r.slug);
  });
  const scores = relevance.score(intent.text, intent.domain);
  const records = await collectBids(buildBidders(roster, run.forAgents, scores, intent.sandbox), {
    deadlineMs: intent.bidWindowMs,
    now: () => performance.now(),
    onBid: (r) => streaming.add(r),
  });
  run.timings.biddingMs = performance.now() - started;
  metrics.bidCollection.observe(run.timings.biddingMs / 1000);
  // Bids not streamed yet, in the order they came; agents that never answered last.
  const unstreamed = await streaming.take();
  for (const r of records) if (r.outcome === 'timed_out' || r.outcome === 'unavailable') unstreamed.push(r);
  const agentDomains = new Map(roster.map((e) => [e.profile.slug, e.profile.domain]));
  const { ranked, winner } = rankBids(records, { domainHint: intent.domain, agentDomains, minConfidence });
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
  const set: IntentChange['set'] = { auction_closed_at: now, ...(winner ? { status: 'executing', execution_started_at: now } : {}) };
  if (winner) {
    events.push(startedEvent(winner.slug, bySlug.get(winner.slug)));
  }
  const blocked = winner || intent.sandbox ? null : providerBlock(roster, run.forAgents, scores, minConfidence);
  const candidates = ranked.filter((b) => b.eligible).slice(0, intent.selection?.maxAgents ?? Infinity);
  return { candidates, resumed: false, events, change: { set, onlyIfNotFinal: true, restate }, blocked };
}

/** The agents an intent's selection criteria let bid: of its domains, holding all its skills (case-insensitive). */
export function selectedRoster(roster: readonly RosterEntry[], selection: SelectionCriteria | null): readonly RosterEntry[] {
  const domains = selection?.domains ? new Set(selection.domains) : null;
  const skills = selection?.skills ?? [];
  if (!domains && skills.length === 0) return roster;
  return roster.filter((e) => {
    if (domains && !domains.has(e.profile.domain.toLowerCase())) return false;
    const held = new Set(e.profile.skills.map((s) => s.toLowerCase()));
    return skills.every((s) => held.has(s));
  });
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
