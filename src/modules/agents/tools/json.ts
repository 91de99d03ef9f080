import { payloadOf, type ToolCapability } from './types.js';

export const json: ToolCapability = {
  id: 'json',
  description: 'JSON: validates, pretty-prints or minifies a JSON document',
  match(text) {
    if (!/\bjson\b/i.test(text)) return null;
    const body = payloadOf(text) ?? /[[{][\s\S]*[\]}]/.exec(text)?.[0];
    if (!body || !/^[[{"\d\-tfn]/.test(body.trim())) return null;
    const mode = /\bminif|\bcompact/i.test(text) ? 'minify' : /\bvalid/i.test(text) ? 'validate' : 'format';
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
    if (mode === 'validate') return `Valid JSON (${Array.isArray(value) ? `array of ${value.length}` : typeof value === 'object' && value ? `object with ${Object.keys(value).length} keys` : typeof value})`;
    return mode === 'minify' ? JSON.stringify(value) : JSON.stringify(value, null, 2);
  },
};
