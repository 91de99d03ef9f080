import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentCallBody } from '../../src/modules/agents/executors/http.js';

/** How one agent answers one call; the body is read (and parsed) before it is called. */
export type AgentBehaviour = (call: AgentCallBody['call'], body: AgentCallBody, res: ServerResponse, req: IncomingMessage) => void;

export interface AgentHost {
  /** The endpoint to register for the agent served at `/name`. */
  endpoint(name: string): string;
  /** Calls each agent received, as `bid` or `execute`, in order. */
  calls(name: string): string[];
  /** Connections of an agent's calls that the gateway closed or dropped before the agent ended its answer. */
  hungUpOn(name: string): number;
  port: number;
  close(): Promise<void>;
}

/**
 * One real HTTP server acting as many agent endpoints, `http://127.0.0.1:port/<name>`,
 * each scripted by its behaviour (which may hang, or send anything at all). Calls are
 * not signature-checked: these agents are there to misbehave, not to be impersonated.
 */
export async function startAgentHost(behaviours: Record<string, AgentBehaviour>): Promise<AgentHost> {
  const calls = new Map<string, string[]>();
  const hungUp = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const [, name, call] = (req.url ?? '').split('/');
    const parts: Buffer[] = [];
    for await (const part of req as AsyncIterable<Buffer>) parts.push(part);
    const behaviour = behaviours[name ?? ''];
    if (!behaviour || (call !== 'bid' && call !== 'execute')) return void res.writeHead(404).end();
    calls.set(name!, [...(calls.get(name!) ?? []), call]);
    res.on('close', () => {
      if (!res.writableFinished) hungUp.set(name!, (hungUp.get(name!) ?? 0) + 1);
    });
    behaviour(call, JSON.parse(Buffer.concat(parts).toString()) as AgentCallBody, res, req);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: (name) => `http://127.0.0.1:${port}/${name}`,
    calls: (name) => calls.get(name) ?? [],
    hungUpOn: (name) => hungUp.get(name) ?? 0,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** Answers with a JSON body. */
export function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Starts an SSE answer. */
export function sse(res: ServerResponse): ServerResponse {
  return res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
}

/** One SSE event. */
export function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
