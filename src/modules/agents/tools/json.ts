import { payloadOf, type ToolCapability } from './types.js';

export const json: ToolCapability = {
  id: 'json',
  description: 'JSON: validates, pretty-prints or minifies a JSON document',
  match(text) {
    if (!/\bjson\b/i.test(text)) return null;
    // Against a schema is the JSON Schema tool's question: "valid JSON" would not answer it.
    if (/\bschema\b/i.test(text)) return null;
    // Only what was asked of the JSON itself: "my JSON config … why does it fail?" is not.
    const mode = /\bminif|\bcompact/i.test(text)
      ? 'minify'
      : /\bvalid|\bcheck|\blint/i.test(text)
        ? 'validate'
        : /\b(?:format|pretty|prettify|beautify|indent|reformat)/i.test(text)
          ? 'format'
          : null;
    if (!mode) return null;
    const candidates = documentsIn(text);
    // Formatting needs a document that parses, found now rather than failing once it has won.
    const body = candidates.find(parses) ?? (mode === 'validate' ? candidates[0] : undefined);
    if (body === undefined) return null;
    return { confidence: 0.93, reasoning: `JSON ${mode}`, plan: { mode, body } };
  },
  run(raw) {
    const { mode, body } = raw as { mode: 'minify' | 'validate' | 'format'; body: string };
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      if (mode === 'validate') return `Invalid JSON: ${(error as Error).message}`;
      throw new Error(`not valid JSON: ${(error as Error).message}`);
    }
    if (mode === 'validate')
      return `Valid JSON (${Array.isArray(value) ? `array of ${value.length}` : typeof value === 'object' && value ? `object with ${Object.keys(value).length} keys` : typeof value})`;
    return mode === 'minify' ? JSON.stringify(value) : JSON.stringify(value, null, 2);
  },
};

/** Where the document may be, most explicit first: a fenced block, the span from the first bracket to the last, what follows a colon. */
function documentsIn(text: string): string[] {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1]?.trim();
  const bracketed = /[[{][\s\S]*[\]}]/.exec(text)?.[0];
  const payload = payloadOf(text);
  return [fenced, bracketed, payload].filter((c): c is string => !!c && /^[[{"\d\-tfn]/.test(c.trim()));
}

function parses(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}
