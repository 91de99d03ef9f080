import { useSubscription } from '@urql/preact';
import { useState } from 'preact/hooks';
import { OUTCOMES } from '../auction/bid-chart';
import { graphql } from '../gql';
import type { BidFeedSubscription, BidOutcome } from '../gql/graphql';
import { errorMessage } from '../lib/client';
import { Link } from '../lib/router';
import { DOMAINS } from './auction';

const BidFeedDocument = graphql(`
  subscription BidFeed($domain: String, $outcome: [BidOutcome!]) {
    bidFeed(domain: $domain, outcome: $outcome) {
      seq
      intentId
      at
      agent
      name
      emoji
      domain
      outcome
      confidence
      latencyMs
    }
  }
`);

type FeedBid = BidFeedSubscription['bidFeed'];
const KEEP = 200;

/** Every bid on the tenant's intents as it happens, newest first (the last 200). */
export function BidFeedPage() {
  const [domain, setDomain] = useState('');
  const [outcome, setOutcome] = useState<BidOutcome | ''>('bid');
  const [feed] = useSubscription(
    { query: BidFeedDocument, variables: { domain: domain || null, outcome: outcome ? [outcome] : null } },
    (previous: FeedBid[] = [], data: BidFeedSubscription) => [data.bidFeed, ...previous].slice(0, KEEP),
  );
  const bids = feed.data ?? [];
  return (
    <>
      <h1>Bid feed</h1>
      <div class="row filters">
        <label>
          Domain
          <select value={domain} onChange={(e) => setDomain(e.currentTarget.value)}>
            {DOMAINS.map((d) => (
              <option key={d} value={d}>
                {d || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as BidOutcome | '')}>
            <option value="">any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <span class="muted" aria-live="polite">
          {bids.length} bids shown
        </span>
      </div>
      {feed.error && <p class="notice error">{errorMessage(feed.error)}</p>}
      {bids.length === 0 ? (
        <p class="empty">Waiting for bids: submit an intent (in another tab, or from the API) and its bids appear here.</p>
      ) : (
        <div class="table-wrap">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Intent</th>
                <th scope="col">Agent</th>
                <th scope="col">Domain</th>
                <th scope="col">Outcome</th>
                <th scope="col">Confidence</th>
                <th scope="col">Latency</th>
              </tr>
            </thead>
            <tbody>
              {bids.map((b) => (
                <tr key={`${b.intentId}-${b.seq}`}>
                  <td>
                    <Link to={`/intents/${b.intentId}`}>#{b.intentId}</Link>
                  </td>
                  <td>
                    {b.emoji} {b.name}
                  </td>
                  <td>{b.domain ?? '—'}</td>
                  <td>
                    <span class={`badge o-${b.outcome}`}>{b.outcome.replace('_', ' ')}</span>
                  </td>
                  <td>{b.confidence != null ? b.confidence.toFixed(2) : '—'}</td>
                  <td>{Math.round(b.latencyMs)} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
