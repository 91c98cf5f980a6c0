import type { IdGenerator } from '../resources/id-generator.js';
import type { Entity } from '../store/store.js';
import {
  FIXTURE_COLLECTIONS,
  FIXTURE_VERSION,
  serverDefaults,
  type AppRegistrationFixture,
  type FixtureCollection,
  type FixtureContext,
  type UserFixture,
} from './fixture.js';
import { PERMISSION_PATTERN, UPN_PATTERN } from '../auth/registrations.js';
import { isOwnHash } from '../auth/secrets.js';
import { checkPlain, hybridProfile, type PlainItem } from './fixture-plain.js';
import {
  complete,
  dateTime,
  fail,
  guid,
  isObject,
  list,
  onlyKeys,
  readEntity,
  strings,
  text,
  uniqueIds,
} from './fixture-read.js';

/** A fixture checked and completed (defaults filled in), ready to be written. */
export interface CheckedFixture {
  tenants: CheckedTenant[];
}

export interface CheckedTenant {
  id: string;
  profiles: Entity[];
  connectorGroups: Entity[];
  connectors: { entity: Entity; groupId: string }[];
  applications: { entity: Entity; groupId: string | null; segments: Entity[] }[];
  agentGroups: { entity: Entity; profile: string; agentIds: string[]; publishedResourceIds: string[] }[];
  /** The sections of {@link PLAIN_SECTIONS}, by name. */
  plain: Record<string, PlainItem[]>;
  appRegistrations?: AppRegistrationFixture[];
  users?: UserFixture[];
}

/** A tenant's members: its id, a section per collection (segments are inside their applications), its registrations. */
const TENANT_KEYS = new Set([
  'id',
  ...Object.keys(FIXTURE_COLLECTIONS).filter((name) => name !== 'ipApplicationSegments'),
  'appRegistrations',
  'users',
]);

/**
 * Checks a fixture document and completes it (defaults, canonical values). Every refusal is a
 * Graph 400 naming the place (`tenants[0].connectors[2].connectorGroupId`) and the problem.
 */
export function checkFixture(ctx: FixtureContext, doc: unknown, ids: IdGenerator, now: Date): CheckedFixture {
  if (!isObject(doc)) fail('$', 'a fixture is a JSON object: {"version": 1, "tenants": [...]}.');
  for (const key of Object.keys(doc))
    if (key !== 'version' && key !== 'tenants')
      fail(key, `unknown member '${key}' (a fixture has 'version' and 'tenants').`);
  if (doc.version !== FIXTURE_VERSION)
    fail('version', `expected ${FIXTURE_VERSION}, not ${JSON.stringify(doc.version)}.`);
  if (!Array.isArray(doc.tenants)) fail('tenants', 'expected an array.');
  const tenants = doc.tenants.map((raw, i) => checkTenant(ctx, raw, `tenants[${i}]`, ids, now));
  uniqueIds(
    tenants.map((t, i) => ({ id: t.id, path: `tenants[${i}].id` })),
    'Tenant',
  );
  // Client ids are unique across tenants, as in Entra ID.
  uniqueIds(
    tenants.flatMap((t, i) =>
      (t.appRegistrations ?? []).map((a, j) => ({
        id: a.clientId,
        path: `tenants[${i}].appRegistrations[${j}].clientId`,
      })),
    ),
    'Client id',
  );
  return { tenants };
}

