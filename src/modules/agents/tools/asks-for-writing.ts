/**
 * Intents that ask for writing, code, advice or an explanation. A tool computes one
 * value and produces none of these, even when the text holds something it could
 * compute: "Write a SQL query that hashes emails with sha256", "Explain md5 and
 * sha256", "How do I convert km to miles in Excel?", "Draft an email: sales grew 5%".
 * Tool agents decline them, and the writers, coders and analysts bid. What only
 * phrases a computation like a request ("Write 255 in binary", "How do you write 1994
 * in Roman numerals?") is left to the tools.
 */
const POLITE = String.raw`(?:(?:please|kindly|can you|could you|would you|will you|i need you to|i want you to|help me(?: to)?)[\s,]+)*`;

const WORK_VERBS = [
  'write',
  'rewrite',
  'draft',
  'compose',
  'explain',
  'describe',
  'discuss',
  'plan',
  'outline',
  'teach',
  'review',
  'critique',
  'implement',
  'build',
  'design',
  'refactor',
  'debug',
  'fix',
  'summari[sz]e',
  'translate',
  'suggest',
  'recommend',
  'brainstorm',
  'proofread',
  'edit',
  'code',
  'program',
  'develop',
  'optimi[sz]e',
  'document',
  'analy[sz]e',
];

/** Things a writer or a programmer makes: "create a function …", "I need a bash script …". */
const ARTIFACTS = [
  'function',
  'script',
  'query',
  'program',
  'class',
  'method',
  'snippet',
  'formula',
  'macro',
  'component',
  'endpoint',
  'code',
  'email',
  'letter',
  'essay',
  'article',
  'blog post',
  'post',
  'story',
  'poem',
  'report',
  'itinerary',
  'proposal',
  'tutorial',
  'guide',
];

/** Asking for something made: a verb of asking, then the artifact as its object ("a short bash script"), not as a detail ("a password for the email account"). */
const ASKING = String.raw`(?:write|create|make|build|draft|compose|generate|give me|show me|i need|i want|need|want)`;
const OBJECT_WORDS = String.raw`(?:(?!(?:for|of|in|to|with|from|on|about|into|that|which)\b)[\w-]+\s+){0,3}?`;

/** Languages and platforms: a value is not what "… in Python", "… in Excel", "What SQL …" want. */
const CODE_CONTEXT =
  /\b(?:sql|postgres(?:ql)?|mysql|sqlite|python|javascript|typescript|node(?:\.js)?|java|golang|rust|ruby|php|c\+\+|c#|bash|shell|powershell|excel|spreadsheet|google sheets|regex for)\b/i;

const LEADING_WORK = new RegExp(String.raw`^\s*${POLITE}(?:${WORK_VERBS.join('|')})\b(?!\s+["“'\d-])`, 'i');
const ALWAYS_ADVICE = new RegExp(
  String.raw`^\s*${POLITE}(?:why\b|tell me (?:about|more|why|how|the (?:history|story))\b|what (?:is|are) the (?:history|best way|pros|meaning)\b)`,
  'i',
);
/** "How do I cook rice?" asks for advice; "How do you write 1994 in Roman numerals?" holds a value to compute. */
const HOW_TO = new RegExp(String.raw`^\s*${POLITE}how (?:do|can|should|would|to)\b`, 'i');
const ASKS_FOR_ARTIFACT = new RegExp(String.raw`\b${ASKING}\s+(?:me\s+)?(?:(?:a|an|the|some)\s+)?${OBJECT_WORDS}(?:${ARTIFACTS.join('|')})s?\b`, 'i');

export function asksForWriting(text: string): boolean {
  return (
    LEADING_WORK.test(text) || ALWAYS_ADVICE.test(text) || (HOW_TO.test(text) && !/\d/.test(text)) || ASKS_FOR_ARTIFACT.test(text) || CODE_CONTEXT.test(text)
  );
}
