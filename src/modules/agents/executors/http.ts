import { PrivateTargetError, type GuardedFetch } from '../../../lib/guarded-http.js';
import type { AgentExecutor, AgentProfile, BidDecision, ExecutionResult, IntentForAgents } from '../types.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { abandonedByCaller, withDeadline } from './deadline.js';
import { describeTransportFailure, hasSystemCode, withIdleWatch } from './failures.js';
import { AGENT_HEADERS, signAgentRequest } from './signing.js';
import { eventJson, failureDetail, readSse, tokenUsage, truncate, watchedBody } from './wire.js';

/** What an agent's calls are signed with: its own secret, and during a rotation's grace window the one it replaced. */
export interface SigningSecrets {
  /** Empty: the agent is unavailable. */
  current: string;
  /** Also signs each call until `until` (epoch ms), so the agent can move to `current` without refusing a call. */
  previous?: { secret: string; until: number };
}

export interface HttpAgentOptions {
  secrets: SigningSecrets;
  /** The client that makes the calls: the registry's guarded one, which reaches only public addresses unless allowed. */
  fetch: GuardedFetch;
  /** The endpoint's breaker, shared by every agent at that endpoint. Default: a breaker of its own (5 failures, 30 s cool-down). */
  breaker?: CircuitBreaker;
  /** A call fails when the agent sends no answer (headers) within `firstByteMs`, or no byte for `idleMs` after. Default 15 s, 15 s. */
  timeouts?: { firstByteMs: number; idleMs: number };
  /** Bytes an execute answer may have (a bid's may have at most BID_MAX_BYTES). Default 4 MiB. */
  maxResponseBytes?: number;
}

const DEFAULT_TIMEOUTS = { firstByteMs: 15_000, idleMs: 15_000 };
const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** A bid is a few hundred bytes; more is an agent sending something else. */
export const BID_MAX_BYTES = 64 * 1024;

/** How a tenant-facing message names an agent's endpoint: not by its address (see lib/guarded-http.ts). */
export const ENDPOINT = "the agent's endpoint";

/** The JSON body of both calls; `call` is signed with it, so a bid cannot be replayed as an execute. */
export interface AgentCallBody {
  call: 'bid' | 'execute';
  intent_id: string;
  text: string;
  domain: string | null;
  deadline_ms: number;
  /** A session's turn: the conversation before `text`, oldest first; absent for an intent that is no turn. */
  history?: Array<{ role: 'user' | 'assistant'; content: string }>;
}

interface WireUsage {
  input_tokens?: unknown;
  output_tokens?: unknown;
}

/**
 * An external agent speaking docs/agent-protocol.md: `POST {endpoint}/bid`, then, if it
 * wins, `POST {endpoint}/execute`, answered as SSE `chunk` events ending in `done` (or as
 * one JSON object). Every call is signed and aborted at the intent's deadline.
 */
