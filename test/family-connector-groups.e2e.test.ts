/**
 * End to end: connector groups and connector membership under the `applicationProxy` profile,
 * against the real `localgraph serve` process: the live status codes (create 200, update 204),
 * client-sent `isDefault` and type ignored, `$ref` writes 204, one group per connector.
 * One server (fresh data folder) serves the file; a second one, started with
 * `--status-codes docs`, checks the documented status codes.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { onlyOn } from './helpers/backend.js';
import { errorOf, freshDatabaseUrl, GUID, request, type JsonResponse } from './helpers/server.js';
import { startInProcess, type InProcessServer } from './helpers/in-process.js';
import { assertGraphError, graphClient } from './helpers/graph.js';

let server: InProcessServer;
let admin: string;
let otherTenantAdmin: string;

const AP = '/beta/onPremisesPublishingProfiles/applicationProxy';
const GROUPS = `${AP}/connectorGroups`;
const CONNECTORS = `${AP}/connectors`;
const SCOPES = 'Directory.ReadWrite.All';
const json = { 'content-type': 'application/json' };

before(async () => {
  server = await startInProcess();
  [admin, otherTenantAdmin] = await Promise.all([
    server.token(['--scopes', SCOPES]),
    server.token(['--tenant', randomUUID(), '--scopes', SCOPES]),
  ]);
});

after(async () => {
  if (server) await server.stop();
});

// ---------------------------------------------------------------------------------------------

function url(path: string, base = server.baseUrl): string {
  return `${base}${path}`;
}

const { get, send } = graphClient(
  () => server.baseUrl,
  () => admin,
);

async function createGroup(body: Record<string, unknown> = {}, token = admin): Promise<Record<string, any>> {
  const res = await send('POST', GROUPS, { name: `group-${randomUUID().slice(0, 8)}`, ...body }, token);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

async function createConnector(token = admin): Promise<Record<string, any>> {
  const res = await send(
    'POST',
    CONNECTORS,
    { externalIp: '131.137.147.164', machineName: `c-${randomUUID().slice(0, 8)}.contoso.com`, status: 'active' },
    token,
  );
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function groups(token = admin): Promise<Array<Record<string, any>>> {
  const res = await get(GROUPS, token);
  assert.equal(res.status, 200, res.text);
  return res.body.value;
}

async function defaultGroup(token = admin): Promise<Record<string, any>> {
  const defaults = (await groups(token)).filter((g) => g.isDefault === true);
  assert.equal(defaults.length, 1, JSON.stringify(defaults));
  return defaults[0];
}

async function getGroup(id: string): Promise<Record<string, any>> {
  const res = await get(`${GROUPS}/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

async function memberOfIds(connectorId: string): Promise<string[]> {
  const res = await get(`${CONNECTORS}/${connectorId}/memberOf`);
  assert.equal(res.status, 200, res.text);
  return (res.body.value as Array<{ id: string }>).map((g) => g.id);
}

async function memberIds(groupId: string): Promise<string[]> {
  const res = await get(`${GROUPS}/${groupId}/members`);
  assert.equal(res.status, 200, res.text);
  return (res.body.value as Array<{ id: string }>).map((c) => c.id);
}

async function createPublishedApp(): Promise<Record<string, any>> {
  const res = await send('POST', '/beta/applications', {
    displayName: `app-${randomUUID().slice(0, 8)}`,
    onPremisesPublishing: {
      internalUrl: 'https://intranet.contoso.com',
      externalUrl: 'https://intranet-contoso.msappproxy.net',
    },
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function assignApp(appId: string, groupId: string): Promise<void> {
  const res = await send('PUT', `/beta/applications/${appId}/connectorGroup/$ref`, {
    '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationproxy/connectorGroups/${groupId}`,
  });
  assert.equal(res.status, 204, res.text);
}

const graphRef = (path: string) => ({
  '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/${path}`,
});

// ---------------------------------------------------------------------------------------------

describe('the default connector group', () => {
  it('exists from the first request: isDefault, applicationProxy, "Default"', async () => {
    const group = await defaultGroup();
    assert.match(group.id, GUID);
    assert.equal(group.name, 'Default');
    assert.equal(group.connectorGroupType, 'applicationProxy');
    assert.equal(group.isDefault, true);
  });

  it('is made exactly once under 20 concurrent first requests of a fresh tenant', async () => {
    const token = await server.token(['--tenant', randomUUID(), '--scopes', SCOPES]);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? get(GROUPS, token)
          : send(
              'POST',
              CONNECTORS,
              { externalIp: '10.0.0.1', machineName: `race-${i}.contoso.com`, status: 'active' },
              token,
            ),
      ),
    );
    for (const res of responses) assert.ok(res.status === 200 || res.status === 201, res.text);
    for (const res of responses.filter((r) => r.status === 200)) {
      const defaults = (res.body.value as any[]).filter((g) => g.isDefault);
      assert.equal(defaults.length, 1, res.text);
    }
    const all = await groups(token);
    assert.equal(all.length, 1, JSON.stringify(all));
    assert.equal(all[0].isDefault, true);
    assert.equal(all[0].name, 'Default');
    // Every connector registered during the race joined that one group.
    const members = await get(`${GROUPS}/${all[0].id}/members`, token);
    assert.equal(members.status, 200, members.text);
    assert.equal(members.body.value.length, 10);
  });

  it(
    'is made exactly once when two instances on one PostgreSQL database get a fresh tenant at once',
    onlyOn('postgres', 'two instances share one database'),
    async () => {
      const databaseUrl = freshDatabaseUrl();
      const first = await startInProcess({ databaseUrl });
      const twin = await startInProcess({ databaseUrl });
      try {
        const token = await first.token(['--tenant', randomUUID(), '--scopes', SCOPES]);
        const responses = await Promise.all(
          Array.from({ length: 20 }, (_, i) => {
            const base = i % 2 === 0 ? first.baseUrl : twin.baseUrl;
            return i % 4 < 2
              ? request(url(GROUPS, base), { headers: { authorization: `Bearer ${token}` } })
              : request(url(CONNECTORS, base), {
                  method: 'POST',
                  headers: { authorization: `Bearer ${token}`, ...json },
                  body: JSON.stringify({
                    externalIp: '10.0.0.2',
                    machineName: `twin-${i}.contoso.com`,
                    status: 'active',
                  }),
                });
          }),
        );
        for (const res of responses) assert.ok(res.status === 200 || res.status === 201, res.text);
        const seen = new Set<string>();
        for (const base of [first.baseUrl, twin.baseUrl]) {
          const res = await request(url(GROUPS, base), { headers: { authorization: `Bearer ${token}` } });
          assert.equal(res.status, 200, res.text);
          assert.equal(res.body.value.length, 1, res.text);
          assert.equal(res.body.value[0].isDefault, true);
          seen.add(res.body.value[0].id);
          const members = await request(url(`${GROUPS}/${res.body.value[0].id}/members`, base), {
            headers: { authorization: `Bearer ${token}` },
          });
          assert.equal(members.body.value.length, 10, members.text);
        }
        assert.equal(seen.size, 1);
      } finally {
        await twin.stop();
        await first.stop();
      }
    },
  );

  it('each tenant has its own default group', async () => {
    const mine = await defaultGroup();
    const theirs = await defaultGroup(otherTenantAdmin);
    assert.notEqual(mine.id, theirs.id);
    const cross = await get(`${GROUPS}/${theirs.id}`);
    assert.equal(cross.status, 404, cross.text);
  });

  it('cannot be deleted (400), and stays', async () => {
    const group = await defaultGroup();
    const res = await send('DELETE', `${GROUPS}/${group.id}`);
    assertGraphError(res, 400, 'Request_BadRequest');
    assert.match(errorOf(res).message, /default connector group/i);
    const { '@odata.context': _context, ...after } = await getGroup(group.id);
    assert.deepEqual(after, group);
    assert.equal((await defaultGroup()).id, group.id);
  });
});

describe('POST /connectorGroups', () => {
  it('answers 200 with the group (live status code) and it is listed', async () => {
    const res = await send('POST', GROUPS, { name: 'IWA Demo Connector Group', region: 'eur' });
    assert.equal(res.status, 200, res.text);
    assert.equal(
      res.body['@odata.context'],
      `${server.baseUrl}/beta/$metadata#onPremisesPublishingProfiles('applicationProxy')/connectorGroups/$entity`,
    );
    assert.match(res.body.id, GUID);
    assert.equal(res.body.name, 'IWA Demo Connector Group');
    assert.equal(res.body.region, 'eur');
    assert.equal(res.body.isDefault, false);
    assert.equal(res.body.connectorGroupType, 'applicationProxy');
    assert.ok((await groups()).some((g) => g.id === res.body.id));
  });

  it('requires name (400 naming it) and creates nothing', async () => {
    const before = await groups();
    const res = await send('POST', GROUPS, { region: 'eur' });
    assert.equal(res.status, 400, res.text);
    const error = errorOf(res);
    assert.equal(error.code, 'Request_BadRequest');
    assert.ok(error.message.includes("'name'"), error.message);
    assert.equal(error.details?.[0]?.target, 'name');
    assert.equal((await groups()).length, before.length);
  });

  for (const region of ['japan', 'NorthAmerica', 'west', 7]) {
    it(`refuses region ${JSON.stringify(region)} (400 naming region) and creates nothing`, async () => {
      const before = await groups();
      const res = await send('POST', GROUPS, { name: 'bad region', region });
      assert.equal(res.status, 400, res.text);
      assert.ok(errorOf(res).message.includes('region'), errorOf(res).message);
      assert.equal((await groups()).length, before.length);
    });
  }

  for (const region of ['nam', 'eur', 'aus', 'asia', 'ind']) {
    it(`accepts region '${region}'`, async () => {
      assert.equal((await createGroup({ region })).region, region);
    });
  }

  it('ignores isDefault: true and connectorGroupType sent on create (as the live service does)', async () => {
    const group = await createGroup({ isDefault: true, connectorGroupType: 'applicationProxy' });
    assert.equal(group.isDefault, false);
    assert.equal(group.connectorGroupType, 'applicationProxy');
    assert.equal((await getGroup(group.id)).isDefault, false);
    // Still exactly one default.
    await defaultGroup();
  });

  it('ignores a client id: the group gets a server id', async () => {
    const id = randomUUID();
    const group = await createGroup({ id });
    assert.notEqual(group.id, id);
    assert.equal((await get(`${GROUPS}/${id}`)).status, 404);
  });
});

describe('PATCH /connectorGroups/{id}', () => {
  it('answers 204 (live status code) and the change is visible', async () => {
    const group = await createGroup({ region: 'nam' });
    const res = await send('PATCH', `${GROUPS}/${group.id}`, { name: 'renamed', region: 'asia' });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    const after = await getGroup(group.id);
    assert.equal(after.name, 'renamed');
    assert.equal(after.region, 'asia');
  });

  it('refuses an invalid region (400) and changes nothing', async () => {
    const group = await createGroup({ region: 'nam' });
    const res = await send('PATCH', `${GROUPS}/${group.id}`, { region: 'japan' });
    assert.equal(res.status, 400, res.text);
    assert.equal((await getGroup(group.id)).region, 'nam');
  });

  it('ignores isDefault: true sent on update', async () => {
    const group = await createGroup();
    const res = await send('PATCH', `${GROUPS}/${group.id}`, { isDefault: true, name: 'still not default' });
    assert.equal(res.status, 204, res.text);
    const after = await getGroup(group.id);
    assert.equal(after.isDefault, false);
    assert.equal(after.name, 'still not default');
    await defaultGroup();
  });

  it('answers 404 for an unknown group', async () => {
    const res = await send('PATCH', `${GROUPS}/${randomUUID()}`, { name: 'x' });
    assertGraphError(res, 404, 'Request_ResourceNotFound');
  });
});

describe('--status-codes docs', () => {
  let docs: InProcessServer;
  let token: string;
  before(async () => {
    docs = await startInProcess({ statusCodes: 'docs' });
    token = await docs.token(['--scopes', SCOPES]);
  });
  after(async () => {
    if (docs) await docs.stop();
  });

  it('create answers 201 with the group, update 200 with the updated group', async () => {
    const created = await request(url(GROUPS, docs.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...json },
      body: JSON.stringify({ name: 'Connector Group Demo' }),
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.name, 'Connector Group Demo');
    assert.equal(created.body.isDefault, false);
    assert.match(created.body.id, GUID);

    const updated = await request(url(`${GROUPS}/${created.body.id}`, docs.baseUrl), {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, ...json },
      body: JSON.stringify({ name: 'Connector Group Demo (renamed)', region: 'eur' }),
    });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.id, created.body.id);
    assert.equal(updated.body.name, 'Connector Group Demo (renamed)');
    assert.equal(updated.body.region, 'eur');
    assert.equal(updated.body.isDefault, false);
    assert.match(updated.body['@odata.context'], /connectorGroups\/\$entity$/);
  });
});

describe('connector membership', () => {
  it('a new connector joins the default group', async () => {
    const connector = await createConnector();
    const defaults = await defaultGroup();
    assert.deepEqual(await memberOfIds(connector.id), [defaults.id]);
    assert.ok((await memberIds(defaults.id)).includes(connector.id));
    const res = await get(`${CONNECTORS}/${connector.id}/memberOf`);
    assert.equal(
      res.body['@odata.context'],
      `${server.baseUrl}/beta/$metadata#onPremisesPublishingProfiles('applicationProxy')/connectorGroups`,
    );
    assert.equal(res.body.value[0].isDefault, true);
  });

  it('POST connectorGroups/{id}/members/$ref moves the connector (204)', async () => {
    const connector = await createConnector();
    const defaults = await defaultGroup();
    const group = await createGroup();
    const res = await send('POST', `${GROUPS}/${group.id}/members/$ref`, graphRef(`connectors/${connector.id}`));
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    assert.deepEqual(await memberOfIds(connector.id), [group.id]);
    assert.deepEqual(await memberIds(group.id), [connector.id]);
    assert.ok(!(await memberIds(defaults.id)).includes(connector.id));
  });

  it('POST connectors/{id}/memberOf/$ref moves it again: exactly one group afterwards', async () => {
    const connector = await createConnector();
    const first = await createGroup();
    const second = await createGroup();
    let res = await send(
      'POST',
      `${CONNECTORS}/${connector.id}/memberOf/$ref`,
      graphRef(`connectorGroups/${first.id}`),
    );
    assert.equal(res.status, 204, res.text);
    assert.deepEqual(await memberOfIds(connector.id), [first.id]);
    res = await send('POST', `${CONNECTORS}/${connector.id}/memberOf/$ref`, graphRef(`connectorGroups/${second.id}`));
    assert.equal(res.status, 204, res.text);
    assert.deepEqual(await memberOfIds(connector.id), [second.id]);
    assert.deepEqual(await memberIds(second.id), [connector.id]);
    assert.deepEqual(await memberIds(first.id), []);
  });

  it('adding a connector to the group it is already in is accepted and changes nothing', async () => {
    const connector = await createConnector();
    const group = await createGroup();
    for (let i = 0; i < 2; i++) {
      const res = await send('POST', `${GROUPS}/${group.id}/members/$ref`, graphRef(`connectors/${connector.id}`));
      assert.equal(res.status, 204, res.text);
    }
    assert.deepEqual(await memberOfIds(connector.id), [group.id]);
    assert.deepEqual(await memberIds(group.id), [connector.id]);
  });

  it('the @odata.id that GET .../members/$ref returns can be posted back (round trip)', async () => {
    const connector = await createConnector();
    const from = await createGroup();
    const to = await createGroup();
    assert.equal(
      (await send('POST', `${GROUPS}/${from.id}/members/$ref`, graphRef(`connectors/${connector.id}`))).status,
      204,
    );
    const refs = await get(`${GROUPS}/${from.id}/members/$ref`);
    assert.equal(refs.status, 200, refs.text);
    assert.equal(refs.body.value.length, 1);
    const ref = refs.body.value[0]['@odata.id'];
    assert.ok(ref.endsWith(connector.id), ref);
    const res = await send('POST', `${GROUPS}/${to.id}/members/$ref`, { '@odata.id': ref });
    assert.equal(res.status, 204, res.text);
    assert.deepEqual(await memberOfIds(connector.id), [to.id]);
  });

  describe('@odata.id forms', () => {
    const forms: Array<[string, (groupId: string) => string]> = [
      [
        'with /beta/',
        (g) => `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${g}`,
      ],
      [
        'without a version',
        (g) => `https://graph.microsoft.com/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${g}`,
      ],
      [
        'another host',
        (g) => `http://localhost:9999/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${g}`,
      ],
      [
        'lower-case applicationproxy',
        (g) => `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationproxy/connectorGroups/${g}`,
      ],
      [
        'upper-case GUID',
        (g) =>
          `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${g.toUpperCase()}`,
      ],
      [
        'trailing slash',
        (g) => `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${g}/`,
      ],
      [
        'parenthesised keys',
        (g) =>
          `https://graph.microsoft.com/beta/onPremisesPublishingProfiles('applicationProxy')/connectorGroups('${g}')`,
      ],
      [
        'all at once',
        (g) =>
          `https://graph.microsoft.com/onPremisesPublishingProfiles('applicationproxy')/connectorGroups('${g.toUpperCase()}')/`,
      ],
    ];
    for (const [name, form] of forms) {
      it(`memberOf/$ref accepts ${name}`, async () => {
        const connector = await createConnector();
        const group = await createGroup();
        const res = await send('POST', `${CONNECTORS}/${connector.id}/memberOf/$ref`, { '@odata.id': form(group.id) });
        assert.equal(res.status, 204, res.text);
        assert.deepEqual(await memberOfIds(connector.id), [group.id]);
      });

      it(`members/$ref accepts ${name}`, async () => {
        const connector = await createConnector();
        const group = await createGroup();
        const target = form(connector.id).replace('/connectorGroups', '/connectors');
        const res = await send('POST', `${GROUPS}/${group.id}/members/$ref`, { '@odata.id': target });
        assert.equal(res.status, 204, res.text);
        assert.deepEqual(await memberIds(group.id), [connector.id]);
      });
    }
  });

  describe('refused references change nothing', () => {
    async function refused(res: JsonResponse<any>, status: number, connectorId: string, groupId: string) {
      assert.equal(res.status, status, res.text);
      assert.deepEqual(await memberOfIds(connectorId), [groupId]);
    }

    it('unknown target group id → 404', async () => {
      const connector = await createConnector();
      const defaults = await defaultGroup();
      const res = await send(
        'POST',
        `${CONNECTORS}/${connector.id}/memberOf/$ref`,
        graphRef(`connectorGroups/${randomUUID()}`),
      );
      assert.equal(errorOf(res).code, 'Request_ResourceNotFound');
      await refused(res, 404, connector.id, defaults.id);
    });

    it('unknown target connector id → 404', async () => {
      const group = await createGroup();
      const res = await send('POST', `${GROUPS}/${group.id}/members/$ref`, graphRef(`connectors/${randomUUID()}`));
      assert.equal(res.status, 404, res.text);
      assert.deepEqual(await memberIds(group.id), []);
    });

    it("another tenant's group → 404", async () => {
      const connector = await createConnector();
      const defaults = await defaultGroup();
      const theirs = await defaultGroup(otherTenantAdmin);
      const res = await send(
        'POST',
        `${CONNECTORS}/${connector.id}/memberOf/$ref`,
        graphRef(`connectorGroups/${theirs.id}`),
      );
      await refused(res, 404, connector.id, defaults.id);
    });

    it('unknown source connector → 404', async () => {
      const group = await createGroup();
      const res = await send(
        'POST',
        `${CONNECTORS}/${randomUUID()}/memberOf/$ref`,
        graphRef(`connectorGroups/${group.id}`),
      );
      assert.equal(res.status, 404, res.text);
      assert.deepEqual(await memberIds(group.id), []);
    });

    for (const body of [{}, { id: 'x' }, { '@odata.id': '' }, { '@odata.id': 42 }]) {
      it(`body ${JSON.stringify(body)} (no usable @odata.id) → 400`, async () => {
        const connector = await createConnector();
        const defaults = await defaultGroup();
        const res = await send('POST', `${CONNECTORS}/${connector.id}/memberOf/$ref`, body);
        assert.equal(errorOf(res).code, 'Request_BadRequest');
        await refused(res, 400, connector.id, defaults.id);
      });
    }

    it('a connector URL in memberOf/$ref (wrong collection) → 400', async () => {
      const connector = await createConnector();
      const other = await createConnector();
      const defaults = await defaultGroup();
      const res = await send('POST', `${CONNECTORS}/${connector.id}/memberOf/$ref`, graphRef(`connectors/${other.id}`));
      assert.equal(errorOf(res).code, 'Request_BadRequest');
      assert.ok(errorOf(res).message.includes('connectorGroups'), errorOf(res).message);
      await refused(res, 400, connector.id, defaults.id);
    });

    it('a group URL in members/$ref (wrong collection) → 400', async () => {
      const group = await createGroup();
      const other = await createGroup();
      const res = await send('POST', `${GROUPS}/${group.id}/members/$ref`, graphRef(`connectorGroups/${other.id}`));
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(await memberIds(group.id), []);
    });

    it('a collection URL (no key) → 400', async () => {
      const connector = await createConnector();
      const defaults = await defaultGroup();
      const res = await send('POST', `${CONNECTORS}/${connector.id}/memberOf/$ref`, graphRef('connectorGroups'));
      await refused(res, 400, connector.id, defaults.id);
    });

    it('a group under another profile → 400', async () => {
      const connector = await createConnector();
      const group = await createGroup();
      const defaults = await defaultGroup();
      const res = await send('POST', `${CONNECTORS}/${connector.id}/memberOf/$ref`, {
        '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/provisioning/connectorGroups/${group.id}`,
      });
      await refused(res, 400, connector.id, defaults.id);
    });
  });
});

describe('region changes and deletion of non-empty groups', () => {
  it('region change refused while the group has a connector, allowed once it is empty', async () => {
    const group = await createGroup({ region: 'eur' });
    const connector = await createConnector();
    let res = await send('POST', `${GROUPS}/${group.id}/members/$ref`, graphRef(`connectors/${connector.id}`));
    assert.equal(res.status, 204, res.text);

    res = await send('PATCH', `${GROUPS}/${group.id}`, { region: 'aus' });
    assertGraphError(res, 400, 'Request_BadRequest');
    assert.match(errorOf(res).message, /region/);
    assert.equal((await getGroup(group.id)).region, 'eur');

    // Renaming alone is fine; a rename together with a region change is refused whole.
    res = await send('PATCH', `${GROUPS}/${group.id}`, { name: 'renamed while busy' });
    assert.equal(res.status, 204, res.text);
    res = await send('PATCH', `${GROUPS}/${group.id}`, { name: 'should not stick', region: 'aus' });
    assert.equal(res.status, 400, res.text);
    assert.equal((await getGroup(group.id)).name, 'renamed while busy');

    // Moved out: the group is empty again and its region can change.
    const defaults = await defaultGroup();
    res = await send('POST', `${GROUPS}/${defaults.id}/members/$ref`, graphRef(`connectors/${connector.id}`));
    assert.equal(res.status, 204, res.text);
    res = await send('PATCH', `${GROUPS}/${group.id}`, { region: 'aus' });
    assert.equal(res.status, 204, res.text);
    assert.equal((await getGroup(group.id)).region, 'aus');
  });

  it('region change refused while the group has an assigned application, allowed once unassigned', async () => {
    const group = await createGroup({ region: 'eur' });
    const app = await createPublishedApp();
    await assignApp(app.id, group.id);

    let res = await send('PATCH', `${GROUPS}/${group.id}`, { region: 'ind' });
    assert.equal(res.status, 400, res.text);
    assert.match(errorOf(res).message, /region/);
    assert.equal((await getGroup(group.id)).region, 'eur');

    res = await send('DELETE', `/beta/applications/${app.id}/connectorGroup/$ref`);
    assert.equal(res.status, 204, res.text);
    res = await send('PATCH', `${GROUPS}/${group.id}`, { region: 'ind' });
    assert.equal(res.status, 204, res.text);
    assert.equal((await getGroup(group.id)).region, 'ind');
  });

  it('delete refused while the group has connectors; allowed once empty, then 404', async () => {
    const group = await createGroup();
    const connector = await createConnector();
    let res = await send(
      'POST',
      `${CONNECTORS}/${connector.id}/memberOf/$ref`,
      graphRef(`connectorGroups/${group.id}`),
    );
    assert.equal(res.status, 204, res.text);

    res = await send('DELETE', `${GROUPS}/${group.id}`);
    assertGraphError(res, 400, 'Request_BadRequest');
    assert.match(errorOf(res).message, /connectors/);
    assert.equal((await getGroup(group.id)).id, group.id);
    assert.deepEqual(await memberOfIds(connector.id), [group.id]);

    const defaults = await defaultGroup();
    res = await send('POST', `${CONNECTORS}/${connector.id}/memberOf/$ref`, graphRef(`connectorGroups/${defaults.id}`));
    assert.equal(res.status, 204, res.text);
    res = await send('DELETE', `${GROUPS}/${group.id}`);
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    res = await get(`${GROUPS}/${group.id}`);
    assertGraphError(res, 404, 'Request_ResourceNotFound');
    assert.ok(!(await groups()).some((g) => g.id === group.id));
    res = await send('DELETE', `${GROUPS}/${group.id}`);
    assert.equal(res.status, 404, res.text);
  });

  it('delete refused while the group has applications; allowed once unassigned', async () => {
    const group = await createGroup();
    const app = await createPublishedApp();
    await assignApp(app.id, group.id);

    let res = await send('DELETE', `${GROUPS}/${group.id}`);
    assert.equal(res.status, 400, res.text);
    assert.match(errorOf(res).message, /applications/);
    assert.equal((await getGroup(group.id)).id, group.id);
    res = await get(`/beta/applications/${app.id}/connectorGroup`);
    assert.equal(res.body.id, group.id);

    res = await send('DELETE', `/beta/applications/${app.id}/connectorGroup/$ref`);
    assert.equal(res.status, 204, res.text);
    res = await send('DELETE', `${GROUPS}/${group.id}`);
    assert.equal(res.status, 204, res.text);
    assert.equal((await get(`${GROUPS}/${group.id}`)).status, 404);
  });
});

describe('concurrent writes keep every connector in exactly one existing group', () => {
  it('20 concurrent moves of one connector leave it in one group', async () => {
    const connector = await createConnector();
    const targets = await Promise.all(Array.from({ length: 5 }, () => createGroup()));
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? send(
              'POST',
              `${CONNECTORS}/${connector.id}/memberOf/$ref`,
              graphRef(`connectorGroups/${targets[i % 5].id}`),
            )
          : send('POST', `${GROUPS}/${targets[i % 5].id}/members/$ref`, graphRef(`connectors/${connector.id}`)),
      ),
    );
    for (const res of responses) assert.equal(res.status, 204, res.text);
    const memberOf = await memberOfIds(connector.id);
    assert.equal(memberOf.length, 1);
    let holders = 0;
    for (const g of targets) if ((await memberIds(g.id)).includes(connector.id)) holders++;
    assert.equal(holders, 1);
  });

  it('deleting a group while a connector moves into it: one of the two is refused', async () => {
    for (let round = 0; round < 8; round++) {
      const group = await createGroup();
      const connector = await createConnector();
      const [removal, move] = await Promise.all([
        send('DELETE', `${GROUPS}/${group.id}`),
        send('POST', `${CONNECTORS}/${connector.id}/memberOf/$ref`, graphRef(`connectorGroups/${group.id}`)),
      ]);
      const memberOf = await memberOfIds(connector.id);
      assert.equal(memberOf.length, 1, `round ${round}: ${removal.status} ${move.status}`);
      assert.equal(
        (await get(`${GROUPS}/${memberOf[0]}`)).status,
        200,
        `round ${round}: the connector's group must exist`,
      );
      if (removal.status === 204) assert.equal(move.status, 404, move.text);
      else {
        assert.equal(removal.status, 400, removal.text);
        assert.equal(move.status, 204, move.text);
        assert.deepEqual(memberOf, [group.id]);
      }
    }
  });
});

describe('reading members and applications', () => {
  it('$count on members with ConsistencyLevel: eventual', async () => {
    const group = await createGroup();
    for (let i = 0; i < 3; i++) {
      const connector = await createConnector();
      const res = await send('POST', `${GROUPS}/${group.id}/members/$ref`, graphRef(`connectors/${connector.id}`));
      assert.equal(res.status, 204, res.text);
    }
    let res = await get(`${GROUPS}/${group.id}/members?$count=true`, admin, { ConsistencyLevel: 'eventual' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body['@odata.count'], 3);
    assert.equal(res.body.value.length, 3);

    res = await get(`${GROUPS}/${group.id}/members/$count`, admin, { ConsistencyLevel: 'eventual' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text.trim(), '3');
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);

    // `/$count` counts what `$filter` keeps, as `$count=true` does.
    res = await get(`${GROUPS}/${group.id}/members?$top=1`, admin);
    const patched = await send('PATCH', `${CONNECTORS}/${res.body.value[0].id}`, { status: 'inactive' });
    assert.equal(patched.status, 204, patched.text);
    res = await get(`${GROUPS}/${group.id}/members/$count?$filter=status eq 'inactive'`, admin, {
      ConsistencyLevel: 'eventual',
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text.trim(), '1');
    res = await get(`${GROUPS}/${group.id}/members?$filter=status eq 'active'&$count=true`, admin, {
      ConsistencyLevel: 'eventual',
    });
    assert.equal(res.body['@odata.count'], 2);
    res = await get(`${GROUPS}/${group.id}/members/$count?$filter=nosuch eq 1`, admin, {
      ConsistencyLevel: 'eventual',
    });
    assert.equal(res.status, 400, res.text);

    // Without the header: $count=true is ignored, /$count is refused.
    res = await get(`${GROUPS}/${group.id}/members?$count=true`);
    assert.equal(res.status, 200, res.text);
    assert.ok(!('@odata.count' in res.body));
    res = await get(`${GROUPS}/${group.id}/members/$count`);
    assert.equal(res.status, 400, res.text);
  });

  it("$expand=members on the groups list inlines each group's connectors", async () => {
    const group = await createGroup();
    const connector = await createConnector();
    let res = await send('POST', `${GROUPS}/${group.id}/members/$ref`, graphRef(`connectors/${connector.id}`));
    assert.equal(res.status, 204, res.text);
    const empty = await createGroup();

    res = await get(`${GROUPS}?$expand=members`);
    assert.equal(res.status, 200, res.text);
    const byId = new Map((res.body.value as any[]).map((g) => [g.id, g]));
    assert.deepEqual(
      byId.get(group.id).members.map((c: any) => c.id),
      [connector.id],
    );
    assert.equal(byId.get(group.id).members[0].machineName, connector.machineName);
    assert.deepEqual(byId.get(empty.id).members, []);
    for (const g of byId.values()) assert.ok(Array.isArray(g.members));
  });

  it('a nested $top inside $expand stays a cap: no nextLink inside, the outer page still pages by $top', async () => {
    const group = await createGroup();
    const members = [await createConnector(), await createConnector(), await createConnector()];
    for (const connector of members) {
      const moved = await send('POST', `${GROUPS}/${group.id}/members/$ref`, graphRef(`connectors/${connector.id}`));
      assert.equal(moved.status, 204, moved.text);
    }
    let res = await get(`${GROUPS}/${group.id}?$expand=members($top=2)`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.members.length, 2);
    assert.ok(members.some((c) => c.id === res.body.members[0].id));
    assert.ok(
      !Object.keys(res.body).some((k) => k.startsWith('members@')),
      `an annotation on the expanded members: ${Object.keys(res.body)}`,
    );

    await createGroup();
    res = await get(`${GROUPS}?$top=1&$expand=members($top=1)`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.value.length, 1);
    assert.ok(res.body.value[0].members.length <= 1);
    const link = new URL(res.body['@odata.nextLink']);
    assert.equal(link.searchParams.get('$top'), '1');
    assert.equal(link.searchParams.get('$expand'), 'members($top=1)');
  });

  it('connectorGroups/{id}/applications lists the assigned applications', async () => {
    const group = await createGroup();
    let res = await get(`${GROUPS}/${group.id}/applications`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.value, []);

    const one = await createPublishedApp();
    const two = await createPublishedApp();
    const unassigned = await createPublishedApp();
    await assignApp(one.id, group.id);
    await assignApp(two.id, group.id);

    res = await get(`${GROUPS}/${group.id}/applications`);
    assert.equal(res.status, 200, res.text);
    const ids = (res.body.value as any[]).map((a) => a.id).sort();
    assert.deepEqual(ids, [one.id, two.id].sort());
    assert.ok(!ids.includes(unassigned.id));
    const app = (res.body.value as any[]).find((a) => a.id === one.id);
    assert.equal(app.displayName, one.displayName);
    assert.equal(app.onPremisesPublishing.internalUrl, 'https://intranet.contoso.com');
  });

  it('members of an unknown group → 404', async () => {
    const res = await get(`${GROUPS}/${randomUUID()}/members`);
    assert.equal(res.status, 404, res.text);
  });
});
