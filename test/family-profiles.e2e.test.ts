/**
 * End to end: the publishing profiles (`/onPremisesPublishingProfiles`), against the real
 * `localgraph serve` process. Profiles exist without being created (one per publishing type);
 * clients read them, switch `isEnabled` / `isDefaultAccessEnabled` and PATCH the agent updater
 * configuration with the three bodies of the docs (one names `deferUpdate` for
 * `deferUpdateDateTime`, a docs bug that is refused).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GraphErrorBody } from './helpers/server.js';
import { startInProcess, type InProcessServer } from './helpers/in-process.js';
import { graphClient } from './helpers/graph.js';

let server: InProcessServer;
let admin: string;
let hybridRead: string;
let appDirectoryRead: string;

const PROFILES = '/beta/onPremisesPublishingProfiles';

before(async () => {
  server = await startInProcess();
  [admin, hybridRead, appDirectoryRead] = await Promise.all([
    server.token(['--scopes', 'Directory.ReadWrite.All OnPremisesPublishingProfiles.ReadWrite.All']),
    server.token(['--scopes', 'Policy.Read.HybridAuthentication']),
    server.token(['--roles', 'Directory.Read.All']),
  ]);
});

after(async () => {
  if (server) await server.stop();
});

const { get, send } = graphClient(
  () => server.baseUrl,
  () => admin,
);

async function profile(id: string): Promise<Record<string, any>> {
  const res = await get(`${PROFILES}/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

describe('GET /onPremisesPublishingProfiles', () => {
  it('lists one profile per publishing type, without the evolvable-enum sentinel', async () => {
    const res = await get(PROFILES);
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(res.body['@odata.context'], `${server.baseUrl}/beta/$metadata#onPremisesPublishingProfiles`);
    const ids = (res.body.value as Array<{ id: string }>).map((p) => p.id).sort();
    assert.deepEqual(ids, [
      'applicationProxy',
      'authentication',
      'exchangeOnline',
      'intunePfx',
      'oflineDomainJoin',
      'privateAccess',
      'provisioning',
    ]);
    assert.ok(!ids.includes('unknownFutureValue'));
    assert.ok(!ids.includes('adAdministration'));
    for (const p of res.body.value) {
      assert.equal(typeof p.isEnabled, 'boolean');
      assert.ok('hybridAgentUpdaterConfiguration' in p);
    }
  });
});

describe('GET /onPremisesPublishingProfiles/{id}', () => {
  for (const path of [
    '/applicationProxy',
    '/applicationproxy',
    '/APPLICATIONPROXY',
    "('applicationProxy')",
    "('applicationproxy')",
    '/applicationProxy/',
    "('applicationProxy')/",
  ]) {
    it(`addresses the applicationProxy profile as ${path}`, async () => {
      const res = await get(`${PROFILES}${path}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.id, 'applicationProxy');
      assert.match(res.body['@odata.context'], /\$metadata#onPremisesPublishingProfiles/);
      assert.equal(typeof res.body.isEnabled, 'boolean');
    });
  }

  it('serves every publishing type by its key', async () => {
    for (const id of [
      'exchangeOnline',
      'authentication',
      'provisioning',
      'intunePfx',
      'oflineDomainJoin',
      'privateAccess',
    ]) {
      assert.equal((await profile(id)).id, id);
    }
  });

  for (const key of [
    'nope',
    'unknownFutureValue',
    'passthroughAuthentication',
    'adAdministration',
    'offlineDomainJoin',
  ]) {
    it(`answers 404 for the unknown profile '${key}'`, async () => {
      const res = await get(`${PROFILES}/${key}`);
      assert.equal(res.status, 404, res.text);
      const body = res.body as GraphErrorBody;
      assert.equal(body.error.code, 'Request_ResourceNotFound');
      assert.ok(body.error.message.includes(key), body.error.message);
    });
  }

  it('PATCH of an unknown profile answers 404 and creates nothing', async () => {
    const res = await send('PATCH', `${PROFILES}/nope`, { isEnabled: false });
    assert.equal(res.status, 404, res.text);
    const list = await get(PROFILES);
    assert.ok(!(list.body.value as Array<{ id: string }>).some((p) => p.id === 'nope'));
  });
});

describe('PATCH /onPremisesPublishingProfiles/{id}', () => {
  it('switches isEnabled (204) and the change is visible', async () => {
    let res = await send('PATCH', `${PROFILES}('applicationProxy')`, { isEnabled: false });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    assert.equal((await profile('applicationProxy')).isEnabled, false);
    res = await send('PATCH', `${PROFILES}/applicationproxy`, { isEnabled: true });
    assert.equal(res.status, 204, res.text);
    assert.equal((await profile('applicationProxy')).isEnabled, true);
  });

  it('switches isDefaultAccessEnabled (204), leaving isEnabled alone', async () => {
    const before = await profile('applicationProxy');
    const res = await send('PATCH', `${PROFILES}/applicationProxy`, {
      isDefaultAccessEnabled: !before.isDefaultAccessEnabled,
    });
    assert.equal(res.status, 204, res.text);
    const after = await profile('applicationProxy');
    assert.equal(after.isDefaultAccessEnabled, !before.isDefaultAccessEnabled);
    assert.equal(after.isEnabled, before.isEnabled);
  });

  it('one profile changes, the others do not', async () => {
    const before = await profile('authentication');
    const res = await send('PATCH', `${PROFILES}/exchangeOnline`, { isEnabled: !before.isEnabled });
    assert.equal(res.status, 204, res.text);
    assert.equal((await profile('exchangeOnline')).isEnabled, !before.isEnabled);
    assert.deepEqual(await profile('authentication'), before);
  });

  it('refuses a wrong type (400) and changes nothing', async () => {
    const before = await profile('applicationProxy');
    const res = await send('PATCH', `${PROFILES}/applicationProxy`, { isEnabled: 'yes' });
    assert.equal(res.status, 400, res.text);
    assert.equal((res.body as GraphErrorBody).error.code, 'Request_BadRequest');
    assert.ok((res.body as GraphErrorBody).error.message.includes('isEnabled'));
    assert.deepEqual(await profile('applicationProxy'), before);
  });

  it('refuses an unknown property (400 naming it) and changes nothing', async () => {
    const before = await profile('applicationProxy');
    const res = await send('PATCH', `${PROFILES}/applicationProxy`, {
      isEnabled: !before.isEnabled,
      isSomething: true,
    });
    assert.equal(res.status, 400, res.text);
    assert.ok((res.body as GraphErrorBody).error.message.includes('isSomething'));
    assert.deepEqual(await profile('applicationProxy'), before);
  });

  it('refuses writing the key (id) and changes nothing', async () => {
    const before = await profile('provisioning');
    const res = await send('PATCH', `${PROFILES}/provisioning`, { id: 'authentication', isEnabled: !before.isEnabled });
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(await profile('provisioning'), before);
  });
});

describe('PATCH .../hybridAgentUpdaterConfiguration (the docs examples, P2)', () => {
  const CONFIG = `${PROFILES}/provisioning/hybridAgentUpdaterConfiguration`;

  it('example 1: the update window, stored as full TimeOfDay values', async () => {
    const res = await send('PATCH', CONFIG, {
      updateWindow: { updateWindowStartTime: '0:00:00', updateWindowEndTime: '23:59:00' },
    });
    assert.equal(res.status, 204, res.text);
    const p = await profile('provisioning');
    assert.deepEqual(p.hybridAgentUpdaterConfiguration.updateWindow, {
      updateWindowStartTime: '00:00:00.0000000',
      updateWindowEndTime: '23:59:00.0000000',
    });
    const direct = await get(CONFIG);
    assert.equal(direct.status, 200, direct.text);
    assert.equal(direct.body.updateWindow.updateWindowStartTime, '00:00:00.0000000');
    assert.equal(direct.body.updateWindow.updateWindowEndTime, '23:59:00.0000000');
  });

  it('example 3: allowUpdateConfigurationOverride merges into the existing value', async () => {
    let res = await send('PATCH', CONFIG, { allowUpdateConfigurationOverride: true });
    assert.equal(res.status, 204, res.text);
    let c = (await profile('provisioning')).hybridAgentUpdaterConfiguration;
    assert.equal(c.allowUpdateConfigurationOverride, true);
    assert.deepEqual(c.updateWindow, {
      updateWindowStartTime: '00:00:00.0000000',
      updateWindowEndTime: '23:59:00.0000000',
    });

    res = await send('PATCH', CONFIG, { allowUpdateConfigurationOverride: false });
    assert.equal(res.status, 204, res.text);
    c = (await profile('provisioning')).hybridAgentUpdaterConfiguration;
    assert.equal(c.allowUpdateConfigurationOverride, false);
    assert.deepEqual(c.updateWindow, {
      updateWindowStartTime: '00:00:00.0000000',
      updateWindowEndTime: '23:59:00.0000000',
    });
  });

  it("example 2 as printed (the docs' wrong name deferUpdate) is refused naming it, and changes nothing", async () => {
    const before = await profile('provisioning');
    const res = await send('PATCH', CONFIG, { deferUpdate: '2018-08-20T12:00' });
    assert.equal(res.status, 400, res.text);
    const body = res.body as GraphErrorBody;
    assert.ok(body.error.message.includes('deferUpdate'), body.error.message);
    assert.ok(body.error.details?.some((d) => d.target === 'deferUpdate'));
    assert.deepEqual(await profile('provisioning'), before);
  });

  it('example 2 with deferUpdateDateTime is stored as a UTC DateTimeOffset, merged', async () => {
    const res = await send('PATCH', CONFIG, { deferUpdateDateTime: '2018-08-20T12:00' });
    assert.equal(res.status, 204, res.text);
    const c = (await profile('provisioning')).hybridAgentUpdaterConfiguration;
    assert.equal(c.deferUpdateDateTime, '2018-08-20T12:00:00Z');
    assert.equal(c.allowUpdateConfigurationOverride, false);
    assert.deepEqual(c.updateWindow, {
      updateWindowStartTime: '00:00:00.0000000',
      updateWindowEndTime: '23:59:00.0000000',
    });
  });

  it('a nested PATCH of one window end keeps the other end', async () => {
    const res = await send('PATCH', CONFIG, { updateWindow: { updateWindowEndTime: '22:30:00' } });
    assert.equal(res.status, 204, res.text);
    const c = (await profile('provisioning')).hybridAgentUpdaterConfiguration;
    assert.deepEqual(c.updateWindow, {
      updateWindowStartTime: '00:00:00.0000000',
      updateWindowEndTime: '22:30:00.0000000',
    });
    assert.equal(c.deferUpdateDateTime, '2018-08-20T12:00:00Z');
  });

  it('an invalid TimeOfDay is refused (400) and changes nothing', async () => {
    const before = await profile('provisioning');
    const res = await send('PATCH', CONFIG, { updateWindow: { updateWindowStartTime: '25:00:00' } });
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(await profile('provisioning'), before);
  });

  it('other profiles keep their own configuration', async () => {
    const c = (await profile('authentication')).hybridAgentUpdaterConfiguration;
    assert.equal(c.deferUpdateDateTime, null);
    assert.equal(c.updateWindow, null);
  });

  it('works through the parenthesised key too', async () => {
    const res = await send('PATCH', `${PROFILES}('authentication')/hybridAgentUpdaterConfiguration`, {
      allowUpdateConfigurationOverride: true,
    });
    assert.equal(res.status, 204, res.text);
    assert.equal(
      (await profile('authentication')).hybridAgentUpdaterConfiguration.allowUpdateConfigurationOverride,
      true,
    );
  });
});

describe('navigations a profile does not serve', () => {
  const cases: Array<[string, string]> = [
    ['/provisioning/connectors', 'applicationProxy'],
    ['/provisioning/connectorGroups', 'applicationProxy'],
    ['/applicationProxy/agents', 'provisioning'],
    ['/applicationProxy/agentGroups', 'provisioning'],
    ['/privateAccess/publishedResources', 'provisioning'],
    ['/provisioning/sensors', 'privateAccess'],
    ['/applicationProxy/sensors', 'privateAccess'],
  ];
  for (const [path, serving] of cases) {
    it(`GET ${path} → 404 Request_ResourceNotFound naming '${serving}'`, async () => {
      const res = await get(`${PROFILES}${path}`);
      assert.equal(res.status, 404, res.text);
      const body = res.body as GraphErrorBody;
      assert.equal(body.error.code, 'Request_ResourceNotFound');
      assert.ok(body.error.message.includes(`'${serving}'`), body.error.message);
    });
  }

  it('POST /provisioning/connectors → 404 and no connector appears under applicationProxy', async () => {
    const before = await get(`${PROFILES}/applicationProxy/connectors`);
    const res = await send('POST', `${PROFILES}/provisioning/connectors`, {
      externalIp: '1.1.1.1',
      machineName: 'x',
      status: 'active',
    });
    assert.equal(res.status, 404, res.text);
    assert.equal((res.body as GraphErrorBody).error.code, 'Request_ResourceNotFound');
    const after = await get(`${PROFILES}/applicationProxy/connectors`);
    assert.deepEqual(after.body.value, before.body.value);
  });
});

describe('GET /provisioning?$expand=agents,agentGroups,publishedResources (P1 example)', () => {
  it('inlines each contained navigation, empty then filled', async () => {
    let res = await get(`${PROFILES}/provisioning?$expand=agents,agentGroups,publishedResources`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, 'provisioning');
    assert.deepEqual(res.body.agents, []);
    assert.deepEqual(res.body.agentGroups, []);
    assert.deepEqual(res.body.publishedResources, []);

    const agent = await send('POST', `${PROFILES}/provisioning/agents`, {
      externalIp: '1.0.0.127',
      machineName: 'server 1',
      status: 'active',
    });
    assert.equal(agent.status, 201, agent.text);
    const group = await send('POST', `${PROFILES}/provisioning/agentGroups`, { displayName: 'Group 1' });
    assert.equal(group.status, 201, group.text);
    const resource = await send('POST', `${PROFILES}/provisioning/publishedResources`, {
      displayName: 'Demo Provisioning',
      resourceName: 'domain1.contoso.com',
    });
    assert.equal(resource.status, 201, resource.text);

    res = await get(`${PROFILES}/provisioning?$expand=publishedResources,agents,agentGroups`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.agents.map((a: any) => a.id),
      [agent.body.id],
    );
    assert.equal(res.body.agents[0].machineName, 'server 1');
    assert.deepEqual(
      res.body.agentGroups.map((g: any) => g.id),
      [group.body.id],
    );
    assert.equal(res.body.agentGroups[0].publishingType, 'provisioning');
    assert.equal(res.body.agentGroups[0].isDefault, false);
    assert.deepEqual(
      res.body.publishedResources.map((r: any) => r.id),
      [resource.body.id],
    );
    assert.equal(res.body.publishedResources[0].resourceName, 'domain1.contoso.com');
    assert.ok('hybridAgentUpdaterConfiguration' in res.body);

    // Another profile's expansion stays empty.
    const other = await get(`${PROFILES}/authentication?$expand=agents,agentGroups,publishedResources`);
    assert.equal(other.status, 200, other.text);
    assert.deepEqual(other.body.agents, []);
    assert.deepEqual(other.body.agentGroups, []);
    assert.deepEqual(other.body.publishedResources, []);
  });

  it('expanding a navigation the profile does not serve yields an empty list', async () => {
    const res = await get(`${PROFILES}/provisioning?$expand=connectors`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.connectors, []);
  });
});

describe('$expand and the permission matrix', () => {
  /**
   * A token that may read the profile but not a contained collection must not get that
   * collection by expanding it: Graph answers 403 (or leaves it out); it never discloses it.
   */
  async function assertNotDisclosed(path: string, token: string, secret: string): Promise<void> {
    const res = await get(path, token);
    assert.ok(
      res.status === 403 || (res.status === 200 && !res.text.includes(secret)),
      `${path} disclosed ${secret}: ${res.status} ${res.text}`,
    );
  }

  it('the profile itself is readable with Policy.Read.HybridAuthentication and app Directory.Read.All', async () => {
    assert.equal((await get(`${PROFILES}/provisioning`, hybridRead)).status, 200);
    assert.equal((await get(`${PROFILES}/applicationProxy`, appDirectoryRead)).status, 200);
  });

  it('$expand needs the permission of the navigation it reads: Policy.Read.HybridAuthentication cannot read published resources through /provisioning?$expand=publishedResources', async () => {
    const created = await send('POST', `${PROFILES}/provisioning/publishedResources`, {
      displayName: 'secret resource',
      resourceName: 'secret.contoso.com',
    });
    assert.equal(created.status, 201, created.text);
    const direct = await get(`${PROFILES}/provisioning/publishedResources`, hybridRead);
    assert.equal(direct.status, 403, direct.text);
    await assertNotDisclosed(`${PROFILES}/provisioning?$expand=publishedResources`, hybridRead, created.body.id);
  });

  it('$expand: Policy.Read.HybridAuthentication cannot read connectors and connector groups through /applicationProxy?$expand=connectors,connectorGroups', async () => {
    const created = await send('POST', `${PROFILES}/applicationProxy/connectors`, {
      externalIp: '10.9.8.7',
      machineName: 'secret-connector.contoso.com',
      status: 'active',
    });
    assert.equal(created.status, 201, created.text);
    for (const nav of ['connectors', 'connectorGroups']) {
      const direct = await get(`${PROFILES}/applicationProxy/${nav}`, hybridRead);
      assert.equal(direct.status, 403, direct.text);
    }
    await assertNotDisclosed(`${PROFILES}/applicationProxy?$expand=connectors`, hybridRead, created.body.id);
    const groups = await get(`${PROFILES}/applicationProxy/connectorGroups`);
    await assertNotDisclosed(
      `${PROFILES}/applicationProxy?$expand=connectorGroups`,
      hybridRead,
      groups.body.value[0].id,
    );
  });

  it('$expand: an app token (Directory.Read.All) cannot read connectors through $expand, as connector reads are delegated-only', async () => {
    const created = await send('POST', `${PROFILES}/applicationProxy/connectors`, {
      externalIp: '10.9.8.6',
      machineName: 'app-secret.contoso.com',
      status: 'active',
    });
    assert.equal(created.status, 201, created.text);
    const direct = await get(`${PROFILES}/applicationProxy/connectors`, appDirectoryRead);
    assert.equal(direct.status, 403, direct.text);
    await assertNotDisclosed(`${PROFILES}/applicationProxy?$expand=connectors`, appDirectoryRead, created.body.id);
  });

  it('$expand: Policy.Read.HybridAuthentication cannot read Private Access sensors through /privateAccess?$expand=sensors', async () => {
    const created = await send('POST', `${PROFILES}/privateAccess/sensors`, {
      externalIp: '192.68.16.158',
      machineName: 'secret-sensor.contoso.com',
      status: 'active',
    });
    assert.equal(created.status, 201, created.text);
    const direct = await get(`${PROFILES}/privateAccess/sensors`, hybridRead);
    assert.equal(direct.status, 403, direct.text);
    await assertNotDisclosed(`${PROFILES}/privateAccess?$expand=sensors`, hybridRead, created.body.id);
  });
});
