import { errors } from '../graph/errors.js';

/**
 * The lexical part of OData URL paths: one raw segment into its name and, when parenthesised,
 * its key. `connectors`, `connectors('x')`, `connectors(x)`, `connectors(id='x')`.
 */
export interface RawSegment {
  /** The segment as the client wrote it, decoded, for error messages. */
  text: string;
  name: string;
  key?: string;
  /** The property a named key names (`appId` in `applications(appId='…')`), when it is not `id`. */
  keyProperty?: string;
}

const KEYED = /^([^()]+)\((.*)\)$/s;

/** Splits a URL path (already stripped of its version) into decoded segments; empty ones (`//`, trailing `/`) are dropped. */
export function splitPath(path: string): RawSegment[] {
  return path
    .split('/')
    .filter((s) => s.length > 0)
    .map((raw) => parseSegment(decode(raw)));
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw errors.segmentNotFound(raw);
  }
}

export function parseSegment(text: string): RawSegment {
  const keyed = KEYED.exec(text);
  if (!keyed) return { text, name: text };
  const named = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(keyed[2]);
  const keyProperty = named && named[1].toLowerCase() !== 'id' ? named[1] : undefined;
  return { text, name: keyed[1], key: parseKeyLiteral(keyed[2], text), ...(keyProperty ? { keyProperty } : {}) };
}

/** A key literal: `'quoted'` (with `''` for a quote), `id='quoted'`, or a bare GUID or number. */
export function parseKeyLiteral(literal: string, segment: string): string {
  let text = literal.trim();
  const named = /^[A-Za-z_][A-Za-z0-9_]*\s*=\s*(.*)$/s.exec(text);
  if (named) text = named[1].trim();
  if (text.startsWith("'")) {
    if (text.length < 2 || !text.endsWith("'")) throw errors.badKey(segment);
    const inner = text.slice(1, -1);
    if (inner.replace(/''/g, '').includes("'")) throw errors.badKey(segment);
    return inner.replace(/''/g, "'");
  }
  if (!/^[A-Za-z0-9._-]+$/.test(text)) throw errors.badKey(segment);
  return text;
}
