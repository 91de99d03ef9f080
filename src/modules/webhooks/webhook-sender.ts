import { createGuardedFetch, PrivateTargetError } from '../../lib/guarded-http.js';

export interface SendResult {
  statusCode: number | null;
  /** What the tenant sees on the delivery. */
  error: string | null;
  /** For the operator's log only: which address a refused target resolved to. */
  operatorDetail?: string;
  durationMs: number;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  userAgent: string;
}

/** How much of a refusing receiver's answer is kept: enough to see why. */
const EXCERPT_CHARS = 200;

const guardedFetches = new Map<boolean, ReturnType<typeof createGuardedFetch>>();

/**
 * POSTs one delivery through the guarded client, so that only public addresses are
 * reached (after DNS, on the address connected to). Redirects are not followed; only a
 * 2xx counts as delivered.
 */
export async function postWebhook(url: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null) => ({ statusCode, error, durationMs: Math.round(performance.now() - started) });
  let send = guardedFetches.get(options.allowPrivate);
  if (!send) guardedFetches.set(options.allowPrivate, (send = createGuardedFetch({ allowPrivate: options.allowPrivate })));
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': options.userAgent, ...headers },
      body,
      signal,
    });
    if (response.ok) {
      await response.body?.cancel();
      return done(response.status, null);
    }
    const excerpt = await readExcerpt(response);
    return done(response.status, `HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`);
  } catch (error) {
    if (error instanceof PrivateTargetError) return { ...done(null, error.message), operatorDetail: error.detail };
    return done(null, signal.aborted ? `no answer within ${options.timeoutMs} ms` : (error as Error).message);
  }
}

/** The first characters of the answer, without reading the rest of what may be a large body. */
async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>).getReader();
  let text = '';
  try {
    while (text.length < EXCERPT_CHARS) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
  } catch {
    // A receiver that hangs up mid-answer: what arrived is still the best detail there is.
  } finally {
    void reader.cancel().catch(() => {});
  }
  return text.slice(0, EXCERPT_CHARS);
}
