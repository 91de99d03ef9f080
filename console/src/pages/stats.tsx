import { useQuery } from '@urql/preact';
import { graphql } from '../gql';
import { errorMessage } from '../lib/client';
import { HBars } from '../ui/hbars';

const StatsDocument = graphql(`
  query RoutingStats {
    routingStats {
      totalIntents30d
      agentsActive
      avgWinningConfidence
      failureRate30d
      shieldPromotionRate
      bidCollectionP50Ms
      bidCollectionP95Ms
      executionP50Ms
      executionP95Ms
      topDomains {
        domain
        intentShare
      }
    }
  }
`);

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

/** Routing statistics of the last 30 days, as figures and bar charts. */
export function StatsPage() {
  const [res] = useQuery({ query: StatsDocument, requestPolicy: 'cache-and-network' });
  const s = res.data?.routingStats;
  return (
    <>
      <h1>Routing statistics</h1>
      {res.error && <p class="notice error">{errorMessage(res.error)}</p>}
      {s && (
        <>
          <dl class="figures card">
            <div>
              <dt>Intents (30 days)</dt>
              <dd>{s.totalIntents30d}</dd>
            </div>
            <div>
              <dt>Active agents</dt>
              <dd>{s.agentsActive}</dd>
            </div>
            <div>
              <dt>Avg winning confidence</dt>
              <dd>{s.avgWinningConfidence.toFixed(2)}</dd>
            </div>
            <div>
              <dt>Failure rate</dt>
              <dd>{pct(s.failureRate30d)}</dd>
            </div>
            <div>
              <dt>Shield promotion rate</dt>
              <dd>{pct(s.shieldPromotionRate)}</dd>
            </div>
          </dl>
          <div class="grid2">
            <HBars
              title="Latency (ms)"
              rows={[
                { label: 'bid collection p50', value: s.bidCollectionP50Ms },
                { label: 'bid collection p95', value: s.bidCollectionP95Ms },
                { label: 'execution p50', value: s.executionP50Ms },
                { label: 'execution p95', value: s.executionP95Ms },
              ]}
              format={(v) => `${Math.round(v)} ms`}
            />
            {s.topDomains.length ? (
              <HBars title="Share of intents by domain" rows={s.topDomains.map((d) => ({ label: d.domain, value: d.intentShare }))} format={pct} />
            ) : (
              <p class="empty card">No intents in the last 30 days yet.</p>
            )}
          </div>
        </>
      )}
    </>
  );
}
