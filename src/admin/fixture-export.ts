import { linkedTargets } from '../resources/related-condition.js';
import { exportPlain } from './fixture-plain.js';
import { clean, readAll } from './fixture-rows.js';
import type { Condition, Entity, Scope, Store } from '../store/store.js';
import type { TableMapping } from '../store/table.js';
import {
  compare,
  FIXTURE_COLLECTIONS,
  FIXTURE_VERSION,
  type Fixture,
  type FixtureContext,
  type TenantFixture,
} from './fixture.js';

const byId = (a: Entity, b: Entity) => compare(String(a.id), String(b.id));

async function ids(store: Store, table: TableMapping, scope: Scope, where: Condition): Promise<string[]> {
  return (await readAll(store, table, scope, where)).map((e) => String(e.id)).sort(compare);
}

/** The fixture of one tenant, or of every tenant. Deterministic: the same state gives the same document. */
export async function exportFixture(store: Store, ctx: FixtureContext, tenantId?: string): Promise<Fixture> {
  const tenants = tenantId === undefined ? await store.listTenants() : [tenantId];
  const result: TenantFixture[] = [];
  for (const id of [...tenants].sort(compare)) result.push(await exportTenant(store, ctx, id));
  return { version: FIXTURE_VERSION, tenants: result };
}

async function exportTenant(store: Store, ctx: FixtureContext, tenantId: string): Promise<TenantFixture> {
  const t = ctx.tables;
  const scope: Scope = { tenantId };
  const profiles = (await readAll(store, t.profiles, scope)).map((p) => clean(t.profiles, p)).sort(byId);
  const groups = (await readAll(store, t.connectorGroups, scope)).map((g) => clean(t.connectorGroups, g)).sort(byId);

  const connectors: Entity[] = [];
  const applications: Entity[] = [];
  const inGroup = (id: unknown): Condition => ({ sql: 'connector_group_id = ?', params: [id] });
  for (const group of groups) {
    for (const c of await readAll(store, t.connectors, scope, inGroup(group.id)))
      connectors.push({ ...clean(t.connectors, c), connectorGroupId: group.id });
    for (const a of await readAll(store, t.applications, scope, inGroup(group.id)))
      applications.push({ ...clean(t.applications, a), connectorGroupId: group.id });
  }
  for (const a of await readAll(store, t.applications, scope, { sql: 'connector_group_id IS NULL', params: [] }))
    applications.push(clean(t.applications, a));
  for (const app of applications) {
    const segments = await readAll(store, t.ipApplicationSegments, { tenantId, parents: [String(app.id)] });
    app.applicationSegments = segments.map((s) => clean(t.ipApplicationSegments, s)).sort(byId);
  }

  const agentGroups: Entity[] = [];
  for (const profile of ctx.hybridProfiles) {
    const inProfile: Scope = { tenantId, parents: [profile] };
    for (const g of await readAll(store, t.agentGroups, inProfile)) {
      agentGroups.push({
        ...clean(t.agentGroups, g),
        profile,
        agentIds: await ids(store, t.agents, inProfile, linkedTargets(ctx.links.agentIds, inProfile, String(g.id))),
        publishedResourceIds: await ids(
          store,
          t.publishedResources,
          inProfile,
          linkedTargets(ctx.links.publishedResourceIds, inProfile, String(g.id)),
        ),
      });
    }
  }
  const plain = await exportPlain(store, ctx, tenantId);

  const appRegistrations = (await store.listAppRegistrations(tenantId))
    .map((row) => ({
      clientId: row.clientId,
      displayName: row.displayName,
      servicePrincipalId: row.servicePrincipalId,
      secretHash: row.secretHash,
      roles: row.roles,
      scopes: row.scopes,
      createdAt: row.createdAt,
    }))
    .sort((a, b) => compare(a.clientId, b.clientId));
  const users = (await store.listRegisteredUsers(tenantId))
    .map((row) => ({
      id: row.id,
      userPrincipalName: row.userPrincipalName,
      displayName: row.displayName,
      passwordHash: row.passwordHash,
      createdAt: row.createdAt,
    }))
    .sort((a, b) => compare(a.id, b.id));

  const sections: Record<string, Entity[]> = {
    profiles,
    connectorGroups: groups,
    connectors: connectors.sort(byId),
    applications: applications.sort(byId),
    agentGroups: agentGroups.sort(byProfileAndId),
    ...plain,
  };
  // In the order FIXTURE_COLLECTIONS declares them (segments are inside their applications).
  const ordered = Object.keys(FIXTURE_COLLECTIONS).flatMap((name) =>
    name in sections ? [[name, sections[name]]] : [],
  );
  return { id: tenantId, ...Object.fromEntries(ordered), appRegistrations, users } as TenantFixture;
}

function byProfileAndId(a: Entity, b: Entity): number {
  return compare(String(a.profile), String(b.profile)) || byId(a, b);
}
