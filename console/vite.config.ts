import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console's build: `npm run build` writes it to dist/console, where the gateway serves
 * it from (src/http/plugins/console.ts) under /console. JSX is Preact's (tsconfig.json).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // No inline <script> or data: module: the gateway's Content-Security-Policy forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 400,
  },
});