function checkTenant(ctx: FixtureContext, raw: unknown, path: string, ids: IdGenerator, now: Date): CheckedTenant {
  if (!isObject(raw)) fail(path, 'expected an object.');
  for (const key of Object.keys(raw))
    if (!TENANT_KEYS.has(key))
      fail(`${path}.${key}`, `unknown member '${key}' (a tenant has ${[...TENANT_KEYS].join(', ')}).`);
  const t = ctx.tables;
  const tenantId = guid(raw.id, `${path}.id`);
  const publishingType = ctx.model.enumType('microsoft.graph.onPremisesPublishingType');
  const defaultsOf = (collection: FixtureCollection, parents: string[] = []) =>
    serverDefaults(ctx, collection, { ids, now }, parents);

  const profiles = list(raw.profiles, `${path}.profiles`).map((item, i) => {
    const at = `${path}.profiles[${i}]`;
    const { entity } = readEntity(ctx, t.profiles.type, item, at, []);
    const id = typeof entity.id === 'string' ? publishingType.parse(entity.id) : undefined;
    if (!id || !ctx.profileIds.has(id))
      fail(`${at}.id`, `expected a publishing profile (${[...ctx.profileIds].join(', ')}).`);
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
    return complete(t.connectorGroups.type, withId(entity, at), defaultsOf('connectorGroups'), at);
  });
  uniqueIds(
    connectorGroups.map((g, i) => ({ id: String(g.id), path: `${path}.connectorGroups[${i}].id` })),
    'Connector group',
  );
  const defaults = connectorGroups.filter((g) => g.isDefault === true);
  if (defaults.length > 1)
    fail(`${path}.connectorGroups`, 'a tenant has one default connector group (isDefault: true), not several.');
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
    else
      fail(
        `${at}.connectorGroupId`,
        'a connector is in one connector group: name it, or give the tenant a default group.',
      );
    return { entity: complete(t.connectors.type, entity, defaultsOf('connectors'), at), groupId };
  });
  uniqueIds(
    connectors.map((c, i) => ({ id: String(c.entity.id), path: `${path}.connectors[${i}].id` })),
    'Connector',
  );

  const applications = list(raw.applications, `${path}.applications`).map((item, i) => {
    const at = `${path}.applications[${i}]`;
    const { entity, links } = readEntity(ctx, t.applications.type, item, at, [
      'connectorGroupId',
      'applicationSegments',
    ]);
    withId(entity, at);
    const groupId =
      links.connectorGroupId === undefined || links.connectorGroupId === null
        ? null
        : groupRef(links.connectorGroupId, `${at}.connectorGroupId`);
    const segments = list(links.applicationSegments, `${at}.applicationSegments`).map((s, j) => {
      const segmentAt = `${at}.applicationSegments[${j}]`;
      const { entity: segment } = readEntity(ctx, t.ipApplicationSegments.type, s, segmentAt, []);
      return complete(
        t.ipApplicationSegments.type,
        withId(segment, segmentAt),
        defaultsOf('ipApplicationSegments', [String(entity.id)]),
        segmentAt,
      );
    });
    uniqueIds(
      segments.map((s, j) => ({ id: String(s.id), path: `${at}.applicationSegments[${j}].id` })),
      'Application segment',
    );
    return { entity: complete(t.applications.type, entity, defaultsOf('applications'), at), groupId, segments };
  });
  uniqueIds(
    applications.map((a, i) => ({ id: String(a.entity.id), path: `${path}.applications[${i}].id` })),
    'Application',
  );
  uniqueIds(
    applications.map((a, i) => ({
      id: String(a.entity.appId).toLowerCase(),
      path: `${path}.applications[${i}].appId`,
    })),
    'Application appId',
  );

  const plain = checkPlain(ctx, raw, path, { ids, now });
  const keyed = (profile: string, id: unknown) => `${profile}/${String(id)}`;
  const agentKeys = new Set(plain.agents.map((a) => keyed(a.profile!, a.entity.id)));
  const resourceKeys = new Set(plain.publishedResources.map((r) => keyed(r.profile!, r.entity.id)));
  const agentGroups = list(raw.agentGroups, `${path}.agentGroups`).map((item, i) => {
    const at = `${path}.agentGroups[${i}]`;
    const { entity, links } = readEntity(ctx, t.agentGroups.type, item, at, [
      'profile',
      'agentIds',
      'publishedResourceIds',
    ]);
    const profile = hybridProfile(ctx, links.profile, `${at}.profile`);
    const refs = (field: string, known: Set<string>, what: string) => [
      ...new Set(
        list(links[field], `${at}.${field}`).map((value, j) => {
          const id = guid(value, `${at}.${field}[${j}]`);
          if (!known.has(keyed(profile, id)))
            fail(`${at}.${field}[${j}]`, `no ${what} '${id}' in the profile '${profile}' of this tenant.`);
          return id;
        }),
      ),
    ];
    return {
      entity: complete(t.agentGroups.type, withId(entity, at), defaultsOf('agentGroups', [profile]), at),
      profile,
      agentIds: refs('agentIds', agentKeys, 'agent'),
      publishedResourceIds: refs('publishedResourceIds', resourceKeys, 'published resource'),
    };
  });
  uniqueIds(
    agentGroups.map((g, i) => ({ id: keyed(g.profile, g.entity.id), path: `${path}.agentGroups[${i}].id` })),
    'Agent group',
  );

  const appRegistrations =
    raw.appRegistrations === undefined
      ? undefined
      : list(raw.appRegistrations, `${path}.appRegistrations`).map((item, i) =>
          checkAppRegistration(item, `${path}.appRegistrations[${i}]`, now),
        );
  const users =
    raw.users === undefined
      ? undefined
      : list(raw.users, `${path}.users`).map((item, i) => checkUser(item, `${path}.users[${i}]`, now));
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

  return {
    id: tenantId,
    profiles,
    connectorGroups,
    connectors,
    applications,
    agentGroups,
    plain,
    appRegistrations,
    users,
  };
}

