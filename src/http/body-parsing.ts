import type { FastifyInstance } from 'fastify';
import { createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { errors } from '../graph/errors.js';

/** How deep JSON may nest in a request body: far beyond any Graph payload, far below a stack overflow. */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than `limit` (walked with an explicit stack). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Request bodies: JSON only, read by localgraph itself so that every refusal is a Graph error.
 * A body of any other media type is kept raw and refused by the route (415), never parsed.
 */
export function registerBodyParsing(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (!encoding || encoding === 'identity') return payload;
    // The Graph SDKs for Go and Java (Kiota's compression handler) gzip every request body, and fall
    // back to plain bodies only on a 415: Graph reads them, so localgraph does too.
    if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') throw errors.unsupportedContentEncoding(encoding);
    const decoded: Transform & { receivedEncodedLength?: number } = encoding === 'deflate' ? createInflate() : createGunzip();
    // Content-Length counts the compressed bytes; the body limit applies to the decompressed ones.
    decoded.receivedEncodedLength = 0;
    payload.on('data', (chunk: Buffer) => {
      decoded.receivedEncodedLength! += chunk.length;
    });
    payload.on('error', (error) => decoded.destroy(error));
    decoded.on('error', () => payload.destroy());
    return payload.pipe(decoded);
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/json(\s*;.*)?$/i, { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(errors.invalidJson(), undefined);
    }
    if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) return done(errors.bodyTooDeep(MAX_JSON_DEPTH), undefined);
    done(null, parsed);
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    const length = (body as Buffer).length;
    if (length === 0) return done(null, undefined);
    const contentType = request.headers['content-type'];
    // Graph answers a body without Content-Type as unreadable JSON, and a body of another type as unsupported.
    done(contentType === undefined || contentType === '' ? errors.invalidJson() : errors.unsupportedMediaType(contentType), undefined);
  });
}
