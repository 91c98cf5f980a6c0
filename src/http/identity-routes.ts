import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  jsonWebKeySet,
  openIdConfiguration,
  resolveTenantSegment,
  type MetadataVersion,
} from '../auth/oidc-metadata.js';
import type { TokenService } from '../auth/token-service.js';
import { OAuthError, oauthErrors, renderOAuthError } from '../graph/errors.js';
import type { Store } from '../store/store.js';
import { hostName } from './intercepted-hosts.js';
import { identityUrls } from './identity-urls.js';

/**
 * Entra ID's endpoints on localgraph's own origin, per tenant (a tenant id, `common` or
 * `organizations`), so the Microsoft identity libraries get tokens from localgraph when their
 * authority host points at it:
 *
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration   and  /{tenant}/.well-known/openid-configuration (v1)
 *   GET  /{tenant}/discovery/v2.0/keys                     and  /{tenant}/discovery/keys (v1)
 *   POST /{tenant}/oauth2/v2.0/token                       and  /{tenant}/oauth2/token (v1, takes `resource`)
 *   GET  /common/userrealm/{upn}                           the home realm MSAL asks before a password grant
 *   GET  /common/discovery/instance                        (MSAL's instance discovery)
 *
 * The URLs they show follow the host the request arrived for (src/http/identity-urls.ts):
 * login.microsoftonline.com through the proxy, localgraph's origin on the direct port.
 * Errors here are Entra's OAuth JSON, not Graph's envelope. The routes live in their own
 * plugin scope so that their form-body parser and error handler leave the Graph route alone.
 */
export interface IdentityRouteParts {
  store: Store;
  tokens: TokenService;
  now: () => Date;
}

/** Token requests are small forms; anything bigger is not one. */
const TOKEN_BODY_LIMIT = 64 * 1024;

/** Adds the identity endpoints to `app`, in a plugin scope of their own. */
export function registerIdentityRoutes(app: FastifyInstance, parts: IdentityRouteParts): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      /^application\/x-www-form-urlencoded(\s*;.*)?$/i,
      { parseAs: 'string', bodyLimit: TOKEN_BODY_LIMIT },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    // Marks these routes as Entra's, for the host check (the only ones a login host serves).
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), identity: true };
    });
    scope.addHook('onRequest', async (request, reply) => {
      reply.header('x-ms-request-id', request.id);
    });
    scope.setErrorHandler((error, request, reply) =>
      sendOAuthError(request, reply, toOAuthError(error, request), parts.now()),
    );

    const metadata =
      (version: MetadataVersion) =>
      async (request: FastifyRequest<{ Params: { tenant: string } }>, reply: FastifyReply) => {
        const tenant = await resolveTenantSegment(parts.store, request.params.tenant);
        return sendJson(reply, openIdConfiguration(identityUrls(request), tenant, version));
      };
    const keys = async (request: FastifyRequest<{ Params: { tenant: string } }>, reply: FastifyReply) => {
      await resolveTenantSegment(parts.store, request.params.tenant);
      return sendJson(reply, await jsonWebKeySet(parts.store));
    };
    const token =
      (endpoint: 'v1' | 'v2') =>
      async (request: FastifyRequest<{ Params: { tenant: string } }>, reply: FastifyReply) => {
        if (crossSite(request)) throw oauthErrors.crossSiteRequest();
        const body = await parts.tokens.grant({
          tenant: request.params.tenant,
          params: formParams(request),
          origin: identityUrls(request).issuerOrigin,
          endpoint,
          source: request.ip,
        });
        // Tokens must not be cached by anything between the client and localgraph (RFC 6749 §5.1).
        reply.header('Cache-Control', 'no-store, no-cache').header('Pragma', 'no-cache');
        return sendJson(reply, body);
      };
    const instanceDiscovery = async (
      request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
      reply: FastifyReply,
    ) => sendJson(reply, discoverInstance(identityUrls(request), request.query.authorization_endpoint));
    const notPost = async (request: FastifyRequest) => {
      throw oauthErrors.methodNotAllowed(request.method);
    };
    const interactive = async () => {
      throw oauthErrors.unsupportedGrantType('interactive sign-in');
    };

    // MSAL for Python, Go and Java ask it before a password grant, and take the WS-Trust path only
    // for "Federated": every localgraph user is a cloud (managed) account. Answered for any name,
    // as Entra answers per domain, so it tells nothing about which users exist.
    const userRealm = async (request: FastifyRequest<{ Params: { username: string } }>, reply: FastifyReply) => {
      const domain = request.params.username.includes('@')
        ? request.params.username.slice(request.params.username.lastIndexOf('@') + 1).toLowerCase()
        : '';
      return sendJson(reply, {
        ver: '1.0',
        account_type: 'Managed',
        domain_name: domain,
        cloud_instance_name: 'microsoftonline.com',
        cloud_audience_urn: 'urn:federation:MicrosoftOnline',
      });
    };
    // Route paths are case-sensitive: MSAL for Python and Java write `userrealm`, MSAL for Go `UserRealm`.
    scope.get('/common/userrealm/:username', userRealm);
    scope.get('/common/UserRealm/:username', userRealm);

    scope.get('/common/discovery/instance', instanceDiscovery);
    scope.get('/:tenant/v2.0/.well-known/openid-configuration', metadata('v2'));
    scope.get('/:tenant/.well-known/openid-configuration', metadata('v1'));
    scope.get('/:tenant/discovery/v2.0/keys', keys);
    scope.get('/:tenant/discovery/keys', keys);
    for (const [path, endpoint] of [
      ['/:tenant/oauth2/v2.0/token', 'v2'],
      ['/:tenant/oauth2/token', 'v1'],
    ] as const) {
      scope.post(path, { bodyLimit: TOKEN_BODY_LIMIT }, token(endpoint));
      scope.route({ method: ['GET', 'PUT', 'PATCH', 'DELETE'], url: path, handler: notPost });
    }
    for (const flow of ['authorize', 'devicecode', 'logout']) {
      scope.route({ method: ['GET', 'POST'], url: `/:tenant/oauth2/v2.0/${flow}`, handler: interactive });
      scope.route({ method: ['GET', 'POST'], url: `/:tenant/oauth2/${flow}`, handler: interactive });
    }
  });
}

