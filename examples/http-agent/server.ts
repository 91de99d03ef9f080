/**
 * A small Gavel HTTP agent (docs/agent-protocol.md) on node:http, no framework. It bids
 * on intents that ask for a haiku or a poem and writes one from the intent's own words,
 * streamed word by word. Run: AGENT_SIGNING_SECRET=gvl_agent_… PORT=8787 npx tsx examples/http-agent/server.ts
 * with the signing secret the gateway gave this agent when it was registered (or rotated).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { verifyAgentSignature } from '../../src/modules/agents/executors/signing.js';
import { countTokens } from '../../src/modules/agents/executors/tokens.js';

/** This agent's own secret: no other agent holds it, so no other agent can forge the gateway's calls to it. */
const SECRET = process.env.AGENT_SIGNING_SECRET ?? '';
const PORT = Number(process.env.PORT ?? 8787);
/** Pause between streamed words, so the stream is visibly a stream. */
const CHUNK_DELAY_MS = Number(process.env.CHUNK_DELAY_MS ?? 60);
const MAX_BODY_BYTES = 64 * 1024;
if (!SECRET) {
  console.error('AGENT_SIGNING_SECRET is required: the signing secret the gateway showed when this agent was registered');
  process.exit(1);
}

interface AgentCall {
  call: 'bid' | 'execute';
  intent_id: string;
  text: string;
  domain: string | null;
  deadline_ms: number;
}

const WANTS_POEM = /\b(haiku|poem|poetry)s?\b/i;
const FILLER = new Set(['the', 'and', 'for', 'with', 'about', 'write', 'please', 'haiku', 'poem', 'poems', 'poetry', 'some', 'that', 'this', 'into', 'from']);

/** Three short lines built around the first content words of the intent. */
function compose(text: string): string {
  const words = [...new Set(text.toLowerCase().match(/[a-z]+/g) ?? [])].filter((w) => w.length > 2 && !FILLER.has(w));
  const [a = 'silence', b = 'river'] = words;
  const c = words.length > 2 ? words.at(-1)! : 'evening';
  return [`${a[0]!.toUpperCase()}${a.slice(1)} at first light`, `${b} drifting where the cold wind goes`, `${c}, then stillness`].join('\n');
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    if ((size += part.length) > MAX_BODY_BYTES) return null;
    parts.push(part);
  }
  return Buffer.concat(parts);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendEvent(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function execute(call: AgentCall, res: ServerResponse): Promise<void> {
  // The gateway hangs up at the deadline or when the intent is cancelled: stop writing then.
  let gone = false;
  res.on('close', () => (gone = true));
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const poem = compose(call.text);
  for (const piece of poem.match(/\S+\s*/g) ?? []) {
    if (gone) return;
    sendEvent(res, 'chunk', { text: piece });
    await sleep(CHUNK_DELAY_MS);
  }
  sendEvent(res, 'done', { usage: { input_tokens: countTokens(call.text), output_tokens: countTokens(poem) } });
  res.end();
}

const server = createServer((req, res) => {
  void (async () => {
    const route = req.method === 'POST' ? req.url : undefined;
    if (route !== '/bid' && route !== '/execute') return sendJson(res, 404, { error: 'POST /bid or /execute' });
    const raw = await readBody(req);
    if (!raw) return sendJson(res, 413, { error: 'body too large' });
    // Verify the raw bytes, before parsing anything: unsigned calls learn nothing.
    const timestamp = req.headers['x-gavel-timestamp'];
    const signature = req.headers['x-gavel-signature'];
    if (!verifyAgentSignature(SECRET, raw, typeof timestamp === 'string' ? timestamp : undefined, typeof signature === 'string' ? signature : undefined)) {
      return sendJson(res, 401, { error: 'missing or invalid X-Gavel-Signature' });
    }
    const call = JSON.parse(raw.toString('utf8')) as AgentCall;
    // `call` is signed with the body: a captured bid cannot be replayed against /execute.
    if (`/${call.call}` !== route) return sendJson(res, 400, { error: `signed for /${call.call}, sent to ${route}` });
    if (route === '/bid') {
      return sendJson(
        res,
        200,
        WANTS_POEM.test(call.text)
          ? { confidence: 0.9, reasoning: 'writes a short haiku from the words of the request', estimated_cost_usd: 0.0001 }
          : { decline: 'only writes haiku and poems' },
      );
    }
    await execute(call, res);
  })().catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    else res.end(`event: error\ndata: ${JSON.stringify({ message: 'the agent failed mid-stream' })}\n\n`);
  });
});

server.listen(PORT, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : PORT}`);
});
// Finish streams in flight, but do not wait on them for ever.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
