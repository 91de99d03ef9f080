/** Rows as aligned columns under a header, for a terminal (and easy to `grep`/`awk`). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** A moment to the second, in UTC; `-` for none. */
export function when(date: Date | null | undefined): string {
  return date ? `${date.toISOString().slice(0, 19)}Z` : '-';
}

/** Micro-USD as dollars with their six decimals. */
export function usd(micros: number): string {
  return `$${(micros / 1_000_000).toFixed(6)}`;
}
