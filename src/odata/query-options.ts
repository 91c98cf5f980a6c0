import { errors } from '../graph/errors.js';
import { isNavigation, type StructuredType } from '../model/model.js';

/**
 * System query options, read from the query string and checked against the addressed type.
 * On beta the `$` prefix is optional and option names ignore case, as in Graph; parameters that
 * name no system option are custom options, which Graph ignores.
 */
export interface QueryOptions {
  select?: string[];
  top?: number;
  skipToken?: string;
}

const IMPLEMENTED = new Set(['select', 'top', 'skiptoken']);
const KNOWN = new Set(['select', 'top', 'skiptoken', 'filter', 'orderby', 'expand', 'skip', 'count', 'search', 'format', 'apply', 'compute', 'deltatoken', 'levels', 'index', 'schemaversion', 'id']);

/** The largest `$top` Graph takes on directory collections. */
export const MAX_TOP = 999;

export function readQueryOptions(params: URLSearchParams, type: StructuredType | undefined): QueryOptions {
  const options: QueryOptions = {};
  const seen = new Set<string>();
  for (const [rawName, value] of params) {
    const name = rawName.replace(/^\$/, '').toLowerCase();
    if (!KNOWN.has(name)) continue;
    if (seen.has(name)) throw errors.invalidQueryOption(`Query option '$${name}' was specified more than once, but it must be specified at most once.`);
    seen.add(name);
    if (!IMPLEMENTED.has(name)) {
      if (name === 'format' && value.toLowerCase() === 'json') continue;
      throw errors.notImplemented(`The query option '$${name}'`);
    }
    if (name === 'top') {
      if (!/^\d+$/.test(value.trim())) throw errors.invalidQueryOption(`Invalid value '${value}' for $top query option found. The $top query option requires a non-negative integer value.`);
      const top = Number(value.trim());
      if (top < 1 || top > MAX_TOP) throw errors.invalidQueryOption(`Invalid page size specified: '${top}'. Must be between 1 and ${MAX_TOP} inclusive.`);
      options.top = top;
    } else if (name === 'skiptoken') {
      options.skipToken = value;
    } else if (name === 'select') {
      options.select = readSelect(value, type);
    }
  }
  return options;
}

function readSelect(value: string, type: StructuredType | undefined): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (!type || names.some((n) => n.length === 0)) throw errors.invalidQueryOption(`Invalid $select value '${value}'.`);
  return names.map((n) => {
    if (n === '*') return n;
    const member = type.member(n);
    if (!member || isNavigation(member)) {
      throw errors.invalidQueryOption(`Parsing OData Select and Expand failed: Could not find a property named '${n}' on type '${type.qualifiedName}'.`);
    }
    return member.name;
  });
}
