/**
 * End to end: every operation the Python beta SDK's request builders offer under
 * `onPremisesPublishingProfiles` (src/resources/sdk-surface.ts), sent to the real server with the
 * ids of objects made here: the served ones are served (no 405, no 501, no 5xx), the others answer
 * the status their documented reason names. Then the new parts in detail: the alternate keys
 * `applications(appId='…')` and `applications(uniqueName='…')`, the profile's
 * `applicationSegments`, and `DELETE .../$ref?@id=` as the Kiota SDKs send it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { familyModel, familyRegistry } from '../src/family/family.js';
import { onPremises } from '../src/family/on-premises/on-premises.js';
import { sdkAnswers } from '../src/resources/sdk-coverage.js';
import { request, type JsonResponse } from './helpers/server.js';
import { startInProcess, type InProcessServer } from './helpers/in-process.js';
import { graphClient } from './helpers/graph.js';

const SCOPES =
  'Directory.ReadWrite.All Application.ReadWrite.All OnPremisesPublishingProfiles.ReadWrite.All Policy.ReadWrite.HybridAuthentication';
const P = '/beta/onPremisesPublishingProfiles';

let server: InProcessServer;
let admin: string;

before(async () => {
  server = await startInProcess();
  admin = await server.token(['--scopes', SCOPES]);
});

after(async () => {
  if (server) await server.stop();
});

const { send } = graphClient(
  () => server.baseUrl,
  () => admin,
);

async function made(path: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await send('POST', path, body);
  assert.ok(res.status === 200 || res.status === 201, `${path}: ${res.text}`);
  return res.body;
}

async function ok(method: string, path: string, body?: unknown): Promise<JsonResponse<any>> {
  const res = await send(method, path, body);
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
  return res;
}

/** One object of every kind, linked as the SDK paths expect, and an application with a segment assigned to the group. */
async function family() {
  const group = await made(`${P}/applicationProxy/connectorGroups`, { name: `sdk-${randomUUID().slice(0, 8)}` });
  const connector = await made(`${P}/applicationProxy/connectors`, {
    externalIp: '10.0.0.1',
    machineName: `sdk-${randomUUID().slice(0, 8)}.contoso.com`,
    status: 'active',
  });
  await ok('POST', `${P}/applicationProxy/connectorGroups/${group.id}/members/$ref`, {
    '@odata.id': `${server.baseUrl}${P}/applicationProxy/connectors/${connector.id}`,
  });
  const uniqueName = `sdk-app-${randomUUID().slice(0, 8)}`;
  const app = await made('/beta/applications', {
    displayName: 'sdk surface',
    uniqueName,
    onPremisesPublishing: {
      externalUrl: 'https://sdk-contoso.msappproxy.net/',
      internalUrl: 'https://sdk.contoso.com/',
    },
  });
  await ok('PUT', `/beta/applications/${app.id}/connectorGroup/$ref`, {
    '@odata.id': `${server.baseUrl}${P}/applicationProxy/connectorGroups/${group.id}`,
  });
  const segment = await made(
    `/beta/applications/${app.id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments`,
    {
      destinationHost: '10.1.1.1',
      destinationType: 'ipAddress',
      ports: ['80-80'],
      protocol: 'tcp',
    },
  );
  const agent = await made(`${P}/provisioning/agents`, {
    externalIp: '10.0.0.2',
    machineName: 'agent.contoso.com',
    status: 'active',
  });
  const agentGroup = await made(`${P}/provisioning/agentGroups`, { displayName: 'sdk agents' });
  const resource = await made(`${P}/provisioning/publishedResources`, {
    displayName: 'sdk',
    resourceName: 'sdk.contoso.com',
  });
  await ok('POST', `${P}/provisioning/agentGroups/${agentGroup.id}/agents/$ref`, {
    '@odata.id': `${server.baseUrl}${P}/provisioning/agents/${agent.id}`,
  });
  await ok('POST', `${P}/provisioning/agentGroups/${agentGroup.id}/publishedResources/$ref`, {
    '@odata.id': `${server.baseUrl}${P}/provisioning/publishedResources/${resource.id}`,
  });
  const sensor = await made(`${P}/privateAccess/sensors`, {
    externalIp: '10.0.0.3',
    machineName: 'sensor.contoso.com',
    status: 'active',
  });
  return { group, connector, app, uniqueName, segment, agent, agentGroup, resource, sensor };
}

