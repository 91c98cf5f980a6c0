/**
 * End to end: every entity and complex value of the family comes back with every property its
 * type declares, unset ones as `null` and collections as `[]`, as Graph's docs show (e.g.
 * `application.onPremisesPublishing`), whatever the client sent; `$select` narrows that to the
 * selected properties, unset ones still `null`. The expected property lists come from the model.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { family } from '../src/family/on-premises/schema.js';
import { Model, type StructuredType } from '../src/model/model.js';
import { startInProcess, type InProcessServer } from './helpers/in-process.js';
import { graphClient } from './helpers/graph.js';

const model = new Model(family);
let server: InProcessServer;
let admin: string;

const SCOPES =
  'Directory.ReadWrite.All Application.ReadWrite.All OnPremisesPublishingProfiles.ReadWrite.All Policy.ReadWrite.HybridAuthentication';
const PROFILES = '/beta/onPremisesPublishingProfiles';

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

async function created(path: string, body: Record<string, unknown>): Promise<string> {
  const res = await send('POST', path, body);
  assert.ok(res.status === 201 || res.status === 200, res.text);
  return res.body.id;
}

/** Asserts `value` has exactly its type's declared properties (open types: at least those), nested values too. */
function assertDeclared(type: StructuredType, value: Record<string, unknown>, where: string): void {
  const actualType =
    typeof value['@odata.type'] === 'string' ? model.findStructuredType(value['@odata.type'] as string)! : type;
  const declared = [...actualType.properties.keys()];
  const keys = Object.keys(value).filter((k) => !k.startsWith('@'));
  if (actualType.openType) for (const name of declared) assert.ok(keys.includes(name), `${where}: ${name} missing`);
  else assert.deepEqual(keys, declared, where);
  for (const property of actualType.properties.values()) {
    const v = value[property.name];
    if (property.type.collection) {
      assert.ok(Array.isArray(v), `${where}.${property.name} is ${JSON.stringify(v)}, not an array`);
      if (property.type.kind === 'complex')
        for (const [i, item] of (v as Record<string, unknown>[]).entries())
          assertDeclared(model.structured(property.type.name), item, `${where}.${property.name}[${i}]`);
    } else if (property.type.kind === 'complex' && v !== null) {
      assertDeclared(model.structured(property.type.name), v as Record<string, unknown>, `${where}.${property.name}`);
    }
  }
}

describe('declared but unset properties come back as null (collections as [])', () => {
  const cases: Array<{ name: string; type: string; path: () => Promise<string> }> = [
    {
      name: 'connector',
      type: 'connector',
      path: async () =>
        `${PROFILES}/applicationProxy/connectors/${await created(`${PROFILES}/applicationProxy/connectors`, { externalIp: '10.0.0.1', machineName: 'm.contoso.com', status: 'active' })}`,
    },
    {
      name: 'connectorGroup',
      type: 'connectorGroup',
      path: async () =>
        `${PROFILES}/applicationProxy/connectorGroups/${await created(`${PROFILES}/applicationProxy/connectorGroups`, { name: `g-${randomUUID()}` })}`,
    },
    {
      name: 'onPremisesAgent',
      type: 'onPremisesAgent',
      path: async () =>
        `${PROFILES}/provisioning/agents/${await created(`${PROFILES}/provisioning/agents`, { externalIp: '10.0.0.2', machineName: 'a.contoso.com', status: 'active' })}`,
    },
    {
      name: 'onPremisesAgentGroup',
      type: 'onPremisesAgentGroup',
      path: async () =>
        `${PROFILES}/provisioning/agentGroups/${await created(`${PROFILES}/provisioning/agentGroups`, { displayName: 'ag' })}`,
    },
    {
      name: 'publishedResource',
      type: 'publishedResource',
      path: async () =>
        `${PROFILES}/provisioning/publishedResources/${await created(`${PROFILES}/provisioning/publishedResources`, { displayName: 'r', resourceName: 'domain1.contoso.com' })}`,
    },
    {
      name: 'privateAccessSensor',
      type: 'privateAccessSensor',
      path: async () =>
        `${PROFILES}/privateAccess/sensors/${await created(`${PROFILES}/privateAccess/sensors`, { externalIp: '10.0.0.3', machineName: 's.contoso.com', status: 'active' })}`,
    },
    {
      name: 'onPremisesPublishingProfile',
      type: 'onPremisesPublishingProfile',
      path: async () => `${PROFILES}/provisioning`,
    },
    {
      name: 'application (no app proxy)',
      type: 'application',
      path: async () => `/beta/applications/${await created('/beta/applications', { displayName: 'plain' })}`,
    },
    {
      name: 'application with onPremisesPublishing as the docs create it',
      type: 'application',
      path: async () => {
        const id = await created('/beta/applications', { displayName: 'published' });
        const res = await send('PATCH', `/beta/applications/${id}`, {
          onPremisesPublishing: {
            externalUrl: 'https://app-contoso.msappproxy.net/',
            internalUrl: 'https://app.contoso.com/',
            externalAuthenticationType: 'aadPreAuthentication',
          },
        });
        assert.equal(res.status, 204, res.text);
        return `/beta/applications/${id}`;
      },
    },
    {
      name: 'ipApplicationSegment',
      type: 'ipApplicationSegment',
      path: async () => {
        const app = await created('/beta/applications', { displayName: 'segments' });
        const segments = `/beta/applications/${app}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments`;
        return `${segments}/${await created(segments, { destinationHost: '10.1.1.1', destinationType: 'ipAddress', ports: ['80-80'], protocol: 'tcp' })}`;
      },
    },
  ];

  for (const c of cases) {
    it(`${c.name}: GET, and the same entity in its collection, hold every declared property`, async () => {
      const path = await c.path();
      const type = model.structured(`graph.${c.type}`);
      const res = await send('GET', path);
      assert.equal(res.status, 200, res.text);
      assertDeclared(type, res.body, c.name);
      const list = await send('GET', path.slice(0, path.lastIndexOf('/')));
      assert.equal(list.status, 200, list.text);
      if (list.body.value) {
        const row = (list.body.value as Record<string, unknown>[]).find((e) => e.id === res.body.id);
        assert.ok(row, 'not in its collection');
        assertDeclared(type, row, `${c.name} in a list`);
      }
    });
  }

  it("application.onPremisesPublishing: the docs' unset properties are null, onPremisesApplicationSegments []", async () => {
    const id = await created('/beta/applications', {
      displayName: 'docs',
      onPremisesPublishing: { externalUrl: 'https://docs-contoso.msappproxy.net/' },
    });
    const res = await send('GET', `/beta/applications/${id}`);
    assert.equal(res.status, 200, res.text);
    const publishing = res.body.onPremisesPublishing;
    for (const name of [
      'alternateUrl',
      'singleSignOnSettings',
      'verifiedCustomDomainCertificatesMetadata',
      'verifiedCustomDomainKeyCredential',
      'verifiedCustomDomainPasswordCredential',
      'segmentsConfiguration',
    ]) {
      assert.ok(name in publishing, `${name} left out`);
      assert.equal(publishing[name], null, name);
    }
    assert.deepEqual(publishing.onPremisesApplicationSegments, []);
  });

  it('$select: only the selected properties, an unset one as null', async () => {
    const id = await created('/beta/applications', { displayName: 'selected' });
    const res = await send('GET', `/beta/applications/${id}?$select=displayName,onPremisesPublishing`);
    assert.equal(res.status, 200, res.text);
    const { '@odata.context': _context, ...body } = res.body;
    assert.deepEqual(body, { id, displayName: 'selected', onPremisesPublishing: null });
  });
});
