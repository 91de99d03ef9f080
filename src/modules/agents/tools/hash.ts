import { createHash } from 'node:crypto';
import { payloadOf, type ToolCapability } from './types.js';

type Algorithm = 'md5' | 'sha1' | 'sha256' | 'sha512';

export const hash: ToolCapability = {
  id: 'hash',
  description: 'Hashes: MD5, SHA-1, SHA-256, SHA-512 hex digests of a text',
  match(text) {
    const m = /\b(md5|sha-?1|sha-?256|sha-?512)\b(?:\s+(?:hash|digest|checksum))?(?:\s+of)?\s*(.*)$/i.exec(text);
    if (!m) return null;
    const algorithm = m[1]!.toLowerCase().replace('-', '') as Algorithm;
    const input = payloadOf(text) ?? m[2]!.trim();
    if (!input) return null;
    return { confidence: 0.96, reasoning: `${algorithm} digest`, plan: { algorithm, input } };
  },
  run(raw) {
    const { algorithm, input } = raw as { algorithm: string; input: string };
    return `${algorithm}("${input}") = ${createHash(algorithm).update(input, 'utf8').digest('hex')}`;
  },
};
