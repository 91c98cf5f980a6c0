import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StrictAuthenticator, type Authenticator } from '../auth/authenticator.js';
import { PermissionPolicy } from '../auth/permissions.js';
import { TokenService } from '../auth/token-service.js';
import { TokenVerifier } from '../auth/verifier.js';
import { errors, GraphError, renderError } from '../graph/errors.js';
import { familyModel, familyRegistry, type Family } from '../family/family.js';
import { renderMetadata } from '../model/metadata.js';
import type { Clock } from '../resources/clock.js';
import type { IdGenerator } from '../resources/id-generator.js';
import { Engine } from '../resources/engine.js';
import { defaultServerOptions, type ServerOptions } from '../resources/server-options.js';
import type { Dialect } from '../store/dialect.js';
import type { Store } from '../store/store.js';
import { isQueryTimeout } from '../store/query-deadline.js';
import { registerBodyParsing } from './body-parsing.js';
import { answerClientError, answeredOnSocket } from './client-errors.js';
import { clientRequestIdOf } from './client-request-id.js';
import {
  nodeServerOptions,
  registerConnectionLimits,
  resolveConnectionLimits,
  type ConnectionLimits,
} from './connection-limits.js';
import { registerCors } from './cors.js';
import { registerConsoleRoute } from './console-route.js';
import { registerHomeRoute } from './home-route.js';
import { ControlledClock } from '../admin/controlled-clock.js';
import { SeededIds } from '../admin/seeded-ids.js';
import { registerControlPlane, type ControlPlaneOptions } from './control-plane.js';
import { lingerAfterAnswer } from './lingering-close.js';
import { addLogFields, requestLogController } from './logging.js';
import { registerGraphRoute } from './graph-route.js';
import { registerIdentityRoutes } from './identity-routes.js';
import { hostPolicy, registerHostCheck, type HostPolicy } from './host-check.js';

export interface AppOptions {
  store: Store;
  /**
   * The API family served (src/family/). Chosen by the composition root (the CLI's commands,
   * `startLocalgraph`, a test); the store must be migrated for it.
   */
  family: Family;
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
  /**
   * The admin API (`adminKey`), fault rules and the heartbeat simulation (src/http/control-plane.ts).
   * With it, the default clock and ids are controllable (ControlledClock, SeededIds).
   */
  controlPlane?: ControlPlaneOptions;
  /** Connections, requests per connection and the slow-client timeouts (src/http/connection-limits.ts); defaults for the rest. */
  connectionLimits?: Partial<ConnectionLimits>;
  /** Which Host names are answered (DNS rebinding protection, src/http/host-check.ts); default: loopback names and the intercepted Microsoft hosts. */
  hosts?: HostPolicy;
}

export const systemClock: Clock = { now: () => new Date() };
export const randomIds: IdGenerator = { newId: () => randomUUID() };
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/**
 * Largest request head. Bigger than Node's 16 KiB default so that a token just over the
 * verifier's limit is answered as a token error (401), not cut off by the HTTP parser.
 */
