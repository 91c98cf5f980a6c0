import { errors, GraphError } from '../graph/errors.js';
import type { Model, StructuredType } from '../model/model.js';
import { isGuid } from '../odata/path.js';
import { readPropertyValue } from '../odata/values.js';
import type { IdGenerator } from '../resources/collection.js';
import { DEFAULT_CONNECTOR_VERSION } from '../resources/connectors.js';
import { NOT_HYBRID_AGENT_PROFILES, profileIds as modelProfileIds } from '../resources/profiles.js';
import { DEFAULT_SENSOR_VERSION } from '../resources/sensors.js';
import { familyTables, type FamilyTables } from '../resources/tables.js';
import type { AppRegistrationRow, Condition, Entity, LinkMapping, RegisteredUserRow, Scope, Store } from '../store/store.js';
import type { TableMapping } from '../store/table.js';

/**
 * Fixtures: a tenant's whole state as one JSON document, in Graph's property names plus a few
 * link fields (`connectorGroupId`, `profile`, `agentIds`, ...), so a test suite can load a known
 * world, and save the current one:
 *
 * ```json
 * { "version": 1, "tenants": [ { "id": "…", "profiles": [], "connectorGroups": [], "connectors": [],
 *   "applications": [], "agents": [], "agentGroups": [], "publishedResources": [], "sensors": [],
 *   "appRegistrations": [], "users": [] } ] }
 * ```
 *
 * Export is deterministic (everything sorted by id, properties in the model's order, nulls left
 * out), and import stores exactly what export shows, so export → reset → import → export gives the
 * same bytes. Import replaces the Graph data of each tenant it names (in one transaction per
 * tenant); sign-in registrations (`appRegistrations`, `users`: hashed secrets as stored) are
 * replaced only when the tenant names them.
 */

export const FIXTURE_VERSION = 1;

export interface Fixture {
  version: number;
  tenants: TenantFixture[];
}

export interface TenantFixture {
  id: string;
  profiles: Entity[];
  connectorGroups: Entity[];
  /** Each with `connectorGroupId`. */
  connectors: Entity[];
  /** Each with `connectorGroupId` (when assigned) and `applicationSegments`. */
  applications: Entity[];
  /** Each with `profile`. */
  agents: Entity[];
  /** Each with `profile`, `agentIds`, `publishedResourceIds`. */
  agentGroups: Entity[];
  /** Each with `profile`. */
  publishedResources: Entity[];
  sensors: Entity[];
  appRegistrations?: AppRegistrationFixture[];
  users?: UserFixture[];
}

/** A registered client, as stored (the secret hashed); its tenant is the fixture tenant's. */
export type AppRegistrationFixture = Omit<AppRegistrationRow, 'tenantId'>;

/** A registered user, as stored (the password hashed); its tenant is the fixture tenant's. */
export type UserFixture = Omit<RegisteredUserRow, 'tenantId'>;

/** What fixtures need of the model: the tables and the profile keys. */
export interface FixtureContext {
  model: Model;
  tables: FamilyTables;
  profileIds: ReadonlySet<string>;
  /** The profiles that serve hybrid agents (all but applicationProxy and privateAccess), sorted. */
  hybridProfiles: string[];
}

export function fixtureContext(model: Model): FixtureContext {
  const profileIds = modelProfileIds(model);
  return {
    model,
    tables: familyTables(model),
    profileIds,
    hybridProfiles: [...profileIds].filter((p) => !NOT_HYBRID_AGENT_PROFILES.has(p)).sort(compare),
  };
}

const AGENT_LINKS: LinkMapping = { table: 'agent_group_agents', sourceColumn: 'agent_group_id', targetColumn: 'agent_id', scopeColumns: ['profile_id'] };
const RESOURCE_LINKS: LinkMapping = {
  table: 'agent_group_published_resources',
  sourceColumn: 'agent_group_id',
  targetColumn: 'published_resource_id',
  scopeColumns: ['profile_id'],
};

