import { payloadOf, type ToolCapability } from './types.js';

/** RFC 4180 rows: quoted fields may hold commas, newlines and doubled quotes. */
export function parseCsv(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quoted field');
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

export const csv: ToolCapability = {
  id: 'csv',
  description: 'CSV to JSON: the header row becomes the keys; quoted fields supported',
  match(text) {
    if (!/\bcsv\b[\s\S]*\bjson\b|\bjson\b[\s\S]*\bcsv\b/i.test(text)) return null;
    const input = payloadOf(text);
    if (!input || !input.includes(',') || !/\n/.test(input)) return null;
    return { confidence: 0.94, reasoning: 'CSV to JSON conversion', plan: input };
  },
  run(raw) {
    // A file saved by Excel starts with a UTF-8 byte order mark: not part of the first header.
    const [header, ...rows] = parseCsv(String(raw).replace(/^\uFEFF/, ''));
    if (!header) throw new Error('no CSV header row');
    const records = rows.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ''])));
    return JSON.stringify(records, null, 2);
  },
};
