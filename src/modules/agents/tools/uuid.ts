import { randomUUID } from 'node:crypto';
import type { ToolCapability } from './types.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const uuid: ToolCapability = {
  id: 'uuid',
  description: 'UUIDs: generates random (version 4) UUIDs',
  match(text) {
    const m = /\b(?:generate|create|make|give me|new)\b[^.]*?\b(\d{1,3}\s+)?(?:random\s+)?(?:v4\s+)?uuids?\b/i.exec(text);
    if (!m) return null;
    const count = Math.min(100, Number(m[1] ?? 1) || 1);
    return { confidence: 0.95, reasoning: `Generate ${count} UUID v4`, plan: count };
  },
  run(raw) {
    return Array.from({ length: Number(raw) }, () => randomUUID()).join('\n');
  },
  check(raw, output) {
    const lines = output.split('\n');
    if (lines.length !== Number(raw)) return `expected ${Number(raw)} UUIDs, got ${lines.length}`;
    const bad = lines.find((line) => !UUID_V4.test(line));
    if (bad !== undefined) return `${JSON.stringify(bad.slice(0, 40))} is not a version 4 UUID`;
    return new Set(lines).size === lines.length ? null : 'the UUIDs repeat';
  },
};
