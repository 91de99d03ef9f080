/**
 * Intents that ask for writing, code, advice or an explanation. A tool computes one
 * value and produces none of these, even when the text holds something it could
 * compute: "Write a SQL query that hashes emails with sha256", "Explain md5 and
 * sha256", "How do I convert km to miles in Excel?", "Draft an email: sales grew 5%".
 * Tool agents decline them, and the writers, coders and analysts bid.
 */
const POLITE = String.raw`(?:(?:please|kindly|can you|could you|would you|will you|i need you to|i want you to|help me(?: to)?)[\s,]+)*`;

const WORK_VERBS = [
  'write', 'rewrite', 'draft', 'compose', 'explain', 'describe', 'discuss', 'plan', 'outline', 'teach', 'review', 'critique',
  'implement', 'build', 'design', 'refactor', 'debug', 'fix', 'summari[sz]e', 'translate', 'suggest', 'recommend',
  'brainstorm', 'proofread', 'edit', 'code', 'program', 'develop', 'optimi[sz]e', 'document', 'analy[sz]e',
];

/** Things a writer or a programmer makes; "create a function …", "I need a bash script …". */
const ARTIFACTS = [
  'function', 'script', 'query', 'program', 'class', 'method', 'snippet', 'formula', 'macro', 'component', 'endpoint',
  'email', 'letter', 'essay', 'article', 'blog post', 'post', 'story', 'poem', 'report', 'itinerary', 'proposal', 'tutorial', 'guide',
];

const LEADING_WORK = new RegExp(String.raw`^\s*${POLITE}(?:${WORK_VERBS.join('|')})\b`, 'i');
const QUESTION_FOR_ADVICE = new RegExp(String.raw`^\s*${POLITE}(?:how (?:do|can|should|would|to)\b|why\b|tell me (?:about|more|why|how|the (?:history|story))\b|what (?:is|are) the (?:history|best way|pros|meaning)\b)`, 'i');
const ASKS_FOR_ARTIFACT = new RegExp(String.raw`\b(?:a|an|the|some|me)\s+(?:[\w-]+\s+){0,3}?(?:${ARTIFACTS.join('|')})s?\b`, 'i');

export function asksForWriting(text: string): boolean {
  return LEADING_WORK.test(text) || QUESTION_FOR_ADVICE.test(text) || ASKS_FOR_ARTIFACT.test(text);
}
