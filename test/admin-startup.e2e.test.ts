/**
 * The control plane at start: the admin key (made once and kept, or given by --admin-key or
 * LOCALGRAPH_ADMIN_KEY) and `serve --seed FILE`.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { admin, adminToken, graph } from './helpers/admin.js';
import { durable, onlyOn } from './helpers/backend.js';
import { freshDatabaseUrl, runCli, startServer, tempDir } from './helpers/server.js';

const CONNECTORS = '/onPremisesPublishingProfiles/applicationProxy/connectors';

describe('admin key and serve --seed', () => {
  it('the generated key survives a restart; --admin-key and LOCALGRAPH_ADMIN_KEY override it', durable(), async () => {
    const first = await startServer();
    const key = first.adminKey;
    assert.equal(await first.stop(), 0);
    assert.ok(first.stdout().includes(key), 'the first start prints the key it made');
    const again = await startServer(first.sameStorage());
    assert.equal(again.adminKey, key);
    assert.equal((await admin(again, key, 'GET', '/')).status, 200, 'the key works after a restart');
    assert.ok(!again.stdout().includes(key), 'a restart does not print the key again');
    assert.match(again.stdout(), /admin: \S+\/_admin\/ with the key shown at first start/);
    assert.equal(await again.stop(), 0);
    const flagged = await startServer({ ...first.sameStorage(), args: ['--admin-key', 'my-own-admin-key'] });
    assert.equal(flagged.adminKey, 'my-own-admin-key');
    assert.ok(!flagged.stdout().includes('my-own-admin-key'), 'a given key is never printed');
    assert.equal((await admin(flagged, 'my-own-admin-key', 'GET', '/')).status, 200);
    assert.equal((await admin(flagged, key, 'GET', '/')).status, 401);
    assert.equal(await flagged.stop(), 0);
    const env = await startServer({
      inMemory: true,
      env: { ...process.env, LOCALGRAPH_ADMIN_KEY: 'key-from-the-env' },
    });
    assert.equal((await admin(env, 'key-from-the-env', 'GET', '/')).status, 200);
    assert.equal(await env.stop(), 0);
  });

  it('serve --seed FILE loads a fixture at start', async () => {
    const tenant = '7a7a7a7a-0000-4000-8000-000000000001';
    const group = '7a7a7a7a-0000-4000-8000-000000000002';
    const connector = '7a7a7a7a-0000-4000-8000-000000000003';
    const file = join(tempDir(), 'seed.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        tenants: [
          {
            id: tenant,
            connectorGroups: [{ id: group, name: 'Seeded default', isDefault: true, region: 'eur' }],
            connectors: [
              { id: connector, externalIp: '1.2.3.4', machineName: 'seeded.contoso.com', status: 'inactive' },
            ],
          },
        ],
      }),
    );
    const server = await startServer({ args: ['--seed', file, '--admin-key', 'seed-test-key'] });
    try {
      assert.match(
        server.stdout(),
        new RegExp(`seed: .*seed\\.json loaded \\(1 tenant; ${tenant} is the default tenant\\)`),
      );
      // The fixture's tenant is the default one: the banner's tenant, and the token printed
      // (in memory) or made by localgraph token, see the seeded data.
      assert.equal(server.tenantId, tenant);
      const printed = server.printedToken ?? (await server.token());
      assert.equal((await graph(server, printed, 'GET', `${CONNECTORS}/${connector}`)).status, 200);
      const token = await adminToken(server, 'seed-test-key', { tenantId: tenant });
      const got = await graph(server, token, 'GET', `${CONNECTORS}/${connector}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.machineName, 'seeded.contoso.com');
      const memberOf = await graph(server, token, 'GET', `${CONNECTORS}/${connector}/memberOf`);
      assert.equal(memberOf.body.value[0].name, 'Seeded default');
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const bad = join(tempDir(), 'bad-seed.json');
    writeFileSync(bad, JSON.stringify({ version: 1, tenants: [{ id: tenant, sensors: [{}] }] }));
    const [refused, missing] = await Promise.all([
      runCli(['serve', '--in-memory', '--port', '0', '--seed', bad]),
      runCli(['serve', '--in-memory', '--port', '0', '--seed', join(tempDir(), 'none.json')]),
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--seed .*bad-seed\.json: Invalid fixture at tenants\[0\]\.sensors\[0\]\.id/);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--seed .*none\.json: no such file/);
  });
});

describe('several instances on one PostgreSQL database', onlyOn('postgres', 'two instances share one database'), () => {
  it('a reset or an import through one instance is seen by the others within a second', async () => {
    const first = await startServer({ databaseUrl: freshDatabaseUrl(), args: ['--admin-key', 'shared-admin-key'] });
    const second = await startServer({ ...first.sameStorage(), args: ['--admin-key', 'shared-admin-key'] });
    try {
      const token = await adminToken(first, 'shared-admin-key');
      const device = { externalIp: '10.0.0.1', machineName: 'shared.contoso.com', status: 'active' };
      // The second instance learns the tenant's default group...
      assert.equal((await graph(second, token, 'POST', CONNECTORS, device)).status, 201);
      // ...which a reset through the first removes (and the next request there makes anew).
      assert.equal((await admin(first, 'shared-admin-key', 'POST', '/reset', {})).status, 200);
      assert.equal((await graph(first, token, 'GET', CONNECTORS)).status, 200);
      let status = 0;
      for (let i = 0; i < 20 && status !== 201; i++) {
        await new Promise((r) => setTimeout(r, 250));
        status = (await graph(second, token, 'POST', CONNECTORS, device)).status;
      }
      assert.equal(status, 201, 'the second instance forgot the old default group');
      const listed = await graph(first, token, 'GET', CONNECTORS);
      assert.equal(listed.body.value.length, 1);
    } finally {
      assert.equal(await second.stop(), 0);
      assert.equal(await first.stop(), 0);
    }
  });
});
