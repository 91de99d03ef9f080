import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * `npm install` on Node 20 must print no EBADENGINE warning (issue 15 item 6), and Node 24
 * LTS must be supported too. npm warns for every locked package whose `engines.node` refuses
 * the running Node, so the lockfile itself is the thing to check: a dependency update that
 * pulls in a Node-22-only package fails here, not on a newcomer's screen.
 */
const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const ours = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } }).engines.node;

function refusals(node: string): string[] {
  return Object.entries(lock.packages)
    .filter(([path]) => path !== '')
    .flatMap(([path, entry]) => {
      const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      return range && !semver.satisfies(node, range) ? [`${path}@${entry.version} wants node ${range}`] : [];
    });
}

describe('every locked package runs on the Node versions Gavel supports', () => {
  it.each(['20.19.0', '24.0.0'])('Node %s', (node) => {
    expect(semver.satisfies(node, ours)).toBe(true);
    expect(refusals(node)).toEqual([]);
  });
});
