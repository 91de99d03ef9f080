import { z } from 'zod/v4';
import { RestFileUsageDocument, RestSaveFileDocument, type FileKind } from '../../../generated/graphql.js';
import { defineRoute, graphqlEnum } from '../../kit/index.js';

const intentRef = z.union([z.number(), z.string()], { error: 'intent_id is required' });
const mime = z.string({ error: 'mime_type must be a string' }).nullish();

const SaveFileBody = z
  .object(
    {
      intent_id: intentRef.optional(),
      intentId: intentRef.optional(),
      content: z.string({ error: 'content (base64) is required' }).describe('The file, base64-encoded (at most 10 MB decoded)'),
      filename: z.string({ error: 'filename is required' }),
      kind: graphqlEnum<FileKind>()(['output', 'input'], { error: 'kind must be output or input' }).default('output').describe('output (default) or input'),
      mime_type: mime,
      mimeType: mime,
    },
    { error: 'Request body must be a JSON object' },
  )
  .refine((b) => (b.intent_id ?? b.intentId) !== undefined, { error: 'intent_id is required', path: ['intent_id'] });

const bucket = z.object({ bytes: z.number().int(), count: z.number().int() });

/** OctoMind's files: an intent's output or input stored, served by signed URL, counted against a quota. */
export const fileRoutes = [
  defineRoute({
    method: 'POST',
    path: '/files',
    summary: 'Stores a file for one of your intents; answers a signed download URL',
    document: RestSaveFileDocument,
    body: SaveFileBody,
    variables: ({ body: b }) => ({
      input: {
        intentId: String(b.intent_id ?? b.intentId),
        filename: b.filename,
        content: b.content,
        mimeType: b.mime_type ?? b.mimeType ?? null,
        kind: b.kind,
      },
    }),
    result: ({ saveFile: f }) => ({
      status: 201,
      body: { file_id: f.fileId, url: f.url, expires_at: f.expiresAt, bytes: f.bytes, filename: f.filename, mime_type: f.mimeType },
    }),
    responses: {
      201: {
        description: 'Stored',
        schema: z.object({
          file_id: z.string(),
          url: z.string(),
          expires_at: z.string(),
          bytes: z.number().int(),
          filename: z.string(),
          mime_type: z.string(),
        }),
      },
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/files/usage',
    summary: "The tenant's stored bytes and files against its quota",
    document: RestFileUsageDocument,
    result: ({ fileUsage: u }) => ({
      body: {
        total_bytes: u.totalBytes,
        total_files: u.totalFiles,
        breakdown: { output: u.output, input: u.input },
        quota_bytes: u.quotaBytes,
        quota_used_pct: u.quotaUsedPct,
      },
    }),
    responses: {
      200: {
        description: 'File usage',
        schema: z.object({
          total_bytes: z.number().int(),
          total_files: z.number().int(),
          breakdown: z.object({ output: bucket, input: bucket }),
          quota_bytes: z.number().int(),
          quota_used_pct: z.number(),
        }),
      },
    },
  }),
];