export const MAX_HEADER_SIZE = 64 * 1024;

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
  const clock = options.clock ?? (options.controlPlane ? new ControlledClock() : systemClock);
  const ids = options.ids ?? (options.controlPlane ? new SeededIds() : randomIds);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const limits = resolveConnectionLimits(options.connectionLimits);
  const nodeServer = { maxHeaderSize: MAX_HEADER_SIZE, ...nodeServerOptions(limits) };
  const app = Fastify({
    logger: options.logger ?? false,
    // One log line per request, written by the control plane (src/http/logging.ts).
    logController: requestLogController(),
    bodyLimit,
    ...(options.https ? { https: { ...options.https, ...nodeServer } } : { http: nodeServer }),
    // Fastify sets these two on the server itself after creating it, over createServer's.
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    clientErrorHandler: (error, socket) => answerClientError(error, socket, clock),
    // Errors the router raises before any hook runs (a malformed percent-escape in the path):
    // Graph's envelope and request ids too, not Fastify's own body.
    frameworkErrors: (error, request, reply) => {
      identify(request, reply);
      return sendError(
        request,
        reply,
        error.code === 'FST_ERR_BAD_URL'
          ? errors.invalidUrl()
          : toGraphError(error, request, bodyLimit, options.store.dialect),
        clock,
      );
    },
    genReqId: () => randomUUID(),
    // Graph tolerates trailing slashes and long ids; routing is ours, not the router's.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 2048 },
  });

  // A client may half-close its side once it has sent its request (HTTP/1.0 style, `nc -N`):
  // by default Node then aborts the request and never answers one that awaits the database.
  // (A property of Node's http.Server its type declarations leave out.)
  (app.server as typeof app.server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;

  // Node answers an Expect other than 100-continue with a bare 417; Graph's envelope instead.
  app.server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const sent = request.headers['client-request-id'];
    const requestId = randomUUID();
    const clientRequestId = clientRequestIdOf(sent, requestId);
    const body = JSON.stringify(
      renderError(errors.expectationFailed(), { requestId, clientRequestId, date: clock.now() }),
    );
    response.writeHead(417, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'request-id': requestId,
      'client-request-id': clientRequestId,
    });
    response.end(body);
  });

  app.decorateRequest('clientRequestId', '');
  // Callback-style hooks: an async hook costs a promise per request on the hot path.
  app.addHook('onRequest', (request, reply, done) => {
    identify(request, reply);
    done();
  });
  registerConnectionLimits(app, limits, options.https !== undefined);
  registerHostCheck(app, options.hosts ?? hostPolicy('127.0.0.1'), clock);

  const authenticator =
    options.authenticator ??
    new StrictAuthenticator(options.store, new TokenVerifier(options.store, () => clock.now()));
  if (authenticator.mode === 'strict') registerCors(app);

  registerBodyParsing(app);
  app.setErrorHandler((error, request, reply) =>
    sendError(request, reply, toGraphError(error, request, bodyLimit, options.store.dialect), clock),
  );
  app.setNotFoundHandler((request, reply) => sendError(request, reply, errors.methodNotAllowed(), clock));

  registerIdentityRoutes(app, {
    store: options.store,
    tokens: options.tokens ?? new TokenService(options.store, () => clock.now()),
    now: () => clock.now(),
  });
  registerConsoleRoute(app, { store: options.store });
  registerHomeRoute(app, options.store);
  const family = options.family;
  const model = familyModel(family);
  const registry = familyRegistry(family);
  const engine = new Engine(
    registry,
    { store: options.store, clock, ids, options: options.serverOptions ?? defaultServerOptions },
    family.tenantDefaults,
  );
  registerControlPlane(app, {
    store: options.store,
    family,
    registry,
    engine,
    clock,
    ids,
    logging: Boolean(options.logger),
    options: options.controlPlane,
  });
  registerGraphRoute(app, {
    model,
    registry,
    engine,
    authenticator,
    permissions: new PermissionPolicy(registry.permissions()),
    metadataXml: renderMetadata(family.schema),
  });
  return app;
}

/** Sets the request's ids: `request-id` (new) and `client-request-id` (the client's, or the same). */
function identify(request: FastifyRequest, reply: FastifyReply): void {
  const sent = request.headers['client-request-id'];
  request.clientRequestId = clientRequestIdOf(sent, request.id);
  reply.header('request-id', request.id);
  reply.header('client-request-id', request.clientRequestId);
}

const DATABASE_RETRY_AFTER_SECONDS = 2;

function toGraphError(error: unknown, request: FastifyRequest, bodyLimit: number, dialect: Dialect): GraphError {
  if (error instanceof GraphError) return error;
  // Answered on the socket while its body was arriving (src/http/client-errors.ts): the route
  // fails on the aborted body; rendered, and logged, as what the client was sent.
  const answered = answeredOnSocket(request.raw);
  if (answered) return answered;
  const code = (error as { code?: string }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return errors.payloadTooLarge(bodyLimit);
  // A method Fastify expects a body for (QUERY) but that no route serves.
  if (code === 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE') return errors.methodNotAllowed();
  // A compressed body that does not decompress (see body-parsing.ts).
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return errors.unreadableRequest();
  if (
    code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
    code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH'
  ) {
    return errors.invalidJson();
  }
  // The database is unreachable (PostgreSQL down or restarting): a retryable 503, not a failure
  // of the request; the pool reconnects on its own once the database is back.
  if (dialect.isUnavailable(error)) return errors.serviceUnavailable(DATABASE_RETRY_AFTER_SECONDS);
  // Still colliding with concurrent writes after the store's own retries: the SDKs retry a 503.
  if (dialect.isRetryableConflict(error)) return errors.tooBusy(1);
  if (dialect.isUnstorableValue(error)) return errors.unstorableValue();
  if (isQueryTimeout(error)) return errors.queryTimeout();
  request.log.error({ err: error }, 'unexpected error');
  return errors.internal();
}

function sendError(request: FastifyRequest, reply: FastifyReply, error: GraphError, clock: Clock): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  if (error.logFields) addLogFields(request, error.logFields);
  // A body over the limit, refused before it all arrived: the client is still sending. (Only the
  // 413: other refusals of a request whose body is still coming, such as one pipelined past
  // --max-requests-per-connection, are never answered and must not hold the connection open.)
  if (error.status === 413 && !request.raw.complete) lingerAfterAnswer(request.raw);
  return reply
    .status(error.status)
    .type('application/json')
    .send(
      renderError(error, {
        requestId: request.id,
        clientRequestId: request.clientRequestId || request.id,
        date: clock.now(),
      }),
    );
}
