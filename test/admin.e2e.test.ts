/**
 * The admin API (`/_admin/`) and `localgraph admin ...` against the real `localgraph serve`:
 * its own credential, reset, fixtures (round trip through the CLI, `serve --seed`), ids, clock,
 * tokens, and one-line CLI errors.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { admin, adminToken, graph } from './helpers/admin.js';
import { CONNECTORS_PATH, GUID, request, runCli, startServer, tempDir, type RunningServer } from './helpers/server.js';

const CONNECTORS = '/onPremisesPublishingProfiles/applicationProxy/connectors';

/** A port nothing listens on (one the OS just gave out and took back). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
const GROUPS = '/onPremisesPublishingProfiles/applicationProxy/connectorGroups';
const device = (name: string) => ({ externalIp: '10.0.0.1', machineName: `${name}.contoso.com`, status: 'active' });

describe('admin API', () => {
  let server: RunningServer;
  let key: string;
  let token: string;
  let cli: (args: string[]) => ReturnType<typeof runCli>;
  before(async () => {
    server = await startServer();
    key = server.adminKey;
    token = await adminToken(server, key);
    cli = (args) => runCli(['admin', ...args, '--url', server.baseUrl, '--admin-key', key]);
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0);
  });

  it('has its own credential: no key, a wrong key or a Graph token is 401 in Graph’s envelope', async () => {
    assert.match(key, /^lgadm_/);
    for (const headers of [
      {},
      { 'x-localgraph-admin-key': 'wrong-key-123' },
      { authorization: `Bearer ${token}` },
    ] as Record<string, string>[]) {
      const res = await request(`${server.baseUrl}/_admin/export`, { headers });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'InvalidAuthenticationToken');
      assert.equal(res.body.error.innerError['request-id'], res.headers.get('request-id'));
    }
    const bearer = await request(`${server.baseUrl}/_admin/`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(bearer.status, 200);
    assert.equal(bearer.body.defaultTenant, server.tenantId);
    // ...and the admin key is no Graph token.
    const onGraph = await graph(server, key, 'GET', CONNECTORS);
    assert.equal(onGraph.status, 401);
  });

  it('an unknown admin endpoint is a 404 in Graph’s envelope', async () => {
    const res = await admin(server, key, 'GET', '/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'Request_ResourceNotFound');
    assert.match(res.body.error.message, /GET \/_admin\/nothing-here/);
  });

  it('POST /_admin/token mints Graph tokens for any tenant, delegated or app-only', async () => {
    const created = await graph(server, token, 'POST', CONNECTORS, device('token'));
    assert.equal(created.status, 201);
    const other = '5e5e5e5e-0000-4000-8000-000000000001';
    const otherToken = await adminToken(server, key, { tenantId: other, scopes: 'Directory.ReadWrite.All' });
    const list = await graph(server, otherToken, 'GET', CONNECTORS);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.value, [], 'another tenant sees nothing of the default one');
    const appOnly = await adminToken(server, key, { roles: ['Directory.ReadWrite.All'] });
    assert.equal((await graph(server, appOnly, 'POST', GROUPS, { name: 'by app' })).status, 200);
    const bad = await admin(server, key, 'POST', '/token', { scopes: 'A', roles: 'B' });
    assert.equal(bad.status, 400);
  });

  it('reset removes one tenant’s data or all, and the tenant keeps working', async () => {
    await graph(server, token, 'POST', CONNECTORS, device('doomed'));
    const one = await admin(server, key, 'POST', '/reset', { tenantId: server.tenantId });
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.reset, [server.tenantId]);
    const list = await graph(server, token, 'GET', CONNECTORS);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.value, []);
    const groups = await graph(server, token, 'GET', GROUPS);
    assert.equal(groups.body.value.length, 1, 'the default group is back');
    assert.equal(groups.body.value[0].isDefault, true);
    assert.equal((await graph(server, token, 'POST', CONNECTORS, device('after-reset'))).status, 201);

    const all = await runCli(['admin', 'reset', '--url', server.baseUrl, '--admin-key', key]);
    assert.equal(all.code, 0, all.stderr);
    assert.ok(JSON.parse(all.stdout).reset.includes(server.tenantId));
    assert.deepEqual((await graph(server, token, 'GET', CONNECTORS)).body.value, []);
    const unknown = await admin(server, key, 'POST', '/reset', { tenantId: '5e5e5e5e-0000-4000-8000-0000000000ff' });
    assert.equal(unknown.status, 404);
  });

  it('admin export | reset | import FILE | export gives the same document, through the CLI', async () => {
    const group = await graph(server, token, 'POST', GROUPS, { name: 'Fixture group' });
    const connector = await graph(server, token, 'POST', CONNECTORS, device('fixture'));
    await graph(server, token, 'POST', `${GROUPS}/${group.body.id}/members/$ref`, {
      '@odata.id': `${server.baseUrl}${CONNECTORS_PATH}/${connector.body.id}`,
    });
    const first = await cli(['export']);
    assert.equal(first.code, 0, first.stderr);
    const file = join(tempDir(), 'world.json');
    writeFileSync(file, first.stdout);
    const doc = JSON.parse(first.stdout);
    const tenant = doc.tenants.find((t: { id: string }) => t.id === server.tenantId);
    assert.deepEqual(
      tenant.connectors.map((c: { machineName: string; connectorGroupId: string }) => [
        c.machineName,
        c.connectorGroupId,
      ]),
      [['fixture.contoso.com', group.body.id]],
    );
    assert.equal(tenant.appRegistrations.length, 1, 'the default app, its secret hashed');
    assert.ok(!first.stdout.includes('lgQ~'), 'no secret in clear');

    assert.equal((await cli(['reset'])).code, 0);
    const imported = await cli(['import', file]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.ok(JSON.parse(imported.stdout).tenants.some((t: { id: string }) => t.id === server.tenantId));
    const [second, one] = await Promise.all([cli(['export']), cli(['export', '--tenant', server.tenantId])]);
    assert.equal(second.stdout, first.stdout);
    assert.equal(JSON.parse(one.stdout).tenants.length, 1);

    // The imported world is served.
    const got = await graph(server, token, 'GET', `${CONNECTORS}/${connector.body.id}/memberOf`);
    assert.equal(got.body.value[0].id, group.body.id);
  });

  it('an invalid fixture is refused in one line naming the place; nothing changes', async () => {
    const before = (await cli(['export'])).stdout;
    const file = join(tempDir(), 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ version: 1, tenants: [{ id: server.tenantId, connectors: [{ id: 'nope' }] }] }),
    );
    const result = await cli(['import', file]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^localgraph: 400 BadRequest: Invalid fixture at tenants\[0\]\.connectors\[0\]\.id: expected a GUID/,
    );
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.equal((await cli(['export'])).stdout, before);
  });

  it('admin ids --seed makes ids repeat; --random ends it', async () => {
    const run = async (how: 'cli' | 'api') => {
      if (how === 'cli') assert.equal((await cli(['ids', '--seed', 'e2e-seed'])).code, 0);
      else assert.equal((await admin(server, key, 'PUT', '/ids', { seed: 'e2e-seed' })).status, 200);
      await admin(server, key, 'POST', '/reset', { tenantId: server.tenantId });
      const group = await graph(server, token, 'POST', GROUPS, { name: 'seeded' });
      const connector = await graph(server, token, 'POST', CONNECTORS, device('seeded'));
      return [group.body.id, connector.body.id];
    };
    const first = await run('cli');
    assert.deepEqual(await run('api'), first);
    for (const id of first) assert.match(id, GUID);
    const shown = await cli(['ids']);
    assert.equal(JSON.parse(shown.stdout).seed, 'e2e-seed');
    assert.equal((await cli(['ids', '--random'])).code, 0);
    assert.equal((await admin(server, key, 'GET', '/ids')).body.seed, null);
  });

  it('admin clock --freeze, --advance, --system drive what the server writes', async () => {
    const frozen = await cli(['clock', '--freeze', '2030-01-01T00:00:00Z']);
    assert.equal(frozen.code, 0, frozen.stderr);
    assert.equal(JSON.parse(frozen.stdout).mode, 'frozen');
    const app = await graph(server, token, 'POST', '/applications', { displayName: 'Frozen' });
    assert.equal(app.body.createdDateTime, '2030-01-01T00:00:00Z');
    const notFound = await graph(server, token, 'GET', `${CONNECTORS}/5e5e5e5e-0000-4000-8000-000000000000`);
    assert.equal(notFound.body.error.innerError.date, '2030-01-01T00:00:00');
    const advanced = await admin(server, key, 'PUT', '/clock', { advance: '90s' });
    assert.equal(advanced.body.now, '2030-01-01T00:01:30.000Z');
    const back = await cli(['clock', '--advance=-30s']);
    assert.equal(JSON.parse(back.stdout).now, '2030-01-01T00:01:00.000Z');
    const system = await cli(['clock', '--system']);
    assert.equal(JSON.parse(system.stdout).mode, 'system');
    assert.ok(Math.abs(Date.parse((await admin(server, key, 'GET', '/clock')).body.now) - Date.now()) < 60_000);
    // Tokens keep working whatever the clock says: lifetimes are checked against real time.
    await admin(server, key, 'PUT', '/clock', { freeze: '2001-01-01T00:00:00Z' });
    assert.equal((await graph(server, token, 'GET', CONNECTORS)).status, 200);
    await admin(server, key, 'PUT', '/clock', { system: true });
  });

  it('admin token prints a token the server accepts; admin status shows the state', async () => {
    const printed = await cli(['token', '--scopes', 'Directory.ReadWrite.All']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal((await graph(server, printed.stdout.trim(), 'GET', CONNECTORS)).status, 200);
    const status = await cli(['status']);
    assert.equal(JSON.parse(status.stdout).defaultTenant, server.tenantId);
  });

  it('CLI mistakes are one line and exit 2; an unreachable server exits 1', async () => {
    const usage = async (args: string[], message: RegExp) => {
      const result = await runCli(args, { env: { ...process.env, LOCALGRAPH_ADMIN_KEY: '' } });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    };
    const closed = await closedPort();
    const [down] = await Promise.all([
      runCli(['admin', 'export', '--url', `http://127.0.0.1:${closed}`, '--admin-key', key]),
      usage(['admin', 'clock', '--freeze', 'soon', '--admin-key', key], /--freeze must be an ISO 8601/),
      usage(['admin', 'clock', '--freeze', '2030-01-01', '--system', '--admin-key', key], /give one of/),
      usage(['admin', 'import', '--admin-key', key], /takes one FILE/),
      usage(['admin', 'export'], /no admin key/),
      usage(['admin', 'export', '--tenant', 'x', '--admin-key', key], /--tenant must be a GUID/),
      usage(['admin', 'frobnicate'], /unknown admin command 'frobnicate'/),
      usage(['admin', 'export', '--bogus'], /Unknown option '--bogus'/),
      usage(['admin', 'export', '--url', 'ftp://x', '--admin-key', key], /--url must be/),
      usage(['simulate', 'connectors', '--admin-key', key], /--count must be a number from 1 to 1000/),
    ]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, new RegExp(`^localgraph: cannot reach http://127\\.0\\.0\\.1:${closed}: ECONNREFUSED`));
    const [wrongKey, help] = await Promise.all([
      runCli(['admin', 'export', '--url', server.baseUrl, '--admin-key', 'not-the-key']),
      runCli(['admin', '--help']),
    ]);
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stderr, /^localgraph: 401 InvalidAuthenticationToken: The admin key is missing or wrong/);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /localgraph admin <reset\|import\|export/);
  });
});
