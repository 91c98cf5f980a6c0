import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { openStore } from '../store/open.js';
import { createApp } from './app.js';
import {
  connectionsCheckingInterval,
  DEFAULT_CONNECTION_LIMITS,
  nodeServerOptions,
  resolveConnectionLimits,
} from './connection-limits.js';
import { createCertificateAuthority, LeafIssuer } from './certificate-authority.js';
import { generateCertificate } from './tls.js';
import { onPremises } from '../family/on-premises/on-premises.js';

test('limits: the defaults, with what is given (undefined keeps a default)', () => {
  assert.deepEqual(resolveConnectionLimits(), { ...DEFAULT_CONNECTION_LIMITS });
  assert.deepEqual(
    resolveConnectionLimits({ maxConnections: 0, headersTimeoutMs: undefined, keepAliveTimeoutMs: 72_000 }),
    {
      ...DEFAULT_CONNECTION_LIMITS,
      maxConnections: 0,
      keepAliveTimeoutMs: 72_000,
    },
  );
});

test('limits Node could not take are refused', () => {
  assert.throws(() => resolveConnectionLimits({ maxConnections: -1 }), RangeError);
  assert.throws(() => resolveConnectionLimits({ maxRequestsPerConnection: 1.5 }), RangeError);
  assert.throws(() => resolveConnectionLimits({ keepAliveTimeoutMs: 0 }), RangeError);
  assert.throws(() => resolveConnectionLimits({ requestTimeoutMs: 100_000_000 }), RangeError);
  assert.throws(() => resolveConnectionLimits({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }), /must not exceed/);
  // No whole-request deadline: the head's may be anything.
  assert.equal(resolveConnectionLimits({ headersTimeoutMs: 60_000, requestTimeoutMs: 0 }).headersTimeoutMs, 60_000);
});

test('deadlines are checked often enough to hold: a quarter of the shortest, between 50 ms and a second', () => {
  const at = (headersTimeoutMs: number, requestTimeoutMs: number) =>
    connectionsCheckingInterval({ ...DEFAULT_CONNECTION_LIMITS, headersTimeoutMs, requestTimeoutMs });
  assert.equal(at(10_000, 30_000), 1000);
  assert.equal(at(1000, 2000), 250);
  assert.equal(at(0, 2000), 500);
  assert.equal(at(100, 100), 50);
  assert.equal(at(0, 0), 30_000, 'nothing to check: Node default');
  assert.deepEqual(
    nodeServerOptions(
      resolveConnectionLimits({ headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 3000 }),
    ),
    {
      headersTimeout: 1000,
      requestTimeout: 2000,
      keepAliveTimeout: 3000,
      connectionsCheckingInterval: 250,
    },
  );
});

test('createApp sets the limits on its Node server', async () => {
  const store = await openStore({ kind: 'memory' }, onPremises);
  const app = createApp({
    store,
    family: onPremises,
    connectionLimits: { maxConnections: 10, headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 3000 },
  });
  try {
    assert.equal(app.server.headersTimeout, 1000);
    assert.equal(app.server.requestTimeout, 2000);
    assert.equal(app.server.keepAliveTimeout, 3000);
    assert.equal(app.server.maxConnections, 20, 'twice the answered limit: past it, refused unanswered');
    assert.equal(app.server.maxRequestsPerSocket, 0, "Node's own per-connection cap is not used");
  } finally {
    await app.close();
    await store.close();
  }
});

test('the last request a connection may serve is answered with Connection: close', async () => {
  const store = await openStore({ kind: 'memory' }, onPremises);
  const app = createApp({ store, family: onPremises, connectionLimits: { maxRequestsPerConnection: 1 } });
  const limited = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(limited.statusCode, 200);
  assert.equal(limited.headers.connection, 'close');
  await app.close();
  const unlimited = createApp({ store, family: onPremises, connectionLimits: { maxRequestsPerConnection: 0 } });
  assert.notEqual((await unlimited.inject({ method: 'GET', url: '/health' })).headers.connection, 'close');
  await unlimited.close();
  await store.close();
});

