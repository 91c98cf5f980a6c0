import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../http/app.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from './migrations.js';
import { postgresTarget } from './open.js';
import { PostgresDatabase } from './postgres.js';
import type { SqlDatabase, SqlExecutor } from './sql.js';
import { SqliteDatabase } from './sqlite.js';
import { SqlStore } from './sql-store.js';

/**
 * Every secondary index earns its place: for each query shape docs/configuration.md promises to serve from
 * an index (docs: "Indexes and the queries they serve"), the SQL localgraph really runs for the
 * request is explained by the database, and the plan must read that index, in the requested order
 * (no sort of the matching rows), on SQLite and on PostgreSQL. Tables here are tiny, so the
 * PostgreSQL planner is told that sequential scans and sorts are dear (`enable_seqscan`,
 * `enable_sort` off): the question is whether an index can serve the query, not which plan a
 * tiny table prefers.
 */
const KEY = 'query-plans-admin-key-0123456789';
const TENANT = '0f0e0d0c-0000-4000-8000-0000000000c1';
const AP = '/beta/onPremisesPublishingProfiles/applicationProxy';
const PROV = '/beta/onPremisesPublishingProfiles/provisioning';

interface Traced {
  sql: string;
  params: unknown[];
}

/** A database that records every statement the store sends while `recording` is on. */
function tracing(db: SqlDatabase): SqlDatabase & { recorded: Traced[]; recording: boolean } {
  const recorded: Traced[] = [];
  const wrap = (executor: SqlExecutor): SqlExecutor => ({
    all: (sql, params = []) => {
      if (tracer.recording) recorded.push({ sql, params });
      return executor.all(sql, params);
    },
    get: (sql, params = []) => {
      if (tracer.recording) recorded.push({ sql, params });
      return executor.get(sql, params);
    },
    run: (sql, params = []) => {
      if (tracer.recording) recorded.push({ sql, params });
      return executor.run(sql, params);
    },
  });
  const tracer = {
    ...wrap(db),
    dialect: db.dialect,
    recorded,
    recording: false,
    transaction: <T>(work: (tx: SqlExecutor) => Promise<T>) => db.transaction((tx) => work(wrap(tx))),
    exec: (sql: string) => db.exec(sql),
    close: () => db.close(),
  };
  return tracer;
}

/** A query shape, the request that makes it, and the index its plan must read. */
interface Shape {
  name: string;
  path: (ids: Ids) => string;
  table: string;
  index: string;
  /** a lookup of at most one row: sorting it costs nothing, so the plan may sort */
  single?: boolean;
}

interface Ids {
  group: string;
  agent: string;
  resource: string;
  appId: string;
}

const SHAPES: Shape[] = [
  {
    name: "a group's connectors, by id",
    path: (ids) => `${AP}/connectorGroups/${ids.group}/members`,
    table: 'connectors',
    index: 'connectors_by_group',
  },
  {
    name: 'connectors of one status, by id',
    path: () => `${AP}/connectors?$filter=status eq 'active'`,
    table: 'connectors',
    index: 'connectors_by_status',
  },
  {
    name: 'connectors by machine name (prefix, ordered)',
    path: () => `${AP}/connectors?$filter=startswith(machineName,'con')&$orderby=machineName`,
    table: 'connectors',
    index: 'connectors_by_machine_name',
  },
  {
    name: 'connectors of one status by machine name (prefix, ordered)',
    path: () => `${AP}/connectors?$filter=status eq 'active' and startswith(machineName,'con')&$orderby=machineName`,
    table: 'connectors',
    index: 'connectors_by_machine_name',
  },
  {
    name: 'an application by appId',
    path: (ids) => `/beta/applications?$filter=appId eq '${ids.appId.toUpperCase()}'`,
    table: 'applications',
    index: 'applications_by_app_id',
    single: true,
  },
  {
    name: "a group's applications, by id",
    path: (ids) => `${AP}/connectorGroups/${ids.group}/applications`,
    table: 'applications',
    index: 'applications_by_group',
  },
  {
    name: "an agent's groups",
    path: (ids) => `${PROV}/agents/${ids.agent}/agentGroups`,
    table: 'agent_group_agents',
    index: 'agent_group_agents_by_agent',
  },
  {
    name: "a published resource's agent groups",
    path: (ids) => `${PROV}/publishedResources/${ids.resource}/agentGroups`,
    table: 'agent_group_published_resources',
    index: 'agent_group_published_resources_by_resource',
  },
];

interface Backend {
  name: string;
  open(): Promise<{ db: SqlDatabase; cleanup(): Promise<void> } | undefined>;
  /** The plan's text, one line per node, for `sql` with `params`; `single`: a sort may be part of it. */
  explain(db: SqlDatabase, sql: string, params: unknown[], single: boolean): Promise<string>;
  /** Whether `plan` reads `index` (without sorting what it reads, unless `single`). */
  servedBy(plan: string, index: string, single: boolean): boolean;
}

