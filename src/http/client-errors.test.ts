import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { answerClientError, answeredOnSocket } from './client-errors.js';

const clock = { now: () => new Date('2026-11-26T10:00:00.500Z') };

/** Just what answerClientError uses of a socket, recording what it is told. */
function fakeSocket(inFlight?: { headersSent: boolean; req: Partial<IncomingMessage> }) {
  const socket = {
    destroyed: false,
    writable: true,
    _httpMessage: inFlight as unknown as ServerResponse | undefined,
    written: undefined as string | undefined,
    paused: false,
    destroyedWith: undefined as unknown,
    pause() {
      this.paused = true;
    },
    end(text: string) {
      this.written = text;
    },
    destroy(error?: unknown) {
      this.destroyed = true;
      this.destroyedWith = error;
    },
  };
  return socket;
}

function clientError(code: string): Error & { code: string } {
  return Object.assign(new Error(code), { code });
}

function parse(written: string) {
  const [head, body] = written.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { statusLine, headers, body: JSON.parse(body) };
}

test('a head that does not arrive in time: 408 Request_Timeout in Graph envelope, ids in headers and body, connection closed', () => {
  const socket = fakeSocket();
  answerClientError(clientError('ERR_HTTP_REQUEST_TIMEOUT'), socket as unknown as Socket, clock);
  const { statusLine, headers, body } = parse(socket.written!);
  assert.equal(statusLine, 'HTTP/1.1 408 Request Timeout');
  assert.equal(headers['content-type'], 'application/json');
  assert.equal(headers.connection, 'close');
  assert.equal(Number(headers['content-length']), Buffer.byteLength(socket.written!.split('\r\n\r\n')[1]));
  assert.equal(body.error.code, 'Request_Timeout');
  assert.match(body.error.message, /headers did not arrive in time/);
  assert.equal(body.error.innerError.date, '2026-11-26T10:00:00');
  assert.equal(body.error.innerError['request-id'], headers['request-id']);
  assert.equal(body.error.innerError['client-request-id'], headers['request-id']);
  assert.equal(headers['client-request-id'], headers['request-id']);
  assert.ok(socket.paused, 'nothing more is read from a connection answered 408');
});

test("a body that stops arriving: 408 about the body, the client's request id echoed, the request marked for its route", () => {
  const req = { complete: false, headers: { 'client-request-id': 'client-7' } } as unknown as IncomingMessage;
  const socket = fakeSocket({ headersSent: false, req });
  answerClientError(clientError('ERR_HTTP_REQUEST_TIMEOUT'), socket as unknown as Socket, clock);
  const { headers, body } = parse(socket.written!);
  assert.match(body.error.message, /body did not arrive in time/);
  assert.equal(headers['client-request-id'], 'client-7');
  assert.equal(body.error.innerError['client-request-id'], 'client-7');
  assert.equal(answeredOnSocket(req)?.status, 408);
});

test('a client-request-id that is not plain ASCII is not written back raw', () => {
  const req = { complete: false, headers: { 'client-request-id': 'bad\u00e9id' } } as unknown as IncomingMessage;
  const socket = fakeSocket({ headersSent: false, req });
  answerClientError(clientError('ERR_HTTP_REQUEST_TIMEOUT'), socket as unknown as Socket, clock);
  const { headers } = parse(socket.written!);
  assert.equal(headers['client-request-id'], headers['request-id']);
});

test('an answer already under way is not followed by another: the connection is destroyed', () => {
  const req = { complete: false, headers: {} } as unknown as IncomingMessage;
  const socket = fakeSocket({ headersSent: true, req });
  answerClientError(clientError('ERR_HTTP_REQUEST_TIMEOUT'), socket as unknown as Socket, clock);
  assert.equal(socket.written, undefined);
  assert.ok(socket.destroyed);
  assert.equal(answeredOnSocket(req), undefined);
});

test('oversize heads answer 431, unreadable bytes 400, a reset nothing', () => {
  const big = fakeSocket();
  answerClientError(clientError('HPE_HEADER_OVERFLOW'), big as unknown as Socket, clock);
  assert.equal(parse(big.written!).statusLine, 'HTTP/1.1 431 Request Header Fields Too Large');
  assert.equal(parse(big.written!).body.error.code, 'Request_HeaderTooLarge');
  const garbage = fakeSocket();
  answerClientError(clientError('HPE_INVALID_METHOD'), garbage as unknown as Socket, clock);
  assert.equal(parse(garbage.written!).statusLine, 'HTTP/1.1 400 Bad Request');
  assert.equal(parse(garbage.written!).body.error.code, 'BadRequest');
  const reset = fakeSocket();
  answerClientError(clientError('ECONNRESET'), reset as unknown as Socket, clock);
  assert.equal(reset.written, undefined);
});

test('broken framing in a body being read: 400 BadRequest, and the request remembers it for its route', () => {
  const req = { complete: false, headers: {} } as unknown as IncomingMessage;
  const socket = fakeSocket({ headersSent: false, req });
  answerClientError(clientError('HPE_INVALID_CHUNK_SIZE'), socket as unknown as Socket, clock);
  assert.equal(parse(socket.written!).body.error.code, 'BadRequest');
  assert.equal(answeredOnSocket(req)?.status, 400);
});
