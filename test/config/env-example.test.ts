import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config/config.js';

const listed = [...readFileSync('.env.example', 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('.env.example', () => {
  it('lists every variable the config reads, and nothing else', () => {
    expect([...listed].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('gives defaults the config accepts', () => {
    const defaults = Object.fromEntries([...readFileSync('.env.example', 'utf8').matchAll(/^#\s*([A-Z][A-Z0-9_]*)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect(() => loadConfig(defaults)).not.toThrow();
  });

  it('is the only door: no source outside the config module reads a variable by name', () => {
    const readers = sources('src')
      .filter((path) => !path.endsWith(join('config', 'config.ts')))
      .filter((path) => /process\.env(\.|\[)/.test(readFileSync(path, 'utf8')));
    expect(readers).toEqual([]);
  });
});
