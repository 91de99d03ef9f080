import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { dialects } from '../../src/dialects/index.js';

/** The base paths whose OpenAPI documents the gateway serves (`<base>/openapi.json`), longest first. */
const BASE_PATHS = [...new Set(dialects.map((d) => d.basePath))].sort((a, b) => b.length - a.length);

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const documents = new Map<string, Promise<Document>>();
const validators = new WeakMap<object, ValidateFunction>();

function documentOf(baseUrl: string, basePath: string): Promise<Document> {
  const key = `${baseUrl}${basePath}`;
  let doc = documents.get(key);
  if (!doc) {
    doc = fetch(`${key}/openapi.json`).then(async (res) => {
      if (res.status !== 200) throw new Error(`${key}/openapi.json answered ${res.status}`);
      return (await res.json()) as Document;
    });
    documents.set(key, doc);
  }
  return doc;
}

/** The template (`/intents/{id}`) that serves a path: static segments win over parameters, as the gateway's router does. */
function templateOf(doc: Document, path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  const fits = Object.keys(doc.paths).filter((template) => {
    const segs = template.split('/').filter(Boolean);
    return segs.length === parts.length && segs.every((s, i) => s.startsWith('{') || s === parts[i]);
  });
  const score = (t: string) =>
    t
      .split('/')
      .filter(Boolean)
      .reduce((n, s) => n * 2 + (s.startsWith('{') ? 0 : 1), 0);
  return fits.sort((a, b) => score(b) - score(a))[0] ?? null;
}

/**
 * Checks a REST answer against the OpenAPI document its base path serves: the status
 * must be one its document lists for the operation, and a JSON body must fit
 * its schema exactly. Throws, so the test that received it fails: a document and its
 * server cannot drift.
 */
export async function assertDocumentedResponse(baseUrl: string, method: string, rawPath: string, status: number, headers: Headers, body: unknown) {
  const path = rawPath.split('?')[0]!;
  const basePath = BASE_PATHS.find((b) => path === b || path.startsWith(`${b}/`));
  if (!basePath || path === `${basePath}/openapi.json`) return;
  const doc = await documentOf(baseUrl, basePath);
  const template = templateOf(doc, path.slice(basePath.length));
  const operation = template ? doc.paths[template]![method.toLowerCase()] : undefined;
  // An unknown path or method: the dialect's 404 or 405, in its error body.
  const unknown = { content: { 'application/json': { schema: { $ref: anyError(doc) } } } };
  const responses: Operation['responses'] = operation?.responses ?? { '404': unknown, '405': unknown };
  const documented = responses[String(status)];
  if (!documented) throw new Error(`${method} ${path} answered ${status}, which its OpenAPI document does not list (${Object.keys(responses).join(', ')})`);
  const type = headers.get('content-type') ?? '';
  if (!type.startsWith('application/json')) return;
  const schema = documented.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${path} answered ${status} with a JSON body its OpenAPI document does not describe`);
  let validate = validators.get(schema);
  if (!validate) {
    // A schema's `#/components/…` refs point into the document: give it the components as its own $defs.
    const standalone = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/')) as object;
    validate = ajv.compile({ ...standalone, $defs: doc.components.schemas });
    validators.set(schema, validate);
  }
  if (!validate(body)) {
    throw new Error(`${method} ${path} → ${status} does not fit its OpenAPI schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 800)}`);
  }
}

/**
 * Checks the `data` of each message of an event stream against the `itemSchema` its
 * OpenAPI document gives the operation's `text/event-stream` answer (dialects that type
 * their events); throws when one does not fit, or when the document types none.
 */
export async function assertDocumentedEvents(baseUrl: string, method: string, rawPath: string, status: number, events: unknown[]) {
  const path = rawPath.split('?')[0]!;
  const basePath = BASE_PATHS.find((b) => path === b || path.startsWith(`${b}/`))!;
  const doc = await documentOf(baseUrl, basePath);
  const template = templateOf(doc, path.slice(basePath.length));
  const media = template
    ? (doc.paths[template]![method.toLowerCase()]?.responses[String(status)]?.content?.['text/event-stream'] as { itemSchema?: object })
    : undefined;
  if (!media?.itemSchema) throw new Error(`${method} ${path} → ${status}: its OpenAPI document types no events`);
  let validate = validators.get(media.itemSchema);
  if (!validate) {
    const standalone = JSON.parse(JSON.stringify(media.itemSchema).replaceAll('"#/components/schemas/', '"#/$defs/')) as object;
    validate = ajv.compile({ ...standalone, $defs: doc.components.schemas });
    validators.set(media.itemSchema, validate);
  }
  for (const event of events) {
    if (!validate(event))
      throw new Error(
        `${method} ${path}: an event does not fit its OpenAPI schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(event).slice(0, 400)}`,
      );
  }
}

const anyError = (doc: Document) => `#/components/schemas/${Object.keys(doc.components.schemas)[0]}`;
