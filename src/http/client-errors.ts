/**
 * Errors Node's HTTP layer raises on a connection rather than through a route (Fastify's
 * `clientErrorHandler`): a head over the size limit, bytes that are not HTTP, a client too slow
 * to send its request (`--headers-timeout`, `--request-timeout`). Answered with Graph's envelope
 * too, so that even they leak nothing but a Graph error; the connection is closed after.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { errors, renderError, type GraphError } from '../graph/errors.js';
import type { Clock } from '../resources/clock.js';
import { clientRequestIdOf } from './client-request-id.js';
import { isLingering } from './lingering-close.js';

/** Requests answered here while their body was arriving (a timeout, broken chunked framing). */
const answered = new WeakMap<IncomingMessage, GraphError>();

/**
 * The error this request was already answered with on its socket, if any. Its route then fails
 * on the aborted body; the error handler renders (and logs) that as what the client was sent.
 */
export function answeredOnSocket(request: IncomingMessage): GraphError | undefined {
  return answered.get(request);
}

/** How long the answer may take to leave before the socket is destroyed. */
const LINGER_MS = 1000;

export function answerClientError(error: Error & { code?: string }, socket: Socket, clock: Clock): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Discarding the body of a request already answered (a 413): nothing more is answered on it.
  if (isLingering(socket)) return void socket.destroy();
  // The response in progress on this connection, if any (Node's own error answer checks the same).
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
  // An answer already under way cannot be followed by another on the same bytes.
  if (!socket.writable || inFlight?.headersSent) return void socket.destroy(error);
  // A request whose head was read but whose body had not all arrived: the error is about it.
  const reading = inFlight !== undefined && !inFlight.req.complete ? inFlight : undefined;
  const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const graphError = timeout
    ? errors.requestTimeout(reading ? 'body' : 'headers')
    : error.code === 'HPE_HEADER_OVERFLOW'
      ? errors.headersTooLarge()
      : errors.unreadableRequest();
  if (reading) answered.set(reading.req, graphError);
  // The client's own id is echoed when its request's head was read (as every answer does); the
  // rule's visible ASCII matters here, since these bytes are written as they are.
  const requestId = randomUUID();
  const sent = reading?.req.headers['client-request-id'];
  const clientRequestId = clientRequestIdOf(sent, requestId);
  const body = JSON.stringify(renderError(graphError, { requestId, clientRequestId, date: clock.now() }));
  const extra = Object.entries(graphError.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // Read nothing more: a body that completes now must not run a request already answered.
  socket.pause();
  // end() rather than destroy(): on a TLS socket the write is encrypted asynchronously, and a
  // socket closed with unread bytes resets, which can make the client lose the answer.
  socket.end(
    `HTTP/1.1 ${graphError.status} ${STATUS_CODES[graphError.status] ?? ''}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `request-id: ${requestId}\r\nclient-request-id: ${clientRequestId}\r\n${extra}Connection: close\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
