import type { IdGenerator } from '../resources/id-generator.js';
import type { AppRegistrationRow, Entity, RegisteredUserRow, Scope, Store } from '../store/store.js';
import type { TableMapping } from '../store/table.js';
import {
  APP_REGISTRATIONS_TABLE,
  FIXTURE_COLLECTIONS,
  HEARTBEATS_TABLE,
  USERS_TABLE,
  type FixtureContext,
} from './fixture.js';
import { checkFixture, type CheckedTenant } from './fixture-check.js';
import { importPlain } from './fixture-plain.js';
import { fail } from './fixture-read.js';

export interface ImportSummary {
  tenants: { id: string; counts: Record<string, number> }[];
}

/**
 * Checks a fixture, then writes each of its tenants in one transaction: the tenant's Graph data
 * (and, when named, its registrations) are replaced by the fixture's. Nothing is written when
 * the document is invalid. The caller must make the engine forget these tenants afterwards.
 */
export async function importFixture(
  store: Store,
  ctx: FixtureContext,
  doc: unknown,
  services: { ids: IdGenerator; now: Date },
): Promise<ImportSummary> {
  const checked = checkFixture(ctx, doc, services.ids, services.now);
  const summary: ImportSummary = { tenants: [] };
  for (const [i, tenant] of checked.tenants.entries()) {
    await store.transaction((tx) => writeTenant(tx, ctx, tenant, `tenants[${i}]`, services.now));
    summary.tenants.push({ id: tenant.id, counts: counts(tenant) });
  }
  return summary;
}

/** How many of each collection a tenant's fixture held, in the order the fixture shows them. */
function counts(t: CheckedTenant): Record<string, number> {
  const held: Record<string, number> = {
    profiles: t.profiles.length,
    connectorGroups: t.connectorGroups.length,
    connectors: t.connectors.length,
    applications: t.applications.length,
    ipApplicationSegments: t.applications.reduce((n, a) => n + a.segments.length, 0),
    agentGroups: t.agentGroups.length,
    ...Object.fromEntries(Object.entries(t.plain).map(([name, items]) => [name, items.length])),
  };
  return {
    ...Object.fromEntries(
      Object.keys(FIXTURE_COLLECTIONS).map((name) => [
        name === 'ipApplicationSegments' ? 'applicationSegments' : name,
        held[name],
      ]),
    ),
    ...(t.appRegistrations ? { appRegistrations: t.appRegistrations.length } : {}),
    ...(t.users ? { users: t.users.length } : {}),
  };
}

async function writeTenant(
  tx: Store,
  ctx: FixtureContext,
  tenant: CheckedTenant,
  path: string,
  now: Date,
): Promise<void> {
  const t = ctx.tables;
  const scope: Scope = { tenantId: tenant.id };
  await tx.ensureTenant(tenant.id, now);
  const tables: string[] = [...ctx.dataTables, HEARTBEATS_TABLE];
  if (tenant.appRegistrations) tables.push(APP_REGISTRATIONS_TABLE);
  if (tenant.users) tables.push(USERS_TABLE);
  await tx.clearTenantRows(tables, tenant.id);

  const insert = async (
    table: TableMapping,
    where: Scope,
    entity: Entity,
    at: string,
    hidden?: Record<string, unknown>,
  ) => {
    if ((await tx.insert(table, where, entity, { hidden })) === 'duplicate')
      fail(at, `conflicts with another object of this tenant (a duplicate id or unique value).`);
  };
  for (const [i, p] of tenant.profiles.entries()) await insert(t.profiles, scope, p, `${path}.profiles[${i}]`);
  for (const [i, g] of tenant.connectorGroups.entries())
    await insert(t.connectorGroups, scope, g, `${path}.connectorGroups[${i}]`);
  for (const [i, c] of tenant.connectors.entries())
    await insert(t.connectors, scope, c.entity, `${path}.connectors[${i}]`, { connector_group_id: c.groupId });
  for (const [i, a] of tenant.applications.entries()) {
    await insert(t.applications, scope, a.entity, `${path}.applications[${i}]`, { connector_group_id: a.groupId });
    for (const [j, s] of a.segments.entries()) {
      await insert(
        t.ipApplicationSegments,
        { tenantId: tenant.id, parents: [String(a.entity.id)] },
        s,
        `${path}.applications[${i}].applicationSegments[${j}]`,
      );
    }
  }
  // Before the agent groups, whose links name agents and published resources.
  await importPlain(ctx, tenant.id, tenant.plain, path, (table, where, entity, at) => insert(table, where, entity, at));
  for (const [i, g] of tenant.agentGroups.entries()) {
    const inProfile: Scope = { tenantId: tenant.id, parents: [g.profile] };
    await insert(t.agentGroups, inProfile, g.entity, `${path}.agentGroups[${i}]`);
    for (const agentId of g.agentIds) await tx.link(ctx.links.agentIds, inProfile, String(g.entity.id), agentId);
    for (const resourceId of g.publishedResourceIds)
      await tx.link(ctx.links.publishedResourceIds, inProfile, String(g.entity.id), resourceId);
  }

  for (const [i, app] of (tenant.appRegistrations ?? []).entries()) {
    const row: AppRegistrationRow = { ...app, tenantId: tenant.id };
    if ((await tx.insertAppRegistration(row)) === 'duplicate')
      fail(`${path}.appRegistrations[${i}].clientId`, `client id '${app.clientId}' is registered in another tenant.`);
  }
  for (const [i, user] of (tenant.users ?? []).entries()) {
    const row: RegisteredUserRow = { ...user, tenantId: tenant.id };
    if ((await tx.insertRegisteredUser(row)) === 'duplicate')
      fail(`${path}.users[${i}]`, `user '${user.userPrincipalName}' conflicts with another user of this tenant.`);
  }
}
