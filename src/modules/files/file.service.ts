import { createHash } from 'node:crypto';
import { inTransaction } from '../../db/transaction.js';
import { fileTypeFromBuffer } from 'file-type';
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { AppError, notFound } from '../../errors/app-error.js';
import { randomBase62 } from '../../lib/random.js';
import type { AuthInfo } from '../keys/index.js';
import { decodeBase64Strictly, sanitizeFilename, validMimeType } from './file-input.js';
import { fileUrl, verifyFileSignature } from './file-signing.js';
import { storageKeyFor, type BlobStore } from './blob-store.js';
import { FILE_KINDS, type FileKind, type StoredFile } from './stored-file.entity.js';
import * as store from './file.store.js';
import { isTenantsIntent } from '../intents/index.js';

export interface SaveFileInput {
  intentId: string | number;
  filename: unknown;
  content: unknown;
  mimeType?: unknown;
  kind?: FileKind | null;
}

export interface FileUsage {
  totalBytes: number;
  totalFiles: number;
  breakdown: Record<FileKind, { bytes: number; count: number }>;
  quotaBytes: number;
}

const SECRET_SETTING = 'file_signing_secret';

/** Output files of intents: bytes in a BlobStore, metadata in PostgreSQL, served by signed URL. */
export class FileService {
  private secret = '';

  constructor(
    private readonly orm: MikroORM,
    private readonly pool: pg.Pool,
    private readonly blobs: BlobStore,
    private readonly settings: { quotaBytes: number; signingSecret?: string },
  ) {}

  /** The configured secret, or one generated once and kept in the database for every instance. */
  async start(): Promise<void> {
    if (this.settings.signingSecret) {
      this.secret = this.settings.signingSecret;
      return;
    }
    this.secret = await store.sharedSecret(this.pool, SECRET_SETTING);
  }

  async save(auth: AuthInfo, input: SaveFileInput, origin: string) {
    const filename = sanitizeFilename(input.filename);
    const declared = validMimeType(input.mimeType);
    const data = decodeBase64Strictly(input.content);
    const kind = input.kind ?? 'output';
    if (!FILE_KINDS.includes(kind)) throw new AppError('INVALID_REQUEST', `kind must be one of ${FILE_KINDS.join(', ')}`, { field: 'kind' });
    const intentId = /^\d{1,15}$/.test(String(input.intentId)) ? Number(input.intentId) : NaN;
    const owned = Number.isSafeInteger(intentId) && (await isTenantsIntent(this.pool, intentId, auth.tenantId));
    if (!owned) throw notFound('Intent');
    const mimeType = declared ?? (await detectMime(data, filename));
    const id = `f_${randomBase62(16)}`;
    const storageKey = storageKeyFor(auth.tenantId, id);
    await this.blobs.put(storageKey, data);
    await inTransaction(this.pool, async (client) => {
      await store.lockTenantFiles(client, auth.tenantId);
      if ((await store.bytesUsed(client, auth.tenantId)) + data.length > this.settings.quotaBytes) {
        throw new AppError('STORAGE_QUOTA_EXCEEDED', `Storage quota of ${this.settings.quotaBytes} bytes would be exceeded`);
      }
      await store.insertFile(client, {
        id,
        tenantId: auth.tenantId,
        intentId,
        kind,
        filename,
        mimeType,
        bytes: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
        storageKey,
      });
    }).catch(async (error: unknown) => {
      // Not recorded, so not kept.
      await this.blobs.delete(storageKey).catch(() => {});
      throw error;
    });
    const { url, expiresAt } = fileUrl(origin, this.secret, { id, filename });
    return { fileId: id, url, expiresAt, bytes: data.length, filename, mimeType, kind };
  }

  /** A fresh signed URL for a stored file. */
  signedUrl(file: { id: string; filename: string }, origin: string) {
    return fileUrl(origin, this.secret, file);
  }

  listForIntent(intentId: number): Promise<StoredFile[]> {
    return store.filesOf(this.orm.em.fork(), intentId);
  }

  async usage(auth: AuthInfo): Promise<FileUsage> {
    const rows = await store.usageByKind(this.pool, auth.tenantId);
    const breakdown = { output: { bytes: 0, count: 0 }, input: { bytes: 0, count: 0 } };
    for (const r of rows) breakdown[r.kind] = { bytes: Number(r.bytes), count: r.count };
    return {
      totalBytes: breakdown.output.bytes + breakdown.input.bytes,
      totalFiles: breakdown.output.count + breakdown.input.count,
      breakdown,
      quotaBytes: this.settings.quotaBytes,
    };
  }

  /** The bytes behind a signed URL, or why not: `forbidden` for a bad or expired signature. */
  async open(fileId: string, expires: string | null, sig: string | null): Promise<{ file: StoredFile; data: Buffer } | 'forbidden' | 'missing'> {
    if (!/^f_[A-Za-z0-9]{1,38}$/.test(fileId) || !verifyFileSignature(this.secret, fileId, expires, sig)) return 'forbidden';
    const file = await store.fileById(this.orm.em.fork(), fileId);
    const data = file ? await this.blobs.get(file.storageKey) : null;
    return file && data ? { file, data } : 'missing';
  }
}

/** From the bytes' magic numbers, then the name's extension for text formats, then octet-stream. */
async function detectMime(data: Buffer, filename: string): Promise<string> {
  const sniffed = await fileTypeFromBuffer(data);
  if (sniffed) return sniffed.mime;
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  return TEXT_TYPES[ext] ?? 'application/octet-stream';
}

/** Text formats carry no magic number, so their extension is all there is to go on. */
const TEXT_TYPES: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  htm: 'text/html',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  py: 'text/x-python',
  js: 'text/javascript',
  ts: 'text/plain',
  sql: 'application/sql',
  svg: 'image/svg+xml',
};
