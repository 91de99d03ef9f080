import { ErrorNotice } from '../ui/error-notice';
import { BidChart } from './bid-chart';
import type { AuctionState, Phase } from './state';

const STEPS: Array<{ phase: Phase; label: string }> = [
  { phase: 'bidding', label: 'Bidding' },
  { phase: 'closed', label: 'Window closed' },
  { phase: 'executing', label: 'Executing' },
  { phase: 'completed', label: 'Done' },
];
const ORDER: Phase[] = ['waiting', 'bidding', 'closed', 'executing', 'verifying', 'completed'];

/** One auction as far as its events go: progress, the ranked bids, the winner, failover, verification and output. */
export function AuctionView({ state }: { state: AuctionState }) {
  const winnerBid = state.bids.find((b) => b.agent === state.winner);
  const reached = ORDER.indexOf(state.phase);
  const bidCount = state.bids.filter((b) => b.outcome === 'bid').length;
  return (
    <section class="auction" aria-label="Auction" data-phase={state.phase} data-testid="auction">
      <ol class="steps" aria-label="Progress">
        {STEPS.map((s) => {
          const done = reached >= ORDER.indexOf(s.phase) && state.phase !== 'failed' && state.phase !== 'cancelled';
          return (
            <li key={s.phase} class={done ? 'done' : undefined} aria-current={state.phase === s.phase ? 'step' : undefined}>
              {s.label}
            </li>
          );
        })}
        {state.phase === 'failed' && <li class="bad">Failed</li>}
        {state.phase === 'cancelled' && <li class="bad">Cancelled</li>}
      </ol>
      <p class="muted" data-testid="event-count" data-last-seq={state.lastSeq}>
        {state.asked != null ? `${state.bids.length} of ${state.asked} agents answered` : `${state.bids.length} agents answered so far`} · {bidCount} bid
        {bidCount === 1 ? '' : 's'} · event {state.lastSeq}
        {state.sandbox ? ' · sandbox' : ''}
      </p>
      <BidChart bids={state.bids} winner={state.winner} />
      {state.winner && (
        <div class="card winner-card" data-testid="winner">
          <h3>
            Winner: {winnerBid ? `${winnerBid.emoji} ${winnerBid.name}` : state.winner}
            {winnerBid?.confidence != null && <span class="badge">{winnerBid.confidence.toFixed(2)}</span>}
          </h3>
          {winnerBid?.reasoning && <p>{winnerBid.reasoning}</p>}
        </div>
      )}
      {state.failovers.map((f, i) => (
        <p key={i} class="notice warn" role="status">
          Failover: {f.from} → {f.to} ({f.reason})
        </p>
      ))}
      {state.verifications.map((v, i) => (
        <p key={i} class={`notice ${v.accepted ? 'ok' : 'warn'}`} role="status">
          Verifier {v.agent} {v.accepted ? 'accepted' : 'rejected'} the result{v.reason ? `: ${v.reason}` : ''}
        </p>
      ))}
      {(state.output || state.executions.length > 0) && (
        <div class="card">
          <h3>Output{state.executions.length ? ` from ${state.executions[state.executions.length - 1]!.name}` : ''}</h3>
          <pre class="output" data-testid="output" aria-live="polite">
            {state.receipt?.result ?? state.output}
          </pre>
        </div>
      )}
      {state.failure && <ErrorNotice code={state.failure.code} message={state.failure.message} />}
      {state.cancelled != null && <p class="notice warn">Cancelled: {state.cancelled}</p>}
    </section>
  );
}
