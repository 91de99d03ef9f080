import { COMPLETED_WITH_WORK } from '../../jobs/job-queue.js';
import { AUCTION_RETRIES } from './auction-job.js';
import { closeAuction } from './bidding.js';
import { directClose, namedAgent, unavailableReceipt } from './direct.js';
import { createRelevanceIndex, type RelevanceIndex } from './engine/index.js';
import { executeCandidates } from './execution.js';
import { followUpFinal, writeFinal } from './final-write.js';
import { handOver, tryInstant } from './instant.js';
import { claimIntent, storedAttempts, unfinishedIntent } from './resume.js';
import type { ProviderBlock } from './bidders.js';
import { AuctionRun, announceAttempt, type AuctionDeps, type RunIntent } from './run.js';

export { runIntentFromRow, type AuctionDeps, type AuctionSettings, type RunIntent } from './run.js';

/**
 * Why an auction ended with no one to run: the LLM provider (none configured, or
 * unavailable) kept out agents that would have bid, or no agent could serve the intent.
 */
function noCandidateReceipt(blocked: ProviderBlock | null | undefined): { errorCode: string; errorMessage: string } {
  const who = blocked?.agents.length ? ` (it needs an LLM agent such as ${blocked.agents.join(', ')}; no tool agent can compute it)` : '';
  if (blocked?.cause === 'provider_not_configured') {
    return { errorCode: blocked.cause, errorMessage: `This intent needs a provider: no agent can serve it without an LLM provider${who}: ${blocked.reason}` };
  }
  if (blocked)
    return {
      errorCode: blocked.cause,
      errorMessage: `The agents that could serve this intent are out until their LLM provider is back${who}: ${blocked.reason}`,
    };
  return { errorCode: 'no_bids', errorMessage: 'No agent could serve this intent with enough confidence' };
}

/** What a run leaves its job: `COMPLETED_WITH_WORK` when the final write completed the job too. */
type RunResult = void | typeof COMPLETED_WITH_WORK;

