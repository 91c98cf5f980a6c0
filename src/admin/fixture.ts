import { familyRegistry, type Family } from '../family/family.js';
import type { Model } from '../model/model.js';
import type { CollectionBehaviour } from '../resources/collection.js';
import type { ResourceRegistry } from '../resources/registry.js';
import { servingParent } from '../resources/serving-parent.js';
import type { AppRegistrationRow, Entity, RegisteredUserRow } from '../store/store.js';
import { fail } from './fixture-read.js';
import type { FixtureSection } from './fixture-section.js';

/**
 * Fixtures: a tenant's whole state as one JSON document, in Graph's property names plus the link
 * fields of the family's sections, so a test suite can load a known world, and save the current
 * one. For the on-premises family:
 *
 * ```json
 * { "version": 1, "tenants": [ { "id": "…", "profiles": [], "connectorGroups": [], "connectors": [],
 *   "applications": [], "agents": [], "agentGroups": [], "publishedResources": [], "sensors": [],
 *   "appRegistrations": [], "users": [] } ] }
 * ```
 *
 * A tenant's members are its id, a section per collection (plain lists, declared by their
 * behaviours, and the family's own sections, `Family.fixtureSections`) in the order of the
 * family's collections, and its sign-in registrations.
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

/**
 * A tenant's fixture: its id, its registrations, and the family's sections by member name (lists
 * of objects in Graph's property names, with the sections' link fields).
 */
export interface TenantFixture {
  id: string;
  appRegistrations?: AppRegistrationFixture[];
  users?: UserFixture[];
  [section: string]: unknown;
}

/** A registered client, as stored (the secret hashed); its tenant is the fixture tenant's. */
export type AppRegistrationFixture = Omit<AppRegistrationRow, 'tenantId'>;

/** A registered user, as stored (the password hashed); its tenant is the fixture tenant's. */
export type UserFixture = Omit<RegisteredUserRow, 'tenantId'>;

/** A collection held as a plain list (src/admin/fixture-plain.ts), as its behaviour declares it. */
export interface PlainSection {
  name: string;
  label: string;
  behaviour: CollectionBehaviour;
  /** For a collection under a parent of fixed keys: the member naming the parent, and its keys. */
  parent?: FixtureParent;
}

/** The sections of a tenant's fixture, in the document's order. */
export type OrderedSection = { plain: PlainSection } | { family: FixtureSection };

/** What fixtures need of a family: its model, its sections, the tables they hold. */
export interface FixtureContext {
  model: Model;
  registry: ResourceRegistry;
  /** Every section, in the document's order. */
  sections: OrderedSection[];
  /** The tenant's members the sections read and write, in the document's order. */
  members: string[];
  /** The tables the sections hold (collection and link tables): every one of `dataTables`, tested. */
  heldTables: string[];
  /** Every table of a tenant's Graph data, children first (the registry's): what an import replaces. */
  dataTables: readonly string[];
}

/**
 * A family's fixture sections: the plain ones its behaviours declare and its own
 * (`Family.fixtureSections`), in the order of its collections (`FamilyBehaviours.collections`), a
 * family section at the first collection it holds.
 */
export function fixtureContext(family: Family): FixtureContext {
  const registry = familyRegistry(family);
  const own = family.fixtureSections?.(registry) ?? [];
  const holder = new Map<CollectionBehaviour, FixtureSection>();
  for (const section of own) for (const path of section.collections) holder.set(collection(registry, path), section);
  const sections: OrderedSection[] = [];
  for (const behaviour of registry.all()) {
    const section = holder.get(behaviour);
    if (section) {
      if (!sections.some((s) => 'family' in s && s.family === section)) sections.push({ family: section });
    } else if (behaviour.fixture) {
      sections.push({ plain: plainSection(registry, behaviour) });
    }
  }
  return {
    model: registry.model,
    registry,
    sections,
    members: sections.flatMap((s) => ('plain' in s ? [s.plain.name] : s.family.members)),
    heldTables: sections.flatMap((s) =>
      'plain' in s
        ? [s.plain.behaviour.table.table]
        : [...s.family.collections.map((path) => collection(registry, path).table.table), ...s.family.linkTables],
    ),
    dataTables: registry.dataTables(),
  };
}

/** The behaviour at a path a fixture section names; a family that names a path it lacks is wrong. */
export function collection(registry: ResourceRegistry, path: string): CollectionBehaviour {
  const behaviour = registry.collection(path);
  if (!behaviour) throw new Error(`fixtures: the family has no collection ${path}`);
  return behaviour;
}

function plainSection(registry: ResourceRegistry, behaviour: CollectionBehaviour): PlainSection {
  const declared = behaviour.fixture!;
  const scoped = behaviour.table.scopeColumns.length > 0;
  if (scoped !== (declared.parent !== undefined))
    throw new Error(
      `fixtures: ${behaviour.path} ${scoped ? 'is scoped by its parent: its section names the parent' : 'is not scoped by a parent'}`,
    );
  return {
    name: declared.section,
    label: declared.label,
    behaviour,
    parent: declared.parent && fixtureParent(registry, behaviour, declared.parent),
  };
}

/** The parent a collection's objects name in a fixture (an agent's `profile`): its member and keys. */
export interface FixtureParent {
  field: string;
  /** The parent collection's fixed keys that serve this collection, sorted. */
  keys: string[];
  /** A key named in a fixture, canonical (as the parent collection's keys are written); refused at `at` otherwise. */
  read(value: unknown, at: string): string;
}

/**
 * The parent of a collection under a parent of fixed keys (`onPremisesPublishingProfiles/agents`
 * under the profiles): the keys that serve it, and how a fixture names one.
 */
export function fixtureParent(
  registry: ResourceRegistry,
  behaviour: CollectionBehaviour,
  declared: { field: string; label: string },
): FixtureParent {
  const parent = servingParent(registry, behaviour);
  if (!parent)
    throw new Error(
      `fixtures: ${behaviour.path} is not under a parent of fixed keys; a section of its family's holds it`,
    );
  const keys = [...parent.keys].sort(compare);
  return {
    field: declared.field,
    keys,
    read(value, at) {
      const key = parent.key(value);
      if (key === undefined) fail(at, `expected a ${declared.label} (${keys.join(', ')}).`);
      return key;
    },
  };
}

/** Sign-in registrations and heartbeats: tenant rows beside the Graph data. */
export const HEARTBEATS_TABLE = 'heartbeats';
export const APP_REGISTRATIONS_TABLE = 'app_registrations';
export const USERS_TABLE = 'registered_users';

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Entities sorted by id. */
export const byId = (a: Entity, b: Entity) => compare(String(a.id), String(b.id));
