import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { family } from '../family/on-premises/schema.js';
import { Model } from '../model/model.js';
import { jsonFields, serializeEntity, type SerializeOptions } from '../odata/serialize.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from './migrations.js';
import { sqliteJsonObject } from './row-json.js';
import { SqliteDatabase } from './sqlite.js';
import { SqlStore } from './sql-store.js';
import type { Entity, Scope } from './store.js';
import { tableFor, type TableMapping } from './table.js';

const model = new Model(family);
const connectors = tableFor('connectors', model.structured('microsoft.graph.connector'));
const groups = tableFor('connector_groups', model.structured('microsoft.graph.connectorGroup'));
const agentGroups = tableFor('agent_groups', model.structured('microsoft.graph.onPremisesAgentGroup'), ['profile_id']);
const resources = tableFor('published_resources', model.structured('microsoft.graph.publishedResource'), [
  'profile_id',
]);
const agents = tableFor('agents', model.structured('microsoft.graph.onPremisesAgent'), ['profile_id']);
const applications = tableFor('applications', model.structured('microsoft.graph.application'), [], 'open_properties');
const profiles = tableFor('profiles', model.structured('microsoft.graph.onPremisesPublishingProfile'));

const A: Scope = { tenantId: 'tenant-a' };
const AGENTS: Scope = { tenantId: 'tenant-a', parents: ['privateAccess'] };
const hide: SerializeOptions = { includeUnknownEnumMembers: false };
const show: SerializeOptions = { includeUnknownEnumMembers: true };

/** Text a JSON writer must escape: quotes, backslashes, control characters, non-ASCII. */
const AWKWARD = 'a "quoted" \\ back\nslash\t\u0001 é 😀 </script>';

let db: SqliteDatabase;
let store: SqlStore;

before(async () => {
  db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises);
  store = new SqlStore(db);
  await store.insert(groups, A, {
    id: 'g1',
    connectorGroupType: 'applicationProxy',
    isDefault: true,
    name: AWKWARD,
    region: 'eur',
  });
  await store.insert(groups, A, {
    id: 'g2',
    connectorGroupType: 'applicationProxy',
    isDefault: false,
    name: 'second',
    region: null,
  });
  await store.insert(
    connectors,
    A,
    { id: 'c1', externalIp: '10.0.0.1', machineName: AWKWARD, status: 'active', version: '1.5' },
    { hidden: { connector_group_id: 'g1' } },
  );
  await store.insert(
    connectors,
    A,
    { id: 'c2', externalIp: '10.0.0.2', machineName: 'm2', status: 'inactive', version: '1.6' },
    { hidden: { connector_group_id: 'g2' } },
  );
  await store.insert(agentGroups, AGENTS, {
    id: 'ag1',
    displayName: 'one',
    isDefault: true,
    publishingType: 'privateAccess',
  });
  await store.insert(agentGroups, AGENTS, {
    id: 'ag2',
    displayName: 'two',
    isDefault: false,
    publishingType: 'applicationProxy',
  });
  await store.insert(resources, AGENTS, {
    id: 'r1',
    displayName: null,
    publishingType: 'privateAccess',
    resourceName: null,
  });
  await store.insert(resources, AGENTS, {
    id: 'r2',
    displayName: AWKWARD,
    publishingType: 'applicationProxy',
    resourceName: 'app',
  });
});

/** What the JSON rows of a page must be: the JSON text of serializeEntity over the same page, key order included. */
async function expectSameAsSerialized(table: TableMapping, scope: Scope, options: SerializeOptions): Promise<void> {
  const fields = jsonFields(model, table.type, table, options);
  assert.ok(fields, `${table.table} has a flat Graph form`);
  const rows = await store.listJson(table, scope, { top: 10 }, fields);
  const entities = await store.list(table, scope, { top: 10 });
  assert.equal(rows?.length, entities.length);
  assert.ok(entities.length >= 2);
  for (const [i, row] of rows!.entries()) {
    assert.equal(
      JSON.stringify(JSON.parse(row)),
      JSON.stringify(serializeEntity(model, table.type, entities[i], options)),
    );
  }
}

describe('rows written as Graph JSON by SQLite', () => {
  for (const [name, table, scope] of [
    ['connectors', connectors, A],
    ['connector groups (booleans, a null enum)', groups, A],
    ['agent groups (an evolvable enum member)', agentGroups, AGENTS],
    ['published resources (null text)', resources, AGENTS],
  ] as const) {
    test(`${name}: the same JSON as serializeEntity, hidden and shown enum members, with and without $select`, async () => {
      await expectSameAsSerialized(table, scope, hide);
      await expectSameAsSerialized(table, scope, show);
      const selected = [...table.type.properties.keys()]
        .filter((p) => p !== 'id')
        .slice(-2)
        .reverse();
      await expectSameAsSerialized(table, scope, { ...hide, select: selected });
    });
  }

  test('an evolvable member reads as unknownFutureValue unless the client opts in', async () => {
    const read = async (options: SerializeOptions) =>
      (await store.listJson(
        agentGroups,
        AGENTS,
        { top: 1 },
        jsonFields(model, agentGroups.type, agentGroups, options)!,
      ))!.map((r) => JSON.parse(r) as Entity);
    assert.equal((await read(hide))[0].publishingType, 'unknownFutureValue');
    assert.equal((await read(show))[0].publishingType, 'privateAccess');
  });

  test('types whose Graph form needs JavaScript have no JSON fields: open types, collections, complex values', () => {
    assert.equal(jsonFields(model, applications.type, applications, hide), undefined);
    assert.equal(jsonFields(model, agents.type, agents, hide), undefined);
    assert.equal(jsonFields(model, profiles.type, profiles, hide), undefined);
  });

  test('property names and enum members are bound as parameters, not spliced into the SQL', () => {
    const { sql, params } = sqliteJsonObject([
      { name: "it's", column: 'a', kind: 'text', hidden: ["o'clock"] },
      { name: 'b', column: 'b', kind: 'boolean' },
    ]);
    assert.ok(!sql.includes("it's") && !sql.includes("o'clock"));
    assert.deepEqual(params, ["it's", "o'clock", 'b']);
  });
});