/** The tables of a tenant's Graph data (and its heartbeats), children before parents. */
export const GRAPH_DATA_TABLES = [
  'ip_application_segments',
  AGENT_LINKS.table,
  RESOURCE_LINKS.table,
  'agents',
  'agent_groups',
  'published_resources',
  'sensors',
  'applications',
  'connectors',
  'connector_groups',
  'profiles',
  'heartbeats',
] as const;
const APP_REGISTRATIONS_TABLE = 'app_registrations';
const USERS_TABLE = 'registered_users';

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
const byId = (a: Entity, b: Entity) => compare(String(a.id), String(b.id));

// ---------------------------------------------------------------------------------------------
// Reset

export interface ResetOptions {
  /** One tenant; every tenant when absent. */
  tenantId?: string;
  /** Also remove the sign-in registrations (apps and users); kept by default. */
  registrations?: boolean;
}

/**
 * Removes the Graph data (and heartbeats) of one tenant or of all; the tenants themselves stay,
 * so their tokens keep working, and each gets its default connector group and profiles back on
 * its next request (once the engine forgets it). Returns the tenants reset.
 */
export async function resetTenants(store: Store, options: ResetOptions = {}): Promise<string[]> {
  const tables = [...GRAPH_DATA_TABLES, ...(options.registrations ? [APP_REGISTRATIONS_TABLE, USERS_TABLE] : [])];
  return store.transaction(async (tx) => {
    const tenants = options.tenantId === undefined ? await tx.listTenants() : (await tx.hasTenant(options.tenantId)) ? [options.tenantId] : [];
    await tx.clearTenantRows(tables, options.tenantId);
    return tenants;
  });
}

// ---------------------------------------------------------------------------------------------
// Export

const PAGE = 500;

/** Every row of a table in a scope (optionally filtered), in id order, a page at a time. */
async function readAll(store: Store, table: TableMapping, scope: Scope, where?: Condition): Promise<Entity[]> {
  const rows: Entity[] = [];
  for (;;) {
    const page = await store.list(table, scope, { top: PAGE, where, afterId: rows.length > 0 ? String(rows[rows.length - 1].id) : undefined });
    rows.push(...page);
    if (page.length < PAGE) return rows;
  }
}

/** An entity as a fixture writes it: declared properties that are null are left out. */
function clean(table: TableMapping, entity: Entity): Entity {
  const out: Entity = {};
  for (const [name, value] of Object.entries(entity)) {
    if ((value === null || value === undefined) && table.byProperty.has(name)) continue;
    out[name] = value;
  }
  return out;
}

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
    for (const c of await readAll(store, t.connectors, scope, inGroup(group.id))) connectors.push({ ...clean(t.connectors, c), connectorGroupId: group.id });
    for (const a of await readAll(store, t.applications, scope, inGroup(group.id))) applications.push({ ...clean(t.applications, a), connectorGroupId: group.id });
  }
  for (const a of await readAll(store, t.applications, scope, { sql: 'connector_group_id IS NULL', params: [] })) applications.push(clean(t.applications, a));
  for (const app of applications) {
    const segments = await readAll(store, t.ipApplicationSegments, { tenantId, parents: [String(app.id)] });
    app.applicationSegments = segments.map((s) => clean(t.ipApplicationSegments, s)).sort(byId);
  }

  const agents: Entity[] = [];
  const agentGroups: Entity[] = [];
  const publishedResources: Entity[] = [];
  for (const profile of ctx.hybridProfiles) {
    const inProfile: Scope = { tenantId, parents: [profile] };
    for (const a of await readAll(store, t.agents, inProfile)) agents.push({ ...clean(t.agents, a), profile });
    for (const r of await readAll(store, t.publishedResources, inProfile)) publishedResources.push({ ...clean(t.publishedResources, r), profile });
    for (const g of await readAll(store, t.agentGroups, inProfile)) {
      const linked = (link: LinkMapping): Condition => ({
        sql: `id IN (SELECT ${link.targetColumn} FROM ${link.table} WHERE tenant_id = ? AND profile_id = ? AND ${link.sourceColumn} = ?)`,
        params: [tenantId, profile, g.id],
      });
      agentGroups.push({
        ...clean(t.agentGroups, g),
        profile,
        agentIds: await ids(store, t.agents, inProfile, linked(AGENT_LINKS)),
        publishedResourceIds: await ids(store, t.publishedResources, inProfile, linked(RESOURCE_LINKS)),
      });
    }
  }
  const sensors = (await readAll(store, t.sensors, scope)).map((s) => clean(t.sensors, s));

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
    .map((row) => ({ id: row.id, userPrincipalName: row.userPrincipalName, displayName: row.displayName, passwordHash: row.passwordHash, createdAt: row.createdAt }))
    .sort((a, b) => compare(a.id, b.id));

  return {
    id: tenantId,
    profiles,
    connectorGroups: groups,
    connectors: connectors.sort(byId),
    applications: applications.sort(byId),
    agents: agents.sort(byProfileAndId),
    agentGroups: agentGroups.sort(byProfileAndId),
    publishedResources: publishedResources.sort(byProfileAndId),
    sensors: sensors.sort(byId),
    appRegistrations,
    users,
  };
}

