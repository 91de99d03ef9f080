/** A labelled horizontal bar chart in SVG (attribute-sized: the CSP allows no inline style). */
export function HBars({ title, rows, format }: { title: string; rows: Array<{ label: string; value: number }>; format: (v: number) => string }) {
  const max = Math.max(...rows.map((r) => r.value), 1e-9);
  const ROW = 26;
  return (
    <figure class="card hbars">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 400 ${rows.length * ROW}`} role="img" aria-label={title}>
        {rows.map((r, i) => (
          <g key={r.label} transform={`translate(0 ${i * ROW})`}>
            <text x="0" y="17" class="label">
              {r.label}
            </text>
            <rect x="150" y="5" height="16" width={Math.max(1, (r.value / max) * 180)} class="hbar" />
            <text x={156 + (r.value / max) * 180} y="17" class="value">
              {format(r.value)}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
