import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Callers' text is data: a literal `<|endoftext|>` in it is counted as ordinary text,
 * as providers do, instead of making the tokenizer throw (its default) and failing a receipt.
 */
const TEXT_ONLY = { disallowedSpecial: new Set<string>() };

/**
 * Tokens of a text under o200k_base (the GPT-4o family's tokenizer), used for receipts
 * whenever a provider does not report usage itself.
 */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : countO200k(text, TEXT_ONLY);
}
