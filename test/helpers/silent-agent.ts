import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { registerHttpAgent } from './agents.js';
import { gql } from './http.js';

/**
 * Registers an HTTP agent whose endpoint accepts every call and never answers, so an
 * auction it is asked in keeps its bid window open until the deadline. Resolves with a
 * function that retires the agent and closes its endpoint.
 */
export async function startSilentAgent(t: { url: string; rootKey: string }, slug: string): Promise<() => Promise<void>> {
  const silent = createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  await registerHttpAgent(t.url, t.rootKey, {
    slug,
    endpoint,
    name: 'Silent',
    emoji: '🤐',
    domain: 'support',
    skills: ['waiting'],
    description: 'Never answers',
  });
  return async () => {
    await gql(t.url, `mutation { updateAgent(id: "${slug}", input: { active: false }) { active } }`, {}, t.rootKey);
    await new Promise<void>((r) => (silent.closeAllConnections(), silent.close(() => r())));
  };
}

/** A silent agent (see startSilentAgent) retired and closed when the test finishes. */
export async function registerSilentAgent(t: { url: string; rootKey: string }, slug: string): Promise<void> {
  onTestFinished(await startSilentAgent(t, slug));
}
