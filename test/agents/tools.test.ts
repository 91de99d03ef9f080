import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RosterEntry } from '../../src/modules/agents/agent-registry.js';
import { createToolExecutor } from '../../src/modules/agents/tool-executor.js';
import { toolCapabilities } from '../../src/modules/agents/tools/index.js';
import { createVerifier } from '../../src/modules/auctions/verifier.js';

/** Runs the text through every capability the way the auction does: match, then run. */
function answer(text: string): { tool: string; output: string } | null {
  const hits = [...toolCapabilities.values()]
    .flatMap((c) => {
      const m = c.match(text);
      return m && 'plan' in m ? [{ c, m }] : [];
    })
    .sort((a, b) => b.m.confidence - a.m.confidence);
  const best = hits[0];
  return best ? { tool: best.c.id, output: best.c.run(best.m.plan, text) } : null;
}

describe('tool capabilities answer real intents correctly', () => {
  const cases: Array<[string, string, RegExp | string]> = [
    ['What is 17% of 2,340?', 'percent', /\b397\.8\b/],
    ['what percent is 45 of 180', 'percent', /\b25%/],
    ['increase 80 by 15%', 'percent', /\b92\b/],
    ['What is 12 * (3 + 4) - 2^3?', 'arithmetic', /= 76$/],
    ['calculate 10 divided by 4', 'arithmetic', /= 2\.5$/],
    ['convert 5 km to miles', 'units', /3\.10685596/],
    ['convert 100 F to C', 'units', /37\.7777777/],
    ['how many pounds is 10 kg in lb', 'units', /22\.0462262/],
    ['2 GiB to MB', 'units', /2147\.483648 mb/],
    ['How many days between 2024-01-01 and 2024-03-01?', 'dates', /^60 days/],
    ['What day of the week is 2024-07-04?', 'dates', /Thursday/],
    ['add 30 days to 2024-01-15', 'dates', /2024-02-14/],
    ['convert 14:00 on 2024-06-01 America/New_York to Europe/London', 'dates', /19:00/],
    ['minify this JSON: { "a": 1, "b": [1, 2] }', 'json', '{"a":1,"b":[1,2]}'],
    ['validate JSON: {"a": }', 'json', /^Invalid JSON/],
    ['test regex /\\d+/ against "a1b22c333"', 'regex', '3 matches for /\\d+/: "1", "22", "333"'],
    ['base64 encode: hello world', 'encoding', 'aGVsbG8gd29ybGQ='],
    ['base64 decode: aGVsbG8gd29ybGQ=', 'encoding', 'hello world'],
    ['url encode: a b&c', 'encoding', 'a%20b%26c'],
    ['sha256 of hello world', 'hash', new RegExp(`= ${createHash('sha256').update('hello world').digest('hex')}$`)],
    ['md5 of "abc"', 'hash', 'md5("abc") = 900150983cd24fb0d6963f7d28e17f72'],
    ['count the words: The quick brown fox. It jumps!', 'text-stats', /words: 6\n[\s\S]*sentences: 2/],
    ['convert this CSV to JSON: ```\nname,city\n"Doe, Jane",Paris\nBob,"New\nYork"\n```', 'csv', /"name": "Doe, Jane"[\s\S]*"city": "New\\nYork"/],
    ['convert 255 to binary', 'number-base', '0b11111111'],
    ['0xff to decimal', 'number-base', '255'],
    ['convert 1994 to roman numerals', 'roman', '1994 = MCMXCIV'],
    ['what number is the roman numeral MCMXCIV', 'roman', 'MCMXCIV = 1994'],
    ['convert "hello big world" to camelCase', 'case', 'helloBigWorld'],
    ['snake_case of "parseHTTPRequest"', 'case', 'parse_http_request'],
    ['mean and median of 1, 2, 3, 4, 100', 'statistics', /mean: 22\n[\s\S]*median: 3/],
    // Scientific notation, and ^ binding tighter than unary minus (as in mathematics).
    ['what is 1e3 * 2', 'arithmetic', '1e3 * 2 = 2000'],
    ['What is 2.5e-3 + 1?', 'arithmetic', '2.5e-3 + 1 = 1.0025'],
    ['What is -2^2?', 'arithmetic', '-2^2 = -4'],
    ['what is 2^-1 + 2^3^2', 'arithmetic', '2^-1 + 2^3^2 = 512.5'],
    // The zone's offset at the instant itself, on the days daylight saving starts and ends.
    ['convert 05:00 on 2024-03-10 America/New_York to UTC', 'dates', /09:00 in UTC$/],
    ['convert 05:00 on 2024-11-03 America/New_York to UTC', 'dates', /10:00 in UTC$/],
    ['convert 03:30 on 2024-03-31 Europe/London to UTC', 'dates', /02:30 in UTC$/],
    // The document is found wherever it is, not only after a colon.
    ['format {"a": 1, "b": [2]} as json', 'json', '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}'],
  ];

  for (const [text, tool, expected] of cases) {
    it(`${tool}: ${text.split('\n')[0]}`, () => {
      const result = answer(text);
      expect(result?.tool).toBe(tool);
      if (typeof expected === 'string') expect(result?.output).toBe(expected);
      else expect(result?.output).toMatch(expected);
    });
  }

  it('generates UUIDs and strong passwords with a cryptographic RNG', () => {
    const ids = answer('generate 3 UUIDs')!;
    expect(ids.tool).toBe('uuid');
    expect(ids.output.split('\n')).toHaveLength(3);
    expect(ids.output.split('\n').every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u))).toBe(true);
    const pw = answer('generate a 20 character password')!;
    expect(pw.tool).toBe('password');
    expect(pw.output).toHaveLength(20);
    expect(pw.output).toMatch(/[a-z]/);
    expect(pw.output).toMatch(/[A-Z]/);
    expect(pw.output).toMatch(/\d/);
  });

  it('stays quiet on intents it cannot compute', () => {
    for (const text of [
      'Write a legal memo about 5% royalties',
      'Write a Python function that validates email addresses using regex',
      'Compose a sonnet about the quiet sea at dawn',
      'Plan a Kubernetes rollout for our payments service',
      // Mentions JSON but asks something else of it; formatting needs a document that parses.
      'My JSON config: {"port": 80} why does my server not start?',
      'format this as json: {"a": 1,',
    ]) {
      expect(answer(text), text).toBeNull();
    }
  });

  it('tool agents decline what asks for writing, code or advice, even with something computable in it', async () => {
    const bidOf = (tool: string, text: string) => {
      const profile = {
        slug: `t-${tool}`,
        name: tool,
        emoji: '🔧',
        domain: 'utilities',
        skills: [],
        description: '',
        version: '1',
        kind: 'tool' as const,
        price: { inputPerMTok: 0, outputPerMTok: 0 },
        tool,
      };
      return createToolExecutor(profile).bid({ intentId: '1', text, deadline: Date.now() + 1000 }, new AbortController().signal);
    };
    for (const [tool, text] of [
      ['hash', 'Write a SQL query that hashes emails with sha256 in Postgres'],
      ['hash', 'Explain the difference between md5 and sha256 for password storage'],
      ['arithmetic', 'Write a Python function that returns 3 + 4'],
      ['percent', 'Draft an email to the team: sales grew 5% of 200 stores'],
      ['arithmetic', 'Plan a 3-day trip to Rome; budget 1,000 - 1,500 EUR'],
      ['units', 'how do I convert 5 km to miles in Excel?'],
      ['roman', 'Tell me the history of Roman numerals and why 4 is IV'],
      ['uuid', 'Generate a UUID explanation essay for beginners'],
      ['units', 'I need a bash script that converts 5 km to miles'],
      ['hash', 'What SQL hashes a column with sha256 in Postgres?'],
      ['encoding', "Give me Python code to base64 encode 'hello'"],
    ] as const) {
      expect(await bidOf(tool, text), text).toMatchObject({ type: 'decline', reason: expect.stringContaining('writing') });
    }
    for (const [tool, text] of [
      ['percent', 'What is 17% of 2,340?'],
      ['units', 'convert 5 km to miles'],
      ['uuid', 'Generate a UUID'],
      ['password', 'Create a password with 16 characters'],
      ['dates', 'How many days between 2024-01-01 and 2024-03-01?'],
      ['arithmetic', 'How much is 12 * 7?'],
      // Computations phrased as requests, or with words that name things a writer makes.
      ['number-base', 'Write 255 in binary'],
      ['number-base', 'Translate 42 to binary'],
      ['roman', 'How do you write 1994 in Roman numerals?'],
      ['units', 'How to convert 100 fahrenheit to celsius'],
      ['arithmetic', 'Evaluate the formula (2+3)*4'],
      ['statistics', 'What is the average of the class scores: 78, 85, 92?'],
      ['text-stats', 'Count the words in the story: once upon a time'],
      ['encoding', "Base64 encode the post title 'Hello World'"],
      ['json', 'Validate the JSON from the API endpoint: {"a": 1}'],
      ['password', 'Generate a password for the email account'],
    ] as const) {
      expect(await bidOf(tool, text), text).toMatchObject({ type: 'bid' });
    }
  });

  it('the shield checks a random result against what was asked, and recomputes a deterministic one', async () => {
    const verify = createVerifier(null);
    const entry = (tool: string) => ({ profile: { slug: tool, kind: 'tool', tool } }) as unknown as RosterEntry;
    const intent = (text: string) => ({ intentId: '1', text, deadline: Date.now() + 1000 });
    const signal = new AbortController().signal;
    const ids = answer('generate 2 UUIDs')!.output;
    expect(await verify(entry('uuid'), intent('generate 2 UUIDs'), ids, signal)).toEqual({ accepted: true });
    expect(await verify(entry('uuid'), intent('generate 2 UUIDs'), ids.split('\n')[0]!, signal)).toMatchObject({
      accepted: false,
      reason: expect.stringContaining('expected 2 UUIDs'),
    });
    expect(await verify(entry('uuid'), intent('generate 2 UUIDs'), `${ids.split('\n')[0]}\n${ids.split('\n')[0]}`, signal)).toMatchObject({
      accepted: false,
      reason: expect.stringContaining('repeat'),
    });
    const pw = answer('generate a 20 character password')!.output;
    expect(await verify(entry('password'), intent('generate a 20 character password'), pw, signal)).toEqual({ accepted: true });
    expect(await verify(entry('password'), intent('generate a 20 character password'), 'a'.repeat(20), signal)).toMatchObject({ accepted: false });
    expect(await verify(entry('percent'), intent('What is 17% of 2,340?'), '17% of 2340 is 397.8', signal)).toEqual({ accepted: true });
    expect(await verify(entry('percent'), intent('What is 17% of 2,340?'), '17% of 2340 is 400', signal)).toMatchObject({
      accepted: false,
      reason: 'independent recomputation disagrees',
    });
  });

  it('does not bid on a result too large for a number', () => {
    expect(answer('Calculate 1e400 * 1')).toBeNull();
  });

  it('refuses bad input with a clear error', () => {
    expect(() => toolCapabilities.get('encoding')!.run({ scheme: 'hex', direction: 'decode', input: 'xyz' }, '')).toThrow(/not valid hex/);
    expect(() => toolCapabilities.get('arithmetic')!.run('1 / 0', '')).toThrow(/division by zero/);
  });
});

