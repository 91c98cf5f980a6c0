import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { defaultIdentity, type DefaultIdentity } from '../auth/identity.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from '../store/migrations.js';
import { SqliteDatabase } from '../store/sqlite.js';
import { SqlStore } from '../store/sql-store.js';
import { createApp, randomIds } from './app.js';
import { hostAccepted, hostPolicy, isLoopbackName } from './host-check.js';

let identity: DefaultIdentity;
let strictApp: FastifyInstance;
let allowingApp: FastifyInstance;

before(async () => {
  const db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises);
  const store = new SqlStore(db);
  identity = await defaultIdentity(store, randomIds, new Date());
  strictApp = createApp({ store, family: onPremises });
  allowingApp = createApp({ store, family: onPremises, hosts: hostPolicy('127.0.0.1', ['localgraph.test']) });
});
after(async () => {
  await strictApp.close();
  await allowingApp.close();
});

test('loopback names: localhost and its subdomains, 127.0.0.0/8, ::1; nothing else', () => {
  for (const name of ['localhost', 'api.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1'])
    assert.ok(isLoopbackName(name), name);
  for (const name of [
    'localhost.evil.example',
    '128.0.0.1',
    '0.0.0.0',
    '[::]',
    '10.0.0.1',
    'evil.example',
    'localhostx',
  ])
    assert.ok(!isLoopbackName(name), name);
});

test('the policy: loopback binds answer loopback, intercepted and allowed names; other binds any name unless names are given', () => {
  const loopback = hostPolicy('127.0.0.1');
  for (const host of [
    'localhost:5080',
    '127.0.0.1:5080',
    '[::1]:5080',
    'graph.microsoft.com',
    'LOGIN.microsoftonline.com:443',
    undefined,
  ])
    assert.ok(hostAccepted(loopback, host), String(host));
  for (const host of ['evil.example', 'evil.example:5080', 'graph.microsoft.com.evil.example', '192.168.1.10:5080'])
    assert.ok(!hostAccepted(loopback, host), host);
  const network = hostPolicy('0.0.0.0');
  assert.ok(hostAccepted(network, 'build-agent-7:5080'));
  const named = hostPolicy('0.0.0.0', ['localgraph.internal']);
  assert.ok(hostAccepted(named, 'localgraph.internal:5080'));
  assert.ok(hostAccepted(named, 'localhost:5080'));
  assert.ok(!hostAccepted(named, 'evil.example'));
});

test("a request for a name not answered gets 403 in Graph's envelope, on every route; --allowed-host lets it in", async () => {
  for (const url of [
    '/beta/$metadata',
    '/health',
    `/${identity.tenantId}/oauth2/v2.0/token`,
    '/console',
    '/_admin/status',
  ]) {
    const res = await strictApp.inject({ url, headers: { host: 'rebound.evil.example:5080' } });
    assert.equal(res.statusCode, 403, url);
    const body = JSON.parse(res.body);
    assert.equal(body.error.code, 'Forbidden');
    assert.match(body.error.message, /--allowed-host rebound\.evil\.example/);
    assert.equal(body.error.innerError['request-id'], res.headers['request-id']);
  }
  assert.equal((await strictApp.inject({ url: '/health', headers: { host: 'localhost:5080' } })).statusCode, 200);
  assert.equal(
    (await allowingApp.inject({ url: '/health', headers: { host: 'localgraph.test:5080' } })).statusCode,
    200,
  );
  assert.equal((await allowingApp.inject({ url: '/health', headers: { host: 'other.test:5080' } })).statusCode, 403);
});

test('each intercepted host serves what its Microsoft counterpart does', async () => {
  const keys = `/${identity.tenantId}/discovery/v2.0/keys`;
  assert.equal((await strictApp.inject({ url: keys, headers: { host: 'login.microsoftonline.com' } })).statusCode, 200);
  assert.equal((await strictApp.inject({ url: keys, headers: { host: 'localhost:5080' } })).statusCode, 200);
  const onGraph = await strictApp.inject({ url: keys, headers: { host: 'graph.microsoft.com' } });
  assert.equal(onGraph.statusCode, 400);
  assert.equal(JSON.parse(onGraph.body).error.message, 'Invalid version.');
  const graphOnLogin = await strictApp.inject({ url: '/beta/$metadata', headers: { host: 'login.windows.net' } });
  assert.equal(graphOnLogin.statusCode, 404);
  assert.equal(
    (await strictApp.inject({ url: '/beta/$metadata', headers: { host: 'graph.microsoft.com' } })).statusCode,
    200,
  );
});
