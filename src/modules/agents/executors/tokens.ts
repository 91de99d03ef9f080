import { createRequire } from 'node:module';

/**
 * Callers' text is data: a literal `<|endoftext|>` in it is counted as ordinary text,
 * as providers do, instead of making the tokenizer throw (its default) and failing a receipt.
 */
const TEXT_ONLY = { disallowedSpecial: new Set<string>() };

type CountO200k = (text: string, options: typeof TEXT_ONLY) => number;
let countO200k: CountO200k | null = null;

/**
 * Tokens of a text under o200k_base (the GPT-4o family's tokenizer), used for receipts
 * whenever a provider does not report usage itself.
 *
 * The encoding is loaded at the first count, not at startup: its 200k-token table is
 * 20 MB of heap, which a gateway serving only tool agents never needs (it is most of
 * what took the embedded server's idle RSS over 300 MB). `require` keeps this call
 * synchronous; the package ships a CommonJS build next to its ESM one.
 */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  countO200k ??= (createRequire(import.meta.url)('gpt-tokenizer/cjs/encoding/o200k_base') as { countTokens: CountO200k }).countTokens;
  return countO200k(text, TEXT_ONLY);
}
