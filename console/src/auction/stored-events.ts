import { useClient } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../lib/client';
import { AuctionEventsDocument, type AuctionEvent } from './events';

/**
 * An intent's whole stored event log: intentEvents from seq 0 sends what is stored and
 * completes after the final event (a finished intent's stream ends at once). An intent
 * still running keeps streaming here until it ends.
 */
export function useStoredEvents(intentId: string): { events: AuctionEvent[]; complete: boolean; error: string | null } {
  const client = useClient();
  const [events, setEvents] = useState<AuctionEvent[]>([]);
  const [complete, setComplete] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let all: AuctionEvent[] = [];
    setEvents([]);
    setComplete(false);
    const { unsubscribe } = client.subscription(AuctionEventsDocument, { intentId, after: 0 }).subscribe((result) => {
      if (result.error) return setError(errorMessage(result.error));
      const event = result.data?.intentEvents;
      if (!event || (all.length && event.seq <= all[all.length - 1]!.seq)) return;
      all = [...all, event];
      setEvents(all);
      if (event.type === 'completed' || event.type === 'failed' || event.type === 'cancelled') setComplete(true);
    });
    return unsubscribe;
  }, [client, intentId]);
  return { events, complete, error };
}
