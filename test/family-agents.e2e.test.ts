/**
 * End to end: hybrid agents, agent groups and published resources (profiles such as
 * `provisioning` and `authentication`), Private Access sensors (`privateAccess`), their `$ref`
 * links, the permission matrix for them, and evolvable enum members, against the real
 * `localgraph serve` process, with the docs' URL forms (trailing slashes, upper-case GUIDs) and
 * value spellings (`"Active"`).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { errorOf, GUID, stripContext, type JsonResponse } from './helpers/server.js';
import { startInProcess, type InProcessServer } from './helpers/in-process.js';
import { assertGraphError, graphClient } from './helpers/graph.js';

let server: InProcessServer;
/** Every permission this file needs. */
let admin: string;
let directoryOnly: string;
let hybridRead: string;
let hybridReadWrite: string;
let publishingOnly: string;
let appDirectory: string;
let appPublishing: string;

const PROFILES = '/beta/onPremisesPublishingProfiles';
const PROV = `${PROFILES}/provisioning`;
const AUTH = `${PROFILES}/authentication`;
const SENSORS = `${PROFILES}/privateAccess/sensors`;
const INCLUDE_UNKNOWN = { Prefer: 'include-unknown-enum-members' };

before(async () => {
  server = await startInProcess();
  [admin, directoryOnly, hybridRead, hybridReadWrite, publishingOnly, appDirectory, appPublishing] = await Promise.all([
    server.token([
      '--scopes',
      'Directory.ReadWrite.All OnPremisesPublishingProfiles.ReadWrite.All Application.ReadWrite.All',
    ]),
    server.token(['--scopes', 'Directory.ReadWrite.All']),
    server.token(['--scopes', 'Policy.Read.HybridAuthentication']),
    server.token(['--scopes', 'Policy.ReadWrite.HybridAuthentication']),
    server.token(['--scopes', 'OnPremisesPublishingProfiles.ReadWrite.All']),
    server.token(['--roles', 'Directory.ReadWrite.All']),
    server.token(['--roles', 'OnPremisesPublishingProfiles.ReadWrite.All']),
  ]);
});

after(async () => {
  if (server) await server.stop();
});

// ---------------------------------------------------------------------------------------------

const { get, send } = graphClient(
  () => server.baseUrl,
  () => admin,
);

