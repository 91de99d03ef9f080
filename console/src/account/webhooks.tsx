import { useMutation, useQuery } from '@urql/preact';
import { graphql } from '../gql';
import { errorMessage } from '../lib/client';
import { Link } from '../lib/router';

/** Deliveries hang off intents: the recent intents' deliveries, newest intent first. */
const DeliveriesDocument = graphql(`
  query WebhookDeliveries {
    intents(first: 20) {
      edges {
        node {
          id
          webhookDeliveries {
            id
            event
            url
            status
            createdAt
            deliveredAt
            attempts {
              attempt
              statusCode
              error
            }
          }
        }
      }
    }
  }
`);

const RedeliverDocument = graphql(`
  mutation Redeliver($id: ID!) {
    redeliverWebhook(id: $id) {
      id
      status
    }
  }
`);

export function WebhooksSection() {
  const [res] = useQuery({ query: DeliveriesDocument, requestPolicy: 'cache-and-network' });
  const [redelivered, redeliver] = useMutation(RedeliverDocument);
  const rows = (res.data?.intents.edges ?? []).flatMap(({ node }) => node.webhookDeliveries.map((d) => ({ ...d, intentId: node.id })));
  return (
    <section class="card" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhook deliveries</h2>
      {res.error && <p class="notice error">{errorMessage(res.error)}</p>}
      {redelivered.error && <p class="notice error">{errorMessage(redelivered.error)}</p>}
      {res.data && rows.length === 0 && <p class="empty">No webhook deliveries among the last 20 intents (submit one with a webhookUrl).</p>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Intent</th>
                <th scope="col">Event</th>
                <th scope="col">URL</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/intents/${d.intentId}`}>#{d.intentId}</Link>
                  </td>
                  <td>{d.event}</td>
                  <td class="clip">{d.url}</td>
                  <td>
                    <span class={`badge w-${d.status}`}>{d.status}</span>
                  </td>
                  <td>
                    {d.attempts.length}
                    {d.attempts.length ? ` (last: ${d.attempts[d.attempts.length - 1]!.statusCode ?? d.attempts[d.attempts.length - 1]!.error ?? '?'})` : ''}
                  </td>
                  <td>
                    <button type="button" aria-label={`Redeliver ${d.id}`} onClick={() => redeliver({ id: d.id })}>
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
