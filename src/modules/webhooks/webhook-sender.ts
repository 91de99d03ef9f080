import http from 'node:http';
import https from 'node:https';
import { guardedLookup } from './webhook-target.js';

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  userAgent: string;
}

/**
 * POSTs one delivery. Node's http(s) client rather than fetch, because its `lookup` hook
 * lets the private-address check run on the address actually connected to. Redirects are
 * not followed (a redirect could lead anywhere); only a 2xx counts as delivered.
 */
export function postWebhook(url: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const done = (statusCode: number | null, error: string | null) => resolve({ statusCode, error, durationMs: Math.round(performance.now() - started) });
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': options.userAgent, ...headers },
        lookup: guardedLookup(options.allowPrivate) as never,
        timeout: options.timeoutMs,
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        // A little of the answer helps the caller see why their endpoint refused.
        let excerpt = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (excerpt.length < 200) excerpt += chunk;
        });
        response.on('end', () => done(status, status >= 200 && status < 300 ? null : `HTTP ${status}${excerpt ? `: ${excerpt.slice(0, 200)}` : ''}`));
        response.on('error', (e) => done(status, e.message));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', (e) => done(null, e.message));
    request.end(body);
  });
}
