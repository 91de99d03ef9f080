import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A library loaded at its first use, not at startup: the language, sentiment, entity
 * and spelling models are megabytes of heap and tens to hundreds of milliseconds of
 * loading that a gateway never asked about them does not pay. `require` keeps a tool's
 * `match` synchronous; on Node 20.19+ it loads ESM-only packages too.
 */
export function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}

export function requirePackage<T>(name: string): T {
  return requireHere(name) as T;
}

/** A file a package ships beside its entry point (dictionary-en's .aff and .dic, which its ESM entry reads with top-level await). */
export function packageFile(pkg: string, file: string): string {
  return requireHere.resolve(pkg).replace(/[^/\\]+$/, file);
}
