import { lazy, requirePackage } from './lazy.js';
import { onlyFiller } from './phrasing.js';
import type { ToolCapability } from './types.js';

interface AjvError {
  instancePath: string;
  message?: string;
}
interface Ajv {
  compile(schema: unknown): ((data: unknown) => boolean) & { errors?: AjvError[] | null };
  addFormat?: unknown;
}
/** ajv (JSON Schema draft-07, every error, formats from ajv-formats), loaded at the first validation. */
const ajv = lazy(() => {
  const AjvClass = requirePackage<{ default: new (options: object) => Ajv }>('ajv').default;
  const addFormats = requirePackage<{ default: (ajv: Ajv) => void }>('ajv-formats').default;
  const instance = new AjvClass({ allErrors: true, strict: false });
  addFormats(instance);
  return instance;
});

const SHOWN_ERRORS = 10;
const ASKS = /\b(?:validate|check|test|verify|does|is)\b[\s\S]*\bschema\b|\bschema\b[\s\S]*\b(?:validat|valid|match|conform)/i;

/** Each top-level JSON object or array in the text, with where it starts: fenced blocks first, else balanced brackets. */
function documents(text: string): Array<{ start: number; end: number; value: unknown }> {
  const fenced = [...text.matchAll(/```(?:json)?\s*([\s\S]*?)```/gi)];
  const spans: Array<[number, number, string]> = fenced.length ? fenced.map((m) => [m.index, m.index + m[0].length, m[1]!]) : balanced(text);
  const out: Array<{ start: number; end: number; value: unknown }> = [];
  for (const [start, end, body] of spans) {
    try {
      out.push({ start, end, value: JSON.parse(body) });
    } catch {
      return [];
    }
  }
  return out;
}

function balanced(text: string): Array<[number, number, string]> {
  const spans: Array<[number, number, string]> = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"' && depth > 0) inString = true;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if ((c === '}' || c === ']') && depth > 0 && --depth === 0) spans.push([start, i + 1, text.slice(start, i + 1)]);
  }
  return spans;
}

export const jsonSchema: ToolCapability = {
  id: 'json-schema',
  description: 'JSON Schema validation: checks a pasted JSON document against a pasted schema (ajv, draft-07, with formats) and lists the errors',
  match(text) {
    if (!ASKS.test(text)) return null;
    const docs = documents(text);
    if (docs.length !== 2) return null;
    // The schema is the one the text calls so: "schema:" just before it, or what follows "against".
    const labels = docs.map((d, i) => text.slice(i === 0 ? 0 : docs[0]!.end, d.start));
    const named = labels.map((l) => /\bschema\b\s*:?\s*$/i.test(l));
    let schemaAt = named[0] !== named[1] ? named.indexOf(true) : -1;
    if (schemaAt < 0 && !named[0] && /\bagainst\b/i.test(labels[1]!)) schemaAt = 1;
    if (schemaAt < 0) return { refuse: 'which of the two JSON documents is the schema? Label it "schema:"' };
    const outside = docs.reduceRight((t, d) => t.slice(0, d.start) + ' ' + t.slice(d.end), text);
    if (
      !onlyFiller(
        outside.replace(
          /\b(?:validate|validation|check|test|verify|against|schema|json|document|data|instance|valid|matches|match|conform|conforms|following|with|and|object|payload|does|this|these)\b/gi,
          ' ',
        ),
      )
    )
      return null;
    const schema = docs[schemaAt]!.value;
    const document = docs[1 - schemaAt]!.value;
    try {
      ajv().compile(schema);
    } catch (error) {
      return { refuse: `the schema does not compile: ${(error as Error).message}` };
    }
    return { confidence: 0.95, reasoning: 'JSON Schema validation of the given document', plan: { schema, document } };
  },
  run(raw) {
    const { schema, document } = raw as { schema: unknown; document: unknown };
    const validate = ajv().compile(schema);
    if (validate(document)) return 'Valid: the document matches the schema';
    const errors = validate.errors ?? [];
    const lines = errors.slice(0, SHOWN_ERRORS).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
    return `Invalid: ${errors.length} error${errors.length === 1 ? '' : 's'}\n${lines.join('\n')}`;
  },
};
