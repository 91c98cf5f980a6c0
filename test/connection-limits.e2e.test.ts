/**
 * End to end: the connection limits of `localgraph serve` (issue 8), each set small on the real
 * CLI and met over raw sockets: requests per keep-alive connection, the slow-client timeouts
 * (head, whole request, idle keep-alive) and concurrent connections. Every limit met while a
 * request can still be answered is answered with Graph's envelope and request ids; the server
 * serves normally afterwards. Nothing here measures time: waits are bounded, assertions are about
 * what arrives.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { onlyOn } from './helpers/backend.js';
import { graphResponseProblems, parseResponses, type RawResponse } from './helpers/raw-http.js';
import { CONNECTORS_PATH, request, runCli, startServer, type RunningServer } from './helpers/server.js';

/** Connection handling does not touch the storage: one pass (in memory) covers it. */
const memoryPassOnly = onlyOn('memory', 'connection limits do not depend on the storage');

/** Longest wait for anything the server should do on its own (its timeouts here are 1–2 s). */
const PATIENCE_MS = 10_000;

/** A raw keep-alive connection: write requests on it, read the responses as they come. */
interface Connection {
  socket: Socket;
  closed: Promise<void>;
  isClosed(): boolean;
  /** Every byte received so far. */
  received(): Buffer;
  /** Waits until `count` complete responses arrived, or the connection closed, or PATIENCE_MS passed. */
  responses(count: number): Promise<RawResponse[]>;
}

async function openConnection(port: number, options: { allowHalfOpen?: boolean } = {}): Promise<Connection> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: options.allowHalfOpen ?? false });
  const chunks: Buffer[] = [];
  let closed = false;
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  // A connection the server refuses may reset; what arrived (or not) is what the tests judge.
  socket.on('error', () => undefined);
  const closedPromise = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  // Not events.once: it rejects on the 'error' a refused connection may raise first.
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', resolve);
  });
  const received = () => Buffer.concat(chunks);
  return {
    socket,
    closed: closedPromise,
    isClosed: () => closed,
    received,
    async responses(count) {
      const deadline = Date.now() + PATIENCE_MS;
      for (;;) {
        const { responses } = parseResponses(received(), false);
        if (responses.length >= count || closed || Date.now() > deadline) return responses;
        const data = new Promise((resolve) => socket.once('data', resolve));
        await Promise.race([data, closedPromise, sleep(Math.max(0, deadline - Date.now()))]);
      }
    },
  };
}

/** Resolves once the connection is closed; fails the test if the server keeps it open. */
async function closedByServer(connection: Connection, what: string): Promise<void> {
  const outcome = await Promise.race([
    connection.closed.then(() => 'closed' as const),
    sleep(PATIENCE_MS).then(() => 'open' as const),
  ]);
  assert.equal(outcome, 'closed', `the server kept the connection open: ${what}`);
}

