import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { family } from '../family/on-premises/schema.js';
import { Model } from '../model/model.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from './migrations.js';
import { SerialQueue } from './serial-queue.js';
import { SqliteDatabase } from './sqlite.js';
import { SqlStore } from './sql-store.js';
import type { Entity, LinkMapping, Scope } from './store.js';
import { tableFor } from './table.js';

const model = new Model(family);
const connectors = tableFor('connectors', model.structured('microsoft.graph.connector'));
const groups = tableFor('connector_groups', model.structured('microsoft.graph.connectorGroup'));
const agents = tableFor('agents', model.structured('microsoft.graph.onPremisesAgent'), ['profile_id']);
const agentGroups = tableFor('agent_groups', model.structured('microsoft.graph.onPremisesAgentGroup'), ['profile_id']);
const applications = tableFor('applications', model.structured('microsoft.graph.application'), [], 'open_properties');
const segments = tableFor('ip_application_segments', model.structured('microsoft.graph.ipApplicationSegment'), [
  'application_id',
]);

const A: Scope = { tenantId: 'tenant-a' };
const B: Scope = { tenantId: 'tenant-b' };
const GROUP = 'g-default';

let db: SqliteDatabase;
let store: SqlStore;

/** Connectors reference their group (connector_group_id), so each tenant gets one first. */
beforeEach(async () => {
  db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises);
  store = new SqlStore(db);
  for (const scope of [A, B]) {
    assert.equal(
      await store.insert(groups, scope, {
        id: GROUP,
        connectorGroupType: 'applicationProxy',
        isDefault: true,
        name: 'Default',
        region: null,
      }),
      'inserted',
    );
  }
});

function connector(id: string, overrides: Entity = {}): Entity {
  return {
    id,
    externalIp: '10.0.0.1',
    machineName: `${id}.contoso.com`,
    status: 'active',
    version: '1.5.3437.0',
    ...overrides,
  };
}

function insertConnector(scope: Scope, entity: Entity) {
  return store.insert(connectors, scope, entity, { hidden: { connector_group_id: GROUP } });
}

const ids = (entities: Entity[]) => entities.map((e) => e.id);

describe('SqlStore: connectors CRUD', () => {
  test('insert, then get returns every column of the type', async () => {
    assert.equal(await insertConnector(A, connector('c1')), 'inserted');
    assert.deepEqual(await store.get(connectors, A, 'c1'), connector('c1'));
    assert.equal(await store.get(connectors, A, 'nope'), undefined);
  });

  test('inserting an existing id is a duplicate, not an error; ifAbsent likewise', async () => {
    await insertConnector(A, connector('c1'));
    assert.equal(await insertConnector(A, connector('c1', { machineName: 'other' })), 'duplicate');
    assert.equal(
      await store.insert(connectors, A, connector('c1', { machineName: 'other' }), {
        hidden: { connector_group_id: GROUP },
        ifAbsent: true,
      }),
      'duplicate',
    );
    assert.equal((await store.get(connectors, A, 'c1'))?.machineName, 'c1.contoso.com', 'the first row is untouched');
  });

  test('the same id in another tenant is another row', async () => {
    await insertConnector(A, connector('c1'));
    assert.equal(await insertConnector(B, connector('c1', { machineName: 'b' })), 'inserted');
    assert.equal((await store.get(connectors, A, 'c1'))?.machineName, 'c1.contoso.com');
    assert.equal((await store.get(connectors, B, 'c1'))?.machineName, 'b');
  });

  test('a property without a column is an error (not silently dropped)', async () => {
    await assert.rejects(insertConnector(A, { ...connector('c1'), nope: 1 }), /connectors has no column for nope/);
  });

  test('a NOT NULL violation surfaces as an error', async () => {
    await assert.rejects(insertConnector(A, { id: 'c1', machineName: 'm' }), /NOT NULL/);
  });

  test('update changes only the given properties', async () => {
    await insertConnector(A, connector('c1'));
    assert.equal(await store.update(connectors, A, 'c1', { machineName: 'renamed', status: 'inactive' }), true);
    assert.deepEqual(
      await store.get(connectors, A, 'c1'),
      connector('c1', { machineName: 'renamed', status: 'inactive' }),
    );
  });

  test('update of a missing id is false; an empty update reports whether the row exists', async () => {
    await insertConnector(A, connector('c1'));
    assert.equal(await store.update(connectors, A, 'nope', { machineName: 'x' }), false);
    assert.equal(await store.update(connectors, A, 'c1', {}), true);
    assert.equal(await store.update(connectors, A, 'nope', {}), false);
  });

  test('update and delete with a where condition only act when it holds', async () => {
    await insertConnector(A, connector('c1'));
    const inactive = { sql: 'status = ?', params: ['inactive'] };
    assert.equal(await store.update(connectors, A, 'c1', { machineName: 'x' }, { where: inactive }), false);
    assert.equal(await store.update(connectors, A, 'c1', {}, { where: inactive }), false);
    assert.equal(await store.delete(connectors, A, 'c1', { where: inactive }), false);
    assert.ok(await store.get(connectors, A, 'c1'));
    assert.equal(await store.update(connectors, A, 'c1', { status: 'inactive' }), true);
    assert.equal(await store.delete(connectors, A, 'c1', { where: inactive }), true);
  });

  test('delete removes the row once', async () => {
    await insertConnector(A, connector('c1'));
    assert.equal(await store.delete(connectors, A, 'c1'), true);
    assert.equal(await store.get(connectors, A, 'c1'), undefined);
    assert.equal(await store.delete(connectors, A, 'c1'), false);
  });

  test('count, with and without a condition', async () => {
    for (const id of ['c1', 'c2', 'c3'])
      await insertConnector(A, connector(id, { status: id === 'c2' ? 'inactive' : 'active' }));
    assert.equal(await store.count(connectors, A), 3);
    assert.equal(await store.count(connectors, A, { sql: 'status = ?', params: ['active'] }), 2);
    assert.equal(await store.count(connectors, B), 0);
    assert.deepEqual(await store.findOne(connectors, A, { sql: 'status = ?', params: ['active'] }), connector('c1'));
    assert.equal(await store.findOne(connectors, A, { sql: 'status = ?', params: ['gone'] }), undefined);
  });
});

