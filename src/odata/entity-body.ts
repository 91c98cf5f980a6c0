import { errors } from '../graph/errors.js';
import type { Model, StructuredType } from '../model/model.js';
import type { Entity } from '../store/store.js';
import { declaredType, readPropertyValue } from './values.js';

/**
 * What a client may write to an entity on create or update. The model says what exists; these
 * rules, stated by each resource's behaviour module, say what is writable, what the real service
 * silently ignores, and what a create must carry.
 */
export interface WriteRules {
  writable: readonly string[];
  /** Read-only properties the real service accepts and drops without complaint. */
  ignored?: readonly string[];
  /** Only on create. */
  required?: readonly string[];
  /**
   * The longest string values, in characters, of properties the store indexes: a PostgreSQL
   * index entry holds at most 2704 bytes, so an unbounded value there would fail the write.
   */
  maxLength?: Readonly<Record<string, number>>;
}

/** The default rules: every property the docs do not call read-only is writable. */
export function defaultWriteRules(type: StructuredType): WriteRules {
  return { writable: [...type.properties.values()].filter((p) => !p.readOnly).map((p) => p.name) };
}

/** Names that would reach JavaScript's object machinery rather than a property of the entity. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Validates a request body for an entity of `type` and returns the properties to store, in
 * canonical form. Instance annotations (`@odata.type`, `@odata.context`, ...) are not stored;
 * `@odata.type` must name the type or a type derived from it.
 */
export function readEntityBody(
  model: Model,
  type: StructuredType,
  body: unknown,
  rules: WriteRules,
  mode: 'create' | 'update',
): Entity {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.bodyNotObject();
  const input = body as Record<string, unknown>;
  const actual = declaredType(model, type, input);
  const resource = actual.name;
  // A plain object is safe: declared names are never `__proto__`, and reserved names are refused above.
  const entity: Entity = {};
  for (const [name, value] of Object.entries(input)) {
    if (name.startsWith('@')) continue;
    const property = actual.properties.get(name);
    if (
      !property &&
      actual.openType &&
      !name.includes('@') &&
      !actual.navigations.has(name) &&
      !RESERVED_NAMES.has(name)
    ) {
      // An open type (Graph's application) keeps properties the model does not declare, as sent.
      entity[name] = value;
      continue;
    }
    if (!property) {
      if (actual.navigations.has(name)) {
        throw errors.invalidValue(
          name,
          resource,
          'Navigation properties cannot be written in the body; use the $ref endpoints.',
        );
      }
      throw errors.unknownProperty(name, actual.qualifiedName);
    }
    if (rules.ignored?.includes(name)) continue;
    if (!rules.writable.includes(name)) throw errors.readOnlyProperty(name, resource);
    entity[name] = readPropertyValue(model, property, value, { path: name, resource });
    const maxLength = rules.maxLength?.[name];
    if (maxLength !== undefined && typeof entity[name] === 'string' && (entity[name] as string).length > maxLength) {
      throw errors.invalidValue(name, resource, `The value is longer than ${maxLength} characters.`);
    }
  }
  if (mode === 'create') {
    for (const name of rules.required ?? []) {
      if (entity[name] === undefined || entity[name] === null) throw errors.requiredProperty(name, resource);
    }
  }
  return entity;
}
