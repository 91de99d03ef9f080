import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Tokens of a text under o200k_base (the GPT-4o family's tokenizer), used for receipts
 * whenever a provider does not report usage itself.
 */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : countO200k(text);
}
