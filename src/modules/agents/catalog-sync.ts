import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Agent } from './agent.entity.js';
import { catalogAgents, newAgent } from './agent.store.js';
import type { AgentProfile } from './types.js';

export interface SyncReport {
  inserted: number;
  updated: number;
  keptOperatorEdits: number;
  retired: number;
}

/**
 * Brings the shipped catalog into the database without clobbering operator edits: a
 * catalog agent follows the catalog in every field an operator has not set
 * (`operatorEdits`), and keeps the operator's value in those. Entries dropped from the
 * catalog are retired (inactive), never deleted, so past bids keep their agent; an entry
 * that comes back is active again. An operator who set `active` decides that alone.
 */
export async function syncCatalog(em: EntityManager, catalog: AgentProfile[]): Promise<SyncReport> {
  const report: SyncReport = { inserted: 0, updated: 0, keptOperatorEdits: 0, retired: 0 };
  const existing = new Map((await catalogAgents(em)).map((a) => [a.slug, a]));
  for (const profile of catalog) {
    const hash = catalogHash(profile);
    const row = existing.get(profile.slug);
    existing.delete(profile.slug);
    if (!row) {
      newAgent(em, { ...columnsOf(profile), source: 'catalog', catalogHash: hash, active: true, editedAt: null, operatorEdits: null });
      report.inserted++;
      continue;
    }
    const edits = new Set(row.operatorEdits ?? []);
    let changed = false;
    let kept = false;
    if (row.catalogHash !== hash) {
      for (const [field, value] of Object.entries(columnsOf(profile)) as Array<[keyof ReturnType<typeof columnsOf>, unknown]>) {
        if (sameValue(row[field], value)) continue;
        if (edits.has(field)) kept = true;
        else {
          em.assign(row, { [field]: value });
          changed = true;
        }
      }
      row.catalogHash = hash;
    }
    if (!row.active && !edits.has('active')) {
      row.active = true; // back in the catalog
      changed = true;
    }
    if (changed) report.updated++;
    if (kept) report.keptOperatorEdits++;
  }
  for (const retired of existing.values()) {
    if (retired.active && !(retired.operatorEdits ?? []).includes('active')) {
      retired.active = false;
      report.retired++;
    }
  }
  await em.flush();
  return report;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function columnsOf(p: AgentProfile) {
  return {
    slug: p.slug,
    name: p.name,
    emoji: p.emoji,
    domain: p.domain,
    skills: p.skills,
    description: p.description,
    version: p.version,
    kind: p.kind,
    priceInputPerMTok: p.price.inputPerMTok,
    priceOutputPerMTok: p.price.outputPerMTok,
    tool: p.tool ?? null,
    systemPrompt: p.systemPrompt ?? null,
    model: p.model ?? null,
    endpoint: p.endpoint ?? null,
  };
}

export function profileOf(a: Agent): AgentProfile {
  return {
    slug: a.slug,
    name: a.name,
    emoji: a.emoji,
    domain: a.domain,
    skills: a.skills,
    description: a.description,
    version: a.version,
    kind: a.kind,
    price: { inputPerMTok: a.priceInputPerMTok, outputPerMTok: a.priceOutputPerMTok },
    tool: a.tool ?? undefined,
    systemPrompt: a.systemPrompt ?? undefined,
    model: a.model ?? undefined,
    endpoint: a.endpoint ?? undefined,
  };
}

function catalogHash(p: AgentProfile): string {
  return createHash('sha256')
    .update(JSON.stringify(columnsOf(p)))
    .digest('hex');
}
