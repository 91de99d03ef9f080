/**
 * Text processing shared by the relevance index's documents and queries: both sides
 * must turn "Functions" and "function" into the same term or nothing matches.
 */

/** Words too common in intents to say anything about which specialist fits. */
const STOP_WORDS = new Set(
  (
    'a about after again all also am an and any are as at be been before being both but by can could did ' +
    'do does doing each etc few for from further get give good got great had has have having he hello ' +
    'help her here hi him his how i if im in into is it its just let lets like make me more most much my ' +
    'myself need needs nice no nor not now of on once only or other our ours out over own please ' +
    'question questions same she should show so some something such tell than that the their them then ' +
    'there these they thing things this those through to too under up us use using very via want was way ' +
    'we were what when where which while who whom why will with would you your yours'
  ).split(' '),
);

/**
 * Letters and digits; a trailing `+` or `#` stays on a word so that C++, C# and F#
 * remain themselves, while `2+2` still splits.
 */
const WORD = /[\p{L}\p{N}]+(?:[+#]+(?![\p{L}\p{N}]))?/gu;

/**
 * Intent text → terms: lowercased, `%` read as "percent", stop words, single
 * characters and bare numbers dropped (a number says nothing about who should answer),
 * plurals folded. Order is kept and duplicates are not removed.
 */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().replace(/%/g, ' percent ').match(WORD) ?? [];
  const terms: string[] = [];
  for (const word of words) {
    const term = processTerm(word);
    if (term !== null) terms.push(term);
  }
  return terms;
}

/** One token → its term, or null when it carries no meaning. Idempotent. */
export function processTerm(token: string): string | null {
  const word = token.toLowerCase();
  if (word.length < 2 || STOP_WORDS.has(word) || /^\d+$/.test(word)) return null;
  return foldPlural(word);
}

/**
 * A deliberately small stemmer (the plural rules of Porter's step 1a): enough for
 * "functions" to meet "function" and "policies" to meet "policy", without the
 * surprises of full stemming. Words ending in -ss, -us, -is (class, status, analysis)
 * keep their s. Applying it twice changes nothing.
 */
function foldPlural(word: string): string {
  if (word.length <= 3 || !word.endsWith('s')) return word;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  return word.slice(0, -1);
}
