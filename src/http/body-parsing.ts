import type { FastifyInstance } from 'fastify';
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