/** One HTTP/1.1 request over TLS; resolves with what arrived until the server closed or the first response ended. */
function tlsRequest(socket: TLSSocket, path: string, extra = ''): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const done = () => resolve(data);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const length = /content-length: (\d+)/i.exec(data);
      const head = data.indexOf('\r\n\r\n');
      if (length && head >= 0 && data.length >= head + 4 + Number(length[1])) done();
    });
    socket.once('close', done);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`);
  });
}

test('over TLS, the connections counted are the TLS ones: one over the limit is answered 503 in Graph envelope, then closed', async () => {
  const store = await openStore({ kind: 'memory' }, onPremises);
  const app = createApp({
    store,
    family: onPremises,
    https: await generateCertificate(new LeafIssuer(await createCertificateAuthority())),
    connectionLimits: { maxConnections: 1 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const open = async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false });
    await once(socket, 'secureConnect');
    return socket;
  };
  const first = await open();
  const second = await open();
  try {
    assert.match(await tlsRequest(first, '/health'), /^HTTP\/1\.1 200 /);
    const refused = await tlsRequest(second, '/health', 'client-request-id: over-the-limit\r\n');
    assert.match(refused, /^HTTP\/1\.1 503 /);
    assert.match(refused, /\r\nretry-after: 1\r\n/i);
    assert.match(refused, /\r\nconnection: close\r\n/i);
    const body = JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4));
    assert.equal(body.error.code, 'serviceNotAvailable');
    assert.equal(body.error.innerError['client-request-id'], 'over-the-limit');
    if (!second.destroyed) await once(second, 'close');
    // The first connection, within the limit, goes on serving.
    assert.match(await tlsRequest(first, '/health'), /^HTTP\/1\.1 200 /);
  } finally {
    first.destroy();
    second.destroy();
    await app.close();
    await store.close();
  }
});

test('one client address holds at most --max-connections-per-source; another address is still served', async () => {
  const store = await openStore({ kind: 'memory' }, onPremises);
  const app = createApp({
    store,
    family: onPremises,
    connectionLimits: { maxConnections: 10, maxConnectionsPerSource: 2 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const sockets: Socket[] = [];
  const open = async (localAddress: string) => {
    const socket = netConnect({ host: '127.0.0.1', port, localAddress });
    sockets.push(socket);
    await once(socket, 'connect');
    return socket;
  };
  try {
    const mine = [await open('127.0.0.1'), await open('127.0.0.1')];
    for (const socket of mine) assert.match(await tlsRequest(socket as TLSSocket, '/health'), /^HTTP\/1\.1 200 /);
    const third = await open('127.0.0.1');
    const refused = await tlsRequest(third as TLSSocket, '/health');
    assert.match(refused, /^HTTP\/1\.1 503 /);
    assert.match(refused, /\r\nretry-after: 1\r\n/i);
    const body = JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4));
    assert.equal(body.error.code, 'serviceNotAvailable');
    assert.match(body.error.message, /This client already has 2 connections open/);
    // Another client (another loopback address) is not held up by the first one's connections.
    assert.match(await tlsRequest((await open('127.0.0.2')) as TLSSocket, '/health'), /^HTTP\/1\.1 200 /);
  } finally {
    for (const socket of sockets) socket.destroy();
    await app.close();
    await store.close();
  }
});

test('the per-address limit defaults to three quarters of a lower --max-connections, so one client never holds them all', () => {
  assert.equal(resolveConnectionLimits().maxConnectionsPerSource, 768);
  assert.equal(resolveConnectionLimits({ maxConnections: 100 }).maxConnectionsPerSource, 75);
  assert.equal(
    resolveConnectionLimits({ maxConnections: 100, maxConnectionsPerSource: 100 }).maxConnectionsPerSource,
    100,
    'given, it is kept',
  );
  assert.equal(resolveConnectionLimits({ maxConnections: 0 }).maxConnectionsPerSource, 768);
});