/**
 * Runs one intent's auction as a durable job, phase by phase over one `AuctionRun`:
 * claim (resume.ts) → bidding (bidding.ts) → an instant winner (instant.ts) or the
 * close's write and execution with failover and verification (execution.ts) → the
 * receipt and final write (receipt.ts, final-write.ts). On the common path that is
 * three statements after the claim: the bids with the auction's events and state, then
 * the receipt with its events. Every write is guarded on the intent not being final, so
 * a retried job (after a crash) resumes from what is stored and the intent completes
 * exactly once. `runAgent` is the same run with the client's named agent in place of
 * the bidding.
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
  async run(intentId: number, claimed?: RunIntent): Promise<RunResult> {
    return this.claimed(intentId, claimed, async (run) => {
      // A direct call (a session's turn) names its agent at submission: nothing to auction.
      if (run.intent.directAgent) return this.direct(run, run.intent.directAgent);
      run.close = await closeAuction(run, this.deps, this.relevance);
      if (run.signal.aborted) return null;
      if (run.close.candidates.length === 0) {
        const fields = noCandidateReceipt(run.close.blocked);
        return writeFinal(this.deps, run, { status: 'failed', fields, close: run.close });
      }
      return this.execute(run);
    });
  }

  /**
   * Runs the intent on one named agent (its slug or id in the live roster), with no
   * auction: the same execution (streamed output, timeout, sandbox simulation, Shield
   * verification), receipt and final write as an auction's winner. A named agent that is
   * not active, or cannot be reached on a live key, fails the intent with
   * `agent_unavailable` in one final write. `claimed` as for `run`.
   */
  async runAgent(intentId: number, agent: string, claimed?: RunIntent): Promise<RunResult> {
    return this.claimed(intentId, claimed, (run) => this.direct(run, agent));
  }

  private async direct(run: AuctionRun, agent: string): Promise<boolean | null> {
    const entry = namedAgent(this.deps.registry, agent);
    const unavailable = unavailableReceipt(agent, entry, run.intent.sandbox);
    if (unavailable) return writeFinal(this.deps, run, { status: 'failed', fields: unavailable });
    // A session's turn: tools answer each turn on its own, other agents get the conversation.
    if (entry!.profile.kind !== 'tool') run.history = await this.deps.historyOf?.(run.intent.id, entry!.profile, run.intent.text);
    run.close = directClose(run, entry!);
    return this.execute(run);
  }

  /**
   * Settles an intent whose auction job ran out of tries (its process kept dying on it,
   * or the run kept failing unexpectedly): failed with `internal_error`, unless it ended
   * meanwhile. Its follow-ups (the wallet hold, webhooks) run as for any final intent.
   */
  async abandon(intentId: number): Promise<void> {
    const intent = await unfinishedIntent(this.deps.pool, intentId);
    if (intent) {
      this.deps.logger.error({ intentId, status: intent.previousStatus }, 'auction abandoned after its last try');
      const fields = { errorCode: 'internal_error', errorMessage: `The auction could not be completed in ${AUCTION_RETRIES + 1} tries` };
      await writeFinal(this.deps, new AuctionRun(intent, this.deps.events), { status: 'failed', fields });
    }
    await this.deps.followUps.final(intentId);
  }

  /**
   * Claims the intent (unless its submitter did) and runs `phases` on a new run that a
   * cancel aborts. `phases` says whether the final write ran (the job is then complete),
   * or null when the intent ended meanwhile (a cancel, which owns its follow-ups).
   */
  private async claimed(intentId: number, claimed: RunIntent | undefined, phases: (run: AuctionRun) => Promise<boolean | null>): Promise<RunResult> {
    const intent = claimed ?? (await claimIntent(this.deps.pool, intentId));
    // Already final: a retry after a crash may still owe the final follow-ups.
    if (!intent) return this.deps.followUps.final(intentId);
    const run = new AuctionRun(intent, this.deps.events);
    // A cancel on any instance arrives as the intent's `cancelled` event.
    const cancels = this.deps.bus.pubsub.subscribe('final', intentId);
    void (async () => {
      for await (const e of cancels) if (e.type === 'cancelled') run.controller.abort();
    })();
    try {
      const completed = await phases(run);
      if (completed === null) return;
      await followUpFinal(this.deps, run);
      if (completed) return COMPLETED_WITH_WORK;
    } catch (error) {
      this.deps.logger.error({ err: error, intentId }, 'auction failed unexpectedly');
      throw error; // the job engine retries; stored state lets the retry resume
    } finally {
      await cancels.return?.();
    }
  }

  /**
   * Executes the close's candidates. A winner that answers in-process runs before anything
   * is stored, and its receipt is written with the close. Otherwise the close is written,
   * then the candidates run with failover; a resumed run goes on from where the stopped
   * one was, its attempts kept, and writes no close.
   */
  private async execute(run: AuctionRun): Promise<boolean | null> {
    const close = run.close!;
    const instant = close.resumed ? null : await tryInstant(run, this.deps);
    if (instant) {
      // The in-process winner's attempt began and ended before anything was told.
      const slug = 'failed' in instant ? instant.failed.slug : close.candidates[0]!.slug;
      announceAttempt(run, this.deps, 1, slug);
      announceAttempt(run, this.deps, 1, slug, 'failed' in instant ? instant.failed : { outcome: 'succeeded' });
    }
    if (instant && 'completed' in instant) {
      if (run.intent.followUps) await this.deps.followUps.started(run.intent.id);
      return instant.completed;
    }
    let started = '';
    if (close.resumed) run.earlier = await storedAttempts(this.deps.pool, run);
    else {
      const write = instant ? handOver(run, this.deps, instant.failed) : { events: close.events, started: close.candidates[0]!.slug };
      if (!(await run.write(write.events, close.change))) return null; // final meanwhile
      started = write.started;
    }
    if (run.intent.followUps) void this.deps.followUps.started(run.intent.id);
    return executeCandidates(run, this.deps, started);
  }
}
