import { ranked, type BarBid } from './state';

/** Outcomes other than a bid, in the legend's order; their colours are in styles.css (.o-*). */
export const OUTCOMES = ['bid', 'declined', 'unavailable', 'timed_out', 'failed'] as const;

const BAR = 6;
const HEIGHT = 160;
/** Agents that did not bid still get a bar: a short stub in their outcome's colour. */
const STUB = 8;

/**
 * The ranked chart: one bar per agent asked, best bid first, in plain SVG. Sizes are SVG
 * attributes (the CSP allows no inline style), and a chart library would add weight for
 * what is one rect per agent. The top of the ranking is also a table, for screen readers.
 */
export function BidChart({ bids, winner }: { bids: readonly BarBid[]; winner: string | null }) {
  const bars = ranked(bids);
  // At least 60 slots wide, so the first few bids (or an early replay position) are not stretched into slabs.
  const width = Math.max(bars.length, 60) * BAR;
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, bids.filter((b) => b.outcome === o).length]));
  return (
    <figure class="chart">
      <div class="chart-scroll">
        <svg
          viewBox={`0 0 ${width} ${HEIGHT}`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`${bars.length} agents ranked by confidence`}
          data-testid="bid-chart"
        >
          <line x1="0" x2={width} y1={HEIGHT - STUB} y2={HEIGHT - STUB} class="axis" />
          {bars.map((b, i) => {
            const h = b.outcome === 'bid' ? Math.max(1, (b.confidence ?? 0) * (HEIGHT - STUB - 4)) : STUB;
            const y = b.outcome === 'bid' ? HEIGHT - STUB - h : HEIGHT - STUB;
            return (
              <rect
                key={b.agent}
                class={`bar o-${b.outcome}${b.agent === winner ? ' winner' : ''}`}
                data-agent={b.agent}
                x={i * BAR + 0.5}
                y={y}
                width={BAR - 1}
                height={h}
              >
                <title>
                  {b.emoji} {b.name}: {b.outcome === 'bid' ? `confidence ${(b.confidence ?? 0).toFixed(2)}` : b.outcome.replace('_', ' ')}
                </title>
              </rect>
            );
          })}
        </svg>
      </div>
      <figcaption>
        <ul class="legend">
          {OUTCOMES.map((o) => (
            <li key={o}>
              <span class={`swatch o-${o}`} aria-hidden="true" /> {o.replace('_', ' ')}: <strong data-testid={`count-${o}`}>{counts[o]}</strong>
            </li>
          ))}
        </ul>
      </figcaption>
      <table class="ranking">
        <caption>Top bids</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Agent</th>
            <th scope="col">Domain</th>
            <th scope="col">Confidence</th>
          </tr>
        </thead>
        <tbody>
          {bars.slice(0, 8).map((b, i) => (
            <tr key={b.agent} class={b.agent === winner ? 'winner' : undefined}>
              <td>{i + 1}</td>
              <td>
                {b.emoji} {b.name}
              </td>
              <td>{b.domain ?? '—'}</td>
              <td>{b.outcome === 'bid' ? (b.confidence ?? 0).toFixed(2) : b.outcome.replace('_', ' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