function byProfileAndId(a: Entity, b: Entity): number {
  return compare(String(a.profile), String(b.profile)) || byId(a, b);
}

// ---------------------------------------------------------------------------------------------
// Validation

/** A fixture checked and completed (defaults filled in), ready to be written. */
export interface CheckedFixture {
  tenants: CheckedTenant[];
}

interface Linked {
  entity: Entity;
  links: Record<string, unknown>;
}

interface CheckedTenant {
  id: string;
  profiles: Entity[];
  connectorGroups: Entity[];
  connectors: { entity: Entity; groupId: string }[];
  applications: { entity: Entity; groupId: string | null; segments: Entity[] }[];
  agents: { entity: Entity; profile: string }[];
  agentGroups: { entity: Entity; profile: string; agentIds: string[]; publishedResourceIds: string[] }[];
  publishedResources: { entity: Entity; profile: string }[];
  sensors: Entity[];
  appRegistrations?: AppRegistrationFixture[];
  users?: UserFixture[];
}

const TENANT_KEYS = new Set([
  'id',
  'profiles',
  'connectorGroups',
  'connectors',
  'applications',
  'agents',
  'agentGroups',
  'publishedResources',
  'sensors',
  'appRegistrations',
  'users',
]);

function fail(path: string, why: string): never {
  throw errors.invalidFixture(path, why);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(path, 'expected an array.');
  return value;
}

function guid(value: unknown, path: string): string {
  if (typeof value !== 'string' || !isGuid(value)) fail(path, `expected a GUID, not ${JSON.stringify(value)}.`);
  return value.toLowerCase();
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(path, 'expected a non-empty string.');
  return value;
}

function strings(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(path, 'expected an array of strings.');
  return value as string[];
}

/**
 * Reads one entity of a fixture against its type: every property must be the model's (or, on an
 * open type, anything), with a value of its type; `linkFields` are returned apart.
 */
function readEntity(ctx: FixtureContext, type: StructuredType, raw: unknown, path: string, linkFields: readonly string[]): Linked {
  if (!isObject(raw)) fail(path, 'expected an object.');
  const entity: Entity = {};
  const links: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (linkFields.includes(name)) {
      links[name] = value;
      continue;
    }
    if (name.startsWith('@')) continue;
    const property = type.properties.get(name);
    if (!property) {
      if (type.openType && !type.navigations.has(name) && !name.includes('@')) {
        entity[name] = value;
        continue;
      }
      fail(`${path}.${name}`, `'${name}' is not a property of ${type.qualifiedName}${linkFields.length > 0 ? ` (link fields here: ${linkFields.join(', ')})` : ''}.`);
    }
    try {
      entity[name] = readPropertyValue(ctx.model, property, value, { path: `${path}.${name}`, resource: type.name });
    } catch (error) {
      if (error instanceof GraphError) fail(`${path}.${name}`, error.details?.[0]?.message ?? error.message);
      throw error;
    }
  }
  return { entity, links };
}

