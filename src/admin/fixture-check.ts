import type { IdGenerator } from '../resources/id-generator.js';
import { FIXTURE_VERSION, type AppRegistrationFixture, type FixtureContext, type UserFixture } from './fixture.js';
import { PERMISSION_PATTERN, UPN_PATTERN } from '../auth/registrations.js';
import { isOwnHash } from '../auth/secrets.js';
import { checkPlain } from './fixture-plain.js';
import { dateTime, fail, guid, isObject, list, onlyKeys, strings, text, uniqueIds } from './fixture-read.js';
import type { CheckedSection, PlainItem } from './fixture-section.js';

/** A fixture checked and completed (defaults filled in), ready to be written. */
export interface CheckedFixture {
  tenants: CheckedTenant[];
}

export interface CheckedTenant {
  id: string;
  /** The plain sections, by member name. */
  plain: Map<string, PlainItem[]>;
  /** The family's own sections, in its order. */
  family: CheckedSection[];
  appRegistrations?: AppRegistrationFixture[];
  users?: UserFixture[];
}

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

/**
 * A tenant: its plain sections first (they refer to nothing), then the family's own, which may
 * refer to the plain ones (an agent group's `agentIds`), then its registrations.
 */
function checkTenant(ctx: FixtureContext, raw: unknown, path: string, ids: IdGenerator, now: Date): CheckedTenant {
  if (!isObject(raw)) fail(path, 'expected an object.');
  // A tenant's members: its id, its sections, its registrations.
  const members = ['id', ...ctx.members, 'appRegistrations', 'users'];
  for (const key of Object.keys(raw))
    if (!members.includes(key)) fail(`${path}.${key}`, `unknown member '${key}' (a tenant has ${members.join(', ')}).`);
  const tenantId = guid(raw.id, `${path}.id`);
  const services = { ids, now };
  const plain = new Map<string, PlainItem[]>();
  for (const section of ctx.sections)
    if ('plain' in section)
      plain.set(section.plain.name, checkPlain(ctx.model, ctx.registry, section.plain, raw, path, services));
  const env = { services, plain: (member: string) => plain.get(member) ?? [] };
  const family = ctx.sections.flatMap((section) => ('family' in section ? [section.family.check(raw, path, env)] : []));

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

  return { id: tenantId, plain, family, appRegistrations, users };
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
