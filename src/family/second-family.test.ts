import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { rows } from '../auth/permission-row.js';
import { activeSigningKey } from '../auth/signing-key.js';
import { issueAccessToken } from '../auth/tokens.js';
import { createApp } from '../http/app.js';
import { tableFor } from '../store/table.js';
import { migrateFamily } from '../store/migrations.js';
import { SqlStore } from '../store/sql-store.js';
import { SqliteDatabase } from '../store/sqlite.js';
import { defineFamily, familyModel } from './family.js';

/**
 * The family is a plug-in: a tiny second family (one entity set, `widgets`), built only through
 * the Family interface, is served by the same createApp: its $metadata, and create, read, list,
 * update and delete with the engine's validation and Graph's errors; fixtures of its collection
 * (declared by its behaviour alone) and its widgets' heartbeats (declared by the family) through
 * the admin API.
 */
const widgets = defineFamily({
  name: 'widgets',
  schema: {
    namespace: 'microsoft.graph',
    alias: 'graph',
    types: [
      {
        kind: 'entity',
        name: 'entity',
        abstract: true,
        key: ['id'],
        properties: [{ name: 'id', type: 'Edm.String', nullable: false, readOnly: true }],
      },
      {
        kind: 'entity',
        name: 'widget',
        baseType: 'graph.entity',
        properties: [
          { name: 'name', type: 'Edm.String', nullable: false },
          { name: 'size', type: 'Edm.Int32' },
          { name: 'status', type: 'Edm.String' },
        ],
      },
    ],
    entitySets: [{ name: 'widgets', entityType: 'microsoft.graph.widget' }],
  },
  behaviours: (model) => {
    const type = model.structured('microsoft.graph.widget');
    return {
      collections: [
        {
          path: 'widgets',
          fixture: { section: 'widgets', label: 'Widget' },
          type,
          table: tableFor('widgets', type),
          scope: (tenantId) => ({ tenantId }),
          create: {
            rules: { writable: ['name', 'size', 'status'], required: ['name'] },
            clientId: 'server',
            defaults: () => ({ size: 1 }),
          },
          update: { rules: { writable: ['name', 'size', 'status'] } },
          remove: {},
          permissions: [
            ...rows(['GET'], '/widgets', ['Widgets.Read'], ['Widgets.Read'], ''),
            ...rows(['POST'], '/widgets', ['Widgets.ReadWrite'], ['Widgets.ReadWrite'], ''),
            ...rows(['GET'], '/widgets/{id}', ['Widgets.Read'], ['Widgets.Read'], ''),
            ...rows(['PATCH', 'DELETE'], '/widgets/{id}', ['Widgets.ReadWrite'], ['Widgets.ReadWrite'], ''),
          ],
        },
      ],
    };
  },
  migrations: [
    {
      version: 1,
      description: 'widgets',
      statements: (d) => [
        `CREATE TABLE widgets (tenant_id ${d.textType} NOT NULL, id ${d.textType} NOT NULL, name ${d.textType} NOT NULL, size INTEGER, status ${d.textType}, PRIMARY KEY (tenant_id, id))`,
      ],
    },
  ],
  tenantDefaults: async () => ({}),
  heartbeats: [{ kind: 'widget', collection: 'widgets' }],
});

const TENANT = '0f0e0d0c-0000-4000-8000-0000000000f1';
const ADMIN_KEY = 'widgets-admin-key-0123456789';

