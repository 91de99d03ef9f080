import { useMutation } from '@urql/preact';
import { Receipt } from '../auction/receipt';
import { Replay } from '../auction/replay';
import { useStoredEvents } from '../auction/stored-events';
import { graphql } from '../gql';
import { can, useMe } from '../lib/me';
import { Link } from '../lib/router';

const CancelDocument = graphql(`
  mutation CancelIntent($id: ID!) {
    cancelIntent(id: $id) {
      id
      status
    }
  }
`);

/** One intent: its receipt, and its auction replayed from the stored event log. */
export function IntentPage({ id }: { id: string }) {
  const me = useMe();
  const { events, complete, error } = useStoredEvents(id);
  const [, cancel] = useMutation(CancelDocument);
  return (
    <>
      <p>
        <Link to="/intents">← Intents</Link>
      </p>
      <h1>Intent #{id}</h1>
      {error && <p class="notice error">{error}</p>}
      {!complete && !error && (
        <p class="row">
          <span class="muted">Still running. </span>
          <Link to={`/auction/${id}`}>Watch it live</Link>
          {can(me, 'intent_submit') && (
            <button type="button" onClick={() => cancel({ id })}>
              Cancel it
            </button>
          )}
        </p>
      )}
      {complete && <Receipt id={id} />}
      <h2>Auction replay</h2>
      {events.length === 0 && !error ? <p class="muted">Loading the event log…</p> : <Replay events={events} />}
    </>
  );
}
