import { builder } from '../../graphql/builder.js';
import { IntentRef } from '../intents/intents.schema.js';
import type { FileUsage } from './file.service.js';
import { FILE_KINDS, type FileKind } from './stored-file.entity.js';

const FileKindEnum = builder.enumType('FileKind', { values: FILE_KINDS });

interface SavedFileShape {
  fileId: string;
  url: string;
  expiresAt: Date;
  bytes: number;
  filename: string;
  mimeType: string;
  kind: FileKind;
}

const SavedFileRef = builder.objectRef<SavedFileShape>('SavedFile').implement({
  description: 'A file kept for an intent, with a signed URL that serves it without a key for 30 days',
  fields: (t) => ({
    fileId: t.exposeString('fileId'),
    url: t.exposeString('url'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When this URL stops working (ask again for a fresh one)' }),
    bytes: t.exposeInt('bytes'),
    filename: t.exposeString('filename', { description: 'As stored: sanitised' }),
    mimeType: t.exposeString('mimeType', { description: 'As given, or detected from the content' }),
    kind: t.field({ type: FileKindEnum, resolve: (f) => f.kind }),
  }),
});

const KindUsageRef = builder.objectRef<{ bytes: number; count: number }>('FileKindUsage').implement({
  fields: (t) => ({ bytes: t.exposeFloat('bytes'), count: t.exposeInt('count') }),
});

const FileUsageRef = builder.objectRef<FileUsage>('FileUsage').implement({
  fields: (t) => ({
    totalBytes: t.exposeFloat('totalBytes'),
    totalFiles: t.exposeInt('totalFiles'),
    output: t.field({ type: KindUsageRef, resolve: (u) => u.breakdown.output }),
    input: t.field({ type: KindUsageRef, resolve: (u) => u.breakdown.input }),
    quotaBytes: t.exposeFloat('quotaBytes'),
    quotaUsedPct: t.float({
      description: 'Percent of the quota in use',
      resolve: (u) => (u.quotaBytes > 0 ? Math.round((u.totalBytes / u.quotaBytes) * 10_000) / 100 : 0),
    }),
  }),
});

const SaveFileInput = builder.inputType('SaveFileInput', {
  fields: (t) => ({
    intentId: t.id({ required: true }),
    filename: t.string({ required: true }),
    content: t.string({ required: true, description: 'Base64 (standard alphabet, padded); at most 10 MB decoded' }),
    mimeType: t.string({ description: 'Detected from the content when omitted' }),
    kind: t.field({ type: FileKindEnum, description: 'output (default) or input' }),
  }),
});

builder.mutationField('saveFile', (t) =>
  t.field({
    type: SavedFileRef,
    authScopes: { scope: 'intent_submit' },
    args: { input: t.arg({ type: SaveFileInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.modules.files.save(ctx.auth!, input, ctx.origin),
  }),
);

builder.queryField('fileUsage', (t) =>
  t.field({ type: FileUsageRef, authScopes: { scope: 'intent_read' }, resolve: (_root, _args, ctx) => ctx.modules.files.usage(ctx.auth!) }),
);

builder.objectField(IntentRef, 'files', (t) =>
  t.field({
    type: [SavedFileRef],
    description: 'Files saved for this intent, each with a fresh signed URL',
    resolve: async (intent, _args, ctx) =>
      (await ctx.modules.files.listForIntent(intent.id)).map((f) => ({
        fileId: f.id,
        ...ctx.modules.files.signedUrl(f, ctx.origin),
        bytes: f.bytes,
        filename: f.filename,
        mimeType: f.mimeType,
        kind: f.kind,
      })),
  }),
);