describe('SqlStore: keyset paging', () => {
  test('pages walk ids in order, starting after the last id served', async () => {
    for (const id of ['c05', 'c01', 'c07', 'c03', 'c02', 'c06', 'c04']) await insertConnector(A, connector(id));
    assert.deepEqual(ids(await store.list(connectors, A, { top: 3 })), ['c01', 'c02', 'c03']);
    assert.deepEqual(ids(await store.list(connectors, A, { top: 3, afterId: 'c03' })), ['c04', 'c05', 'c06']);
    assert.deepEqual(ids(await store.list(connectors, A, { top: 3, afterId: 'c06' })), ['c07']);
    assert.deepEqual(ids(await store.list(connectors, A, { top: 3, afterId: 'c07' })), []);
    assert.deepEqual(ids(await store.list(connectors, A, { top: 100 })).length, 7);
  });

  test('rows inserted or deleted between pages neither repeat nor vanish', async () => {
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) await insertConnector(A, connector(id));
    const first = ids(await store.list(connectors, A, { top: 2 }));
    assert.deepEqual(first, ['c1', 'c2']);
    await insertConnector(A, connector('c0')); // before the cursor: not seen in this walk
    await insertConnector(A, connector('c25')); // after it: seen
    await store.delete(connectors, A, 'c1'); // already served
    await store.delete(connectors, A, 'c4'); // not yet served: gone
    const rest = ids(await store.list(connectors, A, { top: 100, afterId: 'c2' }));
    assert.deepEqual(rest, ['c25', 'c3', 'c5']);
  });

  test('a where condition combines with the cursor', async () => {
    for (const id of ['c1', 'c2', 'c3', 'c4'])
      await insertConnector(A, connector(id, { status: id === 'c3' ? 'inactive' : 'active' }));
    const active = { sql: 'status = ?', params: ['active'] };
    assert.deepEqual(ids(await store.list(connectors, A, { top: 10, afterId: 'c1', where: active })), ['c2', 'c4']);
  });
});

describe('SqlStore: tenant isolation', () => {
  beforeEach(async () => {
    await insertConnector(A, connector('c1'));
  });

  test('another tenant cannot get the row by id', async () => {
    assert.equal(await store.get(connectors, B, 'c1'), undefined);
    assert.deepEqual(await store.list(connectors, B, { top: 10 }), []);
    assert.equal(await store.count(connectors, B), 0);
  });

  test('another tenant cannot update the row by id', async () => {
    assert.equal(await store.update(connectors, B, 'c1', { machineName: 'hijacked' }), false);
    assert.equal(await store.update(connectors, B, 'c1', {}), false);
    assert.equal((await store.get(connectors, A, 'c1'))?.machineName, 'c1.contoso.com');
  });

  test('another tenant cannot delete the row by id', async () => {
    assert.equal(await store.delete(connectors, B, 'c1'), false);
    assert.ok(await store.get(connectors, A, 'c1'));
  });

  test('the same id in each tenant changes independently', async () => {
    await insertConnector(B, connector('c1'));
    await store.update(connectors, B, 'c1', { status: 'inactive' });
    await store.delete(connectors, B, 'c1');
    assert.deepEqual(await store.get(connectors, A, 'c1'), connector('c1'));
  });
});

