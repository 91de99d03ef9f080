import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toolCapabilities } from '../../src/modules/agents/tools/index.js';

/** Runs the text through every capability the way the auction does: match, then run. */
function answer(text: string): { tool: string; output: string } | null {
  const hits = [...toolCapabilities.values()]
    .map((c) => ({ c, m: c.match(text) }))
    .filter((h) => h.m !== null)
    .sort((a, b) => b.m!.confidence - a.m!.confidence);
  const best = hits[0];
  return best ? { tool: best.c.id, output: best.c.run(best.m!.plan, text) } : null;
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
    ]) {
      expect(answer(text), text).toBeNull();
    }
  });

  it('refuses bad input with a clear error', () => {
    expect(() => toolCapabilities.get('encoding')!.run({ scheme: 'hex', direction: 'decode', input: 'xyz' }, '')).toThrow(/not valid hex/);
    expect(() => toolCapabilities.get('arithmetic')!.run('1 / 0', '')).toThrow(/division by zero/);
  });
});