/** Fills in what the server would have set, then checks every non-nullable property has a value. */
function complete(type: StructuredType, entity: Entity, defaults: Entity, path: string): Entity {
  for (const [name, value] of Object.entries(defaults)) if (entity[name] === undefined || entity[name] === null) entity[name] = value;
  for (const property of type.properties.values()) {
    if (!property.nullable && (entity[property.name] === undefined || entity[property.name] === null)) fail(`${path}.${property.name}`, 'a value is required.');
  }
  return entity;
}

function uniqueIds(items: { id: string; path: string }[], what: string): void {
  const seen = new Set<string>();
  for (const { id, path } of items) {
    if (seen.has(id)) fail(path, `${what} '${id}' appears twice.`);
    seen.add(id);
  }
}

/**
 * Checks a fixture document and completes it (defaults, canonical values). Every refusal is a
 * Graph 400 naming the place (`tenants[0].connectors[2].connectorGroupId`) and the problem.
 */
export function checkFixture(ctx: FixtureContext, doc: unknown, ids: IdGenerator, now: Date): CheckedFixture {
  if (!isObject(doc)) fail('$', 'a fixture is a JSON object: {"version": 1, "tenants": [...]}.');
  for (const key of Object.keys(doc)) if (key !== 'version' && key !== 'tenants') fail(key, `unknown member '${key}' (a fixture has 'version' and 'tenants').`);
  if (doc.version !== FIXTURE_VERSION) fail('version', `expected ${FIXTURE_VERSION}, not ${JSON.stringify(doc.version)}.`);
  if (!Array.isArray(doc.tenants)) fail('tenants', 'expected an array.');
  const tenants = doc.tenants.map((raw, i) => checkTenant(ctx, raw, `tenants[${i}]`, ids, now));
  uniqueIds(
    tenants.map((t, i) => ({ id: t.id, path: `tenants[${i}].id` })),
    'Tenant',
  );
  // Client ids are unique across tenants, as in Entra ID.
  uniqueIds(
    tenants.flatMap((t, i) => (t.appRegistrations ?? []).map((a, j) => ({ id: a.clientId, path: `tenants[${i}].appRegistrations[${j}].clientId` }))),
    'Client id',
  );
  return { tenants };
}

