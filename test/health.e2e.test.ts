/**
 * `GET /health`: 200 while the server can serve, 503 while its database cannot be reached; no
 * token needed, nothing sensitive in the body.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../src/http/app.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { request, startServer, type RunningServer } from './helpers/server.js';
import { onPremises } from '../src/family/on-premises/on-premises.js';

describe('GET /health on a running server', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });

  it('answers 200 without a token, with nothing but the status', async () => {
    const res = await request(`${server.baseUrl}/health`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(res.body, { status: 'ok', checks: { database: 'ok' } });
    assert.equal(res.headers.get('cache-control'), 'no-store');
    for (const secret of [server.tenantId, server.adminKey, server.dataDir, server.databaseUrl])
      if (secret) assert.ok(!res.text.includes(secret));
  });

  it('HEAD answers the same status, and the banner names the endpoint', async () => {
    const res = await fetch(`${server.baseUrl}/health`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.ok(server.stdout().includes(`health: ${server.baseUrl}/health`));
  });
});

describe('GET /health while the database cannot be reached', () => {
  /** The store, but its database refuses connections (as PostgreSQL does when it is down). */
  function failing(store: Store, ping: () => Promise<void>): Store {
    return new Proxy(store, {
      get: (target, name, receiver) => (name === 'ping' ? ping : Reflect.get(target, name, receiver)),
    });
  }

  it('answers 503 with Retry-After when the ping fails, and 200 again once it works', async () => {
    const store = await openStore({ kind: 'memory' }, onPremises);
    let down = true;
    const app = createApp({
      family: onPremises,
      store: failing(store, async () => {
        if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      }),
    });
    const res = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '1');
    assert.deepEqual(res.json(), { status: 'unavailable', checks: { database: 'unreachable' } });
    assert.ok(!res.body.includes('5432'), 'the error is not echoed');
    down = false;
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
    await app.close();
    await store.close();
  });

  it('answers 503 when the ping does not answer in time', async () => {
    const store = await openStore({ kind: 'memory' }, onPremises);
    const app = createApp({ store: failing(store, () => new Promise(() => undefined)), family: onPremises });
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(res.statusCode, 503);
    assert.ok(Date.now() - started < 5000);
    await app.close();
    await store.close();
  });
});
