import type { Plugin } from 'graphql-yoga';
import type { FileService } from '../../modules/files/index.js';
import { errorResponse, type Dialect } from '../../dialects/index.js';
import type { RequestIdContext } from './request-id.js';

/** Types a browser may show inline; anything else (HTML, SVG, scripts…) is served as a download. */
const INLINE = /^(image\/(png|jpeg|gif|webp|avif)|application\/pdf|text\/plain|text\/csv|application\/json)$/;

/** `/files/:id/:name`: the path of a signed download link. */
export const FILE_DOWNLOAD_PATH = /^\/files\/([^/]+)\/[^/]+$/;

/**
 * Serves `GET /files/:id/:name?expires&sig`: no API key, the signature is the permission.
 * Uploaded content never runs on the gateway's origin: a sandboxing CSP, no sniffing, and
 * active types as attachments. Errors are in the body of the dialect that hands out the links.
 */
export function useFileDownloads(files: () => FileService, dialect: Dialect): Plugin<Record<string, never>, RequestIdContext> {
  return {
    async onRequest({ request, url, serverContext, endResponse }) {
      const match = FILE_DOWNLOAD_PATH.exec(url.pathname);
      if (!match) return;
      const requestId = serverContext.requestId ?? 'unknown';
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(
          errorResponse(dialect, { status: 405, code: 'METHOD_NOT_ALLOWED', message: 'Use GET for file downloads' }, requestId, { Allow: 'GET, HEAD' }),
        );
        return;
      }
      const opened = await files().open(decodeURIComponent(match[1]!), url.searchParams.get('expires'), url.searchParams.get('sig'));
      if (opened === 'forbidden') {
        endResponse(errorResponse(dialect, { status: 403, code: 'FORBIDDEN', message: 'The link is invalid or has expired' }, requestId));
        return;
      }
      if (opened === 'missing') {
        endResponse(errorResponse(dialect, { status: 404, code: 'NOT_FOUND', message: 'File not found' }, requestId));
        return;
      }
      const { file, data } = opened;
      const disposition = INLINE.test(file.mimeType) ? 'inline' : 'attachment';
      endResponse(
        new Response(request.method === 'HEAD' ? null : new Uint8Array(data), {
          status: 200,
          headers: {
            'content-type': file.mimeType,
            'content-length': String(data.length),
            'content-disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
            'content-security-policy': "default-src 'none'; sandbox",
            'x-content-type-options': 'nosniff',
            'cache-control': 'private, max-age=3600',
            etag: `"${file.sha256}"`,
          },
        }),
      );
    },
  };
}
