import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { verifyAgentSignature } from '../../src/modules/agents/executors/signing.js';
import type { AgentProfile } from '../../src/modules/agents/types.js';
import { gql } from './http.js';

export interface HttpAgentSpec {
  slug: string;
  endpoint: string;
  domain?: string;
  name?: string;
  emoji?: string;
  skills?: string[];
  description?: string;
  /** USD per million input and output tokens. */
  price?: [number, number];
  /** Default true. */
  active?: boolean;
}

/** Registers an HTTP agent with an operator key and answers its signing secret; throws with the GraphQL errors when refused. */
export async function registerHttpAgent(baseUrl: string, key: string, agent: HttpAgentSpec): Promise<string> {
  const [priceInputPerMTok, priceOutputPerMTok] = agent.price ?? [1, 1];
  const input = {
    slug: agent.slug,
    kind: 'http',
    name: agent.name ?? agent.slug,
    emoji: agent.emoji ?? '🧪',
    domain: agent.domain ?? 'research',
    skills: agent.skills ?? [agent.slug],
    description: agent.description ?? `${agent.slug} test agent`,
    version: '1.0.0',
    priceInputPerMTok,
    priceOutputPerMTok,
    endpoint: agent.endpoint,
    active: agent.active ?? true,
  };
  const created = await gql(baseUrl, 'mutation($input: CreateAgentInput!) { createAgent(input: $input) { signingSecret } }', { input }, key);
  if (created.body.errors) throw new Error(`registering ${agent.slug}: ${JSON.stringify(created.body.errors)}`);
  return created.body.data.createAgent.signingSecret as string;
}

export interface ProtocolAgent {
  /** The base URL to register as the agent's endpoint. */
  url: string;
  close(): void;
}

/**
 * A real HTTP agent on port 0 speaking the bid/execute protocol (docs/agent-protocol.md)
 * with scripted answers; the request bodies are read and ignored.
 */
export async function startProtocolAgent(script: { bid: (res: ServerResponse) => void; execute: (res: ServerResponse) => void }): Promise<ProtocolAgent> {
  const server = createServer(async (req, res) => {
    for await (const _ of req) void _;
    if (req.url?.endsWith('/bid')) script.bid(res);
    else script.execute(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Answers a protocol call with a JSON body. */
export function replyJson(res: ServerResponse, body: unknown): void {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

/** One call as an HTTP agent received it, to check its signature. */
export interface SignedCall {
  path: string;
  raw: Buffer;
  timestamp: string;
  signature: string;
}

/** A real HTTP agent that bids high, answers at once and keeps every call as received; closed when the test finishes. */
export async function startRecordingAgent() {
  const calls: SignedCall[] = [];
  const server = createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const part of req as AsyncIterable<Buffer>) parts.push(part);
    const raw = Buffer.concat(parts);
    calls.push({ path: req.url ?? '', raw, timestamp: String(req.headers['x-gavel-timestamp']), signature: String(req.headers['x-gavel-signature']) });
    replyJson(res, req.url === '/bid' ? { confidence: 0.99, reasoning: 'records calls' } : { output: 'recorded' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  onTestFinished(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** The last bid call, once it came. */
    lastBid: () => calls.findLast((c) => c.path === '/bid'),
    count: () => calls.length,
    bids: () => calls.filter((c) => c.path === '/bid').length,
    /** Every call, in the order they came. */
    calls: () => [...calls],
  };
}

/** Whether `call` carries a signature made with `secret`. */
export const signedWith = (secret: string, call: SignedCall | undefined) => !!call && verifyAgentSignature(secret, call.raw, call.timestamp, call.signature);

/** An LLM agent's profile for executor tests, unregistered: the executors take it as it is. */
export function writerProfile(overrides: Partial<AgentProfile> = {}): AgentProfile {
  return {
    slug: 'test-writer',
    name: 'Test Writer',
    emoji: '✍️',
    domain: 'writing',
    skills: ['writing'],
    description: 'Writes things for tests',
    version: '1.0.0',
    kind: 'llm',
    price: { inputPerMTok: 1, outputPerMTok: 2 },
    systemPrompt: 'You are a careful technical writer.',
    model: 'writer-model-1',
    ...overrides,
  };
}
