export interface ToolMatch {
  /** 0..1: how sure the tool is that it can fully serve the text. */
  confidence: number;
  reasoning: string;
  plan: unknown;
}

/** The tool saw what it is asked and will not run it (a pattern its engine refuses, say): why, for the decline. */
export interface ToolRefusal {
  refuse: string;
}

/** One in-process capability: parses what it needs from the intent, then computes the answer. */
export interface ToolCapability {
  id: string;
  description: string;
  /** null when the text holds nothing this tool can compute. Fast (linear in the text), never throws. */
  match(text: string): ToolMatch | ToolRefusal | null;
  /** Computes the answer from the plan `match` produced; throws a clear Error on bad input. */
  run(plan: unknown, text: string): string;
  /**
   * Random results (UUIDs, passwords) cannot be recomputed to check them: this says what
   * is wrong with an answer to `plan`, or null when it is a right one. Deterministic
   * tools leave it out and the shield recomputes their answer instead.
   */
  check?(plan: unknown, output: string): string | null;
  /**
   * Its grammar reads requests that start with a verb of writing ("Summarize: …",
   * "Analyze the sentiment of: …") and accepts only its own phrasings of them, so the
   * executor's check for writing, code or advice (asks-for-writing.ts) is left to it.
   */
  readsWorkVerbs?: boolean;
}

/** The payload of an intent: what follows a colon, or the quoted/fenced part. */
export function payloadOf(text: string): string | null {
  const fenced = /```(?:\w+)?\n?([\s\S]*?)```/.exec(text);
  if (fenced) return fenced[1]!.trim();
  const colon = /:\s*([\s\S]+)$/.exec(text);
  if (colon) return colon[1]!.trim();
  const quoted = /["“'`]([\s\S]+)["”'`]/.exec(text);
  return quoted ? quoted[1]! : null;
}

/** Parses "2,340", "1 234.5", "-3.5e2" into a number. */
export function parseNumber(raw: string): number {
  return Number(raw.replace(/[,\s_](?=\d{3}\b)/g, '').replace(/,/g, ''));
}

/** Formats a computed number without float noise: 397.8, not 397.80000000000001. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error('the result is not a finite number');
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(12)));
}

// Starts only where a run of digits starts: tried inside a long run too, it scanned the
// rest of the run from every digit (8,000 digits took percent 133 ms of event loop).
export const NUMBER = String.raw`(?<![\d.])(?:-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)`;
