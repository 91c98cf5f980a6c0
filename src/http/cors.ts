import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Cross-origin requests to the Graph surface, as Graph answers browser apps (single-page apps
 * calling it with a bearer token, e.g. through MSAL.js and the Graph JS SDK): a preflight
 * (`OPTIONS` with `Access-Control-Request-Method`) is answered 200 with the methods and the
 * headers asked for, and every response to a request with an `Origin` says
 * `Access-Control-Allow-Origin: *` and exposes the headers a client reads (Graph's list:
 * `ETag`, `Location`, `request-id`, `client-request-id`, `Retry-After`, ...). No credentials:
 * Graph takes bearer tokens, never cookies, so `*` lets no page act with a user's ambient rights.
 *
 * Only where a token is required and verified (`--auth strict`): with `claims` any page could
 * forge a token and with `off` it would need none, so there CORS is not offered and browsers
 * keep other origins' pages from reading the answers. The token endpoint, the admin API and the
 * console never take cross-origin calls (src/http/identity-routes.ts refuses them).
 */
export const EXPOSED_HEADERS =
  'ETag, Location, Preference-Applied, Content-Range, request-id, client-request-id, ReadWriteConsistencyToken, SdkVersion, WWW-Authenticate, x-ms-client-gcc-tenant, Retry-After';
export const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
/** How long a browser may reuse a preflight's answer. */
export const PREFLIGHT_MAX_AGE_SECONDS = 3600;

const GRAPH_PATH = /^\/(beta|v1\.0)(\/|\?|$)/;
/** A header-name list as browsers send it in `Access-Control-Request-Headers`. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

function isPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && typeof request.headers['access-control-request-method'] === 'string';
}

/** Registers the CORS answers of the Graph surface (call only when tokens are verified). */
export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (request.headers.origin === undefined || !GRAPH_PATH.test(request.url)) return done();
    reply.header('Access-Control-Allow-Origin', '*');
    reply.header('Vary', 'Origin');
    if (!isPreflight(request)) {
      reply.header('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      return done();
    }
    const asked = request.headers['access-control-request-headers'];
    reply.header('Access-Control-Allow-Methods', ALLOWED_METHODS);
    if (typeof asked === 'string' && HEADER_LIST.test(asked.trim()))
      reply.header('Access-Control-Allow-Headers', asked.trim());
    reply.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    // Answered here: a preflight carries no token and runs no route.
    void reply.code(200).header('Content-Length', '0').send();
  });
}