function get(path: string, headers: string[] = []): string {
  return `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
}

/** A Graph error of this status and code: envelope, JSON type, `request-id` header equal to innerError's. */
function assertGraphError(response: RawResponse | undefined, status: number, code: string): any {
  assert.ok(response, `no response (expected ${status} ${code})`);
  assert.equal(response.status, status, response.text);
  // 503 is the one 5xx a limit answers with: the check below is about everything but the status.
  const problems = graphResponseProblems(response).filter((problem) => !problem.endsWith('(5xx)'));
  assert.deepEqual(problems, [], `${response.status} ${JSON.stringify(response.headers)}\n${response.text}`);
  const body = JSON.parse(response.text);
  assert.equal(body.error.code, code);
  assert.equal(response.headers['client-request-id'], body.error.innerError['client-request-id']);
  assert.equal(response.headers.connection, 'close', 'a limit answered closes its connection');
  return body;
}

/** The server still answers a plain request on a new connection. */
async function stillServing(server: RunningServer): Promise<void> {
  const res = await request(`${server.baseUrl}/health`, { headers: { connection: 'close' } });
  assert.equal(res.status, 200, res.text);
  assert.equal(server.process.exitCode, null, 'the server exited');
}

function connectorBody(machineName: string): string {
  return JSON.stringify({ machineName, externalIp: '131.137.147.164', status: 'active' });
}

/** Whether a connector of this machine name exists (the default tenant, as the printed token names it). */
async function connectorExists(server: RunningServer, machineName: string): Promise<boolean> {
  const res = await request(`${server.baseUrl}${CONNECTORS_PATH}?$filter=machineName eq '${machineName}'`, {
    headers: { authorization: `Bearer ${server.printedToken}`, connection: 'close' },
  });
  assert.equal(res.status, 200, res.text);
  return res.body.value.length > 0;
}

describe('requests per connection: --max-requests-per-connection 3', memoryPassOnly, () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ args: ['--max-requests-per-connection', '3'] });
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  it('a keep-alive connection serves 3 requests; the third answer says Connection: close and the server closes it', async () => {
    const connection = await openConnection(server.port);
    for (let served = 1; served <= 3; served++) {
      connection.socket.write(get('/health'));
      const responses = await connection.responses(served);
      assert.equal(responses.length, served, `answer ${served} did not arrive`);
      const last = responses[served - 1];
      assert.equal(last.status, 200, last.text);
      assert.equal(last.headers.connection, served < 3 ? 'keep-alive' : 'close');
    }
    await closedByServer(connection, 'after its last request');
    assert.equal(parseResponses(connection.received(), false).trailing.length, 0, 'nothing after the last answer');
    await stillServing(server);
  });

  it("requests pipelined past the limit are not served, and get no answer at all (not Node's bare 503)", async () => {
    const names = [
      `pipelined-4-${randomUUID().slice(0, 8)}.contoso.com`,
      `pipelined-5-${randomUUID().slice(0, 8)}.contoso.com`,
    ];
    const create = (machineName: string) => {
      const body = connectorBody(machineName);
      return (
        `POST ${CONNECTORS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.printedToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
      );
    };
    const connection = await openConnection(server.port);
    connection.socket.write(get('/health') + get('/health') + get('/health') + create(names[0]) + create(names[1]));
    await closedByServer(connection, 'after its third answer');
    const { responses, trailing } = parseResponses(connection.received(), false);
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 200, 200],
    );
    assert.equal(responses[2].headers.connection, 'close');
    assert.equal(trailing.length, 0, `bytes after the last answer: ${trailing.toString('latin1')}`);
    for (const name of names)
      assert.equal(await connectorExists(server, name), false, `the request past the limit ran: ${name} was created`);
  });

  it('a client with a keep-alive pool reconnects: 10 requests through fetch all succeed', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await request(`${server.baseUrl}/health`);
      assert.equal(res.status, 200, `request ${i + 1}: ${res.text}`);
    }
  });
});

