/**
 * The limits on connections (issue 8): how many are served at once, how many requests one
 * keep-alive connection serves, and how long a client may take to send a request or keep an idle
 * connection. Each limit met while a request can still be answered is answered with a Graph error;
 * the timeouts' 408 is written by src/http/client-errors.ts, since Node raises it on the socket.
 */
import type { FastifyInstance } from 'fastify';
import type { Socket } from 'node:net';
import { errors } from '../graph/errors.js';

export interface ConnectionLimits {
  /** Connections served at once; a further one is answered 503 on its first request, then closed. 0: no limit. */
  maxConnections: number;
  /** Connections served at once from one client address; past it, the same 503. 0: no limit. */
  maxConnectionsPerSource: number;
  /** Requests served over one connection; the answer to the last says `Connection: close`. 0: no limit. */
  maxRequestsPerConnection: number;
  /** Time a request's head may take to arrive (from its first byte, or from the connection's opening). 0: none. */
  headersTimeoutMs: number;
  /** Time a whole request, head and body, may take to arrive. 0: none. */
  requestTimeoutMs: number;
  /** How long a keep-alive connection may sit idle between requests before it is closed. */
  keepAliveTimeoutMs: number;
}

/**
 * - 1024 connections: far more than any test suite or SDK pool opens (the benchmarks use 32),
 *   few enough to stay well inside the usual descriptor limits.
 * - 768 per client address (three quarters of the connections, when fewer are allowed): one
 *   client (a runaway pool, a flood) cannot take them all; every client on the loopback shares
 *   127.0.0.1, so it stays well above what a machine's tests open (the hostile-input suite holds
 *   a few hundred at once).
 * - 1000 requests per connection: nginx's `keepalive_requests`; a client reconnects once in a
 *   thousand requests, and no connection is pinned to one instance of several forever.
 * - 10 s for the head: a real client sends it at once; Node's 60 s lets a slow-loris client hold a
 *   connection six times as long.
 * - 30 s for the whole request: the largest body (1 MiB) then needs only ~35 KiB/s.
 * - 5 s idle keep-alive: Node's own default, announced in `Keep-Alive: timeout=5`, which clients
 *   honour. (Fastify's 72 s outlasts a load balancer's 60 s idle pool; behind one, the option
 *   raises it, so that the balancer, not localgraph, closes an idle connection first.)
 */
export const DEFAULT_CONNECTION_LIMITS: Readonly<ConnectionLimits> = Object.freeze({
  maxConnections: 1024,
  maxConnectionsPerSource: 768,
  maxRequestsPerConnection: 1000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
});

/**
 * Connections over the limit are accepted so that they can be told why (and when to retry); past
 * this many times the limit, Node closes new ones at once, unanswered, so that a flood of
 * connections cannot take every file descriptor of the process.
 */
export const HARD_CONNECTION_FACTOR = 2;

/** The largest timeout accepted: a day (Node's timers take at most ~24.8 days). */
export const MAX_TIMEOUT_MS = 86_400_000;

/** Node refuses a head timeout longer than the whole request's: the request's deadline covers its head. */
export function headExceedsRequest(headersTimeoutMs: number, requestTimeoutMs: number): boolean {
  return headersTimeoutMs > 0 && requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs;
}

/** The defaults, with what `given` sets; throws a RangeError for a value Node could not take. */
export function resolveConnectionLimits(given: Partial<ConnectionLimits> = {}): ConnectionLimits {
  const limits = { ...DEFAULT_CONNECTION_LIMITS };
  for (const [name, value] of Object.entries(given) as [keyof ConnectionLimits, number | undefined][])
    if (value !== undefined) limits[name] = value;
  // Fewer connections in all: one address still leaves a quarter of them to the others.
  if (given.maxConnectionsPerSource === undefined && limits.maxConnections > 0) {
    limits.maxConnectionsPerSource = Math.min(
      limits.maxConnectionsPerSource,
      Math.ceil((limits.maxConnections * 3) / 4),
    );
  }
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`connection limit ${name} must be a whole number ≥ 0, not ${value}`);
    if (name.endsWith('Ms') && value > MAX_TIMEOUT_MS)
      throw new RangeError(`connection limit ${name} must be at most ${MAX_TIMEOUT_MS}, not ${value}`);
  }
  if (limits.keepAliveTimeoutMs === 0) throw new RangeError('connection limit keepAliveTimeoutMs must be positive');
  if (headExceedsRequest(limits.headersTimeoutMs, limits.requestTimeoutMs)) {
    throw new RangeError(
      `connection limit headersTimeoutMs (${limits.headersTimeoutMs}) must not exceed requestTimeoutMs (${limits.requestTimeoutMs})`,
    );
  }
  return limits;
}

