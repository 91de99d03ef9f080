import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Agent } from './agent.entity.js';
import type { AgentProfile } from './types.js';

export interface SyncReport {
  inserted: number;
  updated: number;
  keptOperatorEdits: number;
  retired: number;
}

/**
 * Brings the shipped catalog into the database without clobbering operator edits:
 * a row still equal to the catalog entry it was written from follows the catalog;
 * a row changed since (editedAt set) is left alone. Entries dropped from the catalog
 * are retired (inactive), never deleted, so past bids keep their agent.
 */
export async function syncCatalog(em: EntityManager, catalog: AgentProfile[]): Promise<SyncReport> {
  const report: SyncReport = { inserted: 0, updated: 0, keptOperatorEdits: 0, retired: 0 };
  const existing = new Map((await em.find(Agent, { source: 'catalog' })).map((a) => [a.slug, a]));
  for (const profile of catalog) {
    const hash = catalogHash(profile);
    const row = existing.get(profile.slug);
    existing.delete(profile.slug);
    if (!row) {
      em.create(Agent, { ...columnsOf(profile), source: 'catalog', catalogHash: hash, active: true, editedAt: null });
      report.inserted++;
    } else if (row.editedAt) {
      report.keptOperatorEdits++;
    } else if (row.catalogHash !== hash) {
      em.assign(row, { ...columnsOf(profile), catalogHash: hash, active: true });
      report.updated++;
    }
  }
  for (const retired of existing.values()) {
    if (retired.active && !retired.editedAt) {
      retired.active = false;
      report.retired++;
    }
  }
  await em.flush();
  return report;
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
  return createHash('sha256').update(JSON.stringify(columnsOf(p))).digest('hex');
}