/**
 * A stored secret or password hash: only in the form localgraph writes, with its own scrypt
 * parameters. A fixture names the hash, never the cost of checking it.
 */
function ownHash(value: unknown, path: string): string {
  const hash = text(value, path, 200);
  if (!isOwnHash(hash))
    fail(
      path,
      "expected a hash as localgraph writes it (scrypt$16384$8$1$<salt>$<hash>, from admin export); hashing parameters are localgraph's and are not imported.",
    );
  return hash;
}

/** Permission names: each a dotted name, each once. */
function permissions(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  const names = strings(value, path);
  names.forEach((name, i) => {
    if (!PERMISSION_PATTERN.test(name) || name.length > 100)
      fail(`${path}[${i}]`, `'${name.slice(0, 100)}' is not a permission name.`);
  });
  return [...new Set(names)];
}

function checkAppRegistration(raw: unknown, path: string, now: Date): AppRegistrationFixture {
  if (!isObject(raw)) fail(path, 'expected an object.');
  onlyKeys(raw, ['clientId', 'displayName', 'servicePrincipalId', 'secretHash', 'roles', 'scopes', 'createdAt'], path);
  return {
    clientId: guid(raw.clientId, `${path}.clientId`),
    displayName: text(raw.displayName, `${path}.displayName`),
    servicePrincipalId: guid(raw.servicePrincipalId, `${path}.servicePrincipalId`),
    secretHash: ownHash(raw.secretHash, `${path}.secretHash`),
    roles: permissions(raw.roles, `${path}.roles`),
    scopes: permissions(raw.scopes, `${path}.scopes`),
    createdAt: raw.createdAt === undefined ? now.toISOString() : dateTime(raw.createdAt, `${path}.createdAt`),
  };
}

/** Entra's longest user principal name. */
const MAX_UPN_LENGTH = 113;

function checkUser(raw: unknown, path: string, now: Date): UserFixture {
  if (!isObject(raw)) fail(path, 'expected an object.');
  onlyKeys(raw, ['id', 'userPrincipalName', 'displayName', 'passwordHash', 'createdAt'], path);
  const userPrincipalName = text(raw.userPrincipalName, `${path}.userPrincipalName`, MAX_UPN_LENGTH);
  if (!UPN_PATTERN.test(userPrincipalName))
    fail(
      `${path}.userPrincipalName`,
      `expected a user principal name (alias@domain), not ${JSON.stringify(userPrincipalName)}.`,
    );
  return {
    id: guid(raw.id, `${path}.id`),
    userPrincipalName,
    displayName: raw.displayName === undefined ? userPrincipalName : text(raw.displayName, `${path}.displayName`),
    passwordHash: ownHash(raw.passwordHash, `${path}.passwordHash`),
    createdAt: raw.createdAt === undefined ? now.toISOString() : dateTime(raw.createdAt, `${path}.createdAt`),
  };
}
