import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on port 0 that answers `POST /v1/chat/completions` the way OpenAI
 * streams: `data: {chunk}` lines, a finish chunk, a usage chunk when the request asks
 * for one (`stream_options.include_usage`), then `data: [DONE]`.
 */
export interface FakeOpenAIOptions {
  /** The reply, streamed one piece per chunk. Default: `['Hello', ' from', ' the', ' fake', ' model.']`. */
  chunks?: string[];
  /** Usage sent in the last chunk; `null`: none, as some servers do. Default: 12 prompt tokens, one per chunk. */
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  /** Answer every request with this status and an OpenAI-style error body. Default: stream normally. */
  errorStatus?: number;
  /** Message of that error body. Default: `'fake provider failure'`. */
  errorMessage?: string;
  /** Pause before each chunk, in ms (read at each request, so a test may change it). Default: 0. */
  chunkDelayMs?: number;
  /** End the reply after this many content chunks, with no finish chunk and no `[DONE]`. Default: never. */
  cutAfter?: number;
  /**
   * A failure mode, read at each request (a test may switch it): `hang` takes the request
   * and never answers (no headers); `hang-mid-stream` streams `hangAfter` content chunks
   * (default 1) and then goes silent, the connection open. Default: answer.
   */
  mode?: 'hang' | 'hang-mid-stream';
  hangAfter?: number;
  /** The reply to one request, chosen from its body (read at each request); undefined: `chunks`. */
  reply?: (body: RecordedRequest['body']) => string[] | undefined;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: {
    model?: string;
    stream?: boolean;
    stream_options?: { include_usage?: boolean };
    messages?: Array<{ role: string; content: string }>;
  };
}

export interface FakeOpenAI {
  /** Ends with `/v1`, like `OPENAI_BASE_URL`. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Connections whose client hung up before the reply was complete. */
  abandoned: () => number;
  close: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const chunks = options.chunks ?? ['Hello', ' from', ' the', ' fake', ' model.'];
  const usage = options.usage === undefined ? { prompt_tokens: 12, completion_tokens: chunks.length } : options.usage;
  const requests: RecordedRequest[] = [];
  let abandoned = 0;

  const server = createServer((req, res) => {
    void (async () => {
      let raw = '';
      for await (const part of req as AsyncIterable<Buffer>) raw += part.toString('utf8');
      const body = raw ? (JSON.parse(raw) as RecordedRequest['body']) : {};
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'no such route' } }));
        return;
      }
      let gone = false;
      res.on('close', () => {
        if (res.writableFinished) return;
        gone = true;
        abandoned++;
      });
      if (options.mode === 'hang') return; // the request is read; no answer ever comes
      if (options.errorStatus) {
        const error = { message: options.errorMessage ?? 'fake provider failure', type: 'fake_error' };
        res.writeHead(options.errorStatus, { 'content-type': 'application/json' }).end(JSON.stringify({ error }));
        return;
      }
      const withUsage = body.stream_options?.include_usage === true;
      const send = (choices: unknown[], extra: Record<string, unknown> = {}) =>
        res.write(
          `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', model: body.model, choices, ...(withUsage ? { usage: null } : {}), ...extra })}\n\n`,
        );
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      send([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
      for (const [i, content] of (options.reply?.(body) ?? chunks).entries()) {
        if (options.chunkDelayMs) await sleep(options.chunkDelayMs);
        if (gone) return;
        if (options.cutAfter !== undefined && i >= options.cutAfter) return void res.end();
        if (options.mode === 'hang-mid-stream' && i >= (options.hangAfter ?? 1)) return; // silent, the connection open
        send([{ index: 0, delta: { content }, finish_reason: null }]);
      }
      send([{ index: 0, delta: {}, finish_reason: 'stop' }]);
      if (withUsage && usage) send([], { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } });
      res.end('data: [DONE]\n\n');
    })();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    abandoned: () => abandoned,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The base URL of a port nothing listens on (bound once, then closed), so a connection is refused. */
export async function closedProviderUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