function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * MSAL's instance discovery (`/common/discovery/instance?api-version=1.1&authorization_endpoint=…`):
 * the tenant's discovery document and the aliases of its cloud, as Entra answers for the public
 * cloud. An authorization endpoint on a host localgraph does not answer for is Entra's
 * `invalid_instance`.
 */
function discoverInstance(
  urls: ReturnType<typeof identityUrls>,
  authorizationEndpoint: string | undefined,
): Record<string, unknown> {
  let endpoint: URL;
  try {
    endpoint = new URL(authorizationEndpoint ?? '');
  } catch {
    throw oauthErrors.invalidInstance();
  }
  const host = hostName(endpoint.host);
  if (!urls.aliases.map(hostName).includes(host)) throw oauthErrors.invalidInstance();
  const tenant = /^\/([^/]+)\//.exec(endpoint.pathname)?.[1] ?? 'common';
  const v2 = /\/oauth2\/v2\.0\//.test(endpoint.pathname);
  return {
    tenant_discovery_endpoint: `${endpoint.origin}/${tenant}${v2 ? '/v2.0' : ''}/.well-known/openid-configuration`,
    'api-version': '1.1',
    // Entra's public cloud: requests go to login.microsoftonline.com, caches are keyed by login.windows.net.
    metadata: [
      {
        preferred_network: urls.aliases[0],
        preferred_cache: urls.aliases[1] ?? urls.aliases[0],
        aliases: urls.aliases,
      },
    ],
  };
}

/**
 * Whether a browser sent this request from another site (a page's form post or fetch): such a
 * page must not make guesses in the user's name, or lock an account out. Browsers say where a
 * request comes from (`Sec-Fetch-Site`, `Origin`); the identity libraries, which run outside a
 * browser, send neither, and the console, on this origin, sends its own.
 */
function crossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const from = request.headers.origin;
  return from !== undefined && from !== origin(request);
}

/**
 * The form's parameters, plus the client's id and secret from `Authorization: Basic`
 * (client_secret_basic) when the form has none. A body of another type has no parameters, so
 * the answer is Entra's "must contain the following parameter: 'grant_type'".
 */
function formParams(request: FastifyRequest): Record<string, string | undefined> {
  const contentType = request.headers['content-type'] ?? '';
  const params: Record<string, string | undefined> = /^application\/x-www-form-urlencoded/i.test(contentType)
    ? { ...(request.body as Record<string, string>) }
    : {};
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic && params.client_id === undefined && params.client_secret === undefined) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      // RFC 6749 §2.3.1: both are form-urlencoded; a malformed escape is a bad credential.
      try {
        params.client_id = decodeURIComponent(decoded.slice(0, colon));
        params.client_secret = decodeURIComponent(decoded.slice(colon + 1));
      } catch {
        throw oauthErrors.malformedBasicCredentials();
      }
    }
  }
  return params;
}

function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}

function toOAuthError(error: unknown, request: FastifyRequest): OAuthError {
  if (error instanceof OAuthError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return oauthErrors.invalidRequest('The request body is too large.');
  // A body localgraph could not read as a form (JSON, another type): Entra sees no parameters.
  if (
    (error as { status?: number }).status === 400 ||
    (error as { status?: number }).status === 415 ||
    code?.startsWith('FST_ERR_CTP')
  ) {
    return oauthErrors.missingParameter('grant_type');
  }
  request.log.error({ err: error }, 'unexpected error at the token endpoint');
  return oauthErrors.serverError();
}

function sendOAuthError(request: FastifyRequest, reply: FastifyReply, error: OAuthError, date: Date): FastifyReply {
  // Entra's trace id is its own request id; the correlation id is the client's `client-request-id`.
  if (error.headers) reply.headers(error.headers);
  return reply
    .status(error.status)
    .type('application/json; charset=utf-8')
    .send(
      JSON.stringify(renderOAuthError(error, { traceId: request.id, correlationId: correlationId(request), date })),
    );
}

/**
 * The client's correlation id: MSAL sends it as `client-request-id` in the query string (and
 * the body) rather than as a header; without one, Entra uses its trace id.
 */
function correlationId(request: FastifyRequest): string {
  const header = request.headers['client-request-id'];
  const query = (request.query as Record<string, unknown> | undefined)?.['client-request-id'];
  const body = (request.body as Record<string, unknown> | undefined)?.['client-request-id'];
  for (const value of [header, query, body]) {
    if (typeof value === 'string' && /^[\w-]{1,100}$/.test(value)) return value;
  }
  return request.id;
}
