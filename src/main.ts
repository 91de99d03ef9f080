import { buildApp } from './app.js';
import { ConfigError, loadConfig, loadDotEnv } from './config/config.js';

loadDotEnv();
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const app = await buildApp(config);
const url = await app.start();
if (app.firstKey) {
  // Printed once, on the very first start: it is stored only as a hash.
  // The id is what `keys list`, `keys rotate` and `keys revoke` name it by.
  console.log(
    `\nFirst API key (full access, operator tenant). Store it now; it will not be shown again:\n\n  ${app.firstKey.key}\n\nIts id (for npm run gavel -- keys list|rotate|revoke): ${app.firstKey.id}\n`,
  );
}
console.log(`Gavel listening on ${url}/graphql`);
console.log(`Console: ${url}/console (sign in with an API key)`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
