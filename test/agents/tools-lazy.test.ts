import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { toolCapabilities } from '../../src/modules/agents/tools/index.js';

const loaded = (pkg: string) => Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes(`/node_modules/${pkg}/`));
const answer = (tool: string, text: string) => {
  const c = toolCapabilities.get(tool)!;
  const m = c.match(text);
  return m && 'plan' in m ? c.run(m.plan, text) : null;
};

describe('tool libraries load at first use, not at startup', () => {
  it('loads none of the heavy libraries with the tools, and each when its tool first runs', () => {
    const heavy: Array<[pkg: string, tool: string, text: string, expected: string]> = [
      ['mathjs', 'arithmetic', 'What is 12 squared?', '= 144'],
      ['compromise', 'entities', 'Extract the named entities from: Marie Curie worked in Paris.', 'Marie Curie'],
      ['nspell', 'spelling', 'Check the spelling of: I recieve it', 'recieve → receive'],
      ['temporal-polyfill', 'dates', 'convert 14:00 on 2024-06-01 America/New_York to Europe/London', '19:00'],
    ];
    for (const [pkg] of heavy) expect(loaded(pkg), pkg).toBe(false);
    for (const [pkg, tool, text, expected] of heavy) {
      expect(answer(tool, text)).toContain(expected);
      expect(loaded(pkg), pkg).toBe(true);
    }
  });
});
