import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_TENANT_SETTING } from '../auth/identity.js';
import { testServer, type TestServer } from './testing.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
let server: TestServer;
before(async () => {
  server = await testServer();
  await server.store.putSettingIfAbsent(DEFAULT_TENANT_SETTING, TENANT);
  await server.store.ensureTenant(TENANT, new Date());
});
after(() => server.app.close());

test('GET /: a page linking the console, $metadata, /health and the quick start; no token needed', async () => {
  const res = await server.app.inject({
    url: '/',
    headers: { host: '127.0.0.1:5080', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
  assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
  for (const href of [
    'http://127.0.0.1:5080/console/',
    'http://127.0.0.1:5080/beta/$metadata',
    'http://127.0.0.1:5080/health',
  ]) {
    assert.ok(res.body.includes(`<a href="${href}">`), `no link to ${href}`);
  }
  assert.ok(res.body.includes('id="quick-start"'));
  assert.ok(res.body.includes(`http://127.0.0.1:5080/${TENANT}/oauth2/v2.0/token`));
  // Every link it names answers (the quick start's token endpoint takes a POST).
  for (const path of ['/console/', '/beta/$metadata', '/health', `/${TENANT}/v2.0/.well-known/openid-configuration`]) {
    assert.equal((await server.app.inject({ url: path, headers: { host: '127.0.0.1:5080' } })).statusCode, 200, path);
  }
});

test('GET / with Accept: application/json: the same links as JSON; HEAD / answers too', async () => {
  const res = await server.app.inject({ url: '/', headers: { host: 'localhost:5080', accept: 'application/json' } });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    name: 'localgraph',
    graph: 'http://localhost:5080/beta/',
    metadata: 'http://localhost:5080/beta/$metadata',
    console: 'http://localhost:5080/console/',
    health: 'http://localhost:5080/health',
    tenantId: TENANT,
    authority: `http://localhost:5080/${TENANT}`,
    tokenEndpoint: `http://localhost:5080/${TENANT}/oauth2/v2.0/token`,
    openIdConfiguration: `http://localhost:5080/${TENANT}/v2.0/.well-known/openid-configuration`,
  });
  assert.equal(
    (await server.app.inject({ method: 'HEAD', url: '/', headers: { host: 'localhost:5080' } })).statusCode,
    200,
  );
});

test('the Host check still applies to /', async () => {
  const res = await server.app.inject({ url: '/', headers: { host: 'evil.example' } });
  assert.notEqual(res.statusCode, 200);
});