const sqlite: Backend = {
  name: 'SQLite',
  async open() {
    const db = new SqliteDatabase(':memory:');
    return { db, cleanup: () => db.close() };
  },
  async explain(db, sql, params) {
    const rows = await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
    return rows.map((r) => r.detail).join('\n');
  },
  servedBy: (plan, index, single) =>
    new RegExp(`USING (COVERING )?INDEX ${index}\\b`).test(plan) &&
    (single || !/USE TEMP B-TREE FOR (ORDER BY|RIGHT PART OF ORDER BY)/.test(plan)),
};

const postgres: Backend = {
  name: 'PostgreSQL',
  async open() {
    const database = process.env.LOCALGRAPH_TEST_DATABASE_URL;
    if (!database) {
      if (process.env.CI === 'true')
        throw new Error('LOCALGRAPH_TEST_DATABASE_URL is required under CI (npm test sets it)');
      return undefined;
    }
    const url = new URL(database);
    url.searchParams.set('schema', `lg_plans_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
    const { connectionString, schema } = postgresTarget(url.href);
    // One connection: the planner settings below hold for every statement.
    const db = new PostgresDatabase({ connectionString, schema, poolSize: 1 });
    await db.prepare();
    return {
      db,
      async cleanup() {
        await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await db.close();
      },
    };
  },
  async explain(db, sql, params, single) {
    await db.exec(`SET enable_seqscan = off; SET enable_bitmapscan = off${single ? '' : '; SET enable_sort = off'}`);
    const rows = await db.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
    await db.exec('RESET enable_seqscan; RESET enable_sort; RESET enable_bitmapscan');
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  },
  servedBy: (plan, index, single) =>
    new RegExp(`Index (Only )?Scan using ${index}\\b`).test(plan) && (single || !/\bSort\b/.test(plan)),
};

for (const backend of [sqlite, postgres]) {
  describe(`query plans on ${backend.name}: every secondary index serves the queries it is there for`, () => {
    let opened: Awaited<ReturnType<Backend['open']>>;
    let db: ReturnType<typeof tracing>;
    let app: ReturnType<typeof createApp>;
    let token: string;
    let ids: Ids;

    before(async () => {
      opened = await backend.open();
      if (!opened) return;
      db = tracing(opened.db);
      await migrateFamily(db, onPremises);
      app = createApp({ store: new SqlStore(db), family: onPremises, controlPlane: { adminKey: KEY } });
      const minted = await app.inject({
        method: 'POST',
        url: '/_admin/token',
        headers: { 'x-localgraph-admin-key': KEY },
        payload: { tenantId: TENANT },
      });
      assert.equal(minted.statusCode, 200, minted.body);
      token = minted.json().access_token;
      const send = async (method: 'GET' | 'POST', url: string, body?: object) => {
        const res = await app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          payload: body && JSON.stringify(body),
        });
        assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
        return res.json();
      };
      const group = await send('POST', `${AP}/connectorGroups`, { name: 'plans' });
      const app1 = await send('POST', '/beta/applications', { displayName: 'plans' });
      const agent = await send('POST', `${PROV}/agents`, {
        externalIp: '10.0.0.1',
        machineName: 'agent.contoso.com',
        status: 'active',
        supportedPublishingTypes: ['applicationProxy'],
      });
      const resource = await send('POST', `${PROV}/publishedResources`, {
        displayName: 'plans',
        resourceName: 'plans.contoso.com',
        publishingType: 'applicationProxy',
      });
      ids = { group: group.id, agent: agent.id, resource: resource.id, appId: app1.appId };
      // Enough applications that reading them all in id order to find one appId is the dearer plan
      // (with a handful, PostgreSQL rightly prefers the primary key); statistics as autovacuum keeps them.
      for (let i = 0; i < 200; i++) await send('POST', '/beta/applications', { displayName: `plans ${i}` });
      if (db.dialect.name === 'postgres') await db.exec('ANALYZE');
    });
    after(async () => {
      await app?.close();
      await opened?.cleanup();
    });

    for (const shape of SHAPES) {
      it(`${shape.name}: ${shape.index}`, async (t) => {
        if (!opened) return t.skip(`${backend.name} is not available (npm test provides it)`);
        db.recorded.length = 0;
        db.recording = true;
        const res = await app.inject({
          method: 'GET',
          url: encodeURI(shape.path(ids)),
          headers: { authorization: `Bearer ${token}` },
        });
        db.recording = false;
        assert.equal(res.statusCode, 200, res.body);
        const reads = db.recorded.filter(
          (s) =>
            /^\s*SELECT\b/i.test(s.sql) &&
            new RegExp(`\\bFROM ${shape.table}\\b|\\bJOIN ${shape.table}\\b`).test(s.sql),
        );
        assert.ok(
          reads.length > 0,
          `no SELECT over ${shape.table} in ${JSON.stringify(db.recorded.map((s) => s.sql))}`,
        );
        const single = shape.single === true;
        const plans = await Promise.all(
          reads.map(async (s) => ({ sql: s.sql, plan: await backend.explain(opened!.db, s.sql, s.params, single) })),
        );
        assert.ok(
          plans.some((p) => backend.servedBy(p.plan, shape.index, single)),
          `no statement is served by ${shape.index} in order:\n${plans.map((p) => `${p.sql}\n  ${p.plan.replaceAll('\n', '\n  ')}`).join('\n')}`,
        );
      });
    }
  });
}
