import { RE2JS, RE2JSSyntaxException } from 're2js';
import type { ToolCapability } from './types.js';

/**
 * Caller patterns run on RE2JS, a linear-time engine (a port of RE2), never on V8's
 * backtracking RegExp: `/(a+)+$/` against 27 a's and a `!` held the event loop for 15 s
 * there. The request itself is parsed by RE2JS too, so no part of this tool backtracks
 * over what a caller wrote. Patterns RE2 cannot run in linear time (backreferences,
 * lookaround) are refused with the engine's reason.
 */
const REQUEST = RE2JS.compile(
  '(?:regex|regexp|pattern)\\s*[:=]?\\s*/(.+?)/([a-z]*)\\s+(?:against|on|in|with|to)\\s*:?\\s*["\'“`]([\\s\\S]*?)["\'”`]\\s*\\??$',
  RE2JS.CASE_INSENSITIVE,
);

/** "Does the regex ^\d{3}-\d{4}$ match 555-1234?": a yes or no, the pattern and the text as written, unquoted or quoted. */
const QUESTION = RE2JS.compile(
  '^(?:does|do|will|would|can)\\s+(?:the\\s+)?(?:regex|regexp|regular\\s+expression|pattern)\\s+(?:/(.+?)/([a-z]*)|["\'`]?(\\S+?)["\'`]?)\\s+match\\s+(?:the\\s+(?:string|text|input)\\s+)?(?:["\'“`]([\\s\\S]*?)["\'”`]|(\\S*[^\\s?]))\\s*\\??$',
  RE2JS.CASE_INSENSITIVE,
);

/** The JavaScript flags RE2 has a meaning for; `g` and `u` are what it always does (every match, Unicode). */
const FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, g: 0, u: 0 };
const MAX_MATCHES = 100;

interface Plan {
  source: string;
  flags: string;
  input: string;
  /** A yes/no question: does the pattern match anywhere in the input? */
  question?: boolean;
}

function planOf(text: string): Plan | null {
  const m = REQUEST.matcher(text);
  if (m.find()) return { source: m.group(1)!, flags: m.group(2)!, input: m.group(3)! };
  const q = QUESTION.matcher(text);
  if (!q.find()) return null;
  return { source: q.group(1) ?? q.group(3)!, flags: q.group(2) ?? '', input: q.group(4) ?? q.group(5)!, question: true };
}

function compile(source: string, flags: string): RE2JS {
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAGS[flag];
    if (bit === undefined) throw new Error(`the /${flag} flag is not supported (use i, m, s, g or u)`);
    bits |= bit;
  }
  return RE2JS.compile(source, bits);
}

export const regex: ToolCapability = {
  id: 'regex',
  description: 'Regular expressions: tests a /pattern/flags against a quoted input and lists the matches (RE2 syntax, linear time)',
  match(text) {
    const plan = planOf(text.trim());
    if (!plan) return null;
    try {
      compile(plan.source, plan.flags);
    } catch (error) {
      const why = error instanceof RE2JSSyntaxException ? error.message : (error as Error).message;
      return { refuse: `the pattern /${plan.source}/${plan.flags} cannot run on the linear-time regex engine: ${why}` };
    }
    return { confidence: 0.94, reasoning: `Regex /${plan.source}/${plan.flags} tested against the given input`, plan };
  },
  run(raw) {
    const { source, flags, input, question } = raw as Plan;
    const matcher = compile(source, flags).matcher(input);
    if (question) {
      if (!matcher.find()) return `No: /${source}/${flags} does not match ${JSON.stringify(input)}`;
      return `Yes: /${source}/${flags} matches ${JSON.stringify(matcher.group())} in ${JSON.stringify(input)}`;
    }
    const found: string[] = [];
    while (found.length < MAX_MATCHES && matcher.find()) found.push(matcher.group()!);
    if (found.length === 0) return `No match for /${source}/${flags}`;
    return `${found.length} match${found.length === 1 ? '' : 'es'} for /${source}/${flags}: ${found.map((s) => JSON.stringify(s)).join(', ')}`;
  },
};