describe('every request builder of the SDK', () => {
  it('served operations are served; the others answer the status their reason gives', async () => {
    const f = await family();
    const profileOf = (template: string) =>
      /\/(agents|agentGroups|publishedResources)\b/.test(template)
        ? 'provisioning'
        : template.includes('/sensors')
          ? 'privateAccess'
          : 'applicationProxy';
    const fill = (template: string) =>
      template
        .replace('{onPremisesPublishingProfile%2Did}', profileOf(template))
        .replace('{connector%2Did}', f.connector.id)
        .replace(/\{connectorGroup%2Did\}/g, f.group.id)
        .replace('{application%2Did}', f.app.id)
        .replace('{appId}', f.app.appId)
        .replace('{uniqueName}', f.uniqueName)
        .replace('{ipApplicationSegment%2Did}', f.segment.id)
        .replace('{onPremisesAgent%2Did}', f.agent.id)
        .replace(/\{onPremisesAgentGroup%2Did1?\}/g, f.agentGroup.id)
        .replace('{publishedResource%2Did}', f.resource.id)
        .replace('{privateAccessSensor%2Did}', f.sensor.id);
    const refTo = (template: string): string => {
      const path = template.replace(/\/\$ref$/, '');
      if (/memberOf$/.test(path)) return `${P}/applicationProxy/connectorGroups/${f.group.id}`;
      if (/members$/.test(path)) return `${P}/applicationProxy/connectors/${f.connector.id}`;
      if (/agentGroups$/.test(path)) return `${P}/provisioning/agentGroups/${f.agentGroup.id}`;
      if (/agents$/.test(path)) return `${P}/provisioning/agents/${f.agent.id}`;
      return `${P}/provisioning/publishedResources/${f.resource.id}`;
    };
    const bodyFor = (method: string, template: string): unknown => {
      if (method === 'PATCH') return {};
      if (method === 'PUT') return {};
      if (method !== 'POST') return undefined;
      if (template.endsWith('/$ref')) return { '@odata.id': `${server.baseUrl}${refTo(template)}` };
      if (template.endsWith('/connectors'))
        return {
          externalIp: '10.0.0.9',
          machineName: `more-${randomUUID().slice(0, 8)}.contoso.com`,
          status: 'active',
        };
      if (template.endsWith('/connectorGroups')) return { name: `more-${randomUUID().slice(0, 8)}` };
      if (template.endsWith('/agents'))
        return { externalIp: '10.0.0.8', machineName: 'more.contoso.com', status: 'active' };
      if (template.endsWith('/agentGroups')) return { displayName: 'more' };
      if (template.endsWith('/publishedResources')) return { displayName: 'more', resourceName: 'more.contoso.com' };
      if (template.endsWith('/sensors'))
        return { externalIp: '10.0.0.7', machineName: 'more-sensor.contoso.com', status: 'active' };
      return {};
    };
    const answers = sdkAnswers(familyModel(onPremises), familyRegistry(onPremises));
    // Deletes last (links before objects), so that what the other operations address still exists.
    const deletes = answers.filter((a) => a.method === 'DELETE');
    const ordered = [
      ...answers.filter((a) => a.method !== 'DELETE'),
      ...deletes.filter((a) => a.template.endsWith('/$ref')),
      ...deletes.filter((a) => !a.template.endsWith('/$ref')),
    ];
    const problems: string[] = [];
    for (const a of ordered) {
      let path = fill(a.template);
      if (a.method === 'DELETE' && a.template.endsWith('/$ref') && !/%2Did1?\}\/\$ref$/.test(a.template))
        path += `?@id=${encodeURIComponent(`${server.baseUrl}${refTo(a.template)}`)}`;
      const headers: Record<string, string> = a.template.endsWith('/$count') ? { consistencylevel: 'eventual' } : {};
      // Each removal of a link removes one that exists: the link is made (again) first.
      if (
        a.served &&
        a.method === 'DELETE' &&
        a.template.endsWith('/$ref') &&
        /agentGroups|agents|publishedResources/.test(a.template)
      ) {
        const navigation = fill(a.template).replace(/(\/[^/]+)?\/\$ref$/, (whole, item: string | undefined) =>
          /%2Did1?\}\/\$ref$/.test(a.template) && item ? '' : whole.replace(/\/\$ref$/, ''),
        );
        await send('POST', `/beta${navigation}/$ref`.replace('/beta/beta', '/beta'), {
          '@odata.id': `${server.baseUrl}${refTo(`${navigation}/$ref`)}`,
        });
      }
      const res = await request(`${server.baseUrl}/beta${path}`, {
        method: a.method,
        headers: {
          authorization: `Bearer ${admin}`,
          ...headers,
          ...(bodyFor(a.method, a.template) === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: bodyFor(a.method, a.template) === undefined ? undefined : JSON.stringify(bodyFor(a.method, a.template)),
      });
      if (a.served) {
        // Served: whatever the rules answer (a group with members cannot be deleted), never "not here".
        const fine =
          a.method === 'GET'
            ? res.status === 200
            : res.status < 500 && res.status !== 405 && res.status !== 501 && res.status !== 404;
        if (!fine) problems.push(`${a.method} ${a.template}: served, but ${res.status} ${res.text.slice(0, 200)}`);
      } else {
        const expected = Number(/[:,] (\d{3})\.$/.exec(a.note)![1]);
        if (res.status !== expected)
          problems.push(
            `${a.method} ${a.template}: expected ${expected} (${a.note}), got ${res.status} ${res.text.slice(0, 200)}`,
          );
        else if (!res.body?.error?.code)
          problems.push(`${a.method} ${a.template}: ${res.status} without Graph's error envelope`);
      }
    }
    assert.deepEqual(problems, []);
  });
});

