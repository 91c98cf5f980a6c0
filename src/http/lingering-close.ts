/**
 * Lingering close, as nginx does it: a request answered before its body has all arrived (a 413
 * for a body over the limit) must not have its connection closed while the client is still
 * sending. A socket closed with unread bytes resets (TCP RST), and the reset makes the client's
 * kernel drop the answer it had already received: Node's fetch then fails with EPIPE or
 * ECONNRESET instead of reading the 413. So the rest of the body is read and discarded, up to a
 * bound in bytes and in time, and only then is the connection closed.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

export interface LingerBounds {
  /** The most body bytes read and discarded after the answer; a longer body is cut off at once. */
  maxBytes: number;
  /** The longest time spent discarding, from the answer; then the connection is closed regardless. */
  maxMs: number;
}

/**
 * 64 MiB: 64 times the body limit, far more than any client sends by mistake (an SDK retrying a
 * file of a few megabytes), little to waste reading on loopback or a LAN. 10 s: nginx's
 * lingering_time is 30 s, but a request's whole deadline here is 30 s (`--request-timeout`).
 */
export const DEFAULT_LINGER: Readonly<LingerBounds> = Object.freeze({ maxBytes: 64 * 1024 * 1024, maxMs: 10_000 });

type LingeringSocket = Socket & { destroySoon?: () => void };

/** Sockets discarding a body after their answer: nothing more is answered on them. */
const lingering = new WeakSet<Socket>();

export function isLingering(socket: Socket): boolean {
  return lingering.has(socket);
}

/**
 * Makes the connection of `request`, answered with `Connection: close` before its body arrived,
 * read and discard the rest of the body before it closes. Call it before the answer is sent.
 */
export function lingerAfterAnswer(request: IncomingMessage, bounds: LingerBounds = DEFAULT_LINGER): void {
  const socket = request.socket as LingeringSocket | null;
  if (!socket || request.complete || socket.destroyed || typeof socket.destroySoon !== 'function') return;
  const declared = Number(request.headers['content-length']);
  // A body announced beyond the bound is not waited for: closed once answered, as before.
  if (Number.isFinite(declared) && declared > bounds.maxBytes) return;
  let discarded = 0;
  const count = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > bounds.maxBytes) socket.destroy();
  };
  request.on('data', count);
  const closeSoon = socket.destroySoon.bind(socket);
  // Node closes a `Connection: close` answer's socket with destroySoon() once the answer is
  // written; here it waits for the body's end (Node's parser keeps reading and discarding it).
  socket.destroySoon = () => {
    lingering.add(socket);
    const timer = setTimeout(() => socket.destroy(), bounds.maxMs);
    timer.unref();
    const close = () => {
      clearTimeout(timer);
      closeSoon();
    };
    socket.once('close', () => clearTimeout(timer));
    if (request.complete) return close();
    request.once('end', close);
    request.once('error', () => socket.destroy());
    request.resume();
  };
}
