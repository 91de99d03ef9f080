/**
 * How people wrap a request around what a tool computes: "hey, can you calculate …
 * please?", "waht is …", "quick q: …". A tool bids only when everything in the text
 * outside what its grammar parsed is such wrapping; a word it does not know (a unit,
 * "days", "regex", "binary") means the request is about something else, and it declines.
 */
const FILLER = new Set(
  (
    "a an the what whats is are was be will would could can you me my i i'm im we us need want to know please pls plz kindly " +
    'calculate calc compute evaluate solve work out figure tell give get find show quick quickly just hey hi hello ok okay so ' +
    'how much does do it that this answer result value equals equal exactly approximately roughly about thanks thank question q ' +
    "help mind if you're there in of for me? now again real quick simple simply formula expression math maths convert conversion"
  ).split(/\s+/),
);

/** Damerau-Levenshtein distance, bounded: true when `a` is within `max` edits of `b`. */
function near(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]! <= max;
}

const LONG_FILLER = [...FILLER].filter((w) => w.length >= 4);

/** A word of wrapping, allowing one typo in a word of 4 letters or more ("waht", "calcualte", "plese"). */
export function isFiller(word: string): boolean {
  const w = word.toLowerCase();
  if (FILLER.has(w)) return true;
  if (w.length < 4) return false;
  return LONG_FILLER.some((f) => near(w, f, w.length >= 7 ? 2 : 1));
}

/** True when `rest` (the text less what a grammar parsed) holds only wrapping and punctuation. */
export function onlyFiller(rest: string): boolean {
  const words = rest.match(/[\p{L}\p{N}'’]+/gu) ?? [];
  return words.every((w) => !/\d/.test(w) && isFiller(w.replace(/’/g, "'")));
}

/** The text less the span a grammar matched. */
export function restOf(text: string, match: { index: number; 0: string }): string {
  return text.slice(0, match.index) + ' ' + text.slice(match.index + match[0].length);
}

/** Drops currency signs and codes and thousands separators: "$1,200.50" → "1200.50", "€80" → "80". */
export function plainNumbers(text: string): string {
  return text
    .replace(/(?<![\w.])[$€£¥](?=\s?\d)/g, '')
    .replace(/(?<=\d)\s?(?:usd|eur|gbp|dollars?|euros?|bucks)\b/gi, '')
    .replace(/(?<![\d.,])(\d{1,3})((?:,\d{3})+)(?![\d,])/g, (_, head: string, groups: string) => head + groups.replace(/,/g, ''));
}

/**
 * A request about a pasted text ("What language is this: …", "Summarize: ```…```"):
 * the instruction must be one of `grammar`'s phrasings plus wrapping, and the text is
 * what follows the colon, or the fenced or quoted part. Null when either is missing.
 */
export function pastedRequest(text: string, grammar: RegExp, extraWords: RegExp = /$^/): { instruction: RegExpExecArray; body: string } | null {
  const [head, body] = split(text);
  if (head === null || !body?.trim()) return null;
  const instruction = grammar.exec(head);
  if (!instruction || !onlyFiller(restOf(head, instruction).replace(extraWords, ' '))) return null;
  return { instruction, body: body.trim() };
}

/** The last split, kept: every text tool of an auction splits the same intent. */
let lastSplit: { text: string; parts: [string | null, string | null] } | null = null;

/** A request's instruction and the text it is about, or nulls. */
function split(text: string): [string | null, string | null] {
  if (lastSplit?.text === text) return lastSplit.parts;
  const fenced = /```[\w-]*\n?([\s\S]*?)```/.exec(text);
  const colon = /^([^:"“`]{0,200}?):\s*([\s\S]+)$/.exec(text);
  const quoted = /^([^"“]{0,200}?)["“]([\s\S]+)["”]\s*[?.!]?\s*$/.exec(text);
  const parts: [string | null, string | null] = fenced
    ? [text.slice(0, fenced.index) + ' ' + text.slice(fenced.index + fenced[0].length), fenced[1]!]
    : colon
      ? [colon[1]!, colon[2]!]
      : quoted
        ? [quoted[1]!, quoted[2]!]
        : [null, null];
  lastSplit = { text, parts };
  return lastSplit.parts;
}
