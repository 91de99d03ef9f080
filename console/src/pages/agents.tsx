import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { graphql } from '../gql';
import type { AgentKind } from '../gql/graphql';
import { errorMessage } from '../lib/client';
import { DOMAINS } from './auction';

const AgentsDocument = graphql(`
  query Agents($domain: String, $kind: AgentKind) {
    agents(domain: $domain, kind: $kind) {
      id
      slug
      name
      emoji
      domain
      kind
      description
      available
      unavailableReason
      price {
        inputPerMTok
        outputPerMTok
      }
      stats {
        bids
        wins
        winRate
      }
    }
  }
`);

/** The roster: search by name, slug, skill or description; filter by domain and kind. */
export function AgentsPage() {
  const [search, setSearch] = useState('');
  const [domain, setDomain] = useState('');
  const [kind, setKind] = useState<AgentKind | ''>('');
  const [res] = useQuery({ query: AgentsDocument, variables: { domain: domain || null, kind: kind || null } });
  const needle = search.trim().toLowerCase();
  const agents = (res.data?.agents ?? []).filter((a) => !needle || `${a.name} ${a.slug} ${a.description}`.toLowerCase().includes(needle));
  return (
    <>
      <h1>Agents</h1>
      <div class="row filters">
        <label>
          Search
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} placeholder="name, slug or description" />
        </label>
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
          Kind
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as AgentKind | '')}>
            <option value="">any</option>
            <option value="tool">tool</option>
            <option value="llm">llm</option>
            <option value="http">http</option>
          </select>
        </label>
        <span class="muted">{agents.length} agents</span>
      </div>
      {res.error && <p class="notice error">{errorMessage(res.error)}</p>}
      {res.data && agents.length === 0 && <p class="empty">No agent matches.</p>}
      {agents.length > 0 && (
        <div class="table-wrap">
          <table class="list" data-testid="agents">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Domain</th>
                <th scope="col">Kind</th>
                <th scope="col">Available</th>
                <th scope="col">Win rate</th>
                <th scope="col">Price in / out ($/MTok)</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id}>
                  <td title={a.description}>
                    {a.emoji} {a.name} <span class="muted">{a.slug}</span>
                  </td>
                  <td>{a.domain}</td>
                  <td>{a.kind}</td>
                  <td>{a.available ? <span class="badge ok">yes</span> : <span class="badge warn">{a.unavailableReason ?? 'no'}</span>}</td>
                  <td>
                    {(a.stats.winRate * 100).toFixed(0)}%{' '}
                    <span class="muted">
                      ({a.stats.wins}/{a.stats.bids})
                    </span>
                  </td>
                  <td>
                    {a.price.inputPerMTok} / {a.price.outputPerMTok}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