describe(
  'slow clients: --headers-timeout 1000 --request-timeout 2000 --keep-alive-timeout 1000',
  memoryPassOnly,
  () => {
    let server: RunningServer;
    before(async () => {
      server = await startServer({
        args: ['--headers-timeout', '1000', '--request-timeout', '2000', '--keep-alive-timeout', '1000'],
      });
    });
    after(async () => {
      assert.equal(await server.stop(), 0);
    });

    it('a connection that sends nothing is answered 408 Request_Timeout in Graph envelope, then closed', async () => {
      const connection = await openConnection(server.port);
      await closedByServer(connection, 'silent');
      const [response] = parseResponses(connection.received(), false).responses;
      const body = assertGraphError(response, 408, 'Request_Timeout');
      assert.match(body.error.message, /headers/);
      await stillServing(server);
    });

    it('a head that stops halfway is answered 408, then closed', async () => {
      const connection = await openConnection(server.port);
      connection.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nclient-request-id: half-a-head\r\n');
      await closedByServer(connection, 'half a head');
      const { responses } = parseResponses(connection.received(), false);
      assert.equal(responses.length, 1);
      assertGraphError(responses[0], 408, 'Request_Timeout');
      await stillServing(server);
    });

    it("a body that stops arriving is answered 408 about the body, with the client's request id; the request does not run, even if its body comes later", async () => {
      const machineName = `stalled-${randomUUID().slice(0, 8)}.contoso.com`;
      const body = connectorBody(machineName);
      const connection = await openConnection(server.port, { allowHalfOpen: true });
      connection.socket.write(
        `POST ${CONNECTORS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.printedToken}\r\nclient-request-id: stalled-body\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      );
      const [response] = await connection.responses(1);
      const error = assertGraphError(response, 408, 'Request_Timeout');
      assert.match(error.error.message, /body/);
      assert.equal(response.headers['client-request-id'], 'stalled-body');
      // The rest of the body, too late: the server reads no more of this connection.
      if (!connection.socket.destroyed) connection.socket.end(body.slice(10));
      await closedByServer(connection, 'after its 408');
      assert.equal(await connectorExists(server, machineName), false, 'the request answered 408 ran');
      await stillServing(server);
    });

    it('a body that trickles in past the whole-request deadline is answered 408, then closed', async () => {
      const body = connectorBody(`trickled-${randomUUID().slice(0, 8)}.contoso.com`);
      const connection = await openConnection(server.port);
      connection.socket.write(
        `POST ${CONNECTORS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${server.printedToken}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      );
      // A byte every 200 ms, each well within any per-read timeout, the whole far beyond 2 s.
      for (let i = 0; i < body.length && !connection.isClosed() && connection.received().length === 0; i++) {
        connection.socket.write(body[i]);
        await sleep(200);
      }
      await closedByServer(connection, 'trickling');
      const [response] = parseResponses(connection.received(), false).responses;
      assertGraphError(response, 408, 'Request_Timeout');
      await stillServing(server);
    });

    it('an idle keep-alive connection is closed without an answer once its timeout (announced in Keep-Alive) passes', async () => {
      const connection = await openConnection(server.port);
      connection.socket.write(get('/health'));
      const [response] = await connection.responses(1);
      assert.equal(response.status, 200);
      assert.equal(response.headers['keep-alive'], 'timeout=1');
      await closedByServer(connection, 'idle after a request');
      const { responses, trailing } = parseResponses(connection.received(), false);
      assert.equal(responses.length, 1, 'an idle connection is closed, not answered');
      assert.equal(trailing.length, 0);
      await stillServing(server);
    });
  },
);

describe('concurrent connections: --max-connections 2', memoryPassOnly, () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ args: ['--max-connections', '2'] });
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  it('two connections are served; a third is answered 503 with Retry-After in Graph envelope and closed; past twice the limit, closed unanswered; once they close, new ones are served', async () => {
    const held: Connection[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const connection = await openConnection(server.port);
        held.push(connection);
        connection.socket.write(get('/health'));
        const [response] = await connection.responses(1);
        assert.equal(response?.status, 200, `connection ${i + 1} within the limit`);
      }

      const third = await openConnection(server.port);
      third.socket.write(get('/health', ['client-request-id: third-connection']));
      await closedByServer(third, 'over the limit');
      const [refused] = parseResponses(third.received(), false).responses;
      assertGraphError(refused, 503, 'serviceNotAvailable');
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal(refused.headers['client-request-id'], 'third-connection');

      // Two more that say nothing yet (over the limit, waiting for a request), then one past 2 × 2.
      for (let i = 0; i < 2; i++) held.push(await openConnection(server.port));
      const beyond = await openConnection(server.port);
      beyond.socket.write(get('/health'));
      await closedByServer(beyond, 'past the hard limit');
      assert.equal(
        beyond.received().length,
        0,
        `a connection past the hard limit was answered: ${beyond.received().toString('latin1')}`,
      );
      // The held connections within the limit go on serving.
      held[0].socket.write(get('/health'));
      const again = await held[0].responses(2);
      assert.equal(again[1]?.status, 200);
    } finally {
      for (const connection of held) connection.socket.destroy();
    }

    // The server notices the closes on its own time: a new connection is served once it has.
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      if (attempt > 0) await sleep(100);
      const connection = await openConnection(server.port);
      connection.socket.write(get('/health', ['Connection: close']));
      status = (await connection.responses(1))[0]?.status ?? 0;
      connection.socket.destroy();
    }
    assert.equal(status, 200, 'no connection was served again after the others closed');
    await stillServing(server);
  });
});

