import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Socket } from 'node:net';
import { StrictAuthenticator, type Authenticator } from '../auth/authenticator.js';
import { PermissionPolicy } from '../auth/permissions.js';
import { TokenService } from '../auth/token-service.js';
import { TokenVerifier } from '../auth/verifier.js';
import { errors, GraphError, renderError } from '../graph/errors.js';
import { family } from '../model/family.js';
import { renderMetadata } from '../model/metadata.js';
import { Model } from '../model/model.js';
import type { Clock, IdGenerator } from '../resources/collection.js';
import { Engine } from '../resources/engine.js';
import { ResourceRegistry } from '../resources/registry.js';
import { defaultServerOptions, type ServerOptions } from '../resources/server-options.js';
import type { Store } from '../store/store.js';
import { registerBodyParsing } from './body-parsing.js';
import { registerGraphRoute } from './graph-route.js';
import { registerIdentityRoutes } from './identity-routes.js';

export interface AppOptions {
  store: Store;
  clock?: Clock;
  ids?: IdGenerator;
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
  logger?: FastifyServerOptions['logger'];
  serverOptions?: ServerOptions;
  /**
   * How callers are established (`--auth`). Default: strict verification of this store's
   * tokens, with the permission matrix enforced.
   */
  authenticator?: Authenticator;
  /** Serve TLS with this certificate and key (PEM). */
  https?: { cert: string; key: string };
  /** Token endpoint and its sign-in lockout; a default one over the store otherwise. */
  tokens?: TokenService;
}

export const systemClock: Clock = { now: () => new Date() };
export const randomIds: IdGenerator = { newId: () => randomUUID() };
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/**
 * Largest request head. Bigger than Node's 16 KiB default so that a token just over the
 * verifier's limit is answered as a token error (401), not cut off by the HTTP parser.
 */
export const MAX_HEADER_SIZE = 64 * 1024;

/** The model of the family, resolved once per process. */
export const graphModel = new Model(family);

declare module 'fastify' {
  interface FastifyRequest {
    clientRequestId: string;
  }
}

/**
 * Builds the whole server from its parts. Tests run it in-process (`app.inject`) over an
 * in-memory store; the CLI runs the same factory over a data folder.
 */
export function createApp(options: AppOptions): FastifyInstance {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit,
    ...(options.https ? { https: { ...options.https, maxHeaderSize: MAX_HEADER_SIZE } } : { http: { maxHeaderSize: MAX_HEADER_SIZE } }),
    clientErrorHandler: (error, socket) => answerClientError(error, socket, clock),
    genReqId: () => randomUUID(),
    // Graph tolerates trailing slashes and long ids; routing is ours, not the router's.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 2048 },
  });

  app.decorateRequest('clientRequestId', '');
  app.addHook('onRequest', async (request, reply) => {
    const sent = request.headers['client-request-id'];
    request.clientRequestId = typeof sent === 'string' && sent.length > 0 && sent.length <= 200 ? sent : request.id;
    reply.header('request-id', request.id);
    reply.header('client-request-id', request.clientRequestId);
  });

  registerBodyParsing(app);
  app.setErrorHandler((error, request, reply) => sendError(request, reply, toGraphError(error, request, bodyLimit), clock));
  app.setNotFoundHandler((request, reply) => sendError(request, reply, errors.methodNotAllowed(), clock));

  registerIdentityRoutes(app, { store: options.store, tokens: options.tokens ?? new TokenService(options.store, () => clock.now()), now: () => clock.now() });
  const registry = new ResourceRegistry(graphModel);
  registerGraphRoute(app, {
    model: graphModel,
    registry,
    engine: new Engine(registry, { store: options.store, clock, ids, options: options.serverOptions ?? defaultServerOptions }),
    authenticator: options.authenticator ?? new StrictAuthenticator(options.store, new TokenVerifier(options.store, () => clock.now())),
    permissions: new PermissionPolicy(),
    metadataXml: renderMetadata(family),
  });
  return app;
}

function toGraphError(error: unknown, request: FastifyRequest, bodyLimit: number): GraphError {
  if (error instanceof GraphError) return error;
  const code = (error as { code?: string }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return errors.payloadTooLarge(bodyLimit);
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return errors.invalidJson();
  }
  request.log.error({ err: error }, 'unexpected error');
  return errors.internal();
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: GraphError, clock: Clock): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  return reply
    .status(error.status)
    .type('application/json')
    .send(renderError(error, { requestId: request.id, clientRequestId: request.clientRequestId || request.id, date: clock.now() }));
}

/**
 * Errors Node's HTTP parser raises before a request exists (headers over the limit, garbage):
 * answered with Graph's envelope too, so even they leak nothing but a Graph error.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket, clock: Clock): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const graphError = error.code === 'HPE_HEADER_OVERFLOW' ? errors.headersTooLarge() : new GraphError(400, 'BadRequest', 'The request could not be read.');
  const id = randomUUID();
  const body = JSON.stringify(renderError(graphError, { requestId: id, clientRequestId: id, date: clock.now() }));
  if (!socket.writable) return void socket.destroy(error);
  // end() rather than destroy(): on a TLS socket the write is encrypted asynchronously.
  socket.end(
    `HTTP/1.1 ${graphError.status} ${graphError.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nrequest-id: ${id}\r\nConnection: close\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1000).unref();
}