describe('a second family, served through the Family interface only', () => {
  let db: SqliteDatabase;
  let app: FastifyInstance;
  let token: string;
  let readOnlyToken: string;

  before(async () => {
    db = new SqliteDatabase(':memory:');
    await migrateFamily(db, widgets);
    const store = new SqlStore(db);
    app = createApp({ store, family: widgets });
    const key = await activeSigningKey(store, new Date());
    await store.ensureTenant(TENANT, new Date());
    const appToken = (roles: string[]) =>
      issueAccessToken(
        key,
        {
          tenantId: TENANT,
          appId: 'b1c2d3e4-0000-4000-8000-0000000000f2',
          servicePrincipalId: 'bbbbbbbb-0000-4000-8000-0000000000f2',
          roles,
        },
        new Date(),
      );
    token = await appToken(['Widgets.ReadWrite', 'Widgets.Read']);
    readOnlyToken = await appToken(['Widgets.Read']);
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, bearer = token) => {
    const res = await app.inject({
      method,
      url: `/beta${url}`,
      headers: { authorization: `Bearer ${bearer}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      payload: payload ? JSON.stringify(payload) : undefined,
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined, text: res.body };
  };

  /** A request to the admin API of `plane` (a server of this database with the admin key), answered as `call`'s are. */
  const adminCall = async (plane: FastifyInstance, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const res = await plane.inject({
      method,
      url: `/_admin${url}`,
      headers: { 'x-localgraph-admin-key': ADMIN_KEY },
      ...(payload ? { payload } : {}),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined, text: res.body };
  };

  test('$metadata is the family schema, and nothing of the on-premises family', async () => {
    const res = await app.inject({ method: 'GET', url: '/beta/$metadata' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<EntitySet Name="widgets" EntityType="microsoft\.graph\.widget"/);
    assert.match(res.body, /<EntityType Name="widget" BaseType="graph\.entity"/);
    assert.doesNotMatch(res.body, /onPremisesPublishingProfile|connector/);
    assert.equal(familyModel(widgets).entitySets.size, 1);
  });

  test('create, read, list, update and delete a widget', async () => {
    const created = await call('POST', '/widgets', { name: 'first' });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.name, 'first');
    assert.equal(created.body.size, 1, 'the behaviour default');
    assert.match(created.body['@odata.context'], /\$metadata#widgets\/\$entity$/);
    const id = created.body.id as string;

    assert.deepEqual((await call('GET', `/widgets/${id}`)).body.name, 'first');
    assert.equal((await call('PATCH', `/widgets/${id}`, { size: 7 })).status, 204);
    const list = await call('GET', '/widgets?$filter=size gt 5');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(
      list.body.value.map((w: { id: string; size: number }) => [w.id, w.size]),
      [[id, 7]],
    );

    assert.equal((await call('DELETE', `/widgets/${id}`)).status, 204);
    const gone = await call('GET', `/widgets/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, 'Request_ResourceNotFound');
  });

  test("the engine's rules and the family's permissions apply", async () => {
    const missing = await call('POST', '/widgets', { size: 3 });
    assert.equal(missing.status, 400, missing.text);
    const unknown = await call('POST', '/widgets', { name: 'x', colour: 'red' });
    assert.equal(unknown.status, 400, unknown.text);
    assert.equal((await call('POST', '/widgets', { name: 'x' }, readOnlyToken)).status, 403);
    // Not in this family's model: an unknown segment, as Graph answers one.
    const other = await call('GET', '/onPremisesPublishingProfiles');
    assert.equal(other.status, 400, other.text);
    assert.match(other.body.error.message, /onPremisesPublishingProfiles/);
  });

  test('its widgets report heartbeats as the family declares, and silence turns one inactive', async () => {
    const plane = createApp({
      store: new SqlStore(db),
      family: widgets,
      controlPlane: { adminKey: ADMIN_KEY, heartbeats: { enabled: true, timeoutMs: 60_000 } },
    });
    const admin = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
      adminCall(plane, method, url, payload);
    const widgetStatus = async (id: string) => (await call('GET', `/widgets/${id}`)).body.status;
    try {
      const heard = (await call('POST', '/widgets', { name: 'heard', status: 'active' })).body.id as string;
      const quiet = (await call('POST', '/widgets', { name: 'quiet', status: 'active' })).body.id as string;
      assert.equal((await admin('PUT', '/clock', { freeze: '2030-01-01T00:00:00Z' })).status, 200);

      const beat = await admin('POST', '/heartbeats', { tenantId: TENANT, kind: 'widget', id: heard });
      assert.equal(beat.status, 200, beat.text);
      assert.deepEqual(beat.body, {
        tenantId: TENANT,
        kind: 'widget',
        id: heard,
        lastSeen: '2030-01-01T00:00:00.000Z',
        status: 'active',
      });
      const listed = await admin('GET', `/heartbeats?tenant=${TENANT}`);
      assert.deepEqual(listed.body.heartbeats, [
        { tenantId: TENANT, kind: 'widget', id: heard, lastSeen: '2030-01-01T00:00:00.000Z' },
      ]);

      await admin('PUT', '/clock', { advance: '61s' });
      assert.equal((await admin('POST', '/heartbeats/sweep')).status, 200);
      assert.equal(await widgetStatus(heard), 'inactive');
      assert.equal(await widgetStatus(quiet), 'active', 'never heard from: left alone');
      const again = await admin('POST', '/heartbeats', { tenantId: TENANT, kind: 'widget', id: heard });
      assert.equal(again.body.status, 'active');
      assert.equal(await widgetStatus(heard), 'active');

      const unknown = await admin('POST', '/heartbeats', { tenantId: TENANT, kind: 'connector', id: heard });
      assert.equal(unknown.status, 400, unknown.text);
      assert.equal(unknown.body.error.message, 'kind must be one of widget.');
    } finally {
      await plane.close();
    }
  });

  test('a family that declares no heartbeats answers them 501', async () => {
    const silent = defineFamily({ ...widgets, name: 'silentWidgets', heartbeats: undefined });
    const plane = createApp({ store: new SqlStore(db), family: silent, controlPlane: { adminKey: ADMIN_KEY } });
    try {
      const res = await adminCall(plane, 'POST', '/heartbeats', {
        tenantId: TENANT,
        kind: 'widget',
        id: '0f0e0d0c-0000-4000-8000-0000000000f3',
      });
      assert.equal(res.status, 501, res.text);
      assert.equal(res.body.error.code, 'NotImplemented');
      assert.match(res.body.error.message, /silentWidgets family/);
    } finally {
      await plane.close();
    }
  });

  test('its fixture exports, resets and imports back to the same bytes, with no fixture code of its own', async () => {
    const plane = createApp({ store: new SqlStore(db), family: widgets, controlPlane: { adminKey: ADMIN_KEY } });
    const admin = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const res = await adminCall(plane, method, url, payload);
      assert.equal(res.status, 200, res.text);
      return res.text;
    };
    try {
      const made = await call('POST', '/widgets', { name: 'kept', size: 9 });
      assert.equal(made.status, 201, made.text);
      const exported = await admin('GET', `/export?tenant=${TENANT}`);
      const tenant = JSON.parse(exported).tenants[0];
      assert.deepEqual(Object.keys(tenant), ['id', 'widgets', 'appRegistrations', 'users']);
      assert.ok(tenant.widgets.some((w: { id: string; size: number }) => w.id === made.body.id && w.size === 9));

      await admin('POST', '/reset', { tenantId: TENANT });
      assert.equal((await call('GET', `/widgets/${made.body.id}`)).status, 404);
      const imported = JSON.parse(await admin('POST', '/import', JSON.parse(exported)));
      assert.deepEqual(imported.tenants[0].counts, { widgets: tenant.widgets.length, appRegistrations: 0, users: 0 });
      assert.equal(await admin('GET', `/export?tenant=${TENANT}`), exported);
      assert.equal((await call('GET', `/widgets/${made.body.id}`)).body.name, 'kept');

      // Checked as any fixture is: the model's properties, the server's defaults.
      const doc = { version: 1, tenants: [{ id: TENANT, widgets: [{ id: TENANT, name: 'x', colour: 'red' }] }] };
      const refused = await adminCall(plane, 'POST', '/import', doc);
      assert.equal(refused.status, 400, refused.text);
      assert.match(
        refused.body.error.message,
        /widgets\[0\]\.colour: 'colour' is not a property of microsoft\.graph\.widget/,
      );
    } finally {
      await plane.close();
    }
  });
});