function checkTenant(ctx: FixtureContext, raw: unknown, path: string, ids: IdGenerator, now: Date): CheckedTenant {
  if (!isObject(raw)) fail(path, 'expected an object.');
  for (const key of Object.keys(raw)) if (!TENANT_KEYS.has(key)) fail(`${path}.${key}`, `unknown member '${key}' (a tenant has ${[...TENANT_KEYS].join(', ')}).`);
  const t = ctx.tables;
  const tenantId = guid(raw.id, `${path}.id`);
  const publishingType = ctx.model.enumType('microsoft.graph.onPremisesPublishingType');

  const profiles = list(raw.profiles, `${path}.profiles`).map((item, i) => {
    const at = `${path}.profiles[${i}]`;
    const { entity } = readEntity(ctx, t.profiles.type, item, at, []);
    const id = typeof entity.id === 'string' ? publishingType.parse(entity.id) : undefined;
    if (!id || !ctx.profileIds.has(id)) fail(`${at}.id`, `expected a publishing profile (${[...ctx.profileIds].join(', ')}).`);
    entity.id = id;
    return complete(t.profiles.type, entity, {}, at);
  });
  uniqueIds(
    profiles.map((p, i) => ({ id: String(p.id), path: `${path}.profiles[${i}].id` })),
    'Profile',
  );

  const withId = (entity: Entity, at: string): Entity => {
    entity.id = guid(entity.id, `${at}.id`);
    return entity;
  };

  const connectorGroups = list(raw.connectorGroups, `${path}.connectorGroups`).map((item, i) => {
    const at = `${path}.connectorGroups[${i}]`;
    const { entity } = readEntity(ctx, t.connectorGroups.type, item, at, []);
    return complete(t.connectorGroups.type, withId(entity, at), { connectorGroupType: 'applicationProxy', isDefault: false }, at);
  });
  uniqueIds(
    connectorGroups.map((g, i) => ({ id: String(g.id), path: `${path}.connectorGroups[${i}].id` })),
    'Connector group',
  );
  const defaults = connectorGroups.filter((g) => g.isDefault === true);
  if (defaults.length > 1) fail(`${path}.connectorGroups`, 'a tenant has one default connector group (isDefault: true), not several.');
  const groupIds = new Set(connectorGroups.map((g) => String(g.id)));
  const groupRef = (value: unknown, at: string): string => {
    const id = guid(value, at);
    if (!groupIds.has(id)) fail(at, `no connector group '${id}' in this tenant's connectorGroups.`);
    return id;
  };

  const connectors = list(raw.connectors, `${path}.connectors`).map((item, i) => {
    const at = `${path}.connectors[${i}]`;
    const { entity, links } = readEntity(ctx, t.connectors.type, item, at, ['connectorGroupId']);
    withId(entity, at);
    let groupId: string;
    if (links.connectorGroupId !== undefined) groupId = groupRef(links.connectorGroupId, `${at}.connectorGroupId`);
    else if (defaults.length === 1) groupId = String(defaults[0].id);
    else fail(`${at}.connectorGroupId`, 'a connector is in one connector group: name it, or give the tenant a default group.');
    return { entity: complete(t.connectors.type, entity, { version: DEFAULT_CONNECTOR_VERSION }, at), groupId };
  });
  uniqueIds(
    connectors.map((c, i) => ({ id: String(c.entity.id), path: `${path}.connectors[${i}].id` })),
    'Connector',
  );

  const applications = list(raw.applications, `${path}.applications`).map((item, i) => {
    const at = `${path}.applications[${i}]`;
    const { entity, links } = readEntity(ctx, t.applications.type, item, at, ['connectorGroupId', 'applicationSegments']);
    withId(entity, at);
    const groupId = links.connectorGroupId === undefined || links.connectorGroupId === null ? null : groupRef(links.connectorGroupId, `${at}.connectorGroupId`);
    const segments = list(links.applicationSegments, `${at}.applicationSegments`).map((s, j) => {
      const segmentAt = `${at}.applicationSegments[${j}]`;
      const { entity: segment } = readEntity(ctx, t.ipApplicationSegments.type, s, segmentAt, []);
      return complete(t.ipApplicationSegments.type, withId(segment, segmentAt), { action: 'tunnel' }, segmentAt);
    });
    uniqueIds(
      segments.map((s, j) => ({ id: String(s.id), path: `${at}.applicationSegments[${j}].id` })),
      'Application segment',
    );
    return { entity: complete(t.applications.type, entity, { appId: ids.newId() }, at), groupId, segments };
  });
  uniqueIds(
    applications.map((a, i) => ({ id: String(a.entity.id), path: `${path}.applications[${i}].id` })),
    'Application',
  );
  uniqueIds(
    applications.map((a, i) => ({ id: String(a.entity.appId).toLowerCase(), path: `${path}.applications[${i}].appId` })),
    'Application appId',
  );

  const hybridProfile = (value: unknown, at: string): string => {
    const profile = typeof value === 'string' ? publishingType.parse(value) : undefined;
    if (!profile || !ctx.hybridProfiles.includes(profile)) fail(at, `expected a hybrid agent profile (${ctx.hybridProfiles.join(', ')}).`);
    return profile;
  };
  const agents = list(raw.agents, `${path}.agents`).map((item, i) => {
    const at = `${path}.agents[${i}]`;
    const { entity, links } = readEntity(ctx, t.agents.type, item, at, ['profile']);
    const profile = hybridProfile(links.profile, `${at}.profile`);
    return { entity: complete(t.agents.type, withId(entity, at), { supportedPublishingTypes: [profile] }, at), profile };
  });
  const publishedResources = list(raw.publishedResources, `${path}.publishedResources`).map((item, i) => {
    const at = `${path}.publishedResources[${i}]`;
    const { entity, links } = readEntity(ctx, t.publishedResources.type, item, at, ['profile']);
    const profile = hybridProfile(links.profile, `${at}.profile`);
    return { entity: complete(t.publishedResources.type, withId(entity, at), { publishingType: profile }, at), profile };
  });
  const keyed = (profile: string, id: unknown) => `${profile}/${String(id)}`;
  uniqueIds(
    agents.map((a, i) => ({ id: keyed(a.profile, a.entity.id), path: `${path}.agents[${i}].id` })),
    'Agent',
  );
  uniqueIds(
    publishedResources.map((r, i) => ({ id: keyed(r.profile, r.entity.id), path: `${path}.publishedResources[${i}].id` })),
    'Published resource',
  );
  const agentKeys = new Set(agents.map((a) => keyed(a.profile, a.entity.id)));
  const resourceKeys = new Set(publishedResources.map((r) => keyed(r.profile, r.entity.id)));
  const agentGroups = list(raw.agentGroups, `${path}.agentGroups`).map((item, i) => {
    const at = `${path}.agentGroups[${i}]`;
    const { entity, links } = readEntity(ctx, t.agentGroups.type, item, at, ['profile', 'agentIds', 'publishedResourceIds']);
    const profile = hybridProfile(links.profile, `${at}.profile`);
    const refs = (field: string, known: Set<string>, what: string) =>
      [
        ...new Set(
          list(links[field], `${at}.${field}`).map((value, j) => {
            const id = guid(value, `${at}.${field}[${j}]`);
            if (!known.has(keyed(profile, id))) fail(`${at}.${field}[${j}]`, `no ${what} '${id}' in the profile '${profile}' of this tenant.`);
            return id;
          }),
        ),
      ];
    return {
      entity: complete(t.agentGroups.type, withId(entity, at), { isDefault: false, publishingType: profile }, at),
      profile,
      agentIds: refs('agentIds', agentKeys, 'agent'),
      publishedResourceIds: refs('publishedResourceIds', resourceKeys, 'published resource'),
    };
  });
  uniqueIds(
    agentGroups.map((g, i) => ({ id: keyed(g.profile, g.entity.id), path: `${path}.agentGroups[${i}].id` })),
    'Agent group',
  );

  const sensors = list(raw.sensors, `${path}.sensors`).map((item, i) => {
    const at = `${path}.sensors[${i}]`;
    const { entity } = readEntity(ctx, t.sensors.type, item, at, []);
    return complete(t.sensors.type, withId(entity, at), { isBreakglassEnabled: false, version: DEFAULT_SENSOR_VERSION }, at);
  });
  uniqueIds(
    sensors.map((s, i) => ({ id: String(s.id), path: `${path}.sensors[${i}].id` })),
    'Sensor',
  );

  const appRegistrations =
    raw.appRegistrations === undefined
      ? undefined
      : list(raw.appRegistrations, `${path}.appRegistrations`).map((item, i) => checkAppRegistration(item, `${path}.appRegistrations[${i}]`, now));
  const users = raw.users === undefined ? undefined : list(raw.users, `${path}.users`).map((item, i) => checkUser(item, `${path}.users[${i}]`, now));
  if (users) {
    uniqueIds(
      users.map((u, i) => ({ id: u.id, path: `${path}.users[${i}].id` })),
      'User',
    );
    uniqueIds(
      users.map((u, i) => ({ id: u.userPrincipalName.toLowerCase(), path: `${path}.users[${i}].userPrincipalName` })),
      'User principal name',
    );
  }

  return { id: tenantId, profiles, connectorGroups, connectors, applications, agents, agentGroups, publishedResources, sensors, appRegistrations, users };
}