/**
 * How often Node looks for requests past their deadline. Its default, every 30 s, would let a
 * 10 s head timeout fire after up to 40 s; a quarter of the shortest timeout, at most a second,
 * keeps them close to what they say. The check walks only connections with a request arriving.
 */
export function connectionsCheckingInterval(limits: ConnectionLimits): number {
  const timeouts = [limits.headersTimeoutMs, limits.requestTimeoutMs].filter((t) => t > 0);
  if (timeouts.length === 0) return 30_000;
  return Math.min(1000, Math.max(50, Math.floor(Math.min(...timeouts) / 4)));
}

/** What `http.createServer` / `https.createServer` take from the limits. */
export function nodeServerOptions(limits: ConnectionLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: connectionsCheckingInterval(limits),
  };
}

const requestsServed = Symbol('localgraph.requestsServed');
const overLimit = Symbol('localgraph.connectionOverLimit');
/** Why a connection is over a limit: the error each of its requests is answered with. */
type CountedSocket = Socket & { [requestsServed]?: number; [overLimit]?: () => Error };

/**
 * Counts connections and the requests on each. Register it right after the hook that sets the
 * request ids, before anything else looks at a request: a refused request runs nothing.
 * `tls`: the connections to count are the TLS ones (a handshake in progress serves no request).
 */
export function registerConnectionLimits(app: FastifyInstance, limits: ConnectionLimits, tls: boolean): void {
  // Node's own per-connection cap (`maxRequestsPerSocket`) says `Connection: close` on the last
  // answer but keeps the connection open, and answers every later request on it with a bare,
  // bodiless 503. Counted here instead: the last answer really closes the connection.
  app.server.maxRequestsPerSocket = 0;

  if (limits.maxConnections > 0) {
    // Node's `maxConnections` alone would close extra connections unanswered; the client could
    // not tell a full server from a dead one. It stays as the hard limit past the answered one.
    app.server.maxConnections = limits.maxConnections * HARD_CONNECTION_FACTOR;
  }
  if (limits.maxConnections > 0 || limits.maxConnectionsPerSource > 0) {
    let open = 0;
    const bySource = new Map<string, number>();
    app.server.on(tls ? 'secureConnection' : 'connection', (socket: CountedSocket) => {
      const source = socket.remoteAddress ?? '';
      open += 1;
      const fromSource = (bySource.get(source) ?? 0) + 1;
      bySource.set(source, fromSource);
      if (limits.maxConnections > 0 && open > limits.maxConnections)
        socket[overLimit] = () => errors.tooManyConnections(limits.maxConnections);
      else if (limits.maxConnectionsPerSource > 0 && fromSource > limits.maxConnectionsPerSource) {
        socket[overLimit] = () => errors.tooManyConnectionsFromSource(limits.maxConnectionsPerSource);
      }
      socket.once('close', () => {
        open -= 1;
        const left = (bySource.get(source) ?? 1) - 1;
        if (left > 0) bySource.set(source, left);
        else bySource.delete(source);
      });
    });
  }

  const perConnection = limits.maxRequestsPerConnection;
  app.addHook('onRequest', (request, reply, done) => {
    // `app.inject` requests have a socket of their own each: nothing to count across them.
    const socket = request.raw.socket as CountedSocket | null;
    if (!socket) return done();
    const over = socket[overLimit];
    if (over) return done(over());
    if (perConnection === 0) return done();
    const served = (socket[requestsServed] ?? 0) + 1;
    socket[requestsServed] = served;
    // Only a request pipelined behind the last one gets here; Node drops its answer with the
    // connection, but nothing of it runs.
    if (served > perConnection) return done(errors.connectionExhausted(perConnection));
    // An explicit `Connection: close` makes Node end the connection once this answer is sent.
    if (served === perConnection) reply.header('Connection', 'close');
    done();
  });
}
