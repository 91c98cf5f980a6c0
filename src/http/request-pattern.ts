import type { FastifyRequest } from 'fastify';
import type { Model } from '../model/model.js';
import { resolvePath, type KeyNormalizer } from '../odata/path.js';

/**
 * What a request addresses, with ids masked: the path pattern logs and fault rules key on.
 * Graph paths are resolved against the model (`/onPremisesPublishingProfiles/{id}/connectors`);
 * anything else, or a Graph path the model does not know, has its GUIDs and parenthesised keys
 * replaced by `{id}`. Query strings are never part of it.
 */
export interface RequestPattern {
  /** `graph` for `/beta/...` and `/v1.0/...`. */
  surface: 'graph' | 'other';
  /** Graph surface: the path after the version, as sent (`/onPremisesPublishingProfiles/applicationProxy/connectors`). */
  path: string;
  /** Graph surface: the resolved pattern after the version (`/onPremisesPublishingProfiles/{id}/connectors`). */
  pattern: string;
  /** The whole path with ids masked, for logs (`/beta/onPremisesPublishingProfiles/{id}/connectors`). */
  masked: string;
}

const GRAPH_VERSIONS = new Set(['beta', 'v1.0']);
const GUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const PAREN_KEYS = /\([^/)]*\)/g;

/** A path with its GUIDs and `('key')` parts masked as `{id}`. */
export function maskIds(path: string): string {
  return path.replace(PAREN_KEYS, '/{id}').replace(GUIDS, '{id}');
}

const cache = new WeakMap<FastifyRequest, RequestPattern>();

/**
 * Patterns by path (query string dropped), per resolver: clients send the same few paths over
 * and over (a list, a create), and resolving one against the model again for every request's
 * log line showed in the profile of a list with request logs on. Paths with ids are as many as
 * the ids, so the cache is emptied when it reaches {@link PATHS_CACHED}.
 */
const byPath = new WeakMap<PatternResolver, Map<string, RequestPattern>>();
const PATHS_CACHED = 1000;

export interface PatternResolver {
  model: Model;
  normalizeKey: KeyNormalizer;
}

/** The pattern of a request, worked out once per request (and once per path while it is cached). */
export function requestPattern(request: FastifyRequest, resolver: PatternResolver): RequestPattern {
  let found = cache.get(request);
  if (!found) {
    const query = request.url.indexOf('?');
    const path = query < 0 ? request.url : request.url.slice(0, query);
    let paths = byPath.get(resolver);
    if (!paths) byPath.set(resolver, (paths = new Map()));
    found = paths.get(path);
    if (!found) {
      found = patternOf(path, resolver);
      if (paths.size >= PATHS_CACHED) paths.clear();
      paths.set(path, found);
    }
    cache.set(request, found);
  }
  return found;
}

export function patternOf(url: string, resolver: PatternResolver): RequestPattern {
  const query = url.indexOf('?');
  const pathname = (query < 0 ? url : url.slice(0, query)).replace(/\/+$/, '') || '/';
  const [, version = '', ...rest] = pathname.split('/');
  if (!GRAPH_VERSIONS.has(version))
    return { surface: 'other', path: pathname, pattern: maskIds(pathname), masked: maskIds(pathname) };
  const path = `/${rest.join('/')}`;
  let pattern: string;
  try {
    pattern =
      rest.length === 0 || (rest.length === 1 && rest[0] === '')
        ? '/'
        : resolvePath(resolver.model, rest.join('/'), resolver.normalizeKey).pattern;
  } catch {
    pattern = maskIds(path);
  }
  return { surface: 'graph', path, pattern, masked: `/${version}${pattern === '/' ? '' : pattern}` };
}