function onlyKeys(raw: Record<string, unknown>, keys: string[], path: string): void {
  for (const key of Object.keys(raw)) if (!keys.includes(key)) fail(`${path}.${key}`, `unknown member '${key}' (expected ${keys.join(', ')}).`);
}

function checkAppRegistration(raw: unknown, path: string, now: Date): AppRegistrationFixture {
  if (!isObject(raw)) fail(path, 'expected an object.');
  onlyKeys(raw, ['clientId', 'displayName', 'servicePrincipalId', 'secretHash', 'roles', 'scopes', 'createdAt'], path);
  return {
    clientId: guid(raw.clientId, `${path}.clientId`),
    displayName: text(raw.displayName, `${path}.displayName`),
    servicePrincipalId: guid(raw.servicePrincipalId, `${path}.servicePrincipalId`),
    secretHash: text(raw.secretHash, `${path}.secretHash`),
    roles: raw.roles === undefined ? [] : strings(raw.roles, `${path}.roles`),
    scopes: raw.scopes === undefined ? [] : strings(raw.scopes, `${path}.scopes`),
    createdAt: raw.createdAt === undefined ? now.toISOString() : text(raw.createdAt, `${path}.createdAt`),
  };
}

function checkUser(raw: unknown, path: string, now: Date): UserFixture {
  if (!isObject(raw)) fail(path, 'expected an object.');
  onlyKeys(raw, ['id', 'userPrincipalName', 'displayName', 'passwordHash', 'createdAt'], path);
  const userPrincipalName = text(raw.userPrincipalName, `${path}.userPrincipalName`);
  return {
    id: guid(raw.id, `${path}.id`),
    userPrincipalName,
    displayName: raw.displayName === undefined ? userPrincipalName : text(raw.displayName, `${path}.displayName`),
    passwordHash: text(raw.passwordHash, `${path}.passwordHash`),
    createdAt: raw.createdAt === undefined ? now.toISOString() : text(raw.createdAt, `${path}.createdAt`),
  };
}

