import { onlyFiller, restOf } from './phrasing.js';
import { payloadOf, type ToolCapability } from './types.js';

type Scheme = 'base64' | 'url' | 'hex';
type Plan = { scheme: Scheme; direction: 'encode' | 'decode'; input: string };

const SCHEME = String.raw`(base\s?64|url|uri|percent|hex)`;
const VERB = String.raw`(encode|decode|encoding|decoding|encoded|decoded)`;
/** The instruction, before the text it applies to: "base64 decode", "decode base64", "decode this from base64", "url-encode". */
const INSTRUCTIONS = [
  new RegExp(String.raw`\b${SCHEME}[\s-]*${VERB}\b(?:\s+(?:of|the|this|string|text))*`, 'i'),
  new RegExp(String.raw`\b${VERB}\b(?:\s+(?:this|the|following|string|text|it))*\s+(?:in|as|to|from|using|with)?\s*${SCHEME}\b(?:\s+(?:string|text))?`, 'i'),
];
/** "encode hello world in base64": the text between the verb and the scheme, which ends the request. */
const INLINE = new RegExp(String.raw`\b(encode|decode)\s+(.+?)\s+(?:in|as|to|from|into|using)\s+${SCHEME}\s*[?.!]?\s*$`, 'i');

function schemeOf(raw: string): Scheme {
  const s = raw.toLowerCase().replace(/\s/g, '');
  return s === 'uri' || s === 'percent' ? 'url' : (s as Scheme);
}

export const encoding: ToolCapability = {
  id: 'encoding',
  description: 'Encodings: base64, URL (percent) and hex, encode or decode',
  match(text) {
    const inline = INLINE.exec(text);
    if (inline && onlyFiller(text.slice(0, inline.index)) && !payloadOf(text)) {
      const direction = /^decod/i.test(inline[1]!) ? 'decode' : 'encode';
      return { confidence: 0.95, reasoning: `${schemeOf(inline[3]!)} ${direction}`, plan: { scheme: schemeOf(inline[3]!), direction, input: inline[2]! } };
    }
    for (const [i, re] of INSTRUCTIONS.entries()) {
      const m = re.exec(text);
      if (!m) continue;
      const scheme = schemeOf(i === 0 ? m[1]! : m[2]!);
      const direction = /^decod/i.test(i === 0 ? m[2]! : m[1]!) ? 'decode' : 'encode';
      // The text is what follows a colon or quotes, else all that follows the instruction.
      let input = payloadOf(text);
      if (input === null) {
        if (!onlyFiller(text.slice(0, m.index))) continue;
        input = text.slice(m.index + m[0].length).trim();
      } else if (/\b(?:then|twice|reverse|hash|count|translate|explain|why)\b/i.test(restOf(text, m).replace(input, ' '))) continue;
      if (!input) continue;
      if (direction === 'decode') {
        const body = input;
        if (scheme === 'hex' && !/^(?:[0-9a-f]{2})*$/i.test(body.replace(/\s/g, ''))) return { refuse: `${input} is not hex` };
        if (scheme === 'base64' && !/^[A-Za-z0-9+/_-]*={0,2}$/.test(body.trim())) return { refuse: `${input} is not base64` };
      }
      return { confidence: 0.95, reasoning: `${scheme} ${direction}`, plan: { scheme, direction, input } };
    }
    return null;
  },
  run(raw) {
    const { scheme, direction, input } = raw as Plan;
    if (direction === 'encode') {
      if (scheme === 'url') return encodeURIComponent(input);
      return Buffer.from(input, 'utf8').toString(scheme);
    }
    if (scheme === 'url') return decodeURIComponent(input);
    const body = scheme === 'hex' ? input.replace(/\s/g, '') : input.trim();
    const valid = scheme === 'hex' ? /^(?:[0-9a-f]{2})*$/i : /^[A-Za-z0-9+/_-]*={0,2}$/;
    if (!valid.test(body)) throw new Error(`not valid ${scheme}`);
    const decoded = Buffer.from(body, scheme).toString('utf8');
    // Bytes that are not text (U+FFFD where UTF-8 failed) are no answer to "decode".
    if (decoded.includes('\uFFFD')) throw new Error(`the ${scheme} does not decode to UTF-8 text`);
    return decoded;
  },
};
