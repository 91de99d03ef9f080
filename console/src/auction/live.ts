import { useClient } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../lib/client';
import { AuctionEventsDocument, type AuctionEvent } from './events';

const stored = (intentId: string) => `gavel.events.${intentId}`;

function load(intentId: string): AuctionEvent[] {
  try {
    return JSON.parse(sessionStorage.getItem(stored(intentId)) ?? '[]') as AuctionEvent[];
  } catch {
    return [];
  }
}

/**
 * An intent's events, live. What this tab has seen is kept in sessionStorage, so a reload
 * shows it at once and subscribes with `after` the last seq seen: the server sends what
 * was missed, then the live tail. Anything at or below the last seq (a graphql-ws
 * reconnect replays from the same `after`) is dropped, so no event counts twice.
 */
export function useLiveEvents(intentId: string): { events: AuctionEvent[]; error: string | null; done: boolean } {
  const client = useClient();
  const [events, setEvents] = useState<AuctionEvent[]>(() => load(intentId));
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    let seen = load(intentId);
    setEvents(seen);
    setError(null);
    setDone(false);
    const after = seen.length ? seen[seen.length - 1]!.seq : 0;
    const source = client.subscription(AuctionEventsDocument, { intentId, after });
    const { unsubscribe } = source.subscribe((result) => {
      if (result.error) return setError(errorMessage(result.error));
      const event = result.data?.intentEvents;
      if (!event) return;
      const last = seen.length ? seen[seen.length - 1]!.seq : 0;
      if (event.seq <= last) return;
      seen = [...seen, event];
      sessionStorage.setItem(stored(intentId), JSON.stringify(seen));
      setEvents(seen);
      if (event.type === 'completed' || event.type === 'failed' || event.type === 'cancelled') setDone(true);
    });
    return unsubscribe;
  }, [client, intentId]);
  return { events, error, done };
}
