import type { FastifyInstance } from 'fastify';
import { errors } from '../graph/errors.js';

/**
 * Request bodies: JSON only, read by localgraph itself so that every refusal is a Graph error.
 * A body of any other media type is kept raw and refused by the route (415), never parsed.
 */
export function registerBodyParsing(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/json(\s*;.*)?$/i, { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(errors.invalidJson(), undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    const length = (body as Buffer).length;
    if (length === 0) return done(null, undefined);
    const contentType = request.headers['content-type'];
    // Graph answers a body without Content-Type as unreadable JSON, and a body of another type as unsupported.
    done(contentType === undefined || contentType === '' ? errors.invalidJson() : errors.unsupportedMediaType(contentType), undefined);
  });
}