describe('the regex tool runs caller patterns on a linear-time engine', () => {
  const bid = (text: string) =>
    createToolExecutor({ slug: 'regex-tester', name: 'Regex', kind: 'tool', tool: 'regex' } as never).bid(
      { intentId: '1', text, deadline: Date.now() + 1000 },
      new AbortController().signal,
    );

  it('answers a pattern that backtracks exponentially on V8 (no match, at once)', () => {
    // On V8's RegExp this took 15 s of event loop; RE2 finds no match in linear time.
    expect(answer(`Test the regex /(a+)+$/ against "${'a'.repeat(27)}!"`)).toEqual({ tool: 'regex', output: 'No match for /(a+)+$/' });
    expect(answer(`regex /(x+x+)+y/ against "${'x'.repeat(5000)}"`)).toEqual({ tool: 'regex', output: 'No match for /(x+x+)+y/' });
  });

  it('keeps JavaScript flags that RE2 shares', () => {
    expect(answer('regex /colou?r/i against "Color and colour"')).toEqual({ tool: 'regex', output: '2 matches for /colou?r/i: "Color", "colour"' });
    expect(answer('regex /^b/m against "a\nb"')).toEqual({ tool: 'regex', output: '1 match for /^b/m: "b"' });
  });

  it('declines, saying why, a pattern the linear engine cannot run, and an unknown flag', async () => {
    expect(await bid('regex /(a)\\1/ against "aa"')).toEqual({
      type: 'decline',
      reason: expect.stringMatching(/cannot run on the linear-time regex engine: .*\\1/),
    });
    expect(await bid('regex /a(?=b)/ against "ab"')).toEqual({ type: 'decline', reason: expect.stringContaining('linear-time regex engine') });
    expect(await bid('regex /a/y against "a"')).toEqual({ type: 'decline', reason: expect.stringContaining('/y flag is not supported') });
    expect(() => toolCapabilities.get('regex')!.run({ source: '(a)\\1', flags: '', input: 'aa' }, '')).toThrow(/invalid escape/);
  });

  it('declines a text longer than a tool reads', async () => {
    expect(await bid(`regex /a/ against "${'a'.repeat(9000)}"`)).toEqual({ type: 'decline', reason: expect.stringContaining('8000 characters') });
  });
});
