import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertGraphError, type InProcessGraph, inProcessGraph } from '../../../test/helpers/graph.js';

/** The rules of hybrid-agents.ts, through the engine in-process over an in-memory store. */

const PROFILES = '/beta/onPremisesPublishingProfiles';
const PROV = `${PROFILES}/provisioning`;
const device = { externalIp: '10.0.0.1', machineName: 'agent.contoso.com', status: 'active' };

let graph: InProcessGraph;

function ref(profile: string, collection: string, id: string) {
  return {
    '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/${profile}/${collection}/${id}`,
  };
}

async function created(path: string, body: object): Promise<Record<string, any>> {
  const res = await graph.send('POST', path, body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function ids(path: string): Promise<string[]> {
  const res = await graph.get(path);
  assert.equal(res.status, 200, res.text);
  return res.body.value.map((e: { id: string }) => e.id);
}

describe('hybrid agents', () => {
  before(async () => {
    graph = await inProcessGraph();
  });

  test('agents: externalIp, machineName, status required; supportedPublishingTypes from the profile', async () => {
    for (const missing of ['externalIp', 'machineName', 'status'] as const) {
      const { [missing]: _left, ...body } = device;
      const error = assertGraphError(await graph.send('POST', `${PROV}/agents`, body), 400, 'Request_BadRequest');
      assert.equal(error.details?.[0].target, missing);
    }
    const agent = await created(`${PROV}/agents`, device);
    assert.deepEqual(agent.supportedPublishingTypes, ['provisioning']);
    const auth = await created(`${PROFILES}/authentication/agents`, device);
    assert.deepEqual(auth.supportedPublishingTypes, ['authentication']);
  });

  test('each profile holds its own agents, groups and resources', async () => {
    const agent = await created(`${PROV}/agents`, device);
    assert.ok((await ids(`${PROV}/agents`)).includes(agent.id));
    assert.ok(!(await ids(`${PROFILES}/authentication/agents`)).includes(agent.id));
    assertGraphError(await graph.get(`${PROFILES}/authentication/agents/${agent.id}`), 404, 'Request_ResourceNotFound');
  });

  test('not served by the applicationProxy or privateAccess profiles', async () => {
    for (const profile of ['applicationProxy', 'privateAccess']) {
      for (const collection of ['agents', 'agentGroups', 'publishedResources']) {
        assertGraphError(
          await graph.get(`${PROFILES}/${profile}/${collection}`),
          404,
          'Request_ResourceNotFound',
          /served by the hybrid agent profiles/,
        );
      }
    }
  });

  test('agent groups: displayName required; publishingType from the profile, isDefault false', async () => {
    const error = assertGraphError(await graph.send('POST', `${PROV}/agentGroups`, {}), 400, 'Request_BadRequest');
    assert.equal(error.details?.[0].target, 'displayName');
    const group = await created(`${PROV}/agentGroups`, {
      displayName: 'G',
      isDefault: true,
      publishingType: 'exchangeOnline',
    });
    assert.equal(group.publishingType, 'provisioning');
    assert.equal(group.isDefault, false);
    assert.equal(
      (await graph.send('PATCH', `${PROV}/agentGroups/${group.id}`, { publishingType: 'x', displayName: 'H' })).status,
      204,
    );
    const read = (await graph.get(`${PROV}/agentGroups/${group.id}`)).body;
    assert.equal(read.displayName, 'H');
    assert.equal(read.publishingType, 'provisioning');
  });

  test('published resources: publishingType from the profile', async () => {
    const resource = await created(`${PROV}/publishedResources`, {
      displayName: 'R',
      resourceName: 'r.contoso.com',
      publishingType: 'x',
    });
    assert.equal(resource.publishingType, 'provisioning');
  });

  test('agent ↔ group links: added from either side, seen from both, refused twice, removed', async () => {
    const agent = await created(`${PROV}/agents`, device);
    const group = await created(`${PROV}/agentGroups`, { displayName: 'Linked' });
    const add = await graph.send(
      'POST',
      `${PROV}/agents/${agent.id}/agentGroups/$ref`,
      ref('provisioning', 'agentGroups', group.id),
    );
    assert.equal(add.status, 204, add.text);
    assert.deepEqual(await ids(`${PROV}/agentGroups/${group.id}/agents`), [agent.id]);
    assertGraphError(
      await graph.send('POST', `${PROV}/agentGroups/${group.id}/agents/$ref`, ref('provisioning', 'agents', agent.id)),
      400,
      'Request_BadRequest',
      /already exist/,
    );
    const removed = await graph.send('DELETE', `${PROV}/agentGroups/${group.id}/agents/${agent.id}/$ref`);
    assert.equal(removed.status, 204, removed.text);
    assert.deepEqual(await ids(`${PROV}/agents/${agent.id}/agentGroups`), []);
  });

  test('a link to an object of another profile is refused', async () => {
    const agent = await created(`${PROV}/agents`, device);
    const other = await created(`${PROFILES}/authentication/agentGroups`, { displayName: 'Other' });
    assertGraphError(
      await graph.send(
        'POST',
        `${PROV}/agents/${agent.id}/agentGroups/$ref`,
        ref('authentication', 'agentGroups', other.id),
      ),
      400,
      'Request_BadRequest',
    );
    assert.deepEqual(await ids(`${PROV}/agents/${agent.id}/agentGroups`), []);
  });

  test('resource ↔ group links; deleting a group removes its links, not the objects', async () => {
    const resource = await created(`${PROV}/publishedResources`, { displayName: 'R2', resourceName: 'r2.contoso.com' });
    const agent = await created(`${PROV}/agents`, device);
    const group = await created(`${PROV}/agentGroups`, { displayName: 'Both' });
    const toResource = ref('provisioning', 'publishedResources', resource.id);
    assert.equal(
      (await graph.send('POST', `${PROV}/agentGroups/${group.id}/publishedResources/$ref`, toResource)).status,
      204,
    );
    const toGroup = ref('provisioning', 'agentGroups', group.id);
    assert.equal((await graph.send('POST', `${PROV}/agents/${agent.id}/agentGroups/$ref`, toGroup)).status, 204);
    assert.deepEqual(await ids(`${PROV}/publishedResources/${resource.id}/agentGroups`), [group.id]);
    assert.equal((await graph.send('DELETE', `${PROV}/agentGroups/${group.id}`)).status, 204);
    assert.deepEqual(await ids(`${PROV}/publishedResources/${resource.id}/agentGroups`), []);
    assert.deepEqual(await ids(`${PROV}/agents/${agent.id}/agentGroups`), []);
    assert.equal((await graph.get(`${PROV}/agents/${agent.id}`)).status, 200);
  });
});
