import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertGraphError, type InProcessGraph, inProcessGraph } from '../../../test/helpers/graph.js';

/** The rules of connector-groups.ts, through the engine in-process over an in-memory store. */

const AP = '/beta/onPremisesPublishingProfiles/applicationProxy';
const GROUPS = `${AP}/connectorGroups`;
/** The region Graph gives a group that names none (North America). */
const DEFAULT_REGION = 'nam';
const device = { externalIp: '10.0.0.1', machineName: 'host.contoso.com', status: 'active' };

let graph: InProcessGraph;

function groupRef(id: string) {
  return {
    '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${id}`,
  };
}

async function newGroup(name: string): Promise<string> {
  const res = await graph.send('POST', GROUPS, { name });
  assert.equal(res.status, 200, res.text);
  return res.body.id;
}

async function connectorIn(group: string): Promise<string> {
  const connector = (await graph.send('POST', `${AP}/connectors`, device)).body.id;
  const moved = await graph.send('POST', `${GROUPS}/${group}/members/$ref`, {
    '@odata.id': `https://graph.microsoft.com${AP}/connectors/${connector}`,
  });
  assert.equal(moved.status, 204, moved.text);
  return connector;
}

/** A published application assigned to `group`. */
async function applicationIn(group: string): Promise<string> {
  const app = (await graph.send('POST', '/beta/applications', { displayName: 'app' })).body.id;
  const published = await graph.send('PATCH', `/beta/applications/${app}`, {
    onPremisesPublishing: { externalUrl: 'https://app.contoso.com', internalUrl: 'http://app' },
  });
  assert.equal(published.status, 204, published.text);
  const assigned = await graph.send('PUT', `/beta/applications/${app}/connectorGroup/$ref`, groupRef(group));
  assert.equal(assigned.status, 204, assigned.text);
  return app;
}

describe('connector groups (status codes as the live service answers)', () => {
  before(async () => {
    graph = await inProcessGraph();
  });

  test('every tenant has one default group, in the default region', async () => {
    const res = await graph.get(`${GROUPS}?$filter=isDefault eq true`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.value.length, 1);
    assert.equal(res.body.value[0].region, DEFAULT_REGION);
  });

  test('create: name required; connectorGroupType and isDefault sent by a client are dropped', async () => {
    const error = assertGraphError(await graph.send('POST', GROUPS, { region: 'eur' }), 400, 'Request_BadRequest');
    assert.equal(error.details?.[0].target, 'name');
    const res = await graph.send('POST', GROUPS, { name: 'West', isDefault: true, connectorGroupType: 'other' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.isDefault, false);
    assert.equal(res.body.connectorGroupType, 'applicationProxy');
    assert.equal(res.body.region, DEFAULT_REGION);
  });

  test('update answers 204; name and region are writable while the group is empty', async () => {
    const id = await newGroup('East');
    const res = await graph.send('PATCH', `${GROUPS}/${id}`, { name: 'East 2', region: 'eur' });
    assert.equal(res.status, 204, res.text);
    const read = (await graph.get(`${GROUPS}/${id}`)).body;
    assert.equal(read.name, 'East 2');
    assert.equal(read.region, 'eur');
  });

  test('region is locked while the group has a connector, or an application', async () => {
    const withConnector = await newGroup('with connector');
    await connectorIn(withConnector);
    assertGraphError(
      await graph.send('PATCH', `${GROUPS}/${withConnector}`, { region: 'eur' }),
      400,
      'Request_BadRequest',
      /region of connector group .* can only be changed/,
    );
    // Other properties still change.
    assert.equal((await graph.send('PATCH', `${GROUPS}/${withConnector}`, { name: 'renamed' })).status, 204);

    const withApp = await newGroup('with application');
    await applicationIn(withApp);
    assertGraphError(await graph.send('PATCH', `${GROUPS}/${withApp}`, { region: 'eur' }), 400, 'Request_BadRequest');
  });

  test('the default group cannot be deleted', async () => {
    const id = (await graph.get(`${GROUPS}?$filter=isDefault eq true`)).body.value[0].id;
    assertGraphError(
      await graph.send('DELETE', `${GROUPS}/${id}`),
      400,
      'Request_BadRequest',
      'The default connector group cannot be deleted.',
    );
  });

  test('a group with connectors, or with applications, cannot be deleted; an empty one can', async () => {
    const withConnector = await newGroup('busy');
    await connectorIn(withConnector);
    assertGraphError(
      await graph.send('DELETE', `${GROUPS}/${withConnector}`),
      400,
      'Request_BadRequest',
      /still has connectors/,
    );
    const withApp = await newGroup('assigned');
    await applicationIn(withApp);
    assertGraphError(
      await graph.send('DELETE', `${GROUPS}/${withApp}`),
      400,
      'Request_BadRequest',
      /still has applications/,
    );
    const empty = await newGroup('empty');
    assert.equal((await graph.send('DELETE', `${GROUPS}/${empty}`)).status, 204);
    assertGraphError(await graph.get(`${GROUPS}/${empty}`), 404, 'Request_ResourceNotFound');
  });

  test('members and applications list what the group holds', async () => {
    const id = await newGroup('holder');
    const connector = await connectorIn(id);
    const app = await applicationIn(id);
    const members = (await graph.get(`${GROUPS}/${id}/members`)).body.value.map((c: { id: string }) => c.id);
    assert.deepEqual(members, [connector]);
    const apps = (await graph.get(`${GROUPS}/${id}/applications`)).body.value.map((a: { id: string }) => a.id);
    assert.deepEqual(apps, [app]);
  });

  test('served by the applicationProxy profile only', async () => {
    assertGraphError(
      await graph.get('/beta/onPremisesPublishingProfiles/provisioning/connectorGroups'),
      404,
      'Request_ResourceNotFound',
      /'applicationProxy' profile only/,
    );
  });
});

describe('connector groups (status codes as the docs say)', () => {
  test('create answers 201, update 200 with the group', async () => {
    graph = await inProcessGraph({ serverOptions: { statusCodes: 'docs' } });
    const created = await graph.send('POST', GROUPS, { name: 'Docs' });
    assert.equal(created.status, 201, created.text);
    const updated = await graph.send('PATCH', `${GROUPS}/${created.body.id}`, { name: 'Docs 2' });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.name, 'Docs 2');
  });
});
