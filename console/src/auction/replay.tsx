import { useEffect, useState } from 'preact/hooks';
import { AuctionView } from './auction-view';
import type { AuctionEvent } from './events';
import { fold } from './state';

/** Replay speeds up long gaps: at most this long between two events on screen. */
const MAX_GAP_MS = 400;

/** Plays an auction back from its stored events: play, pause, and a scrubber over the event positions. */
export function Replay({ events }: { events: readonly AuctionEvent[] }) {
  const [position, setPosition] = useState(events.length);
  const [playing, setPlaying] = useState(false);
  useEffect(() => setPosition(events.length), [events.length]);
  useEffect(() => {
    if (!playing) return;
    if (position >= events.length) return setPlaying(false);
    const prev = events[position - 1];
    const next = events[position]!;
    const gap = prev ? Math.min(MAX_GAP_MS, Math.max(0, Date.parse(next.at) - Date.parse(prev.at))) : 0;
    const timer = setTimeout(() => setPosition(position + 1), Math.max(gap, 8));
    return () => clearTimeout(timer);
  }, [playing, position, events]);
  return (
    <section aria-label="Replay" class="replay">
      <div class="row controls">
        <button
          type="button"
          class="primary"
          onClick={() => {
            if (!playing && position >= events.length) setPosition(0);
            setPlaying(!playing);
          }}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <label class="grow">
          <span class="sr-only">Position in the event log</span>
          <input
            type="range"
            min={0}
            max={events.length}
            value={position}
            aria-valuetext={`event ${position} of ${events.length}`}
            onInput={(e) => (setPlaying(false), setPosition(Number(e.currentTarget.value)))}
          />
        </label>
        <span class="muted" data-testid="replay-position">
          {position} / {events.length}
        </span>
      </div>
      <AuctionView state={fold(events.slice(0, position))} />
    </section>
  );
}
