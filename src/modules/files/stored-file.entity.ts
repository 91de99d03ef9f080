import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Intent } from '../intents/intent.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';

export const FILE_KINDS = ['output', 'input'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** A file saved for an intent: its metadata here, its bytes in the BlobStore under `storageKey`. */
export const StoredFile = defineEntity({
  name: 'StoredFile',
  tableName: 'files',
  properties: {
    /** `f_` and 16 random characters, as OctoMind shows (`f_a1b2c3d4`). */
    id: p.string().length(40).primary(),
    tenant: () => p.manyToOne(Tenant).deleteRule('cascade').index(),
    intent: () => p.manyToOne(Intent).deleteRule('cascade').index(),
    kind: p.enum(() => [...FILE_KINDS]).$type<FileKind>(),
    filename: p.string().length(255),
    mimeType: p.string().length(255),
    bytes: p.integer(),
    sha256: p.string().length(64),
    storageKey: p.string().length(255),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type StoredFile = InferEntity<typeof StoredFile>;
