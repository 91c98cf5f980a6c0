import type { FastifyInstance } from 'fastify';
import { createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { errors } from '../graph/errors.js';

/** How deep JSON may nest in a request body: far beyond any Graph payload, far below a stack overflow. */
export const MAX_JSON_DEPTH = 64;

/**
 * What is wrong with a parsed JSON value, if anything: nesting deeper than `limit`, or a number
 * JSON.parse could only read as ±Infinity (`1e400`), which would be stored as `null`. Walked with
 * an explicit stack.
 */
export function jsonProblem(value: unknown, limit: number): { kind: 'tooDeep' } | { kind: 'nonFinite' } | undefined {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current === 'number' && !Number.isFinite(current)) return { kind: 'nonFinite' };
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return { kind: 'tooDeep' };
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return undefined;
}

/** Whether a parsed JSON value nests deeper than `limit`. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  return jsonProblem(value, limit)?.kind === 'tooDeep';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The `charset` parameter of a Content-Type, lower-cased; undefined when there is none. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1].toLowerCase();
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
    if (encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate')
      throw errors.unsupportedContentEncoding(encoding);
    const decoded: Transform & { receivedEncodedLength?: number } =
      encoding === 'deflate' ? createInflate() : createGunzip();
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
  // JSON is UTF-8 (RFC 8259): a body declared in another charset, or whose bytes are not UTF-8
  // (Latin-1 text, say), is refused rather than read with replacement characters.
  app.addContentTypeParser(/^application\/json(\s*;.*)?$/i, { parseAs: 'buffer' }, (request, body, done) => {
    const contentType = request.headers['content-type'];
    const charset = charsetOf(contentType);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
      return done(errors.unsupportedMediaType(String(contentType)), undefined);
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      return done(errors.bodyNotUtf8(), undefined);
    }
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(errors.invalidJson(), undefined);
    }
    const problem = jsonProblem(parsed, MAX_JSON_DEPTH);
    if (problem?.kind === 'tooDeep') return done(errors.bodyTooDeep(MAX_JSON_DEPTH), undefined);
    if (problem?.kind === 'nonFinite') return done(errors.numberOutOfRange(), undefined);
    done(null, parsed);
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    const length = (body as Buffer).length;
    if (length === 0) return done(null, undefined);
    const contentType = request.headers['content-type'];
    // Graph answers a body without Content-Type as unreadable JSON, and a body of another type as unsupported.
    done(
      contentType === undefined || contentType === '' ? errors.invalidJson() : errors.unsupportedMediaType(contentType),
      undefined,
    );
  });
}