describe("alternate keys, the profile's applicationSegments, $ref removal by @id", () => {
  it("connectorGroups/{id}/applications(appId='…') and (uniqueName='…') read an assigned application; another app is 404", async () => {
    const f = await family();
    const groupApps = `${P}/applicationProxy/connectorGroups/${f.group.id}/applications`;
    for (const key of [`(appId='${f.app.appId}')`, `(uniqueName='${f.uniqueName}')`]) {
      const res = await send('GET', `${groupApps}${key}`);
      assert.equal(res.status, 200, `${key}: ${res.text}`);
      assert.equal(res.body.id, f.app.id);
      assert.equal(res.body.displayName, 'sdk surface');
      assert.equal(res.body['@odata.context'], `${server.baseUrl}/beta/$metadata#applications/$entity`);
    }
    const other = await made('/beta/applications', { displayName: 'not assigned here' });
    assert.equal((await send('GET', `${groupApps}(appId='${other.appId}')`)).status, 404);
    assert.equal((await send('GET', `${groupApps}(appId='${randomUUID()}')`)).status, 404);
    assert.equal((await send('GET', `${groupApps}(colour='red')`)).status, 400);
  });

  it("applications(appId='…') and applications(uniqueName='…') address the application itself (GET, PATCH)", async () => {
    const f = await family();
    let res = await send('GET', `/beta/applications(appId='${f.app.appId}')`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, f.app.id);
    res = await send('PATCH', `/beta/applications(uniqueName='${f.uniqueName}')`, { description: 'by unique name' });
    assert.equal(res.status, 204, res.text);
    assert.equal((await send('GET', `/beta/applications/${f.app.id}`)).body.description, 'by unique name');
  });

  it("onPremisesPublishingProfiles/applicationProxy/applicationSegments lists every application's segments; /{id} and /$count too", async () => {
    const f = await family();
    const g = await family();
    const path = `${P}/applicationProxy/applicationSegments`;
    const res = await send('GET', path);
    assert.equal(res.status, 200, res.text);
    assert.equal(
      res.body['@odata.context'],
      `${server.baseUrl}/beta/$metadata#onPremisesPublishingProfiles('applicationProxy')/applicationSegments`,
    );
    const ids = (res.body.value as { id: string }[]).map((s) => s.id);
    assert.ok(ids.includes(f.segment.id) && ids.includes(g.segment.id), JSON.stringify(ids));
    const one = await send('GET', `${path}/${f.segment.id}`);
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body.destinationHost, '10.1.1.1');
    const count = await request(`${server.baseUrl}${path}/$count`, {
      headers: { authorization: `Bearer ${admin}`, consistencylevel: 'eventual' },
    });
    assert.equal(count.status, 200, count.text);
    assert.equal(Number(count.text), ids.length);
    assert.equal(
      (await send('GET', `${P}/provisioning/applicationSegments`)).body.value.length,
      0,
      'other profiles have none',
    );
    assert.equal((await send('GET', `${path}/${randomUUID()}`)).status, 404);
  });

  it('DELETE agents/{id}/agentGroups/$ref?@id=<url> removes that link, as the Kiota SDKs send it; without @id it is 400', async () => {
    const f = await family();
    const links = `${P}/provisioning/agents/${f.agent.id}/agentGroups`;
    assert.deepEqual(
      (await send('GET', links)).body.value.map((g: { id: string }) => g.id),
      [f.agentGroup.id],
    );
    assert.equal((await send('DELETE', `${links}/$ref`)).status, 400);
    const res = await send(
      'DELETE',
      `${links}/$ref?@id=${encodeURIComponent(`https://graph.microsoft.com/beta/onPremisesPublishingProfiles/provisioning/agentGroups/${f.agentGroup.id}`)}`,
    );
    assert.equal(res.status, 204, res.text);
    assert.deepEqual((await send('GET', links)).body.value, []);
  });
});
