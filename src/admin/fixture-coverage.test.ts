import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { familyRegistry } from '../family/family.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from '../store/migrations.js';
import { SqlStore } from '../store/sql-store.js';
import { SqliteDatabase } from '../store/sqlite.js';
import { exportFixture } from './fixture-export.js';
import { importFixture } from './fixture-import.js';
import { APP_REGISTRATIONS_TABLE, fixtureContext, HEARTBEATS_TABLE, USERS_TABLE } from './fixture.js';
import { resetTenants } from './reset.js';

/**
 * The guard that keeps fixtures and reset complete: every collection and link table of the
 * registry is one the fixtures hold, the schema has no Graph table the registry does not know,
 * and a fixture with one object of every kind fills every table and comes back whole.
 */
const registry = familyRegistry(onPremises);
const ctx = fixtureContext(onPremises);
const TENANT = '0f0e0d0c-0000-4000-8000-0000000000c1';
/** Tables of localgraph itself rather than of a tenant's Graph data. */
const NOT_GRAPH_DATA = new Set([
  'localgraph_schema',
  'settings',
  'tenants',
  'signing_keys',
  HEARTBEATS_TABLE,
  APP_REGISTRATIONS_TABLE,
  USERS_TABLE,
]);

const g = (n: number) => `0f0e0d0c-0000-4000-8000-${String(n).padStart(12, '0')}`;
/**
 * The family's sections, and the plain lists their links name, written out: linked every way, so
 * that every link table fills.
 */
const linked: Record<string, unknown[]> = {
  profiles: [{ id: 'applicationProxy', isEnabled: true }],
  connectorGroups: [{ id: g(1), name: 'Default', isDefault: true }],
  connectors: [{ id: g(2), externalIp: '10.0.0.1', machineName: 'a.contoso.com', status: 'active' }],
  applications: [
    {
      id: g(3),
      displayName: 'App',
      connectorGroupId: g(1),
      applicationSegments: [{ id: g(4), destinationHost: 'db.contoso.com', destinationType: 'fqdn', protocol: 'tcp' }],
    },
  ],
  agents: [{ id: g(5), profile: 'provisioning', externalIp: '10.0.1.1', machineName: 'agent', status: 'active' }],
  publishedResources: [{ id: g(6), profile: 'provisioning', displayName: 'R' }],
  agentGroups: [
    { id: g(7), profile: 'provisioning', displayName: 'G', agentIds: [g(5)], publishedResourceIds: [g(6)] },
  ],
};

/**
 * One object of every other plain list, made from its behaviour's create example (under the
 * first parent that serves it), so that a new plain collection is covered without an edit here.
 */
function plainObjects(): Record<string, unknown[]> {
  const made: Record<string, unknown[]> = {};
  ctx.sections.forEach((section, i) => {
    if (!('plain' in section) || section.plain.name in linked) return;
    const { name, behaviour, parent } = section.plain;
    const example = behaviour.example?.create;
    if (!example) throw new Error(`${name}: neither written out here nor creatable from an example`);
    made[name] = [{ id: g(100 + i), ...(parent ? { [parent.field]: parent.keys[0] } : {}), ...example }];
  });
  return made;
}

/** One object of every kind, linked every way: fills every collection and link table. */
const world = { version: 1, tenants: [{ id: TENANT, ...linked, ...plainObjects() }] };

describe('fixtures and reset cover every collection and link table', () => {
  let db: SqliteDatabase;
  let store: SqlStore;
  const services = { ids: { newId: () => g(99) }, now: new Date('2026-01-01T00:00:00Z') };

  before(async () => {
    db = new SqliteDatabase(':memory:');
    await migrateFamily(db, onPremises);
    store = new SqlStore(db);
  });
  after(() => db.close());

  const rows = async (table: string) =>
    Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`, [TENANT]))!.n);
  const counts = async () =>
    Object.fromEntries(await Promise.all(registry.dataTables().map(async (t) => [t, await rows(t)] as const)));

  test("every data table of the registry is a fixture collection's table or a fixture link table, and back", () => {
    const held = new Set(ctx.heldTables);
    assert.deepEqual([...registry.dataTables()].sort(), [...held].sort());
  });

  test('the schema holds no Graph table the registry does not know', async () => {
    const tables = await db.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    );
    const graphTables = tables.map((t) => t.name).filter((t) => !NOT_GRAPH_DATA.has(t));
    assert.deepEqual(graphTables.sort(), [...registry.dataTables()].sort());
  });

  test('a fixture fills every table, and export → reset → import gives every row back', async () => {
    await importFixture(store, ctx, world, services);
    const filled = await counts();
    for (const [table, n] of Object.entries(filled))
      assert.ok(n > 0, `the fixture wrote nothing to ${table}: it does not cover it`);
    const exported = await exportFixture(store, ctx, TENANT);

    assert.deepEqual(await resetTenants(store, ctx.dataTables, { tenantId: TENANT }), [TENANT]);
    for (const [table, n] of Object.entries(await counts())) assert.equal(n, 0, `reset left ${table}`);

    await importFixture(store, ctx, exported, services);
    assert.deepEqual(await counts(), filled);
    assert.deepEqual(await exportFixture(store, ctx, TENANT), exported);
  });
});
