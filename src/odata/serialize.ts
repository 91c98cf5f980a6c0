import type { Model, StructuredType, TypeRef } from '../model/model.js';
import type { Entity } from '../store/store.js';

/**
 * Writes stored entities as Graph JSON: properties in model order, and evolvable enum members
 * (declared after `unknownFutureValue`) hidden as `unknownFutureValue` unless the client sent
 * `Prefer: include-unknown-enum-members`.
 */
export interface SerializeOptions {
  includeUnknownEnumMembers: boolean;
  /** `$select`: only these properties (plus `id`). */
  select?: readonly string[];
}

function writeValue(model: Model, type: TypeRef, value: unknown, options: SerializeOptions): unknown {
  if (value === null || value === undefined) return null;
  if (type.collection) return (value as unknown[]).map((v) => writeValue(model, { ...type, collection: false }, v, options));
  if (type.kind === 'enum') {
    if (options.includeUnknownEnumMembers) return value;
    const enumType = model.enumType(type.name);
    if (enumType.isFlags) {
      return String(value)
        .split(',')
        .map((m) => (enumType.evolvableMembers.has(m) ? 'unknownFutureValue' : m))
        .filter((m, i, all) => all.indexOf(m) === i)
        .join(',');
    }
    return enumType.evolvableMembers.has(String(value)) ? 'unknownFutureValue' : value;
  }
  if (type.kind === 'complex') {
    const object = value as Record<string, unknown>;
    const declared = typeof object['@odata.type'] === 'string' ? model.findStructuredType(object['@odata.type']) : undefined;
    return writeStructured(model, declared ?? model.structured(type.name), object, options);
  }
  return value;
}

function writeStructured(model: Model, type: StructuredType, value: Record<string, unknown>, options: SerializeOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof value['@odata.type'] === 'string') out['@odata.type'] = value['@odata.type'];
  for (const property of type.properties.values()) {
    if (!(property.name in value)) continue;
    out[property.name] = writeValue(model, property.type, value[property.name], options);
  }
  if (type.openType) {
    for (const [name, v] of Object.entries(value)) if (!type.properties.has(name) && !name.startsWith('@')) out[name] = v;
  }
  return out;
}

export function serializeEntity(model: Model, type: StructuredType, entity: Entity, options: SerializeOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const selected = (name: string) => !options.select || name === 'id' || options.select.includes(name);
  for (const property of type.properties.values()) {
    if (!(property.name in entity) || !selected(property.name)) continue;
    out[property.name] = writeValue(model, property.type, entity[property.name], options);
  }
  // An open type's undeclared (dynamic) properties come back as they were sent.
  if (type.openType) {
    for (const [name, value] of Object.entries(entity)) if (!type.properties.has(name) && !name.startsWith('@') && selected(name)) out[name] = value;
  }
  return out;
}
