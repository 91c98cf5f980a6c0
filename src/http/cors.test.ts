import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClaimsAuthenticator, OffAuthenticator } from '../auth/authenticator.js';
import { EXPOSED_HEADERS } from './cors.js';
import { testServer, type TestServer } from './testing.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const GROUPS = '/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups';
const ORIGIN = 'https://spa.contoso.example';

let strict: TestServer;
before(async () => {
  strict = await testServer();
});
after(() => strict.app.close());

test('a preflight is answered 200 without a token: methods, the headers asked for, a max age, any origin', async () => {
  const res = await strict.app.inject({
    method: 'OPTIONS',
    url: GROUPS,
    headers: {
      origin: ORIGIN,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,client-request-id,sdkversion',
    },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['access-control-allow-origin'], '*');
  assert.match(String(res.headers['access-control-allow-methods']), /\bPATCH\b.*\bDELETE\b/);
  assert.equal(res.headers['access-control-allow-headers'], 'authorization,content-type,client-request-id,sdkversion');
  assert.equal(res.headers['access-control-max-age'], '3600');
  assert.equal(res.headers['access-control-allow-credentials'], undefined, 'never credentials: bearer tokens only');
  assert.equal(res.body, '');
});

test("a cross-origin request is served as any other, and exposes Graph's headers; errors too", async () => {
  const token = await strict.userToken(TENANT, ['Directory.ReadWrite.All']);
  const created = await strict.app.inject({
    method: 'POST',
    url: GROUPS,
    headers: { origin: ORIGIN, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: { name: 'from a SPA' },
  });
  assert.ok(created.statusCode === 201 || created.statusCode === 200, created.body);
  assert.equal(created.headers['access-control-allow-origin'], '*');
  assert.equal(created.headers['access-control-expose-headers'], EXPOSED_HEADERS);
  for (const name of ['request-id', 'client-request-id', 'Location', 'ETag', 'Retry-After'])
    assert.ok(EXPOSED_HEADERS.split(', ').includes(name), name);
  const refused = await strict.app.inject({ url: GROUPS, headers: { origin: ORIGIN } });
  assert.equal(refused.statusCode, 401);
  assert.equal(refused.headers['access-control-allow-origin'], '*', 'a browser app can read the error');
  // Without Origin (SDKs, curl) nothing changes.
  assert.equal(
    (await strict.app.inject({ url: GROUPS, headers: { authorization: `Bearer ${token}` } })).headers[
      'access-control-allow-origin'
    ],
    undefined,
  );
});

test('not offered where tokens are not verified (claims, off), nor on the token endpoint or the admin API', async () => {
  for (const make of [
    () => new ClaimsAuthenticator(),
    () => new OffAuthenticator({ tenantId: TENANT, objectId: 'u', kind: 'user', scopes: new Set(), roles: new Set() }),
  ]) {
    const server = await testServer(make);
    const preflight = await server.app.inject({
      method: 'OPTIONS',
      url: GROUPS,
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
    });
    assert.equal(preflight.headers['access-control-allow-origin'], undefined, preflight.body);
    assert.equal(
      (await server.app.inject({ url: GROUPS, headers: { origin: ORIGIN } })).headers['access-control-allow-origin'],
      undefined,
    );
    await server.app.close();
  }
  const token = await strict.app.inject({
    method: 'OPTIONS',
    url: `/${TENANT}/oauth2/v2.0/token`,
    headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
  });
  assert.equal(token.headers['access-control-allow-origin'], undefined);
  const admin = await strict.app.inject({
    method: 'OPTIONS',
    url: '/_admin/',
    headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
  });
  assert.equal(admin.headers['access-control-allow-origin'], undefined);
});
