import { errors } from '../graph/errors.js';
import { isGuid } from './guid.js';
import type { Model, Property, StructuredType, TypeRef } from '../model/model.js';

/**
 * Reads JSON values sent by clients against their declared EDM types, and returns them in the
 * canonical form localgraph stores and serves (enum members as declared, flags joined as
 * `"tcp,udp"`, GUIDs lower-cased, date-times in UTC ISO 8601). Every refusal is a Graph 400 that
 * names the property.
 */

export interface ValueContext {
  /** The property path as the client wrote it, for error messages: `onPremisesPublishing/externalUrl`. */
  path: string;
  /** The Graph resource name in messages: `connector`. */
  resource: string;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Whether year, month and day name a real calendar day (Date.parse would roll Feb 30 into March). */
function isCalendarDay(year: string, month: string, day: string): boolean {
  const [y, m, d] = [Number(year), Number(month), Number(day)];
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Standard base64: its alphabet, and a length no encoding produces (4n+1) refused. */
function isBase64(value: string): boolean {
  return BASE64.test(value) && value.length % 4 !== 1 && (!value.includes('=') || value.length % 4 === 0);
}

/** A client value as text for a message; never throws (`{"toString": null}` is a valid JSON object). */
export function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return typeof value;
  }
}

const NUL_REFUSED = 'Strings cannot contain the character U+0000.';

function invalid(ctx: ValueContext, why: string): never {
  throw errors.invalidValue(ctx.path, ctx.resource, why);
}

function readPrimitive(name: string, value: unknown, ctx: ValueContext): unknown {
  switch (name) {
    case 'Edm.String':
      if (typeof value !== 'string') invalid(ctx, 'Expected a string.');
      // PostgreSQL text cannot hold U+0000: refused on every backend, so all keep the same data.
      if (value.includes('\u0000')) invalid(ctx, NUL_REFUSED);
      return value;
    case 'Edm.Boolean':
      if (typeof value !== 'boolean') invalid(ctx, 'Expected true or false.');
      return value;
    case 'Edm.Int32':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX)
        invalid(ctx, 'Expected a 32-bit integer.');
      return value;
    case 'Edm.Int64':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid(ctx, 'Expected an integer.');
      return value;
    case 'Edm.Double':
    case 'Edm.Single':
      if (typeof value !== 'number' || !Number.isFinite(value)) invalid(ctx, 'Expected a number.');
      return value;
    case 'Edm.Guid':
      if (typeof value !== 'string' || !isGuid(value)) invalid(ctx, 'Expected a GUID.');
      return value.toLowerCase();
    case 'Edm.DateTimeOffset': {
      const parts = typeof value === 'string' ? DATE_TIME.exec(value) : null;
      if (
        !parts ||
        !isCalendarDay(parts[1], parts[2], parts[3]) ||
        Number(parts[4]) > 23 ||
        Number(parts[5]) > 59 ||
        Number(parts[6] ?? 0) > 59
      ) {
        invalid(ctx, 'Expected an ISO 8601 date and time.');
      }
      // A time without an offset is UTC, as Graph reads it.
      const hasOffset = parts[8] !== undefined;
      const time = Date.parse(hasOffset ? parts[0] : `${parts[0]}Z`);
      if (Number.isNaN(time)) invalid(ctx, 'Expected an ISO 8601 date and time.');
      return new Date(time).toISOString().replace('.000Z', 'Z');
    }
    case 'Edm.Date': {
      const parts = typeof value === 'string' ? DATE.exec(value) : null;
      if (!parts || !isCalendarDay(parts[1], parts[2], parts[3])) invalid(ctx, 'Expected a date (yyyy-mm-dd).');
      return value;
    }
    case 'Edm.TimeOfDay': {
      const match = typeof value === 'string' ? TIME_OF_DAY.exec(value) : null;
      if (!match) invalid(ctx, 'Expected a time of day (hh:mm:ss).');
      const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
      if (h > 23 || m > 59 || s > 59) invalid(ctx, 'Expected a time of day (hh:mm:ss).');
      const fraction = (match[4] ?? '').padEnd(7, '0');
      return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${fraction}`;
    }
    case 'Edm.Binary':
      if (typeof value !== 'string' || !isBase64(value)) invalid(ctx, 'Expected base64-encoded binary.');
      return value;
    default:
      invalid(ctx, `Values of type '${name}' are not accepted.`);
  }
}

/** Reads one value of a declared type (single or collection). `null` is checked by the caller. */
export function readValue(model: Model, type: TypeRef, value: unknown, ctx: ValueContext): unknown {
  if (type.collection) {
    if (!Array.isArray(value)) invalid(ctx, 'Expected an array.');
    return value.map((item, i) => {
      if (item === null) invalid({ ...ctx, path: `${ctx.path}[${i}]` }, 'Collection items cannot be null.');
      return readValue(model, { ...type, collection: false }, item, { ...ctx, path: `${ctx.path}[${i}]` });
    });
  }
  switch (type.kind) {
    case 'primitive':
      return readPrimitive(type.name, value, ctx);
    case 'enum': {
      const enumType = model.enumType(type.name);
      const member = typeof value === 'string' ? enumType.parse(value) : undefined;
      if (member === undefined)
        invalid(
          ctx,
          `'${describe(value)}' is not a member of ${enumType.qualifiedName} (${enumType.members.join(', ')}).`,
        );
      return member;
    }
    case 'complex':
      return readComplex(model, model.structured(type.name), value, ctx);
    default:
      return invalid(ctx, 'Entities cannot be written inline.');
  }
}

/** The type a JSON object declares with `@odata.type`, which must be the expected type or derive from it. */
export function declaredType(model: Model, expected: StructuredType, body: Record<string, unknown>): StructuredType {
  const annotation = body['@odata.type'];
  if (annotation === undefined) return expected;
  const declared = typeof annotation === 'string' ? model.findStructuredType(annotation) : undefined;
  if (!declared || !expected.isAssignableFrom(declared))
    throw errors.wrongODataType(describe(annotation), expected.qualifiedName);
  return declared;
}

function readComplex(
  model: Model,
  expected: StructuredType,
  value: unknown,
  ctx: ValueContext,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(ctx, 'Expected an object.');
  const body = value as Record<string, unknown>;
  const type = declaredType(model, expected, body);
  if (type.abstract) invalid(ctx, `Type '${type.qualifiedName}' is abstract; name a derived type with @odata.type.`);
  const result: Record<string, unknown> = type !== expected ? { '@odata.type': `#${type.qualifiedName}` } : {};
  for (const [name, raw] of Object.entries(body)) {
    if (name.startsWith('@')) continue;
    const property = type.properties.get(name);
    if (!property) {
      if (type.openType && name !== '__proto__' && name !== 'constructor' && name !== 'prototype') {
        result[name] = raw;
        continue;
      }
      throw errors.unknownProperty(name, type.qualifiedName);
    }
    result[name] = readPropertyValue(model, property, raw, { ...ctx, path: `${ctx.path}/${name}` });
  }
  return result;
}

/** A property's value, `null` allowed only where the model says the property is nullable. */
export function readPropertyValue(model: Model, property: Property, value: unknown, ctx: ValueContext): unknown {
  if (value === null) {
    if (!property.nullable) invalid(ctx, 'The property cannot be null.');
    return null;
  }
  return readValue(model, property.type, value, ctx);
}