async function createAgent(profile = PROV, body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await send('POST', `${profile}/agents`, {
    externalIp: '153.69.23.122',
    machineName: `s-${randomUUID().slice(0, 8)}.contoso.com`,
    status: 'active',
    ...body,
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function createAgentGroup(
  profile = PROV,
  displayName = `group-${randomUUID().slice(0, 8)}`,
): Promise<Record<string, any>> {
  const res = await send('POST', `${profile}/agentGroups`, { displayName });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function createResource(profile = PROV, body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await send('POST', `${profile}/publishedResources`, {
    displayName: 'New provisioning',
    resourceName: 'domain1.contoso.com',
    ...body,
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function ids(path: string, token = admin): Promise<string[]> {
  const res = await get(path, token);
  assert.equal(res.status, 200, res.text);
  return (res.body.value as Array<{ id: string }>).map((e) => e.id).sort();
}

/** The docs' `@odata.id` form: upper-case GUID and a trailing slash. */
function docsRef(profile: string, collection: string, id: string) {
  return {
    '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/${profile}/${collection}/${id.toUpperCase()}/`,
  };
}

// ---------------------------------------------------------------------------------------------

describe('agents', () => {
  it('POST registers an agent; status "Active" (as the docs write it) is returned "active"', async () => {
    const res = await send('POST', `${PROV}/agents`, {
      externalIp: '153.69.23.122',
      machineName: 'server1.local1.contoso.com',
      status: 'Active',
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(
      res.body['@odata.context'],
      `${server.baseUrl}/beta/$metadata#onPremisesPublishingProfiles('provisioning')/agents/$entity`,
    );
    assert.match(res.body.id, GUID);
    assert.equal(res.body.status, 'active');
    assert.equal(res.body.machineName, 'server1.local1.contoso.com');
    assert.equal(res.body.externalIp, '153.69.23.122');
    assert.deepEqual(res.body.supportedPublishingTypes, ['provisioning']);

    const one = await get(`${PROV}/agents/${res.body.id}`);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(stripContext(one.body), stripContext(res.body));
    // The docs' form of the get: trailing slash before the query.
    const docsForm = await get(`${PROV}/agents/${res.body.id}/?$expand=agentGroups`);
    assert.equal(docsForm.status, 200, docsForm.text);
    assert.deepEqual(docsForm.body.agentGroups, []);
    assert.ok((await ids(`${PROV}/agents`)).includes(res.body.id));
  });

  it('a client-supplied GUID id is kept (lower-cased)', async () => {
    const id = randomUUID();
    const agent = await createAgent(PROV, { id: id.toUpperCase() });
    assert.equal(agent.id, id);
    assert.equal((await get(`${PROV}/agents/${id.toUpperCase()}`)).status, 200);
  });

  it('requires externalIp, machineName and status (400 naming each) and creates nothing', async () => {
    const before = await ids(`${PROV}/agents`);
    for (const missing of ['externalIp', 'machineName', 'status']) {
      const body: Record<string, unknown> = { externalIp: '1.1.1.1', machineName: 'm', status: 'active' };
      delete body[missing];
      const res = await send('POST', `${PROV}/agents`, body);
      assert.equal(res.status, 400, res.text);
      assert.ok(errorOf(res).message.includes(`'${missing}'`), errorOf(res).message);
    }
    const res = await send('POST', `${PROV}/agents`, { externalIp: '1.1.1.1', machineName: 'm', status: 'running' });
    assert.equal(res.status, 400, res.text);
    assert.ok(errorOf(res).message.includes('status'));
    assert.deepEqual(await ids(`${PROV}/agents`), before);
  });

  it('PATCH (204) changes the status; "Inactive" is returned "inactive"', async () => {
    const agent = await createAgent();
    const res = await send('PATCH', `${PROV}/agents/${agent.id}`, { status: 'Inactive' });
    assert.equal(res.status, 204, res.text);
    const after = await get(`${PROV}/agents/${agent.id}`);
    assert.equal(after.body.status, 'inactive');
    assert.equal(after.body.machineName, agent.machineName);
  });

  it('DELETE (204), then 404', async () => {
    const agent = await createAgent();
    assert.equal((await send('DELETE', `${PROV}/agents/${agent.id}`)).status, 204);
    const res = await get(`${PROV}/agents/${agent.id}`);
    assertGraphError(res, 404, 'Request_ResourceNotFound');
  });

  it('profiles are isolated: a provisioning agent is not under authentication', async () => {
    const agent = await createAgent(PROV);
    const res = await get(`${AUTH}/agents/${agent.id}`);
    assert.equal(res.status, 404, res.text);
    assert.ok(!(await ids(`${AUTH}/agents`)).includes(agent.id));
    assert.equal((await send('PATCH', `${AUTH}/agents/${agent.id}`, { status: 'inactive' })).status, 404);
    assert.equal((await send('DELETE', `${AUTH}/agents/${agent.id}`)).status, 404);
    assert.equal((await get(`${PROV}/agents/${agent.id}`)).body.status, 'active');

    const pta = await createAgent(AUTH);
    assert.deepEqual(pta.supportedPublishingTypes, ['authentication']);
    assert.ok(!(await ids(`${PROV}/agents`)).includes(pta.id));
  });

  it('not served under applicationProxy or privateAccess (404 naming the serving profiles)', async () => {
    for (const profile of ['applicationProxy', 'privateAccess']) {
      const res = await send('POST', `${PROFILES}/${profile}/agents`, {
        externalIp: '1.1.1.1',
        machineName: 'm',
        status: 'active',
      });
      assertGraphError(res, 404, 'Request_ResourceNotFound');
      assert.match(errorOf(res).message, /provisioning/);
    }
  });
});

describe('agent groups', () => {
  it('POST creates (201): publishingType from the profile, isDefault false, even when sent', async () => {
    const res = await send('POST', `${PROV}/agentGroups`, {
      displayName: 'New Group',
      isDefault: true,
      publishingType: 'authentication',
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(
      res.body['@odata.context'],
      `${server.baseUrl}/beta/$metadata#onPremisesPublishingProfiles('provisioning')/agentGroups/$entity`,
    );
    assert.match(res.body.id, GUID);
    assert.equal(res.body.displayName, 'New Group');
    assert.equal(res.body.publishingType, 'provisioning');
    assert.equal(res.body.isDefault, false);

    const pta = await createAgentGroup(AUTH);
    assert.equal(pta.publishingType, 'authentication');
    assert.ok(!(await ids(`${PROV}/agentGroups`)).includes(pta.id));
  });

  it('requires displayName (400) and creates nothing', async () => {
    const before = await ids(`${PROV}/agentGroups`);
    const res = await send('POST', `${PROV}/agentGroups`, {});
    assert.equal(res.status, 400, res.text);
    assert.ok(errorOf(res).message.includes('displayName'));
    assert.deepEqual(await ids(`${PROV}/agentGroups`), before);
  });

  it("PATCH (204) with the docs' URL form (upper-case GUID, trailing slash)", async () => {
    const group = await createAgentGroup();
    const res = await send('PATCH', `${PROV}/agentGroups/${group.id.toUpperCase()}/`, {
      displayName: 'Group New Name',
    });
    assert.equal(res.status, 204, res.text);
    const after = await get(`${PROV}/agentGroups/${group.id}`);
    assert.equal(after.body.displayName, 'Group New Name');
    assert.equal(after.body.publishingType, 'provisioning');
  });

  it("DELETE (204) with the docs' URL form, then 404", async () => {
    const group = await createAgentGroup();
    const res = await send('DELETE', `${PROV}/agentGroups/${group.id.toUpperCase()}/`);
    assert.equal(res.status, 204, res.text);
    assert.equal((await get(`${PROV}/agentGroups/${group.id}`)).status, 404);
  });

  it('not served under privateAccess', async () => {
    const res = await get(`${PROFILES}/privateAccess/agentGroups`);
    assert.equal(res.status, 404, res.text);
  });
});

describe('published resources', () => {
  it('POST creates (201) with publishingType from the profile; GET, PATCH (204), DELETE (204)', async () => {
    const res = await send('POST', `${PROV}/publishedResources`, {
      displayName: 'New provisioning',
      resourceName: 'domain1.contoso.com',
      publishingType: 'authentication',
    });
    assert.equal(res.status, 201, res.text);
    assert.match(res.body.id, GUID);
    assert.equal(res.body.publishingType, 'provisioning');
    assert.equal(res.body.displayName, 'New provisioning');
    assert.equal(res.body.resourceName, 'domain1.contoso.com');

    const one = await get(`${PROV}/publishedResources/${res.body.id}`);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(stripContext(one.body), stripContext(res.body));

    let r = await send('PATCH', `${PROV}/publishedResources/${res.body.id}`, {
      displayName: 'Demo provisioning (updated)',
    });
    assert.equal(r.status, 204, r.text);
    const after = await get(`${PROV}/publishedResources/${res.body.id}`);
    assert.equal(after.body.displayName, 'Demo provisioning (updated)');
    assert.equal(after.body.resourceName, 'domain1.contoso.com');

    r = await send('DELETE', `${PROV}/publishedResources/${res.body.id}`);
    assert.equal(r.status, 204, r.text);
    assert.equal((await get(`${PROV}/publishedResources/${res.body.id}`)).status, 404);
    assert.ok(!(await ids(`${PROV}/publishedResources`)).includes(res.body.id));
  });

  it('profiles are isolated', async () => {
    const resource = await createResource(PROV);
    assert.equal((await get(`${AUTH}/publishedResources/${resource.id}`)).status, 404);
    assert.ok(!(await ids(`${AUTH}/publishedResources`)).includes(resource.id));
    const pta = await createResource(AUTH);
    assert.equal(pta.publishingType, 'authentication');
  });
});

describe('$ref links between agents, agent groups and published resources', () => {
  it('agents/{id}/agentGroups/$ref (docs form) links both ways (204)', async () => {
    const agent = await createAgent();
    const group = await createAgentGroup();
    const res = await send(
      'POST',
      `${PROV}/agents/${agent.id}/agentGroups/$ref`,
      docsRef('provisioning', 'agentGroups', group.id),
    );
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    assert.deepEqual(await ids(`${PROV}/agents/${agent.id}/agentGroups`), [group.id]);
    assert.deepEqual(await ids(`${PROV}/agentGroups/${group.id}/agents`), [agent.id]);

    const expanded = await get(`${PROV}/agents?$expand=agentGroups`);
    const mine = (expanded.body.value as any[]).find((a) => a.id === agent.id);
    assert.deepEqual(
      mine.agentGroups.map((g: any) => g.id),
      [group.id],
    );
  });

  it('adding the same link twice → 400, from either side; still one link', async () => {
    const agent = await createAgent();
    const group = await createAgentGroup();
    let res = await send(
      'POST',
      `${PROV}/agents/${agent.id}/agentGroups/$ref`,
      docsRef('provisioning', 'agentGroups', group.id),
    );
    assert.equal(res.status, 204, res.text);
    res = await send(
      'POST',
      `${PROV}/agents/${agent.id}/agentGroups/$ref`,
      docsRef('provisioning', 'agentGroups', group.id),
    );
    assertGraphError(res, 400, 'Request_BadRequest');
    assert.match(errorOf(res).message, /already exist/);
    res = await send(
      'POST',
      `${PROV}/agentGroups/${group.id}/agents/$ref`,
      docsRef('provisioning', 'agents', agent.id),
    );
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(await ids(`${PROV}/agentGroups/${group.id}/agents`), [agent.id]);
  });

  it('an agent can be in several groups, a group can hold several agents', async () => {
    const [a1, a2] = [await createAgent(), await createAgent()];
    const [g1, g2] = [await createAgentGroup(), await createAgentGroup()];
    for (const [a, g] of [
      [a1, g1],
      [a1, g2],
      [a2, g1],
    ]) {
      const res = await send(
        'POST',
        `${PROV}/agentGroups/${g.id}/agents/$ref`,
        docsRef('provisioning', 'agents', a.id),
      );
      assert.equal(res.status, 204, res.text);
    }
    assert.deepEqual(await ids(`${PROV}/agents/${a1.id}/agentGroups`), [g1.id, g2.id].sort());
    assert.deepEqual(await ids(`${PROV}/agentGroups/${g1.id}/agents`), [a1.id, a2.id].sort());
    assert.deepEqual(await ids(`${PROV}/agentGroups/${g2.id}/agents`), [a1.id]);
  });

  it('DELETE agents/{id}/agentGroups/{groupId}/$ref (upper-case GUID) → 204, then gone; again → 404', async () => {
    const agent = await createAgent();
    const group = await createAgentGroup();
    const keep = await createAgentGroup();
    for (const g of [group, keep]) {
      assert.equal(
        (
          await send(
            'POST',
            `${PROV}/agents/${agent.id}/agentGroups/$ref`,
            docsRef('provisioning', 'agentGroups', g.id),
          )
        ).status,
        204,
      );
    }
    let res = await send('DELETE', `${PROV}/agents/${agent.id}/agentGroups/${group.id.toUpperCase()}/$ref`);
    assert.equal(res.status, 204, res.text);
    assert.deepEqual(await ids(`${PROV}/agents/${agent.id}/agentGroups`), [keep.id]);
    assert.deepEqual(await ids(`${PROV}/agentGroups/${group.id}/agents`), []);
    res = await send('DELETE', `${PROV}/agents/${agent.id}/agentGroups/${group.id}/$ref`);
    assert.equal(res.status, 404, res.text);
    // The group itself is untouched.
    assert.equal((await get(`${PROV}/agentGroups/${group.id}`)).status, 200);
  });

  it("the docs' parenthesised form of the removal", async () => {
    const agent = await createAgent();
    const group = await createAgentGroup();
    assert.equal(
      (
        await send(
          'POST',
          `${PROV}/agents/${agent.id}/agentGroups/$ref`,
          docsRef('provisioning', 'agentGroups', group.id),
        )
      ).status,
      204,
    );
    const res = await send(
      'DELETE',
      `${PROFILES}('provisioning')/agents('${agent.id}')/agentGroups('${group.id.toUpperCase()}')/$ref`,
    );
    assert.equal(res.status, 204, res.text);
    assert.deepEqual(await ids(`${PROV}/agents/${agent.id}/agentGroups`), []);
  });

  it('publishedResources/{id}/agentGroups/$ref and agentGroups/{id}/publishedResources', async () => {
    const resource = await createResource();
    const group = await createAgentGroup();
    let res = await send(
      'POST',
      `${PROV}/publishedResources/${resource.id}/agentGroups/$ref`,
      docsRef('provisioning', 'agentGroups', group.id),
    );
    assert.equal(res.status, 204, res.text);
    assert.deepEqual(await ids(`${PROV}/publishedResources/${resource.id}/agentGroups`), [group.id]);
    assert.deepEqual(await ids(`${PROV}/agentGroups/${group.id}/publishedResources`), [resource.id]);

    res = await send(
      'POST',
      `${PROV}/agentGroups/${group.id}/publishedResources/$ref`,
      docsRef('provisioning', 'publishedResources', resource.id),
    );
    assert.equal(res.status, 400, res.text);

    const expanded = await get(`${PROV}/agentGroups/${group.id}/?$expand=publishedResources,agents`);
    assert.equal(expanded.status, 200, expanded.text);
    assert.deepEqual(
      expanded.body.publishedResources.map((r: any) => r.id),
      [resource.id],
    );
    assert.equal(expanded.body.publishedResources[0].resourceName, 'domain1.contoso.com');
    assert.deepEqual(expanded.body.agents, []);

    res = await send('DELETE', `${PROV}/publishedResources/${resource.id}/agentGroups/${group.id.toUpperCase()}/$ref`);
    assert.equal(res.status, 204, res.text);
    assert.deepEqual(await ids(`${PROV}/agentGroups/${group.id}/publishedResources`), []);
    assert.equal((await get(`${PROV}/publishedResources/${resource.id}`)).status, 200);
  });

  it('deleting a group removes its links (agents and resources stay)', async () => {
    const agent = await createAgent();
    const resource = await createResource();
    const group = await createAgentGroup();
    const other = await createAgentGroup();
    assert.equal(
      (
        await send(
          'POST',
          `${PROV}/agents/${agent.id}/agentGroups/$ref`,
          docsRef('provisioning', 'agentGroups', group.id),
        )
      ).status,
      204,
    );
    assert.equal(
      (
        await send(
          'POST',
          `${PROV}/agents/${agent.id}/agentGroups/$ref`,
          docsRef('provisioning', 'agentGroups', other.id),
        )
      ).status,
      204,
    );
    assert.equal(
      (
        await send(
          'POST',
          `${PROV}/publishedResources/${resource.id}/agentGroups/$ref`,
          docsRef('provisioning', 'agentGroups', group.id),
        )
      ).status,
      204,
    );

    assert.equal((await send('DELETE', `${PROV}/agentGroups/${group.id}`)).status, 204);
    assert.deepEqual(await ids(`${PROV}/agents/${agent.id}/agentGroups`), [other.id]);
    assert.deepEqual(await ids(`${PROV}/publishedResources/${resource.id}/agentGroups`), []);
    assert.equal((await get(`${PROV}/agents/${agent.id}`)).status, 200);
    assert.equal((await get(`${PROV}/publishedResources/${resource.id}`)).status, 200);
  });

  it('deleting an agent removes its links', async () => {
    const agent = await createAgent();
    const group = await createAgentGroup();
    assert.equal(
      (await send('POST', `${PROV}/agentGroups/${group.id}/agents/$ref`, docsRef('provisioning', 'agents', agent.id)))
        .status,
      204,
    );
    assert.equal((await send('DELETE', `${PROV}/agents/${agent.id}`)).status, 204);
    assert.deepEqual(await ids(`${PROV}/agentGroups/${group.id}/agents`), []);
  });

  it('deleting a published resource removes its links; DELETE agentGroups/{id}/agents/{id}/$ref works from the group side', async () => {
    const resource = await createResource();
    const agent = await createAgent();
    const group = await createAgentGroup();
    assert.equal(
      (
        await send(
          'POST',
          `${PROV}/agentGroups/${group.id}/publishedResources/$ref`,
          docsRef('provisioning', 'publishedResources', resource.id),
        )
      ).status,
      204,
    );
    assert.equal(
      (await send('POST', `${PROV}/agentGroups/${group.id}/agents/$ref`, docsRef('provisioning', 'agents', agent.id)))
        .status,
      204,
    );

    const count = await get(`${PROV}/agentGroups/${group.id}/agents/$count`, admin, { ConsistencyLevel: 'eventual' });
    assert.equal(count.status, 200, count.text);
    assert.equal(count.text.trim(), '1');

    assert.equal((await send('DELETE', `${PROV}/publishedResources/${resource.id}`)).status, 204);
    assert.deepEqual(await ids(`${PROV}/agentGroups/${group.id}/publishedResources`), []);

    const res = await send('DELETE', `${PROV}/agentGroups/${group.id}/agents/${agent.id}/$ref`);
    assert.equal(res.status, 204, res.text);
    assert.deepEqual(await ids(`${PROV}/agentGroups/${group.id}/agents`), []);
    assert.deepEqual(await ids(`${PROV}/agents/${agent.id}/agentGroups`), []);
  });

  it('refused links change nothing: unknown group (404), another profile (400), wrong collection (400), no @odata.id (400)', async () => {
    const agent = await createAgent();
    const ptaGroup = await createAgentGroup(AUTH);
    const resource = await createResource();
    const cases: Array<[unknown, number]> = [
      [docsRef('provisioning', 'agentGroups', randomUUID()), 404],
      [docsRef('authentication', 'agentGroups', ptaGroup.id), 400],
      [docsRef('provisioning', 'publishedResources', resource.id), 400],
      [{}, 400],
    ];
    for (const [body, status] of cases) {
      const res = await send('POST', `${PROV}/agents/${agent.id}/agentGroups/$ref`, body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
    }
    assert.deepEqual(await ids(`${PROV}/agents/${agent.id}/agentGroups`), []);
    assert.deepEqual(await ids(`${AUTH}/agentGroups/${ptaGroup.id}/agents`), []);
  });

  it('GET authentication/agentGroups?$expand=agents (the Maester check)', async () => {
    const agent = await createAgent(AUTH, { status: 'Active' });
    const group = await createAgentGroup(AUTH);
    assert.equal(
      (await send('POST', `${AUTH}/agentGroups/${group.id}/agents/$ref`, docsRef('authentication', 'agents', agent.id)))
        .status,
      204,
    );
    const res = await get(`${AUTH}/agentGroups?$expand=agents`);
    assert.equal(res.status, 200, res.text);
    const mine = (res.body.value as any[]).find((g) => g.id === group.id);
    assert.deepEqual(
      mine.agents.map((a: any) => a.status),
      ['active'],
    );
  });
});

describe('Private Access sensors', () => {
  it('POST, list, get, $select', async () => {
    const res = await send('POST', SENSORS, {
      externalIp: '192.68.16.158',
      machineName: 'machine.contoso.com',
      status: 'active',
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(
      res.body['@odata.context'],
      `${server.baseUrl}/beta/$metadata#onPremisesPublishingProfiles('privateAccess')/sensors/$entity`,
    );
    assert.match(res.body.id, GUID);
    assert.equal(res.body.version, '1.0.0.0');
    assert.equal(res.body.isBreakglassEnabled, false);
    assert.equal(res.body.status, 'active');

    const list = await get(SENSORS);
    assert.equal(list.status, 200, list.text);
    assert.equal(
      list.body['@odata.context'],
      `${server.baseUrl}/beta/$metadata#onPremisesPublishingProfiles('privateAccess')/sensors`,
    );
    assert.ok((list.body.value as any[]).some((s) => s.id === res.body.id));

    const one = await get(`${SENSORS}/${res.body.id}`);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(stripContext(one.body), stripContext(res.body));

    const selected = await get(`${SENSORS}/${res.body.id}?$select=machineName,status`);
    assert.equal(selected.status, 200, selected.text);
    assert.deepEqual(Object.keys(stripContext(selected.body)).sort(), ['id', 'machineName', 'status']);
    assert.match(selected.body['@odata.context'], /sensors\(machineName,status\)\/\$entity$/);

    const selectedList = await get(`${SENSORS}?$select=externalIp`);
    assert.equal(selectedList.status, 200, selectedList.text);
    for (const s of selectedList.body.value) assert.deepEqual(Object.keys(s).sort(), ['externalIp', 'id']);
  });

  it('sensor status is an evolvable enum of its own: an invalid one is refused', async () => {
    const res = await send('POST', SENSORS, { externalIp: '1.1.1.1', machineName: 'm', status: 'running' });
    assert.equal(res.status, 400, res.text);
    assert.ok(errorOf(res).message.includes('status'));
  });

  it('served under privateAccess only (404 naming it)', async () => {
    for (const profile of ['applicationProxy', 'provisioning', 'authentication']) {
      const res = await get(`${PROFILES}/${profile}/sensors`);
      assert.equal(res.status, 404, res.text);
      assert.match(errorOf(res).message, /'privateAccess'/);
    }
    const before = await ids(SENSORS);
    const res = await send('POST', `${PROV}/sensors`, { externalIp: '1.1.1.1', machineName: 'm', status: 'active' });
    assert.equal(res.status, 404, res.text);
    assert.deepEqual(await ids(SENSORS), before);
  });
});

describe('permissions', () => {
  function denied(res: JsonResponse<any>): void {
    assertGraphError(res, 403, 'Authorization_RequestDenied');
  }

  it('published resources need OnPremisesPublishingProfiles.ReadWrite.All: Directory.ReadWrite.All alone → 403, nothing created', async () => {
    const before = await ids(`${PROV}/publishedResources`);
    denied(await send('POST', `${PROV}/publishedResources`, { displayName: 'x', resourceName: 'x' }, directoryOnly));
    denied(await get(`${PROV}/publishedResources`, directoryOnly));
    assert.deepEqual(await ids(`${PROV}/publishedResources`), before);

    const created = await send(
      'POST',
      `${PROV}/publishedResources`,
      { displayName: 'ok', resourceName: 'ok.contoso.com' },
      publishingOnly,
    );
    assert.equal(created.status, 201, created.text);
    denied(
      await send('PATCH', `${PROV}/publishedResources/${created.body.id}`, { displayName: 'changed' }, directoryOnly),
    );
    denied(await send('DELETE', `${PROV}/publishedResources/${created.body.id}`, undefined, directoryOnly));
    denied(
      await send('PATCH', `${PROV}/publishedResources/${created.body.id}`, { displayName: 'changed' }, hybridReadWrite),
    );
    const after = await get(`${PROV}/publishedResources/${created.body.id}`);
    assert.equal(after.body.displayName, 'ok');
  });

  it('linking a resource to a group from the group side needs OnPremisesPublishingProfiles.ReadWrite.All', async () => {
    const resource = await createResource();
    const group = await createAgentGroup();
    denied(
      await send(
        'POST',
        `${PROV}/agentGroups/${group.id}/publishedResources/$ref`,
        docsRef('provisioning', 'publishedResources', resource.id),
        directoryOnly,
      ),
    );
    assert.deepEqual(await ids(`${PROV}/agentGroups/${group.id}/publishedResources`), []);
    const res = await send(
      'POST',
      `${PROV}/agentGroups/${group.id}/publishedResources/$ref`,
      docsRef('provisioning', 'publishedResources', resource.id),
      publishingOnly,
    );
    assert.equal(res.status, 204, res.text);
  });

  it('agent reads accept Policy.Read.HybridAuthentication; writes with it → 403', async () => {
    const agent = await createAgent();
    const group = await createAgentGroup();
    assert.ok((await ids(`${PROV}/agents`, hybridRead)).includes(agent.id));
    assert.equal((await get(`${PROV}/agents/${agent.id}`, hybridRead)).status, 200);
    assert.equal((await get(`${PROV}/agents/${agent.id}/agentGroups`, hybridRead)).status, 200);
    assert.ok((await ids(`${PROV}/agentGroups`, hybridRead)).includes(group.id));
    assert.equal((await get(`${PROV}/agentGroups/${group.id}/agents`, hybridRead)).status, 200);
    assert.equal((await get(PROV, hybridRead)).status, 200);

    const before = await ids(`${PROV}/agents`);
    denied(
      await send('POST', `${PROV}/agents`, { externalIp: '1.1.1.1', machineName: 'm', status: 'active' }, hybridRead),
    );
    denied(await send('PATCH', `${PROV}/agents/${agent.id}`, { status: 'inactive' }, hybridRead));
    denied(
      await send(
        'POST',
        `${PROV}/agents/${agent.id}/agentGroups/$ref`,
        docsRef('provisioning', 'agentGroups', group.id),
        hybridRead,
      ),
    );
    denied(await send('POST', `${PROV}/agentGroups`, { displayName: 'x' }, hybridRead));
    assert.deepEqual(await ids(`${PROV}/agents`), before);
    assert.equal((await get(`${PROV}/agents/${agent.id}`)).body.status, 'active');
    assert.deepEqual(await ids(`${PROV}/agents/${agent.id}/agentGroups`), []);
  });

  it('agent and group writes accept Policy.ReadWrite.HybridAuthentication', async () => {
    const agent = await send(
      'POST',
      `${PROV}/agents`,
      { externalIp: '1.1.1.1', machineName: 'hybrid-rw', status: 'active' },
      hybridReadWrite,
    );
    assert.equal(agent.status, 201, agent.text);
    const group = await send('POST', `${PROV}/agentGroups`, { displayName: 'hybrid-rw' }, hybridReadWrite);
    assert.equal(group.status, 201, group.text);
    const link = await send(
      'POST',
      `${PROV}/agents/${agent.body.id}/agentGroups/$ref`,
      docsRef('provisioning', 'agentGroups', group.body.id),
      hybridReadWrite,
    );
    assert.equal(link.status, 204, link.text);
    const unlink = await send(
      'DELETE',
      `${PROV}/agents/${agent.body.id}/agentGroups/${group.body.id}/$ref`,
      undefined,
      hybridReadWrite,
    );
    assert.equal(unlink.status, 204, unlink.text);
  });

  it('agent reads are delegated only: an app token → 403; registration by app Directory.ReadWrite.All is allowed', async () => {
    denied(await get(`${PROV}/agents`, appDirectory));
    denied(await get(`${PROV}/agentGroups`, appDirectory));
    const res = await send(
      'POST',
      `${PROV}/agents`,
      { externalIp: '1.1.1.1', machineName: 'installer', status: 'active' },
      appDirectory,
    );
    assert.equal(res.status, 201, res.text);
  });

  it('sensors need OnPremisesPublishingProfiles.ReadWrite.All', async () => {
    denied(await get(SENSORS, directoryOnly));
    denied(await get(SENSORS, hybridReadWrite));
    const before = await ids(SENSORS);
    denied(await send('POST', SENSORS, { externalIp: '1.1.1.1', machineName: 'm', status: 'active' }, directoryOnly));
    assert.deepEqual(await ids(SENSORS), before);
    assert.equal((await get(SENSORS, publishingOnly)).status, 200);
    const res = await send(
      'POST',
      SENSORS,
      { externalIp: '1.1.1.1', machineName: 'sensor-app', status: 'active' },
      appPublishing,
    );
    assert.equal(res.status, 201, res.text);
    denied(await get(SENSORS, appPublishing));
  });

  it('OnPremisesPublishingProfiles.ReadWrite.All alone does not read agents or the profile (403)', async () => {
    denied(await get(`${PROV}/agents`, publishingOnly));
    denied(await get(PROV, publishingOnly));
  });
});

describe('evolvable enum members (Prefer: include-unknown-enum-members)', () => {
  it('agent supportedPublishingTypes: privateAccess reads as unknownFutureValue without the header, as sent with it', async () => {
    const res = await send('POST', `${PROV}/agents`, {
      externalIp: '1.1.1.1',
      machineName: 'evolvable',
      status: 'active',
      supportedPublishingTypes: ['provisioning', 'privateAccess'],
    });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.supportedPublishingTypes, ['provisioning', 'unknownFutureValue']);
    const id = res.body.id;

    let one = await get(`${PROV}/agents/${id}`);
    assert.deepEqual(one.body.supportedPublishingTypes, ['provisioning', 'unknownFutureValue']);
    one = await get(`${PROV}/agents/${id}`, admin, INCLUDE_UNKNOWN);
    assert.deepEqual(one.body.supportedPublishingTypes, ['provisioning', 'privateAccess']);

    let list = await get(`${PROV}/agents`);
    assert.deepEqual((list.body.value as any[]).find((a) => a.id === id).supportedPublishingTypes, [
      'provisioning',
      'unknownFutureValue',
    ]);
    list = await get(`${PROV}/agents`, admin, INCLUDE_UNKNOWN);
    assert.deepEqual((list.body.value as any[]).find((a) => a.id === id).supportedPublishingTypes, [
      'provisioning',
      'privateAccess',
    ]);

    // Together with other preferences in one header.
    list = await get(`${PROV}/agents`, admin, { Prefer: 'odata.maxpagesize=500, include-unknown-enum-members' });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual((list.body.value as any[]).find((a) => a.id === id).supportedPublishingTypes, [
      'provisioning',
      'privateAccess',
    ]);

    // The stored value is not changed by reading it either way.
    const created = await send(
      'POST',
      `${PROV}/agents`,
      {
        externalIp: '1.1.1.1',
        machineName: 'evolvable-2',
        status: 'active',
        supportedPublishingTypes: ['privateAccess'],
      },
      admin,
      INCLUDE_UNKNOWN,
    );
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.body.supportedPublishingTypes, ['privateAccess']);
  });

  it('segment destinationType servicePrincipalName likewise', async () => {
    const app = await send('POST', '/beta/applications', {
      displayName: 'evolvable segments',
      onPremisesPublishing: { segmentsConfiguration: { '@odata.type': '#microsoft.graph.ipSegmentConfiguration' } },
    });
    assert.equal(app.status, 201, app.text);
    const segments = `/beta/applications/${app.body.id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments`;
    const res = await send('POST', segments, {
      destinationHost: 'HOST/sql.contoso.com',
      destinationType: 'servicePrincipalName',
      protocol: 'tcp',
    });
    assert.ok(res.status === 201 || res.status === 200, res.text);
    assert.equal(res.body.destinationType, 'unknownFutureValue');

    let one = await get(`${segments}/${res.body.id}`);
    assert.equal(one.body.destinationType, 'unknownFutureValue');
    one = await get(`${segments}/${res.body.id}`, admin, INCLUDE_UNKNOWN);
    assert.equal(one.body.destinationType, 'servicePrincipalName');
    const list = await get(segments, admin, INCLUDE_UNKNOWN);
    assert.equal(list.body.value[0].destinationType, 'servicePrincipalName');
  });

  it('an expanded agent honours the header too', async () => {
    const agent = await send('POST', `${PROV}/agents`, {
      externalIp: '1.1.1.1',
      machineName: 'evolvable-3',
      status: 'active',
      supportedPublishingTypes: ['privateAccess'],
    });
    const group = await createAgentGroup();
    assert.equal(
      (
        await send(
          'POST',
          `${PROV}/agentGroups/${group.id}/agents/$ref`,
          docsRef('provisioning', 'agents', agent.body.id),
        )
      ).status,
      204,
    );
    let res = await get(`${PROV}/agentGroups/${group.id}?$expand=agents`);
    assert.deepEqual(res.body.agents[0].supportedPublishingTypes, ['unknownFutureValue']);
    res = await get(`${PROV}/agentGroups/${group.id}?$expand=agents`, admin, INCLUDE_UNKNOWN);
    assert.deepEqual(res.body.agents[0].supportedPublishingTypes, ['privateAccess']);
    res = await get(`${PROV}/agentGroups/${group.id}/agents`, admin, INCLUDE_UNKNOWN);
    assert.deepEqual(res.body.value[0].supportedPublishingTypes, ['privateAccess']);
  });

  it('the privateAccess profile key is a plain string in the URL, whatever the header', async () => {
    const res = await get(`${PROFILES}/privateAccess`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, 'privateAccess');
  });
});
