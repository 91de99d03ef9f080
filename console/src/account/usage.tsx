import { useQuery } from '@urql/preact';
import { usd } from '../auction/receipt';
import { graphql } from '../gql';
import { errorMessage } from '../lib/client';

const UsageDocument = graphql(`
  query Usage {
    usage {
      intents
      completed
      failed
      quota
      remaining
      totalTokens
      costUsd
      periodStart
      periodEnd
    }
  }
`);

/** This key's month against its quota. */
export function UsageSection() {
  const [res] = useQuery({ query: UsageDocument, requestPolicy: 'cache-and-network' });
  const u = res.data?.usage;
  const share = u?.quota ? Math.min(1, u.intents / u.quota) : 0;
  return (
    <section class="card" aria-labelledby="usage-title">
      <h2 id="usage-title">Usage this month</h2>
      {res.error && <p class="notice error">{errorMessage(res.error)}</p>}
      {u && (
        <>
          <p>
            {u.intents} intents{u.quota != null ? ` of ${u.quota}` : ' (no quota)'} · {u.completed} completed · {u.failed} failed · {u.totalTokens} tokens ·{' '}
            {usd(u.costUsd)}
          </p>
          {u.quota != null && (
            <svg
              class="meter"
              viewBox="0 0 100 6"
              preserveAspectRatio="none"
              role="meter"
              aria-label="Quota used"
              aria-valuemin={0}
              aria-valuemax={u.quota}
              aria-valuenow={u.intents}
            >
              <rect x="0" y="0" width="100" height="6" class="meter-bg" />
              <rect x="0" y="0" width={share * 100} height="6" class={share >= 1 ? 'meter-full' : 'meter-used'} />
            </svg>
          )}
          {u.remaining === 0 && <p class="notice error">Quota reached: new intents are refused (429) until {new Date(u.periodEnd).toLocaleDateString()}.</p>}
        </>
      )}
    </section>
  );
}
