import { createHash } from 'node:crypto';
import { cases } from './types.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const textTools = cases([
  // Encodings, both ways.
  ['Decode base64 SGVsbG8=', 'Hello', 'encoding'],
  ['base64 decode: aGVsbG8gd29ybGQ=', 'hello world', 'encoding'],
  ['base64 encode: hello world', 'aGVsbG8gd29ybGQ=', 'encoding'],
  ['encode hello world in base64', 'aGVsbG8gd29ybGQ=', 'encoding'],
  ['decode this from base64: aGk=', 'hi', 'encoding'],
  ["Base64 encode the post title 'Hello World'", 'SGVsbG8gV29ybGQ=', 'encoding'],
  ['url encode: a b&c', 'a%20b%26c', 'encoding'],
  ['URL-decode a%20b%26c', 'a b&c', 'encoding'],
  ['hex encode hi', '6869', 'encoding'],
  ['decode hex 48656c6c6f', 'Hello', 'encoding'],
  ['decode base64 ###', null],
  // Roman numerals, both ways.
  ['What number is XLII?', 'XLII = 42', 'roman'],
  ['convert 1994 to roman numerals', '1994 = MCMXCIV', 'roman'],
  ['How do you write 1994 in Roman numerals?', 'MCMXCIV', 'roman'],
  ['what number is the roman numeral MCMXCIV', '= 1994', 'roman'],
  ['What year is MMXXIV?', '= 2024', 'roman'],
  ['XLII in numbers', '= 42', 'roman'],
  ['2024 in roman numerals', 'MMXXIV', 'roman'],
  ['roman numeral for 9', '9 = IX', 'roman'],
  ['What is CV?', null],
  ['Tell me the history of Roman numerals and why 4 is IV', null],
  ['Convert 5000 to Roman numerals', null],
  // Regular expressions: the pattern is not arithmetic.
  ['Does the regex ^\\d{3}-\\d{4}$ match 555-1234?', 'Yes', 'regex'],
  ['Does the regex ^\\d{3}$ match 5555?', 'No', 'regex'],
  ['does the pattern /colou?r/i match "The COLOR red"?', 'Yes', 'regex'],
  ['test regex /\\d+/ against "a1b22c333"', '3 matches', 'regex'],
  ['regex /(a)\\1/ against "aa"', null],
  // Number bases, hashes, cases, statistics, JSON, CSV, text statistics.
  ['convert 255 to binary', '0b11111111', 'number-base'],
  ['0xff to decimal', '255', 'number-base'],
  ['Write 255 in binary', '0b11111111', 'number-base'],
  ['sha256 of hello world', sha256('hello world'), 'hash'],
  ['md5 of "abc"', '900150983cd24fb0d6963f7d28e17f72', 'hash'],
  ['convert "hello big world" to camelCase', 'helloBigWorld', 'case'],
  ['snake_case of "parseHTTPRequest"', 'parse_http_request', 'case'],
  ['mean and median of 1, 2, 3, 4, 100', 'median: 3', 'statistics'],
  ['What is the average of the class scores: 78, 85, 92?', 'mean: 85', 'statistics'],
  ['minify this JSON: { "a": 1, "b": [1, 2] }', '{"a":1,"b":[1,2]}', 'json'],
  ['validate JSON: {"a": }', 'Invalid JSON', 'json'],
  ['convert this CSV to JSON: ```\nname,city\nAda,London\n```', '"name": "Ada"', 'csv'],
  ['convert this CSV to JSON: ```\n\uFEFFname,city\nAda,London\n```', (o) => o.includes('"name": "Ada"') && !o.includes('\uFEFF'), 'csv'],
  ['count the words: The quick brown fox. It jumps!', 'words: 6', 'text-stats'],
  ['My JSON config: {"port": 80} why does my server not start?', null],
]);
