import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where a Chromium may be: CHROMIUM_PATH, then Debian's and others' usual places. */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const executablePath = CANDIDATES.find((path): path is string => !!path && existsSync(path));

/**
 * Why the browser tests cannot run here, or null when they can. Without a Chromium they are
 * skipped and say so; under CI=true a missing browser fails instead, so CI never passes
 * by skipping them (.ci/run installs Debian's chromium).
 */
export const noBrowser: string | null = executablePath ? null : `no Chromium found (looked at ${CANDIDATES.filter(Boolean).join(', ')}; set CHROMIUM_PATH)`;
if (noBrowser) {
  if (process.env.CI === 'true') throw new Error(`Browser tests must run in CI: ${noBrowser}`);
  console.warn(`[gavel tests] browser tests skipped: ${noBrowser}`);
}

/** A headless Chromium (playwright-core drives the system's browser; it downloads none). */
export function launchBrowser(): Promise<Browser> {
  // Containers often run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: executablePath!, args: ['--no-sandbox'] });
}

/** A real page of its own origin: a tiny HTTP server on another port serving an empty document. */
export async function pageServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>client</title>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Opens a page at `origin` in a fresh browser context (no shared cache or preflight cache). */
export async function openPage(browser: Browser, origin: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  return page;
}
