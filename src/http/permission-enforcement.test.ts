import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClaimsAuthenticator, OffAuthenticator } from '../auth/authenticator.js';
import type { PermissionRow } from '../auth/permission-row.js';
import { familyRegistry } from '../family/family.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { testServer, urlFor, type TestServer } from './testing.js';

/**
 * The permission matrix as the HTTP route enforces it, row by row: for every operation of the
 * family, a token with one of the row's permissions gets past authorization (whatever the
 * operation then answers), and a token without gets 403 Authorization_RequestDenied.
 */
const permissionRows = familyRegistry(onPremises).permissions();
const TENANT = '5d2e1c4b-7a6f-4e3d-9c8b-0a1b2c3d4e5f';
const EVERY_PERMISSION = [
  ...new Set(permissionRows.flatMap((row) => [...row.delegated, ...row.application])),
  'User.Read',
  'Mail.Read',
];

let server: TestServer;
before(async () => {
  server = await testServer();
});
after(() => server.app.close());

async function call(row: PermissionRow, authorization: string | undefined) {
  return server.app.inject({
    method: row.method,
    url: urlFor(row.pattern),
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    payload: row.method === 'GET' || row.method === 'DELETE' ? undefined : '{}',
  });
}

function assertDenied(res: { statusCode: number; body: string }, what: string) {
  assert.equal(res.statusCode, 403, `${what}: ${res.body}`);
  const error = JSON.parse(res.body).error;
  assert.equal(error.code, 'Authorization_RequestDenied', what);
  assert.equal(error.message, 'Insufficient privileges to complete the operation.', what);
  // The reason: what the operation accepts (or that it needs a delegated token), what the token carries.
  assert.deepEqual(
    error.details.map((d: { code: string }) => d.code).sort(),
    [error.details[0].code, 'TokenPermissions'].sort(),
    what,
  );
  assert.match(error.details[0].code, /^(RequiredPermissions|DelegatedTokenRequired)$/, what);
}

function assertAllowed(res: { statusCode: number; body: string }, what: string) {
  assert.ok(res.statusCode !== 401 && res.statusCode !== 403, `${what}: ${res.statusCode} ${res.body}`);
}

for (const row of permissionRows) {
  describe(`${row.method} ${row.pattern}`, () => {
    test('delegated: each listed scope passes; every other scope is refused', async () => {
      for (const scope of row.delegated)
        assertAllowed(await call(row, `Bearer ${await server.userToken(TENANT, [scope])}`), scope);
      const others = EVERY_PERMISSION.filter((p) => !row.delegated.includes(p));
      assertDenied(await call(row, `Bearer ${await server.userToken(TENANT, others)}`), 'without a listed scope');
    });

    test(
      row.application.length > 0
        ? `application: only ${row.application.join(', ')}`
        : 'application: not supported, refused whatever the roles',
      async () => {
        for (const role of row.application)
          assertAllowed(await call(row, `Bearer ${await server.appToken(TENANT, [role])}`), role);
        const others = EVERY_PERMISSION.filter((p) => !row.application.includes(p));
        assertDenied(await call(row, `Bearer ${await server.appToken(TENANT, others)}`), 'without a listed role');
      },
    );
  });
}

describe('where the sources disagree, the choice is enforced', () => {
  const row = (method: string, pattern: string) =>
    permissionRows.find((r) => r.method === method && r.pattern === pattern)!;
  test('app tokens cannot list connectors (docs PR #8606) but can create connector groups (perms.json)', async () => {
    const app = `Bearer ${await server.appToken(TENANT, ['Directory.ReadWrite.All'])}`;
    assertDenied(await call(row('GET', '/onPremisesPublishingProfiles/{id}/connectors'), app), 'list connectors');
    assertAllowed(await call(row('POST', '/onPremisesPublishingProfiles/{id}/connectorGroups'), app), 'create a group');
  });
  test('the profile is readable by app tokens with Directory.Read.All (Microsoft365DSC), though perms.json says not supported', async () => {
    assertAllowed(
      await call(
        row('GET', '/onPremisesPublishingProfiles/{id}'),
        `Bearer ${await server.appToken(TENANT, ['Directory.Read.All'])}`,
      ),
      'profile',
    );
  });
  test('agent reads take Policy.Read.HybridAuthentication (perms.json), not OnPremisesPublishingProfiles.ReadWrite.All (collector tools)', async () => {
    const agents = row('GET', '/onPremisesPublishingProfiles/{id}/agents');
    assertAllowed(
      await call(agents, `Bearer ${await server.userToken(TENANT, ['Policy.Read.HybridAuthentication'])}`),
      'hybrid read',
    );
    assertDenied(
      await call(agents, `Bearer ${await server.userToken(TENANT, ['OnPremisesPublishingProfiles.ReadWrite.All'])}`),
      'publishing profiles',
    );
  });
});

describe('--auth claims and off', () => {
  const unsigned = (claims: object) =>
    `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

  test('claims: permissions still apply to unverified tokens', async () => {
    const claims = await testServer(() => new ClaimsAuthenticator());
    try {
      const connectors = permissionRows.find(
        (r) => r.method === 'GET' && r.pattern === '/onPremisesPublishingProfiles/{id}/connectors',
      )!;
      const res = (authorization: string) =>
        claims.app.inject({ url: urlFor(connectors.pattern), headers: { authorization } });
      assert.equal((await res(unsigned({ tid: TENANT, oid: 'u', scp: 'Directory.ReadWrite.All' }))).statusCode, 200);
      assertDenied(await res(unsigned({ tid: TENANT, oid: 'u', scp: 'User.Read' })), 'claims without the scope');
      assertDenied(
        await res(unsigned({ tid: TENANT, sub: 'sp', roles: ['Directory.ReadWrite.All'] })),
        'claims, app token',
      );
    } finally {
      await claims.app.close();
    }
  });

  test('off: every operation is allowed without a token, even app-unsupported ones', async () => {
    const off = await testServer(
      () =>
        new OffAuthenticator({ tenantId: TENANT, objectId: 'u', kind: 'user', scopes: new Set(), roles: new Set() }),
    );
    try {
      for (const row of permissionRows) {
        const res = await off.app.inject({
          method: row.method,
          url: urlFor(row.pattern),
          headers: { 'content-type': 'application/json' },
          payload: row.method === 'GET' || row.method === 'DELETE' ? undefined : '{}',
        });
        assertAllowed(res, `${row.method} ${row.pattern}`);
      }
    } finally {
      await off.app.close();
    }
  });
});
