import { useQuery } from '@urql/preact';
import { usd } from '../auction/receipt';
import { graphql } from '../gql';
import { errorMessage } from '../lib/client';

const WalletDocument = graphql(`
  query Wallet {
    wallet {
      prepaid
      balanceUsd
      availableUsd
      heldUsd
      currency
      transactions(first: 20) {
        edges {
          node {
            id
            kind
            amountUsd
            balanceAfterUsd
            createdAt
            intentId
            note
          }
        }
      }
    }
  }
`);

export function WalletSection() {
  const [res] = useQuery({ query: WalletDocument, requestPolicy: 'cache-and-network' });
  const w = res.data?.wallet;
  return (
    <section class="card" aria-labelledby="wallet-title">
      <h2 id="wallet-title">Wallet</h2>
      {res.error && <p class="notice error">{errorMessage(res.error)}</p>}
      {w && (
        <>
          <p>
            {w.prepaid ? 'Prepaid' : 'Postpaid (not charged from the wallet)'} · balance {usd(w.balanceUsd)} · available {usd(w.availableUsd)} · held{' '}
            {usd(w.heldUsd)}
          </p>
          {w.transactions.edges.length === 0 ? (
            <p class="empty">No transactions yet.</p>
          ) : (
            <div class="table-wrap">
              <table class="list">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Balance after</th>
                    <th scope="col">Intent / note</th>
                  </tr>
                </thead>
                <tbody>
                  {w.transactions.edges.map(({ node: t }) => (
                    <tr key={t.id}>
                      <td>{new Date(t.createdAt).toLocaleString()}</td>
                      <td>{t.kind}</td>
                      <td>{usd(t.amountUsd)}</td>
                      <td>{usd(t.balanceAfterUsd)}</td>
                      <td>{t.intentId ? `#${t.intentId}` : (t.note ?? '')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
