import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { toolCapabilities } from '../tools/index.js';
import type { AgentProfile } from '../types.js';

const price = z.object({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) });
const entry = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,79}$/),
    name: z.string().min(1).max(120),
    emoji: z.string().min(1).max(16),
    domain: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/),
    skills: z.array(z.string().min(1)).min(1).max(20),
    description: z.string().min(10),
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    kind: z.enum(['tool', 'llm', 'http']),
    price,
    tool: z.string().optional(),
    systemPrompt: z.string().min(10).optional(),
    model: z.string().optional(),
    endpoint: z.string().url().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.kind === 'tool' && !(a.tool && toolCapabilities.has(a.tool)))
      ctx.addIssue({ code: 'custom', path: ['tool'], message: `unknown tool capability ${a.tool}` });
    if (a.kind === 'llm' && !a.systemPrompt) ctx.addIssue({ code: 'custom', path: ['systemPrompt'], message: 'llm agents need a system prompt' });
    if (a.kind === 'http' && !a.endpoint) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'http agents need an endpoint' });
  });

const CATALOG_FILE = new URL('./agents.json', import.meta.url);

/** The roster shipped with Gavel, validated entry by entry (a bad entry names its slug and field). */
export function loadCatalog(file: URL = CATALOG_FILE): AgentProfile[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
  const seen = new Set<string>();
  return raw.map((item, i) => {
    const parsed = entry.safeParse(item);
    const slug = (item as { slug?: string })?.slug ?? `#${i}`;
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`agent catalog: ${slug}: ${issue.path.join('.')}: ${issue.message}`);
    }
    if (seen.has(parsed.data.slug)) throw new Error(`agent catalog: duplicate slug ${parsed.data.slug}`);
    seen.add(parsed.data.slug);
    return parsed.data;
  });
}