describe('limits answer clients that are still sending (lingering close)', memoryPassOnly, () => {
  let server: RunningServer;
  const TEN_MB = Buffer.alloc(10 * 1024 * 1024, 0x61);
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  /** What fetch made of each of `rounds` requests: the status read, or the error it failed with. */
  async function outcomes(rounds: number, send: () => Promise<Response>): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < rounds; i++) {
      try {
        const res = await send();
        const body = JSON.parse(await res.text());
        seen.push(`${res.status} ${body.error?.code}`);
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        seen.push(`failed: ${cause?.code ?? String(error)}`);
      }
    }
    return seen;
  }

  it('fetch sending 10 MB reads the 413 every time (20 in a row), then the server serves on', async () => {
    const seen = await outcomes(20, () =>
      fetch(`${server.baseUrl}${CONNECTORS_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.printedToken}`, 'content-type': 'application/json' },
        body: TEN_MB,
      }),
    );
    assert.deepEqual(seen, Array(20).fill('413 Request_EntityTooLarge'));
    await stillServing(server);
  });

  it('fetch streaming 10 MB chunked (no Content-Length) reads the 413 every time', async () => {
    const seen = await outcomes(5, () => {
      const chunks = Array.from({ length: 40 }, () => TEN_MB.subarray(0, 256 * 1024));
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift();
          if (next) controller.enqueue(next);
          else controller.close();
        },
      });
      return fetch(`${server.baseUrl}${CONNECTORS_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.printedToken}`, 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
    });
    assert.deepEqual(seen, Array(5).fill('413 Request_EntityTooLarge'));
  });

  it('fetch sending 100 KB of headers and 10 MB reads the 431 every time (20 in a row)', async () => {
    const seen = await outcomes(20, () =>
      fetch(`${server.baseUrl}${CONNECTORS_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-padding': 'a'.repeat(100_000) },
        body: TEN_MB,
      }),
    );
    assert.deepEqual(seen, Array(20).fill('431 Request_HeaderTooLarge'));
    await stillServing(server);
  });

  it('the 413 arrives while the body is still coming; the rest is read and discarded, then the connection is closed', async () => {
    const connection = await openConnection(server.port);
    const head = `POST ${CONNECTORS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${TEN_MB.length}\r\n\r\n`;
    connection.socket.write(head);
    connection.socket.write(TEN_MB.subarray(0, 1024 * 1024));
    const [answer] = await connection.responses(1);
    assertGraphError(answer, 413, 'Request_EntityTooLarge');
    assert.equal(connection.isClosed(), false, 'closed while the client was still sending');
    // The other 9 MB go through: the server reads them (a closed socket would reset these writes).
    const rest = TEN_MB.subarray(1024 * 1024);
    await new Promise<void>((resolve, reject) =>
      connection.socket.write(rest, (error) => (error ? reject(error) : resolve())),
    );
    await closedByServer(connection, 'once the body it discarded had ended');
    assert.equal(parseResponses(connection.received(), false).responses.length, 1, 'one answer only');
  });
});

describe('connection limit options: usage errors', memoryPassOnly, () => {
  const cases: [string[], RegExp][] = [
    [['--max-connections', 'many'], /^localgraph: --max-connections must be a whole number of at least 0, not 'many'/],
    [['--max-requests-per-connection', '1.5'], /^localgraph: --max-requests-per-connection must be a whole number/],
    [['--keep-alive-timeout', '0'], /^localgraph: --keep-alive-timeout must be a whole number from 1/],
    [
      ['--headers-timeout', '5000', '--request-timeout', '1000'],
      /^localgraph: --headers-timeout \(5000\) must not exceed --request-timeout \(1000\)/,
    ],
  ];
  for (const [args, message] of cases) {
    it(`serve ${args.join(' ')}: exit 2, one line`, async () => {
      const r = await runCli(['serve', '--in-memory', ...args]);
      assert.equal(r.code, 2, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }
});