describe('SqlStore: scoped tables and column kinds', () => {
  const agent = (id: string): Entity => ({
    id,
    externalIp: '1.2.3.4',
    machineName: 'm',
    status: 'active',
    supportedPublishingTypes: ['provisioning'],
  });

  test('rows under different parents are different rows; parents must be given', async () => {
    const provisioning: Scope = { tenantId: 'tenant-a', parents: ['provisioning'] };
    const authentication: Scope = { tenantId: 'tenant-a', parents: ['authentication'] };
    assert.equal(await store.insert(agents, provisioning, agent('a1')), 'inserted');
    assert.equal(await store.insert(agents, authentication, agent('a1')), 'inserted');
    assert.equal(await store.delete(agents, authentication, 'a1'), true);
    assert.deepEqual(await store.get(agents, provisioning, 'a1'), agent('a1'), 'JSON collections round-trip');
    await assert.rejects(store.get(agents, A, 'a1'), /agents needs 1 parent keys/);
    await assert.rejects(
      store.list(agents, { tenantId: 'tenant-a', parents: ['x', 'y'] }, { top: 1 }),
      /needs 1 parent keys/,
    );
  });

  test('booleans, nulls and integers come back typed', async () => {
    assert.deepEqual(await store.get(groups, A, GROUP), {
      id: GROUP,
      connectorGroupType: 'applicationProxy',
      isDefault: true,
      name: 'Default',
      region: null,
    });
    await store.insert(groups, A, {
      id: 'g2',
      connectorGroupType: 'applicationProxy',
      isDefault: false,
      name: 'Two',
      region: 'eur',
    });
    assert.equal((await store.get(groups, A, 'g2'))?.isDefault, false);

    await store.insert(applications, A, {
      id: 'app1',
      appId: 'appid-1',
      displayName: 'App',
      tags: [],
      identifierUris: [],
    });
    const inApp: Scope = { tenantId: 'tenant-a', parents: ['app1'] };
    await store.insert(segments, inApp, {
      id: 's1',
      action: 'tunnel',
      port: 443,
      ports: ['80-90'],
      protocol: 'tcp,udp',
    });
    const segment = await store.get(segments, inApp, 's1');
    assert.equal(segment?.port, 443);
    assert.deepEqual(segment?.ports, ['80-90']);
    assert.equal(segment?.destinationHost, null);
  });

  test('open types keep undeclared properties in their JSON column; an update replaces that document', async () => {
    await store.insert(applications, A, {
      id: 'app1',
      appId: 'appid-1',
      displayName: 'App',
      notes: 'n',
      extension_x: { a: 1 },
    });
    const app = await store.get(applications, A, 'app1');
    assert.equal(app?.displayName, 'App');
    assert.equal(app?.notes, 'n');
    assert.deepEqual(app?.extension_x, { a: 1 });
    await store.update(applications, A, 'app1', { notes: 'm' });
    const updated = await store.get(applications, A, 'app1');
    assert.equal(updated?.notes, 'm');
    assert.equal(updated?.extension_x, undefined, 'callers merge open properties before updating');
  });

  test('link and unlink many-to-many rows', async () => {
    const links: LinkMapping = {
      table: 'agent_group_agents',
      sourceColumn: 'agent_group_id',
      targetColumn: 'agent_id',
      scopeColumns: ['profile_id'],
    };
    const scope: Scope = { tenantId: 'tenant-a', parents: ['provisioning'] };
    await store.insert(agents, scope, agent('a1'));
    await store.insert(agentGroups, scope, {
      id: 'ag1',
      displayName: 'G',
      isDefault: false,
      publishingType: 'provisioning',
    });
    assert.equal(await store.link(links, scope, 'ag1', 'a1'), 'inserted');
    assert.equal(await store.link(links, scope, 'ag1', 'a1'), 'duplicate');
    assert.equal(
      await store.unlink(links, { tenantId: 'tenant-b', parents: ['provisioning'] }, 'ag1', 'a1'),
      false,
      'tenant-scoped',
    );
    assert.equal(await store.unlink(links, scope, 'ag1', 'a1'), true);
    assert.equal(await store.unlink(links, scope, 'ag1', 'a1'), false);
    await assert.rejects(store.link(links, scope, 'ag1', 'no-such-agent'), /FOREIGN KEY/);
  });
});

