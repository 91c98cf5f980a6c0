import { errors } from '../graph/errors.js';
import { isNavigation, type Model, type StructuredType } from '../model/model.js';

/**
 * System query options, read from the query string and checked against the addressed type.
 * On beta the `$` prefix is optional and option names ignore case, as in Graph; parameters that
 * name no system option are custom options, which Graph ignores. `$expand` items carry their
 * own nested options (`members($select=id;$top=5)`), read by the same rules.
 */
export interface QueryOptions {
  select?: string[];
  top?: number;
  skip?: number;
  skipToken?: string;
  /** `$count=true`. */
  count?: boolean;
  /** The raw `$filter` and `$orderby` texts; parsed against the model by the query module. */
  filter?: string;
  orderBy?: string;
  expand?: ExpandItem[];
}

export interface ExpandItem {
  /** The navigation's name as the model spells it. */
  navigation: string;
  options: QueryOptions;
}

const KNOWN = new Set([
  'select',
  'top',
  'skip',
  'skiptoken',
  'count',
  'filter',
  'orderby',
  'expand',
  'search',
  'format',
  'apply',
  'compute',
  'deltatoken',
  'levels',
  'index',
  'schemaversion',
  'id',
]);
const NOT_SUPPORTED = new Set(['search', 'apply', 'compute', 'deltatoken', 'levels', 'index', 'schemaversion', 'id']);

/** The largest `$top` Graph takes on directory collections. */
export const MAX_TOP = 999;
/** How deep `$expand` may nest (`a($expand=b($expand=c))` is depth 3). */
export const MAX_EXPAND_DEPTH = 3;
/** The longest query option value accepted. */
export const MAX_OPTION_LENGTH = 4096;

export function readQueryOptions(
  params: URLSearchParams,
  type: StructuredType | undefined,
  model: Model,
): QueryOptions {
  return readOptions([...params], type, model, 0);
}

function readOptions(
  pairs: Array<[string, string]>,
  type: StructuredType | undefined,
  model: Model,
  depth: number,
): QueryOptions {
  const options: QueryOptions = {};
  const seen = new Set<string>();
  for (const [rawName, value] of pairs) {
    const name = rawName.replace(/^\$/, '').toLowerCase();
    if (!KNOWN.has(name)) continue;
    if (seen.has(name))
      throw errors.invalidQueryOption(
        `Query option '$${name}' was specified more than once, but it must be specified at most once.`,
      );
    seen.add(name);
    if (value.length > MAX_OPTION_LENGTH)
      throw errors.invalidQueryOption(`The value of '$${name}' is longer than ${MAX_OPTION_LENGTH} characters.`);
    if (NOT_SUPPORTED.has(name))
      throw errors.invalidQueryOption(`Query option '$${name}' is not supported on this resource.`);
    switch (name) {
      case 'top':
        options.top = readInteger('$top', value, 1, MAX_TOP);
        break;
      case 'skip':
        options.skip = readInteger('$skip', value, 0, Number.MAX_SAFE_INTEGER);
        break;
      case 'skiptoken':
        options.skipToken = value;
        break;
      case 'count':
        if (!/^(true|false)$/i.test(value.trim()))
          throw errors.invalidQueryOption(`'${value}' is not a valid value for $count; use true or false.`);
        options.count = value.trim().toLowerCase() === 'true';
        break;
      case 'select':
        options.select = readSelect(value, type);
        break;
      case 'filter':
        options.filter = value;
        break;
      case 'orderby':
        options.orderBy = value;
        break;
      case 'expand':
        options.expand = readExpand(value, type, model, depth + 1);
        break;
      case 'format':
        if (value.toLowerCase() !== 'json' && !value.toLowerCase().startsWith('application/json')) {
          throw errors.invalidQueryOption(`The format '${value}' is not supported; use json.`);
        }
        break;
    }
  }
  return options;
}

