import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PermissionPolicy } from '../auth/permissions.js';
import type { Authenticator } from '../auth/authenticator.js';
import { errors } from '../graph/errors.js';
import { readPreferences } from '../graph/prefer.js';
import type { Model } from '../model/model.js';
import { resolvePath } from '../odata/path.js';
import { renderOpenApi, requestedFormat } from '../openapi/render.js';
import { batchBudget, batchOrigin, handleBatch } from './batch-route.js';
import { ExpandBudget } from '../resources/expand-budget.js';
import { ODATA_JSON } from './odata-json.js';
import type { Engine } from '../resources/engine.js';
import type { ResourceRegistry } from '../resources/registry.js';

export interface GraphRouteParts {
  model: Model;
  registry: ResourceRegistry;
  engine: Engine;
  /** Establishes the caller (`--auth strict|claims|off`). */
  authenticator: Authenticator;
  permissions: PermissionPolicy;
  /** `$metadata`, rendered once from the model. */
  metadataXml: string;
}

/** The OData service document: the entity sets a client can start from. */
function serviceDocument(model: Model, root: string): object {
  return {
    '@odata.context': `${root}/$metadata`,
    value: [...model.entitySets.values()].map((set) => ({ name: set.name, kind: 'EntitySet', url: set.name })),
  };
}

const SERVED_VERSION = 'beta';
const KNOWN_VERSIONS = new Set(['beta', 'v1.0']);
const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;

/**
 * The one route for the Graph surface: every `/{version}/...` request takes the same way through
 * token verification, path resolution against the model, the permission check and the engine.
 */
export function registerGraphRoute(app: FastifyInstance, parts: GraphRouteParts): void {
  app.route({
    method: [...METHODS],
    url: '/*',
    handler: (request, reply) => handle(parts, request, reply),
  });
}

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The absolute URL of a request, on localgraph's own scheme and host (what nextLinks and context
 * URLs are built on). The path is appended, never resolved, so `//other.host/...` cannot change
 * the origin; a batch item carries its batch's origin.
 */
function requestUrl(request: FastifyRequest): URL {
  // HTTP/1.0 may omit Host: then the address the request reached stands in for it.
  const socket = request.raw.socket;
  const local = socket?.localAddress?.includes(':') ? `[${socket.localAddress}]` : socket?.localAddress;
  const host = request.headers.host === undefined && local ? `${local}:${socket.localPort}` : request.host;
  const fromBatch = batchOrigin(request);
  if (!fromBatch && !HOST.test(host ?? '')) throw errors.invalidHost();
  const origin = fromBatch ?? `${request.protocol}://${host}`;
  try {
    return new URL(`${origin}${request.url}`);
  } catch {
    throw errors.invalidHost();
  }
}

async function handle(parts: GraphRouteParts, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const url = requestUrl(request);
  const [, version = '', ...rest] = url.pathname.split('/');
  if (!KNOWN_VERSIONS.has(version)) throw errors.invalidVersion();
  const path = rest.join('/');
  const first = rest.find((segment) => segment.length > 0);

  // Like Graph, the metadata document and the service document need no token; nor does the
  // OpenAPI description (YAML, or JSON with ?format=json or Accept: application/json).
  if (version === SERVED_VERSION && first === '$openapi' && request.method === 'GET') {
    if (rest.filter(Boolean).length > 1) throw errors.segmentNotFound(rest.filter(Boolean)[1]);
    const format = requestedFormat(
      url.searchParams.get('format') ?? url.searchParams.get('$format'),
      request.headers.accept,
    );
    return reply
      .type(format === 'json' ? 'application/json' : 'application/yaml')
      .send(renderOpenApi(parts.model, parts.registry, format, `${url.origin}/${version}`));
  }
  if (version === SERVED_VERSION && (first === '$metadata' || first === undefined) && request.method === 'GET') {
    if (rest.filter(Boolean).length > 1) throw errors.segmentNotFound(rest.filter(Boolean)[1]);
    if (first === '$metadata') return reply.type('application/xml').send(parts.metadataXml);
    return reply
      .header('OData-Version', '4.0')
      .type(ODATA_JSON)
      .send(JSON.stringify(serviceDocument(parts.model, `${url.origin}/${version}`)));
  }

  const principal = await parts.authenticator.authenticate(request.headers.authorization);
  // The family is beta-only: v1.0 has none of its segments, as Graph's v1.0 metadata shows.
  if (version !== SERVED_VERSION) throw errors.segmentNotFound(first ?? '');
  if (first === '$batch') return handleBatch(request, reply, version);
  const resolved = resolvePath(parts.model, path, parts.registry.normalizeKey);
  const authorize = (method: string, pattern: string) => {
    if (parts.authenticator.enforcesPermissions) parts.permissions.check(principal, method, pattern);
  };
  authorize(request.method, resolved.pattern);

  const response = await parts.engine.handle({
    method: request.method,
    url,
    version,
    path: resolved,
    body: request.body,
    preferences: readPreferences(request.headers.prefer),
    principal,
    authorize,
    eventual: String(request.headers.consistencylevel ?? '').toLowerCase() === 'eventual',
    expandBudget: batchBudget(request) ?? new ExpandBudget(),
  });
  reply.status(response.status);
  if (response.text !== undefined) return reply.type('text/plain').send(response.text);
  if (response.body === undefined && response.json === undefined) return reply.send();
  reply.header('OData-Version', '4.0');
  return reply.type(ODATA_JSON).send(response.json ?? JSON.stringify(response.body));
}
