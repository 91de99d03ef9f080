import { readFile } from 'node:fs/promises';
import { basename, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

/**
 * Where `npm run build` puts the console (vite's outDir): `dist/console`. This file runs
 * from dist/src/http/plugins when built and from src/http/plugins under tsx (`npm run dev`).
 */
function defaultConsoleDir(): string {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  return basename(root) === 'dist' ? join(root, 'console') : join(root, 'dist', 'console');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * The console may only load its own files and speak to its own origin (HTTP and
 * graphql-ws): no inline script, no eval, no framing. Inline styles are refused too;
 * the console sizes its bars with SVG attributes.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * `/console`: the single-page console, built by vite into dist/console. Hashed files
 * (`/console/assets/*`) are cached for a year; any other path under /console answers the
 * app's index.html (no-cache), whose router shows the page. In production `/` redirects
 * here. A missing build answers 503 with what to run.
 */
export function useConsole(options: { redirectRoot: boolean; dir?: string }): Plugin {
  const dir = options.dir ?? defaultConsoleDir();
  const security = { 'content-security-policy': CONSOLE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
  return {
    async onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/' && options.redirectRoot) return endResponse(new Response(null, { status: 302, headers: { location: '/console' } }));
      if (url.pathname !== '/console' && !url.pathname.startsWith('/console/')) return;
      const rest = decodeURIComponent(url.pathname.slice('/console'.length)).replace(/^\/+/, '');
      const asset = rest.startsWith('assets/') || /^[\w.-]+\.(svg|png|ico)$/.test(rest);
      const path = normalize(join(dir, asset ? rest : 'index.html'));
      if (!path.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return endResponse(new Response('Not found', { status: 404 }));
      let body: Buffer;
      try {
        body = await readFile(path);
      } catch {
        if (asset) return endResponse(new Response('Not found', { status: 404, headers: security }));
        return endResponse(
          new Response('The console is not built: run npm run build', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
        );
      }
      const headers: Record<string, string> = {
        ...security,
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        'content-length': String(body.length),
        // Vite names hashed files name-HASH.ext: they never change, so a year and immutable.
        'cache-control': rest.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      };
      endResponse(new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers }));
    },
  };
}