describe('SqlStore: transactions', () => {
  test('a transaction that resolves commits', async () => {
    const result = await store.transaction(async (tx) => {
      await tx.insert(connectors, A, connector('c1'), { hidden: { connector_group_id: GROUP } });
      await tx.update(connectors, A, 'c1', { machineName: 'inside' });
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal((await store.get(connectors, A, 'c1'))?.machineName, 'inside');
  });

  test('a transaction that throws rolls back everything it did, and rethrows', async () => {
    await insertConnector(A, connector('keep'));
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.insert(connectors, A, connector('c1'), { hidden: { connector_group_id: GROUP } });
        await tx.delete(connectors, A, 'keep');
        assert.ok(await tx.get(connectors, A, 'c1'), 'visible inside the transaction');
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await store.get(connectors, A, 'c1'), undefined);
    assert.ok(await store.get(connectors, A, 'keep'));
  });

  test('a nested transaction joins the outer one', async () => {
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.transaction(async (inner) => {
          await inner.insert(connectors, A, connector('c1'), { hidden: { connector_group_id: GROUP } });
        });
        throw new Error('outer fails');
      }),
      /outer fails/,
    );
    assert.equal(await store.get(connectors, A, 'c1'), undefined);
  });

  test('statements issued while a transaction awaits are not swept into it', async () => {
    let release!: () => void;
    const paused = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const inside = new Promise<void>((r) => (started = r));
    const failing = store.transaction(async (tx) => {
      await tx.insert(connectors, A, connector('in-tx'), { hidden: { connector_group_id: GROUP } });
      started();
      await paused;
      throw new Error('rolled back');
    });
    await inside;
    const outside = insertConnector(A, connector('outside'));
    release();
    await assert.rejects(failing, /rolled back/);
    assert.equal(await outside, 'inserted');
    assert.ok(await store.get(connectors, A, 'outside'), 'the outside insert survived the rollback');
    assert.equal(await store.get(connectors, A, 'in-tx'), undefined);
  });

  test('the store works after a rolled-back transaction', async () => {
    await assert.rejects(
      store.transaction(async () => Promise.reject(new Error('x'))),
      /x/,
    );
    assert.equal(await insertConnector(A, connector('c9')), 'inserted');
  });
});

describe('SqlStore: settings and tenants', () => {
  test('putSettingIfAbsent: the first writer wins', async () => {
    assert.equal(await store.getSetting('s'), undefined);
    assert.equal(await store.putSettingIfAbsent('s', 'first'), 'first');
    assert.equal(await store.putSettingIfAbsent('s', 'second'), 'first');
    assert.equal(await store.getSetting('s'), 'first');
    const [x, y] = await Promise.all([store.putSettingIfAbsent('t', 'x'), store.putSettingIfAbsent('t', 'y')]);
    assert.equal(x, y);
  });

  test('ensureTenant is idempotent', async () => {
    await store.ensureTenant('t1', new Date());
    await store.ensureTenant('t1', new Date());
    const rows = await db.all<{ id: string }>('SELECT id FROM tenants');
    assert.deepEqual(
      rows.map((r) => r.id),
      ['t1'],
    );
  });
});

describe('SerialQueue', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('runs tasks one at a time, in the order given', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let running = 0;
    const task = (name: string, ms: number) => async () => {
      running++;
      assert.equal(running, 1, 'never two at once');
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([queue.run(task('a', 30)), queue.run(task('b', 1)), queue.run(task('c', 10))]);
    assert.deepEqual(results, ['a', 'b', 'c']);
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  test('a failing task rejects its own promise and does not stop the queue', async () => {
    const queue = new SerialQueue();
    const failing = queue.run(async () => {
      throw new Error('async failure');
    });
    const throwing = queue.run(() => {
      throw new Error('sync failure');
    });
    const after = queue.run(() => 42);
    await assert.rejects(failing, /async failure/);
    await assert.rejects(throwing, /sync failure/);
    assert.equal(await after, 42);
  });

  test('a task queued from inside a running task runs after it', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let innerDone: Promise<void> | undefined;
    await queue.run(async () => {
      innerDone = queue.run(() => {
        log.push('inner');
      });
      await sleep(5);
      log.push('outer');
    });
    await innerDone;
    assert.deepEqual(log, ['outer', 'inner']);
  });
});