// ---------------------------------------------------------------------------------------------
// Import

export interface ImportSummary {
  tenants: { id: string; counts: Record<string, number> }[];
}

/**
 * Checks a fixture, then writes each of its tenants in one transaction: the tenant's Graph data
 * (and, when named, its registrations) are replaced by the fixture's. Nothing is written when
 * the document is invalid. The caller must make the engine forget these tenants afterwards.
 */
export async function importFixture(store: Store, ctx: FixtureContext, doc: unknown, services: { ids: IdGenerator; now: Date }): Promise<ImportSummary> {
  const checked = checkFixture(ctx, doc, services.ids, services.now);
  const summary: ImportSummary = { tenants: [] };
  for (const [i, tenant] of checked.tenants.entries()) {
    await store.transaction((tx) => writeTenant(tx, ctx, tenant, `tenants[${i}]`, services.now));
    summary.tenants.push({ id: tenant.id, counts: counts(tenant) });
  }
  return summary;
}

function counts(t: CheckedTenant): Record<string, number> {
  return {
    profiles: t.profiles.length,
    connectorGroups: t.connectorGroups.length,
    connectors: t.connectors.length,
    applications: t.applications.length,
    applicationSegments: t.applications.reduce((n, a) => n + a.segments.length, 0),
    agents: t.agents.length,
    agentGroups: t.agentGroups.length,
    publishedResources: t.publishedResources.length,
    sensors: t.sensors.length,
    ...(t.appRegistrations ? { appRegistrations: t.appRegistrations.length } : {}),
    ...(t.users ? { users: t.users.length } : {}),
  };
}

