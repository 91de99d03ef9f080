import { lazy, requirePackage } from './lazy.js';
import { pastedRequest } from './phrasing.js';
import type { ToolCapability } from './types.js';

interface View {
  out(format: 'array'): string[];
}
interface Doc {
  people(): View;
  places(): View;
  organizations(): View;
  money(): View;
}
const nlp = lazy(() => requirePackage<(text: string) => Doc>('compromise'));

const GRAMMAR =
  /\b(?:extract|find|list|get|identify|show|give\s+me|what\s+are)\s+(?:all\s+)?(?:the\s+)?(?:named\s+entities|entities|names|people(?:\s+and\s+places)?|persons|places|organi[sz]ations|companies)(?:\s+(?:and\s+)?(?:people|places|organi[sz]ations|companies|money|amounts|mentioned))*(?:\s+(?:in|from|of))?(?:\s+(?:this|the|following|text|article|paragraph))*|\bnamed\s+entity\s+recognition\b|\bner\b/i;

const clean = (xs: string[]) => [...new Set(xs.map((x) => x.replace(/^[\s"'“(]+|[\s"'”).,;:!?]+$/g, '')).filter(Boolean))];

export const entities: ToolCapability = {
  id: 'entities',
  description: 'Named entities in a pasted English text: people, places, organisations and money amounts (compromise). Dates are not extracted',
  match(text) {
    const req = pastedRequest(text, GRAMMAR);
    if (!req) return null;
    return { confidence: 0.6, reasoning: 'Named entities of the given text', plan: req.body };
  },
  run(raw) {
    const doc = nlp()(String(raw));
    const groups: Array<[string, string[]]> = [
      ['people', clean(doc.people().out('array'))],
      ['places', clean(doc.places().out('array'))],
      ['organisations', clean(doc.organizations().out('array'))],
      ['money', clean(doc.money().out('array'))],
    ];
    return groups.map(([label, xs]) => `${label}: ${xs.length ? xs.join(', ') : '(none)'}`).join('\n');
  },
};