export function createHttpExecutor(profile: AgentProfile & { endpoint: string }, options: HttpAgentOptions): AgentExecutor {
  const { secrets } = options;
  const breaker = options.breaker ?? new CircuitBreaker({ target: ENDPOINT });
  const base = profile.endpoint.replace(/\/+$/, '');
  const misconfigured = configurationProblem(base, secrets.current);
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const maxBytes = { bid: Math.min(BID_MAX_BYTES, options.maxResponseBytes ?? BID_MAX_BYTES), execute: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES };

  const post = (call: AgentCallBody['call'], intent: IntentForAgents, signal: AbortSignal) => {
    const body = JSON.stringify({
      call,
      intent_id: intent.intentId,
      text: intent.text,
      domain: intent.domain ?? null,
      deadline_ms: intent.deadline,
      ...(intent.history ? { history: intent.history } : {}),
    } satisfies AgentCallBody);
    const timestamp = Math.floor(Date.now() / 1000);
    const signing = secrets.previous && Date.now() < secrets.previous.until ? [secrets.current, secrets.previous.secret] : [secrets.current];
    return options.fetch(`${base}/${call}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: call === 'execute' ? 'text/event-stream, application/json' : 'application/json',
        [AGENT_HEADERS.timestamp]: String(timestamp),
        [AGENT_HEADERS.signature]: signing.map((secret) => signAgentRequest(secret, body, timestamp)).join(' '),
        [AGENT_HEADERS.deadline]: String(intent.deadline),
        [AGENT_HEADERS.agent]: profile.slug,
      },
      body,
      signal,
    });
  };

  /**
   * One call through the breaker, bounded by the caller's signal, the deadline, and the
   * idle watch (failures.ts, as for LLM providers): an agent that accepts the connection
   * and then sends nothing fails in seconds, not at the execution timeout.
   */
  const guarded = <T>(intent: IntentForAgents, signal: AbortSignal, call: AgentCallBody['call'], fn: (response: Response) => Promise<T>) =>
    misconfigured
      ? Promise.reject(new Error(`agent ${profile.slug}: ${misconfigured.reason}`))
      : breaker.run(
          () =>
            withDeadline(signal, intent.deadline, `agent ${profile.slug} ${call}`, (s) =>
              withIdleWatch(s, timeouts, timedOut, async (watched, alive) => {
                let response: Response | undefined;
                try {
                  response = watchedBody(await post(call, intent, watched), maxBytes[call], alive, () => tooLarge(call, maxBytes[call]));
                  alive();
                  return await fn(response);
                } catch (error) {
                  // An answer refused unread (a wrong content type) would hold its connection open.
                  response?.body?.cancel().catch(() => {});
                  throw described(error, watched);
                }
              }),
            ),
          () => abandonedByCaller(signal, intent.deadline),
        );

  return {
    kind: 'http',
    availability: () => misconfigured ?? breaker.availability(),
    bid: (intent, signal) =>
      guarded(intent, signal, 'bid', async (response) => {
        if (!response.ok) throw new Error(`bid answered ${response.status}: ${await failureDetail(response)}`);
        return parseBid(await readJson(response, 'bid'));
      }),
    execute: (intent, onChunk, signal) =>
      guarded(intent, signal, 'execute', async (response) => {
        if (!response.ok || !response.body) throw new Error(`execute answered ${response.status}: ${await failureDetail(response)}`);
        const type = response.headers.get('content-type') ?? '';
        if (type.includes('text/event-stream')) return readStream(response.body, onChunk);
        if (type.includes('application/json')) {
          const body = (await readJson(response, 'execute')) as { output?: unknown; usage?: WireUsage };
          if (typeof body.output !== 'string') throw new Error('execute answer has no "output" string');
          onChunk(body.output);
          return withUsage(body.output, body.usage);
        }
        throw new Error(`execute answered with unsupported content type "${type}"`);
      }),
  };
}

const timedOut = (phase: 'first byte' | 'idle', ms: number) =>
  new Error(phase === 'idle' ? `${ENDPOINT} sent nothing for ${ms / 1000} s (idle stream)` : `${ENDPOINT} did not answer within ${ms / 1000} s`);

const tooLarge = (call: AgentCallBody['call'], max: number) => new Error(`${call} answer is larger than ${max} bytes; the rest was not read`);

/** A system error ("connect ECONNREFUSED 10.0.0.7:8080") as what happened, without the address. */
function described(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted || error instanceof PrivateTargetError || !hasSystemCode(error)) return error;
  return new Error(describeTransportFailure(ENDPOINT, error));
}

function configurationProblem(base: string, secret: string): { available: false; reason: string } | null {
  if (!secret) {
    return { available: false, reason: 'no secret to sign its calls with: it predates per-agent secrets and GAVEL_AGENT_SECRET is not set; rotate its secret' };
  }
  if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol)) {
    // Not the endpoint itself: this reason is a bid's, which tenants read; the operator has it in the agent's row.
    return { available: false, reason: 'its endpoint is not an http(s) URL' };
  }
  return null;
}

async function readJson(response: Response, call: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${call} answer is not JSON: ${truncate(text, 120)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`${call} answer is not a JSON object`);
  return body as Record<string, unknown>;
}

/** A malformed bid is an error, not a zero bid: it shows up as a failed bid with this reason. */
function parseBid(body: Record<string, unknown>): BidDecision {
  if (typeof body.decline === 'string') return { type: 'decline', reason: truncate(body.decline, 300) || 'declined' };
  const { confidence, reasoning, estimated_cost_usd: cost } = body;
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) {
    throw new Error(`bid confidence must be a number in [0, 1], got ${truncate(JSON.stringify(confidence) ?? 'nothing', 40)}`);
  }
  if (cost !== undefined && (typeof cost !== 'number' || !(cost >= 0 && Number.isFinite(cost)))) {
    throw new Error(`bid estimated_cost_usd must be a non-negative number, got ${truncate(JSON.stringify(cost), 40)}`);
  }
  return {
    type: 'bid',
    confidence,
    reasoning: typeof reasoning === 'string' ? truncate(reasoning, 500) : '',
    estimatedCostUsd: cost ?? 0,
  };
}

async function readStream(body: ReadableStream<Uint8Array>, onChunk: (text: string) => void): Promise<ExecutionResult> {
  let output = '';
  for await (const event of readSse(body)) {
    // Other event names are ignored, so agents may add their own (progress, …) freely.
    if (event.event === 'chunk') {
      const { text } = eventJson(event, 'agent') as { text?: unknown };
      if (typeof text !== 'string') throw new Error('agent sent a chunk event without a "text" string');
      output += text;
      onChunk(text);
    } else if (event.event === 'error') {
      const { message } = eventJson(event, 'agent') as { message?: unknown };
      throw new Error(`agent error: ${typeof message === 'string' ? truncate(message, 300) : 'no message'}`);
    } else if (event.event === 'done') {
      const { usage } = eventJson(event, 'agent') as { usage?: WireUsage };
      return withUsage(output, usage);
    }
  }
  throw new Error('agent stream ended without a done event');
}

function withUsage(output: string, usage: WireUsage | undefined): ExecutionResult {
  const reported = tokenUsage(usage?.input_tokens, usage?.output_tokens);
  return reported ? { output, usage: reported } : { output };
}
