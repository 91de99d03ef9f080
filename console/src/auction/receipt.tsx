import { useQuery } from '@urql/preact';
import { graphql } from '../gql';
import { errorMessage } from '../lib/client';

export const ReceiptDocument = graphql(`
  query Receipt($id: ID!) {
    intent(id: $id) {
      id
      status
      text
      domain
      auctionTier
      sandbox
      createdAt
      completedAt
      durationMs
      result
      promotions
      error {
        code
        message
      }
      cost {
        inputTokens
        outputTokens
        totalTokens
        costUsd
      }
      winningAgent {
        name
        emoji
        confidence
        domain
        reasoning
      }
      attempts {
        agent
        outcome
        error
        startedAt
        finishedAt
      }
    }
  }
`);

export function usd(n: number): string {
  return `$${n < 0.01 && n > 0 ? n.toFixed(6) : n.toFixed(4)}`;
}

/** The stored receipt of an intent: tokens, cost, duration and the failover chain. */
export function Receipt({ id }: { id: string }) {
  const [res] = useQuery({ query: ReceiptDocument, variables: { id }, requestPolicy: 'network-only' });
  if (res.error) return <p class="notice error">Receipt: {errorMessage(res.error)}</p>;
  const intent = res.data?.intent;
  if (!intent) return <p class="muted">Loading the receipt…</p>;
  return (
    <section class="card receipt" aria-label="Receipt" data-testid="receipt">
      <h3>Receipt</h3>
      <dl class="figures">
        <div>
          <dt>Status</dt>
          <dd>{intent.status}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd>
            {intent.cost.inputTokens} in · {intent.cost.outputTokens} out · {intent.cost.totalTokens} total
          </dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd>{usd(intent.cost.costUsd)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{intent.durationMs != null ? `${intent.durationMs} ms` : '—'}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{intent.attempts.length}</dd>
        </div>
        {intent.auctionTier === 'shield' && (
          <div>
            <dt>Promotions</dt>
            <dd>{intent.promotions}</dd>
          </div>
        )}
      </dl>
      {intent.winningAgent && (
        <p>
          Won by {intent.winningAgent.emoji} {intent.winningAgent.name} ({intent.winningAgent.domain}, confidence {intent.winningAgent.confidence.toFixed(2)}):{' '}
          {intent.winningAgent.reasoning}
        </p>
      )}
      {intent.attempts.length > 0 && (
        <ol class="attempts" aria-label="Attempts">
          {intent.attempts.map((a, i) => (
            <li key={i}>
              {a.agent}: {a.outcome}
              {a.error ? ` (${a.error})` : ''}
            </li>
          ))}
        </ol>
      )}
      {intent.result != null && (
        <pre class="output" data-testid="receipt-result">
          {intent.result}
        </pre>
      )}
      {intent.error && (
        <p class="notice error">
          {intent.error.code}: {intent.error.message}
        </p>
      )}
    </section>
  );
}
