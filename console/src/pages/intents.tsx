import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { graphql } from '../gql';
import type { IntentFilterStatus } from '../gql/graphql';
import { errorMessage } from '../lib/client';
import { Link } from '../lib/router';
import { usd } from '../auction/receipt';
import { DOMAINS } from './auction';

const IntentsDocument = graphql(`
  query Intents($first: Int, $after: String, $status: IntentFilterStatus, $domain: String) {
    intents(first: $first, after: $after, status: $status, domain: $domain) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          text
          createdAt
          durationMs
          cost {
            costUsd
          }
          winningAgent {
            name
            emoji
          }
        }
      }
    }
  }
`);

const STATUSES: Array<IntentFilterStatus | ''> = ['', 'in_progress', 'completed', 'failed', 'cancelled', 'pending'];
const PAGE = 20;

/** The tenant's intents, newest first, filtered by status and domain, a page at a time. */
export function IntentsPage() {
  const [status, setStatus] = useState<IntentFilterStatus | ''>('');
  const [domain, setDomain] = useState('');
  // Cursors of the pages before this one: "Previous" pops one.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [res] = useQuery({
    query: IntentsDocument,
    variables: { first: PAGE, after, status: status || null, domain: domain || null },
    requestPolicy: 'cache-and-network',
  });
  const page = res.data?.intents;
  const reset = () => setCursors([null]);
  return (
    <>
      <h1>Intents</h1>
      <div class="row filters">
        <label>
          Status
          <select value={status} onChange={(e) => (setStatus(e.currentTarget.value as IntentFilterStatus | ''), reset())}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Domain
          <select value={domain} onChange={(e) => (setDomain(e.currentTarget.value), reset())}>
            {DOMAINS.map((d) => (
              <option key={d} value={d}>
                {d || 'any'}
              </option>
            ))}
          </select>
        </label>
        {page && <span class="muted">{page.totalCount} intents</span>}
      </div>
      {res.error && <p class="notice error">{errorMessage(res.error)}</p>}
      {page && page.edges.length === 0 && <p class="empty">No intents yet{status || domain ? ' match these filters' : ''}. Submit one from Live auction.</p>}
      {page && page.edges.length > 0 && (
        <div class="table-wrap">
          <table class="list" data-testid="intents">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Intent</th>
                <th scope="col">Status</th>
                <th scope="col">Winner</th>
                <th scope="col">Cost</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {page.edges.map(({ node }) => (
                <tr key={node.id}>
                  <td>
                    <Link to={`/intents/${node.id}`}>{node.id}</Link>
                  </td>
                  <td class="clip">{node.text}</td>
                  <td>
                    <span class={`badge s-${node.status}`}>{node.status}</span>
                  </td>
                  <td>{node.winningAgent ? `${node.winningAgent.emoji} ${node.winningAgent.name}` : '—'}</td>
                  <td>{usd(node.cost.costUsd)}</td>
                  <td>{new Date(node.createdAt).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="row pager">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous
        </button>
        <button type="button" disabled={!page?.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, page!.pageInfo.endCursor ?? null])}>
          Next
        </button>
      </div>
    </>
  );
}
