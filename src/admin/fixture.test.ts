import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { hashSecret } from '../auth/secrets.js';
import { createApp } from '../http/app.js';
import { openStore, postgresTarget } from '../store/open.js';
import type { Store } from '../store/store.js';
import { onPremises } from '../family/on-premises/on-premises.js';

/**
 * Fixtures through the admin API, in process: a tenant with one object of every kind (links
 * included) exports, resets, imports and exports again to the same bytes, on SQLite and, when a
 * server is reachable at 127.0.0.1:5432, on PostgreSQL.
 */
const KEY = 'test-admin-key-0123456789';
const TENANT = '0f0e0d0c-0000-4000-8000-00000000000a';
const OTHER = '0f0e0d0c-0000-4000-8000-00000000000b';
const admin = { 'x-localgraph-admin-key': KEY };
const AP = '/beta/onPremisesPublishingProfiles/applicationProxy';
const PROV = '/beta/onPremisesPublishingProfiles/provisioning';

interface Harness {
  app: FastifyInstance;
  store: Store;
  graph(method: string, url: string, body?: object, tenant?: string): Promise<{ status: number; body: any }>;
}

async function harness(store: Store): Promise<Harness> {
  const app = createApp({ store, family: onPremises, controlPlane: { adminKey: KEY } });
  const tokens = new Map<string, string>();
  const token = async (tenant: string) => {
    if (!tokens.has(tenant)) {
      const res = await app.inject({
        method: 'POST',
        url: '/_admin/token',
        headers: admin,
        payload: { tenantId: tenant },
      });
      assert.equal(res.statusCode, 200, res.body);
      tokens.set(tenant, res.json().access_token);
    }
    return tokens.get(tenant)!;
  };
  return {
    app,
    store,
    async graph(method, url, body, tenant = TENANT) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: {
          authorization: `Bearer ${await token(tenant)}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        payload: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
    },
  };
}

/** One object of every kind, linked every way the family links them. */
async function populate(h: Harness): Promise<void> {
  const ok = (res: { status: number; body: any }) => {
    assert.ok(res.status < 300, JSON.stringify(res.body));
    return res.body;
  };
  const group = ok(await h.graph('POST', `${AP}/connectorGroups`, { name: 'Group A', region: 'eur' }));
  const moved = ok(
    await h.graph('POST', `${AP}/connectors`, {
      externalIp: '10.0.0.1',
      machineName: 'a.contoso.com',
      status: 'active',
    }),
  );
  ok(
    await h.graph('POST', `${AP}/connectors`, {
      externalIp: '10.0.0.2',
      machineName: 'b.contoso.com',
      status: 'inactive',
      version: '1.5.9.0',
    }),
  );
  ok(
    await h.graph('POST', `${AP}/connectorGroups/${group.id}/members/$ref`, {
      '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/${moved.id}`,
    }),
  );
  const app = ok(
    await h.graph('POST', '/beta/applications', {
      displayName: 'Contoso app',
      tags: ['x'],
      customOpenProperty: { a: 1 },
    }),
  );
  ok(
    await h.graph('PATCH', `/beta/applications/${app.id}`, {
      onPremisesPublishing: { externalUrl: 'https://app.contoso.com', internalUrl: 'http://app' },
    }),
  );
  ok(
    await h.graph('PUT', `/beta/applications/${app.id}/connectorGroup/$ref`, {
      '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${group.id}`,
    }),
  );
  ok(
    await h.graph(
      'POST',
      `/beta/applications/${app.id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments`,
      {
        destinationHost: 'db.contoso.com',
        destinationType: 'fqdn',
        ports: ['1433-1433'],
        protocol: 'tcp',
      },
    ),
  );
  ok(await h.graph('POST', '/beta/applications', { displayName: 'Unassigned app' }));
  const agent = ok(
    await h.graph('POST', `${PROV}/agents`, {
      externalIp: '10.0.1.1',
      machineName: 'agent.contoso.com',
      status: 'active',
    }),
  );
  const agentGroup = ok(await h.graph('POST', `${PROV}/agentGroups`, { displayName: 'Agents A' }));
  const resource = ok(
    await h.graph('POST', `${PROV}/publishedResources`, { displayName: 'Resource A', resourceName: 'a.contoso.com' }),
  );
  ok(
    await h.graph('POST', `${PROV}/agentGroups/${agentGroup.id}/agents/$ref`, {
      '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/provisioning/agents/${agent.id}`,
    }),
  );
  ok(
    await h.graph('POST', `${PROV}/agentGroups/${agentGroup.id}/publishedResources/$ref`, {
      '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/provisioning/publishedResources/${resource.id}`,
    }),
  );
  ok(
    await h.graph('POST', '/beta/onPremisesPublishingProfiles/privateAccess/sensors', {
      externalIp: '10.0.2.1',
      machineName: 'sensor.contoso.com',
      status: 'active',
    }),
  );
  ok(await h.graph('PATCH', '/beta/onPremisesPublishingProfiles/provisioning', { isEnabled: false }));
  ok(
    await h.graph(
      'POST',
      `${AP}/connectors`,
      { externalIp: '10.9.9.9', machineName: 'other.fabrikam.com', status: 'active' },
      OTHER,
    ),
  );
  await h.store.insertAppRegistration({
    clientId: '0a0a0a0a-0000-4000-8000-000000000001',
    tenantId: TENANT,
    displayName: 'ci app',
    servicePrincipalId: '0a0a0a0a-0000-4000-8000-000000000002',
    secretHash: await hashSecret('ci-app-secret'),
    roles: ['Directory.ReadWrite.All'],
    scopes: [],
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  await h.store.insertRegisteredUser({
    tenantId: TENANT,
    id: '0a0a0a0a-0000-4000-8000-000000000003',
    userPrincipalName: 'Alice@contoso.com',
    displayName: 'Alice',
    passwordHash: await hashSecret('Alice-Password-1'),
    createdAt: '2026-01-01T00:00:00.000Z',
  });
}

async function exportText(h: Harness, tenant?: string): Promise<string> {
  const res = await h.app.inject({
    method: 'GET',
    url: `/_admin/export${tenant ? `?tenant=${tenant}` : ''}`,
    headers: admin,
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.body;
}

function roundTrip(name: string, open: () => Promise<{ store: Store; cleanup(): Promise<void> } | undefined>): void {
  describe(`fixtures on ${name}`, () => {
    let h: Harness | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    before(async () => {
      const opened = await open();
      if (!opened) return;
      cleanup = opened.cleanup;
      h = await harness(opened.store);
      await populate(h);
    });
    after(async () => {
      await h?.app.close();
      await cleanup?.();
    });

    test('export → reset → import → export gives the same bytes', async (t) => {
      if (!h) return t.skip(`${name} is not reachable`);
      const first = await exportText(h);
      const doc = JSON.parse(first);
      const tenant = doc.tenants.find((x: any) => x.id === TENANT);
      assert.equal(tenant.connectors.length, 2);
      assert.equal(tenant.applications.length, 2);
      assert.equal(tenant.applications.find((a: any) => a.displayName === 'Contoso app').applicationSegments.length, 1);
      assert.equal(tenant.agentGroups[0].agentIds.length, 1);
      assert.equal(tenant.agentGroups[0].publishedResourceIds.length, 1);
      assert.equal(tenant.appRegistrations.length, 1);
      assert.equal(tenant.users.length, 1);

      const reset = await h.app.inject({ method: 'POST', url: '/_admin/reset', headers: admin });
      assert.equal(reset.statusCode, 200, reset.body);
      const empty = JSON.parse(await exportText(h, TENANT)).tenants[0];
      assert.deepEqual(
        [empty.connectors, empty.connectorGroups, empty.applications, empty.agents, empty.sensors],
        [[], [], [], [], []],
      );
      assert.equal(empty.appRegistrations.length, 1, 'registrations are kept by a reset');
      // The tenant keeps working: its default group comes back.
      const groups = await h.graph('GET', `${AP}/connectorGroups`);
      assert.equal(groups.status, 200);
      assert.equal(groups.body.value.length, 1);
      assert.equal(groups.body.value[0].isDefault, true);

      const imported = await h.app.inject({
        method: 'POST',
        url: '/_admin/import',
        headers: { ...admin, 'content-type': 'application/json' },
        payload: first,
      });
      assert.equal(imported.statusCode, 200, imported.body);
      assert.equal(await exportText(h), first);

      // The engine forgot the tenant: the imported default group is the one in use.
      const fresh = await h.graph('POST', `${AP}/connectors`, {
        externalIp: '10.0.0.3',
        machineName: 'c.contoso.com',
        status: 'active',
      });
      assert.equal(fresh.status, 201, JSON.stringify(fresh.body));
      const memberOf = await h.graph('GET', `${AP}/connectors/${fresh.body.id}/memberOf`);
      const defaultGroup = tenant.connectorGroups.find((g: any) => g.isDefault);
      assert.equal(memberOf.body.value[0].id, defaultGroup.id);
    });

    test('an invalid fixture is a 400 naming the place, and changes nothing', async (t) => {
      if (!h) return t.skip(`${name} is not reachable`);
      const before = await exportText(h);
      const doc = JSON.parse(before);
      // The admin API's default tenant (a random id) is exported too: find ours.
      const index = doc.tenants.findIndex((t: { id: string }) => t.id === TENANT);
      doc.tenants[index].connectors[0].connectorGroupId = randomUUID();
      const res = await h.app.inject({ method: 'POST', url: '/_admin/import', headers: admin, payload: doc });
      assert.equal(res.statusCode, 400);
      const error = res.json().error;
      assert.equal(error.code, 'BadRequest');
      assert.match(error.message, new RegExp(`tenants\\[${index}\\]\\.connectors\\[0\\]\\.connectorGroupId`));
      assert.equal(error.details[0].target, `tenants[${index}].connectors[0].connectorGroupId`);
      assert.equal(await exportText(h), before);
    });
  });
}

roundTrip('SQLite', async () => {
  const store = await openStore({ kind: 'memory' }, onPremises);
  return { store, cleanup: () => store.close() };
});

roundTrip('PostgreSQL', async () => {
  const database = process.env.LOCALGRAPH_TEST_DATABASE_URL;
  if (!database) {
    if (process.env.CI === 'true')
      throw new Error('LOCALGRAPH_TEST_DATABASE_URL is required under CI (npm test sets it)');
    return undefined;
  }
  const schema = `lg_fixture_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const target = new URL(database);
  target.searchParams.set('schema', schema);
  const url = target.href;
  const probe = new pg.Client({
    connectionString: postgresTarget(url).connectionString,
    connectionTimeoutMillis: 5000,
  });
  await probe.connect();
  const store = await openStore({ kind: 'postgres', url }, onPremises);
  return {
    store,
    async cleanup() {
      await store.close();
      await probe.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await probe.end();
    },
  };
});

const SALT = 'A'.repeat(22);
const HASH = 'B'.repeat(43);
const user = (fields: Record<string, unknown>) => ({
  version: 1,
  tenants: [
    {
      id: TENANT,
      users: [
        {
          id: randomUUID(),
          userPrincipalName: 'eve@contoso.com',
          passwordHash: `scrypt$16384$8$1$${SALT}$${HASH}`,
          ...fields,
        },
      ],
    },
  ],
});
const app = (fields: Record<string, unknown>) => ({
  version: 1,
  tenants: [
    {
      id: TENANT,
      appRegistrations: [
        {
          clientId: randomUUID(),
          servicePrincipalId: randomUUID(),
          displayName: 'x',
          secretHash: `scrypt$16384$8$1$${SALT}$${HASH}`,
          ...fields,
        },
      ],
    },
  ],
});

/** Fixtures that set what they must not: a hashing cost, oversized or malformed registration fields. */
function hostileRegistrations(): [string, unknown, RegExp][] {
  return [
    [
      'a password hash with a huge scrypt cost',
      user({ passwordHash: `scrypt$1073741824$8$1$${SALT}$${HASH}` }),
      /users\[0\]\.passwordHash: .*hashing parameters are localgraph's/,
    ],
    [
      'a password hash with a big block size',
      user({ passwordHash: `scrypt$16384$1024$1$${SALT}$${HASH}` }),
      /users\[0\]\.passwordHash/,
    ],
    [
      'a secret hash with many lanes',
      app({ secretHash: `scrypt$16384$8$64$${SALT}$${HASH}` }),
      /appRegistrations\[0\]\.secretHash: .*not imported/,
    ],
    ['a hash of another scheme', app({ secretHash: 'bcrypt$2b$31$abc' }), /appRegistrations\[0\]\.secretHash/],
    [
      'a user name that is no UPN',
      user({ userPrincipalName: 'not a upn' }),
      /users\[0\]\.userPrincipalName: expected a user principal name/,
    ],
    [
      'a long user name',
      user({ userPrincipalName: `${'a'.repeat(120)}@contoso.com` }),
      /users\[0\]\.userPrincipalName: at most 113 characters/,
    ],
    [
      'a long display name',
      app({ displayName: 'x'.repeat(257) }),
      /appRegistrations\[0\]\.displayName: at most 256 characters/,
    ],
    [
      'a role that is no permission name',
      app({ roles: ['Directory.ReadWrite.All', 'drop table'] }),
      /appRegistrations\[0\]\.roles\[1\]: 'drop table' is not a permission name/,
    ],
    [
      'too many scopes',
      app({ scopes: Array.from({ length: 101 }, (_, i) => `Scope${i}.Read`) }),
      /appRegistrations\[0\]\.scopes: at most 100 items/,
    ],
    ['a date that is no date', user({ createdAt: 'yesterday' }), /users\[0\]\.createdAt: expected an ISO 8601 date/],
  ];
}

describe('fixture validation', () => {
  let h: Harness;
  before(async () => {
    h = await harness(await openStore({ kind: 'memory' }, onPremises));
  });
  after(async () => {
    await h.app.close();
    await h.store.close();
  });

  const cases: [string, unknown, RegExp][] = [
    ['not an object', [], /^Invalid fixture at \$/],
    ['wrong version', { version: 2, tenants: [] }, /at version: expected 1/],
    ['tenant id not a GUID', { version: 1, tenants: [{ id: 'x' }] }, /tenants\[0\]\.id: expected a GUID/],
    [
      'unknown tenant member',
      { version: 1, tenants: [{ id: TENANT, widgets: [] }] },
      /tenants\[0\]\.widgets: unknown member/,
    ],
    [
      'unknown property',
      {
        version: 1,
        tenants: [
          {
            id: TENANT,
            sensors: [{ id: randomUUID(), externalIp: '1', machineName: 'm', status: 'active', colour: 'red' }],
          },
        ],
      },
      /sensors\[0\]\.colour: 'colour' is not a property of microsoft\.graph\.privateAccessSensor/,
    ],
    [
      'bad enum',
      {
        version: 1,
        tenants: [
          { id: TENANT, sensors: [{ id: randomUUID(), externalIp: '1', machineName: 'm', status: 'sleeping' }] },
        ],
      },
      /sensors\[0\]\.status: 'sleeping' is not a member/,
    ],
    [
      'required property',
      { version: 1, tenants: [{ id: TENANT, sensors: [{ id: randomUUID(), machineName: 'm', status: 'active' }] }] },
      /sensors\[0\]\.externalIp: a value is required/,
    ],
    [
      'two default groups',
      {
        version: 1,
        tenants: [
          {
            id: TENANT,
            connectorGroups: [
              { id: randomUUID(), name: 'a', isDefault: true },
              { id: randomUUID(), name: 'b', isDefault: true },
            ],
          },
        ],
      },
      /one default connector group/,
    ],
    [
      'connector without a group',
      {
        version: 1,
        tenants: [
          { id: TENANT, connectors: [{ id: randomUUID(), externalIp: '1', machineName: 'm', status: 'active' }] },
        ],
      },
      /connectors\[0\]\.connectorGroupId/,
    ],
    [
      'agent of applicationProxy',
      {
        version: 1,
        tenants: [
          {
            id: TENANT,
            agents: [
              { id: randomUUID(), profile: 'applicationProxy', externalIp: '1', machineName: 'm', status: 'active' },
            ],
          },
        ],
      },
      /agents\[0\]\.profile: expected a hybrid agent profile/,
    ],
    [
      'link to a missing agent',
      {
        version: 1,
        tenants: [
          {
            id: TENANT,
            agentGroups: [{ id: randomUUID(), profile: 'provisioning', displayName: 'g', agentIds: [randomUUID()] }],
          },
        ],
      },
      /agentGroups\[0\]\.agentIds\[0\]: no agent/,
    ],
    [
      'duplicate ids',
      { version: 1, tenants: [{ id: TENANT }, { id: TENANT.toUpperCase() }] },
      /tenants\[1\]\.id: Tenant .* appears twice/,
    ],
    // Sign-in registrations: every field within bounds; the hashing cost is never imported.
    ...hostileRegistrations(),
  ];
  for (const [name, doc, message] of cases) {
    test(name, async () => {
      const res = await h.app.inject({ method: 'POST', url: '/_admin/import', headers: admin, payload: doc as object });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.json().error.message, message);
    });
  }

  test('a hand-written fixture gets the server defaults', async () => {
    const group = randomUUID();
    const doc = {
      version: 1,
      tenants: [
        {
          id: OTHER,
          connectorGroups: [{ id: group, name: 'Default', isDefault: true }],
          connectors: [{ id: randomUUID().toUpperCase(), externalIp: '1.2.3.4', machineName: 'x', status: 'Active' }],
          agents: [{ id: randomUUID(), profile: 'Provisioning', externalIp: '1', machineName: 'm', status: 'active' }],
        },
      ],
    };
    const res = await h.app.inject({ method: 'POST', url: '/_admin/import', headers: admin, payload: doc });
    assert.equal(res.statusCode, 200, res.body);
    const tenant = JSON.parse(await exportText(h, OTHER)).tenants[0];
    assert.equal(tenant.connectorGroups[0].connectorGroupType, 'applicationProxy');
    assert.equal(tenant.connectors[0].version, '1.5.3437.0');
    assert.equal(tenant.connectors[0].status, 'active');
    assert.equal(tenant.connectors[0].connectorGroupId, group);
    assert.equal(tenant.connectors[0].id, doc.tenants[0].connectors[0].id.toLowerCase());
    assert.deepEqual(tenant.agents[0].supportedPublishingTypes, ['provisioning']);
    assert.equal(tenant.agents[0].profile, 'provisioning');
  });
});
