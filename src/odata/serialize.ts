import type { Model, StructuredType, TypeRef } from '../model/model.js';
import type { Entity } from '../store/store.js';
import type { JsonField } from '../store/row-json.js';
import type { TableMapping } from '../store/table.js';

/**
 * Writes stored entities as Graph JSON: every declared property in model order (unset ones as
 * `null`, collections as `[]`, as Graph does, so that a response never depends on what a client
 * once sent), and evolvable enum members
 * (declared after `unknownFutureValue`) hidden as `unknownFutureValue` unless the client sent
 * `Prefer: include-unknown-enum-members`.
 */
export interface SerializeOptions {
  includeUnknownEnumMembers: boolean;
  /** `$select`: only these properties (plus `id`). */
  select?: readonly string[];
}

/** Writes one stored value of a property as Graph JSON. */
type ValueWriter = (value: unknown, options: SerializeOptions) => unknown;

interface PropertyWriter {
  name: string;
  write: ValueWriter;
}

/**
 * Each type's writers, built once from the model: a list page writes the same properties of the
 * same type a hundred times, and looking up each property's type and enum on every value showed
 * in the profile of `$top=100`.
 */
const writersByType = new WeakMap<StructuredType, PropertyWriter[]>();

function propertyWriters(model: Model, type: StructuredType): PropertyWriter[] {
  let writers = writersByType.get(type);
  if (!writers) {
    // A write-only property (a secret) is declared, so it is written, always as null.
    writers = [...type.properties.values()].map((property) => ({
      name: property.name,
      write: property.writeOnly ? () => null : valueWriter(model, property.type),
    }));
    writersByType.set(type, writers);
  }
  return writers;
}

function valueWriter(model: Model, type: TypeRef): ValueWriter {
  if (type.collection) {
    const item = valueWriter(model, { ...type, collection: false });
    return (value, options) =>
      value === null || value === undefined ? [] : (value as unknown[]).map((v) => item(v, options));
  }
  if (type.kind === 'enum') {
    const enumType = model.enumType(type.name);
    const hide = enumType.isFlags
      ? (value: unknown) =>
          String(value)
            .split(',')
            .map((m) => (enumType.evolvableMembers.has(m) ? 'unknownFutureValue' : m))
            .filter((m, i, all) => all.indexOf(m) === i)
            .join(',')
      : (value: unknown) => (enumType.evolvableMembers.has(String(value)) ? 'unknownFutureValue' : value);
    return (value, options) =>
      value === null || value === undefined ? null : options.includeUnknownEnumMembers ? value : hide(value);
  }
  if (type.kind === 'complex') {
    // Resolved when written: complex types may nest themselves.
    return (value, options) => {
      if (value === null || value === undefined) return null;
      const object = value as Record<string, unknown>;
      const declared =
        typeof object['@odata.type'] === 'string' ? model.findStructuredType(object['@odata.type']) : undefined;
      return writeStructured(model, declared ?? model.structured(type.name), object, options);
    };
  }
  return (value) => value ?? null;
}

function writeStructured(
  model: Model,
  type: StructuredType,
  value: Record<string, unknown>,
  options: SerializeOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof value['@odata.type'] === 'string') out['@odata.type'] = value['@odata.type'];
  for (const property of propertyWriters(model, type))
    out[property.name] = property.write(value[property.name], options);
  if (type.openType) {
    for (const [name, v] of Object.entries(value))
      if (!type.properties.has(name) && !name.startsWith('@')) out[name] = v;
  }
  return out;
}

export function serializeEntity(
  model: Model,
  type: StructuredType,
  entity: Entity,
  options: SerializeOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const selected = (name: string) => !options.select || name === 'id' || options.select.includes(name);
  for (const property of propertyWriters(model, type)) {
    if (!selected(property.name)) continue;
    out[property.name] = property.write(entity[property.name], options);
  }
  // An open type's undeclared (dynamic) properties come back as they were sent.
  if (type.openType) {
    for (const [name, value] of Object.entries(entity))
      if (!type.properties.has(name) && !name.startsWith('@') && selected(name)) out[name] = value;
  }
  return out;
}

/** Primitive types whose stored value is already their Graph JSON value (text as a string, Int32 as a number, Boolean from 0/1). */
const JSON_ROW_TYPES: ReadonlySet<string> = new Set([
  'Edm.String',
  'Edm.Guid',
  'Edm.DateTimeOffset',
  'Edm.Boolean',
  'Edm.Int32',
]);

/**
 * The properties {@link serializeEntity} would write for `type`, as fields the database can write
 * as JSON itself (src/store/row-json.ts), or undefined when the type's Graph form needs this
 * module: open types, complex or collection-valued properties, flags enums. Same order, same
 * `$select`, same hiding of evolvable enum members.
 */
export function jsonFields(
  model: Model,
  type: StructuredType,
  table: TableMapping,
  options: SerializeOptions,
): JsonField[] | undefined {
  if (type.openType) return undefined;
  const fields: JsonField[] = [];
  for (const property of type.properties.values()) {
    if (options.select && property.name !== 'id' && !options.select.includes(property.name)) continue;
    const column = table.byProperty.get(property.name);
    if (!column || property.type.collection) return undefined;
    if (property.type.kind === 'enum') {
      const enumType = model.enumType(property.type.name);
      if (enumType.isFlags || column.kind !== 'text') return undefined;
      const hidden = options.includeUnknownEnumMembers ? [] : [...enumType.evolvableMembers];
      fields.push({
        name: property.name,
        column: column.column,
        kind: 'text',
        ...(hidden.length > 0 ? { hidden } : {}),
      });
      continue;
    }
    if (property.type.kind !== 'primitive' || !JSON_ROW_TYPES.has(property.type.name) || column.kind === 'json')
      return undefined;
    fields.push({ name: property.name, column: column.column, kind: column.kind as JsonField['kind'] });
  }
  return fields;
}