function readInteger(option: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim()))
    throw errors.invalidQueryOption(
      `Invalid value '${value}' for ${option} query option found. The ${option} query option requires a non-negative integer value.`,
    );
  const n = Number(value.trim());
  if (n < min || n > max)
    throw errors.invalidQueryOption(
      `Invalid value '${value}' for ${option}: it must be between ${min} and ${max} inclusive.`,
    );
  return n;
}

function readSelect(value: string, type: StructuredType | undefined): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (!type || names.some((n) => n.length === 0)) throw errors.invalidQueryOption(`Invalid $select value '${value}'.`);
  return names.map((n) => {
    if (n === '*') return n;
    const member = type.member(n);
    // An open type may have dynamic properties of any (identifier) name.
    if (!member && type.openType && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) return n;
    if (!member || isNavigation(member)) {
      throw errors.invalidQueryOption(
        `Parsing OData Select and Expand failed: Could not find a property named '${n}' on type '${type.qualifiedName}'.`,
      );
    }
    return member.name;
  });
}

/** Splits on `separator` outside parentheses and quotes. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) throw errors.invalidQueryOption(`Unbalanced parentheses in '${text}'.`);
  }
  if (depth !== 0 || quoted) throw errors.invalidQueryOption(`Unbalanced parentheses or quotes in '${text}'.`);
  parts.push(text.slice(start));
  return parts;
}

function readExpand(value: string, type: StructuredType | undefined, model: Model, depth: number): ExpandItem[] {
  if (depth > MAX_EXPAND_DEPTH)
    throw errors.invalidQueryOption(`$expand is nested more than ${MAX_EXPAND_DEPTH} levels deep.`);
  if (!type) throw errors.invalidQueryOption('$expand is not supported on this resource.');
  const seen = new Set<string>();
  return splitTopLevel(value, ',').map((raw) => {
    const item = raw.trim();
    const open = item.indexOf('(');
    const name = (open < 0 ? item : item.slice(0, open)).trim();
    if (open >= 0 && !item.endsWith(')')) throw errors.invalidQueryOption(`Invalid $expand item '${item}'.`);
    const member = name === '' ? undefined : type.member(name);
    if (!member || !isNavigation(member)) {
      throw errors.invalidQueryOption(
        `Parsing OData Select and Expand failed: Could not find a navigation property named '${name}' on type '${type.qualifiedName}'.`,
      );
    }
    if (seen.has(member.name))
      throw errors.invalidQueryOption(`The navigation '${member.name}' is expanded more than once.`);
    seen.add(member.name);
    const nested =
      open < 0
        ? []
        : splitTopLevel(item.slice(open + 1, -1), ';')
            .map((p) => p.trim())
            .filter(Boolean)
            .map((p): [string, string] => {
              const eq = p.indexOf('=');
              if (eq < 0) throw errors.invalidQueryOption(`Invalid option '${p}' in $expand of '${member.name}'.`);
              return [p.slice(0, eq).trim(), p.slice(eq + 1)];
            });
    const options = readOptions(nested, model.structured(member.type.name), model, depth);
    // An expanded collection is one capped page without a nextLink (src/resources/expand.ts):
    // no count, no skipping, no continuation; a single entity takes no filter or order.
    if (options.count !== undefined)
      throw errors.expandOptionNotSupported('$count', member.name, 'an expanded collection has no count.');
    if (options.skip !== undefined)
      throw errors.expandOptionNotSupported('$skip', member.name, 'an expanded collection is its first items only.');
    if (options.skipToken !== undefined)
      throw errors.expandOptionNotSupported('$skiptoken', member.name, 'an expanded collection has no further pages.');
    if (!member.type.collection && (options.filter !== undefined || options.orderBy !== undefined)) {
      throw errors.expandOptionNotSupported(
        options.filter !== undefined ? '$filter' : '$orderby',
        member.name,
        'it is a single-valued navigation.',
      );
    }
    return { navigation: member.name, options };
  });
}
