import { errors, GraphError } from '../graph/errors.js';
import type { Model, StructuredType } from '../model/model.js';
import { isGuid } from '../odata/guid.js';
import { readPropertyValue } from '../odata/values.js';
import type { CollectionBehaviour } from '../resources/collection.js';
import type { IdGenerator } from '../resources/id-generator.js';
import type { Entity } from '../store/store.js';

interface Linked {
  entity: Entity;
  links: Record<string, unknown>;
}

export function fail(path: string, why: string): never {
  throw errors.invalidFixture(path, why);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function list(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(path, 'expected an array.');
  return value;
}

export function guid(value: unknown, path: string): string {
  if (typeof value !== 'string' || !isGuid(value)) fail(path, `expected a GUID, not ${JSON.stringify(value)}.`);
  return value.toLowerCase();
}

/** The longest string a registration field takes unless it says otherwise (Entra's displayName limit). */
export const MAX_TEXT_LENGTH = 256;

export function text(value: unknown, path: string, maxLength = MAX_TEXT_LENGTH): string {
  if (typeof value !== 'string' || value.length === 0) fail(path, 'expected a non-empty string.');
  if (value.length > maxLength) fail(path, `at most ${maxLength} characters, not ${value.length}.`);
  return value;
}

export function strings(value: unknown, path: string, maxItems = 100): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(path, 'expected an array of strings.');
  if (value.length > maxItems) fail(path, `at most ${maxItems} items, not ${value.length}.`);
  return value as string[];
}

/** An ISO 8601 date and time with a zone, as the store writes them; returned in the store's form. */
export function dateTime(value: unknown, path: string): string {
  const raw = text(value, path, 40);
  const parsed = new Date(raw);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,7})?)?(Z|[+-]\d\d:\d\d)$/.test(raw) || Number.isNaN(parsed.getTime())) {
    fail(path, `expected an ISO 8601 date and time (2026-01-01T00:00:00Z), not ${JSON.stringify(raw)}.`);
  }
  return parsed.toISOString();
}

/**
 * Reads one entity of a fixture against its type: every property must be the model's (or, on an
 * open type, anything), with a value of its type; `linkFields` are returned apart.
 */
export function readEntity(
  model: Model,
  type: StructuredType,
  raw: unknown,
  path: string,
  linkFields: readonly string[],
): Linked {
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
      fail(
        `${path}.${name}`,
        `'${name}' is not a property of ${type.qualifiedName}${linkFields.length > 0 ? ` (link fields here: ${linkFields.join(', ')})` : ''}.`,
      );
    }
    try {
      entity[name] = readPropertyValue(model, property, value, { path: `${path}.${name}`, resource: type.name });
    } catch (error) {
      if (error instanceof GraphError) fail(`${path}.${name}`, error.details?.[0]?.message ?? error.message);
      throw error;
    }
  }
  return { entity, links };
}

/** Fills in what the server would have set, then checks every non-nullable property has a value. */
export function complete(type: StructuredType, entity: Entity, defaults: Entity, path: string): Entity {
  for (const [name, value] of Object.entries(defaults))
    if (entity[name] === undefined || entity[name] === null) entity[name] = value;
  for (const property of type.properties.values()) {
    if (!property.nullable && (entity[property.name] === undefined || entity[property.name] === null))
      fail(`${path}.${property.name}`, 'a value is required.');
  }
  return entity;
}

/**
 * What the server sets on an entity it creates (the behaviour's `create.defaults`), for the
 * properties a fixture may leave out: those that must have a value and those no client writes
 * (read-only). Nullable, writable properties stay as the fixture says, so that an export imports
 * back unchanged.
 */
export function serverDefaults(
  behaviour: CollectionBehaviour,
  services: { ids: IdGenerator; now: Date },
  parents: string[],
): Entity {
  const defaults = behaviour.create?.defaults({ ids: services.ids, clock: { now: () => services.now } }, parents) ?? {};
  return Object.fromEntries(
    Object.entries(defaults).filter(([name]) => {
      const property = behaviour.type.properties.get(name);
      return property !== undefined && (!property.nullable || property.readOnly === true);
    }),
  );
}

export function uniqueIds(items: { id: string; path: string }[], what: string): void {
  const seen = new Set<string>();
  for (const { id, path } of items) {
    if (seen.has(id)) fail(path, `${what} '${id}' appears twice.`);
    seen.add(id);
  }
}

export function onlyKeys(raw: Record<string, unknown>, keys: string[], path: string): void {
  for (const key of Object.keys(raw))
    if (!keys.includes(key)) fail(`${path}.${key}`, `unknown member '${key}' (expected ${keys.join(', ')}).`);
}