async function writeTenant(tx: Store, ctx: FixtureContext, tenant: CheckedTenant, path: string, now: Date): Promise<void> {
  const t = ctx.tables;
  const scope: Scope = { tenantId: tenant.id };
  await tx.ensureTenant(tenant.id, now);
  const tables: string[] = [...GRAPH_DATA_TABLES];
  if (tenant.appRegistrations) tables.push(APP_REGISTRATIONS_TABLE);
  if (tenant.users) tables.push(USERS_TABLE);
  await tx.clearTenantRows(tables, tenant.id);

  const insert = async (table: TableMapping, where: Scope, entity: Entity, at: string, hidden?: Record<string, unknown>) => {
    if ((await tx.insert(table, where, entity, { hidden })) === 'duplicate') fail(at, `conflicts with another object of this tenant (a duplicate id or unique value).`);
  };
  for (const [i, p] of tenant.profiles.entries()) await insert(t.profiles, scope, p, `${path}.profiles[${i}]`);
  for (const [i, g] of tenant.connectorGroups.entries()) await insert(t.connectorGroups, scope, g, `${path}.connectorGroups[${i}]`);
  for (const [i, c] of tenant.connectors.entries()) await insert(t.connectors, scope, c.entity, `${path}.connectors[${i}]`, { connector_group_id: c.groupId });
  for (const [i, a] of tenant.applications.entries()) {
    await insert(t.applications, scope, a.entity, `${path}.applications[${i}]`, { connector_group_id: a.groupId });
    for (const [j, s] of a.segments.entries()) {
      await insert(t.ipApplicationSegments, { tenantId: tenant.id, parents: [String(a.entity.id)] }, s, `${path}.applications[${i}].applicationSegments[${j}]`);
    }
  }
  for (const [i, a] of tenant.agents.entries()) await insert(t.agents, { tenantId: tenant.id, parents: [a.profile] }, a.entity, `${path}.agents[${i}]`);
  for (const [i, r] of tenant.publishedResources.entries()) {
    await insert(t.publishedResources, { tenantId: tenant.id, parents: [r.profile] }, r.entity, `${path}.publishedResources[${i}]`);
  }
  for (const [i, g] of tenant.agentGroups.entries()) {
    const inProfile: Scope = { tenantId: tenant.id, parents: [g.profile] };
    await insert(t.agentGroups, inProfile, g.entity, `${path}.agentGroups[${i}]`);
    for (const agentId of g.agentIds) await tx.link(AGENT_LINKS, inProfile, String(g.entity.id), agentId);
    for (const resourceId of g.publishedResourceIds) await tx.link(RESOURCE_LINKS, inProfile, String(g.entity.id), resourceId);
  }
  for (const [i, s] of tenant.sensors.entries()) await insert(t.sensors, scope, s, `${path}.sensors[${i}]`);

  for (const [i, app] of (tenant.appRegistrations ?? []).entries()) {
    const row: AppRegistrationRow = { ...app, tenantId: tenant.id };
    if ((await tx.insertAppRegistration(row)) === 'duplicate') fail(`${path}.appRegistrations[${i}].clientId`, `client id '${app.clientId}' is registered in another tenant.`);
  }
  for (const [i, user] of (tenant.users ?? []).entries()) {
    const row: RegisteredUserRow = { ...user, tenantId: tenant.id };
    if ((await tx.insertRegisteredUser(row)) === 'duplicate') fail(`${path}.users[${i}]`, `user '${user.userPrincipalName}' conflicts with another user of this tenant.`);
  }
}
