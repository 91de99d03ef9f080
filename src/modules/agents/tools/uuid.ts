import { randomUUID } from 'node:crypto';
import type { ToolCapability } from './types.js';

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
};
