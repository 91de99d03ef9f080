import { payloadOf, type ToolCapability } from './types.js';

type Plan = { scheme: 'base64' | 'url' | 'hex'; direction: 'encode' | 'decode'; input: string };

export const encoding: ToolCapability = {
  id: 'encoding',
  description: 'Encodings: base64, URL (percent) and hex, encode or decode',
  match(text) {
    const m = /\b(base64|url|hex)[\s-]*(encode|decode)\b|\b(encode|decode)\b[\w\s]*?\b(?:in|as|to|from)\s+(base64|url|hex)\b/i.exec(text);
    if (!m) return null;
    const scheme = (m[1] ?? m[4])!.toLowerCase() as Plan['scheme'];
    const direction = (m[2] ?? m[3])!.toLowerCase() as Plan['direction'];
    const input = payloadOf(text);
    if (input === null) return null;
    return { confidence: 0.95, reasoning: `${scheme} ${direction}`, plan: { scheme, direction, input } };
  },
  run(raw) {
    const { scheme, direction, input } = raw as Plan;
    if (direction === 'encode') {
      if (scheme === 'url') return encodeURIComponent(input);
      return Buffer.from(input, 'utf8').toString(scheme);
    }
    if (scheme === 'url') return decodeURIComponent(input);
    const valid = scheme === 'hex' ? /^(?:[0-9a-f]{2})*$/i : /^[A-Za-z0-9+/_-]*={0,2}$/;
    if (!valid.test(input.trim())) throw new Error(`not valid ${scheme}`);
    return Buffer.from(input.trim(), scheme).toString('utf8');
  },
};
