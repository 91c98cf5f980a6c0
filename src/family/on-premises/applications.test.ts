import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertGraphError, type InProcessGraph, inProcessGraph } from '../../../test/helpers/graph.js';

/** The rules of applications.ts, through the engine in-process over an in-memory store. */

const APPS = '/beta/applications';
const GROUPS = '/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let graph: InProcessGraph;

function groupRef(id: string) {
  return {
    '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${id}`,
  };
}

async function newApp(body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await graph.send('POST', APPS, { displayName: 'Contoso app', ...body });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

describe('applications', () => {
  before(async () => {
    graph = await inProcessGraph();
  });

  test('displayName is required', async () => {
    const error = assertGraphError(await graph.send('POST', APPS, { description: 'x' }), 400, 'Request_BadRequest');
    assert.equal(error.details?.[0].target, 'displayName');
  });

  test('the server fills appId, createdDateTime and the defaults; a sent id or appId is ignored', async () => {
    const app = await newApp({ id: '00000000-0000-4000-8000-000000000001', appId: 'mine' });
    assert.match(app.id, GUID);
    assert.notEqual(app.id, '00000000-0000-4000-8000-000000000001');
    assert.match(app.appId, GUID);
    assert.notEqual(app.appId, app.id);
    assert.match(app.createdDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.deepEqual(app.identifierUris, []);
    assert.deepEqual(app.tags, []);
    assert.equal(app.signInAudience, 'AzureADMyOrg');
    assert.equal(app.onPremisesPublishing, null);
  });

  test("configuring app proxy fills in Graph's onPremisesPublishing defaults, on create and on update", async () => {
    const created = await newApp({ onPremisesPublishing: { externalUrl: 'https://a.contoso.com' } });
    assert.equal(created.onPremisesPublishing.externalAuthenticationType, 'aadPreAuthentication');
    assert.equal(created.onPremisesPublishing.isTranslateHostHeaderEnabled, true);
    assert.equal(created.onPremisesPublishing.externalUrl, 'https://a.contoso.com');

    const later = await newApp();
    const patched = await graph.send('PATCH', `${APPS}/${later.id}`, {
      onPremisesPublishing: { internalUrl: 'http://b', externalAuthenticationType: 'passthru' },
    });
    assert.equal(patched.status, 204, patched.text);
    const publishing = (await graph.get(`${APPS}/${later.id}`)).body.onPremisesPublishing;
    assert.equal(publishing.externalAuthenticationType, 'passthru', 'a sent value wins over the default');
    assert.equal(publishing.isSecureCookieEnabled, true);
    assert.equal(publishing.trafficRoutingMethod, 'none');
  });

  test('connectorGroup reads as the default group until one is assigned', async () => {
    const app = await newApp({ onPremisesPublishing: { externalUrl: 'https://c.contoso.com' } });
    const defaultGroup = (await graph.get(`${GROUPS}?$filter=isDefault eq true`)).body.value[0].id;
    const res = await graph.get(`${APPS}/${app.id}/connectorGroup`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, defaultGroup);
  });

  test('a connector group is assigned (PUT $ref) and unassigned (DELETE $ref) once published', async () => {
    const group = (await graph.send('POST', GROUPS, { name: 'Apps' })).body.id;
    const plain = await newApp();
    assertGraphError(
      await graph.send('PUT', `${APPS}/${plain.id}/connectorGroup/$ref`, groupRef(group)),
      404,
      'Application_NotFound',
      /OnPremisesPublishing is not enabled/,
    );

    const published = await newApp({ onPremisesPublishing: { externalUrl: 'https://d.contoso.com' } });
    assert.equal((await graph.send('PUT', `${APPS}/${published.id}/connectorGroup/$ref`, groupRef(group))).status, 204);
    assert.equal((await graph.get(`${APPS}/${published.id}/connectorGroup`)).body.id, group);
    assert.equal((await graph.send('DELETE', `${APPS}/${published.id}/connectorGroup/$ref`)).status, 204);
    const defaultGroup = (await graph.get(`${GROUPS}?$filter=isDefault eq true`)).body.value[0].id;
    assert.equal((await graph.get(`${APPS}/${published.id}/connectorGroup`)).body.id, defaultGroup);
  });

  test("application is an open type: properties outside localgraph's subset are kept as sent", async () => {
    const app = await newApp({ publisherDomain: 'contoso.com' });
    assert.equal(app.publisherDomain, 'contoso.com');
    assert.equal((await graph.send('PATCH', `${APPS}/${app.id}`, { notes: 'kept' })).status, 204);
    const read = (await graph.get(`${APPS}/${app.id}`)).body;
    assert.equal(read.publisherDomain, 'contoso.com');
    assert.equal(read.notes, 'kept');
  });

  test('DELETE removes the application', async () => {
    const app = await newApp();
    assert.equal((await graph.send('DELETE', `${APPS}/${app.id}`)).status, 204);
    assertGraphError(await graph.get(`${APPS}/${app.id}`), 404, 'Request_ResourceNotFound');
  });
});
