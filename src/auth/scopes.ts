import { oauthErrors } from '../graph/errors.js';
import { GRAPH_AUDIENCE } from './tokens.js';

/**
 * The `scope` parameter of the token endpoint, read as Entra ID reads it:
 * - `{resource}/.default` asks for everything granted on the resource (the only form the
 *   client-credentials flow takes);
 * - `{resource}/Name`, or a bare `Name` (Graph is the default resource), asks for one delegated
 *   permission;
 * - `openid`, `profile`, `email` and `offline_access` are sign-in scopes, not Graph's.
 * One request names one resource.
 */
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** The names Graph answers to as a resource: its URL and its application id. */
const GRAPH_RESOURCES = new Set([GRAPH_AUDIENCE, '00000003-0000-0000-c000-000000000000']);

export interface RequestedScopes {
  /** The resource asked for, as written (without a trailing `/`); undefined for sign-in scopes only. */
  resource?: string;
  /** Whether `.default` was asked for. */
  isDefault: boolean;
  /** Explicit permission names, without the resource. */
  permissions: string[];
  /** Sign-in scopes asked for (`openid`, `profile`, ...). */
  oidc: string[];
}

/** Splits `scope` into resource, permissions and sign-in scopes; refuses several resources. */
export function parseScopes(scope: string): RequestedScopes {
  const items = scope.split(/\s+/).filter(Boolean);
  const requested: RequestedScopes = { isDefault: false, permissions: [], oidc: [] };
  for (const item of items) {
    if (OIDC_SCOPES.has(item.toLowerCase())) {
      requested.oidc.push(item.toLowerCase());
      continue;
    }
    const slash = item.lastIndexOf('/');
    // A bare name is a Graph permission, as Entra ID reads `User.Read`.
    const resource = slash < 0 ? GRAPH_AUDIENCE : item.slice(0, slash).replace(/\/+$/, '');
    const name = slash < 0 ? item : item.slice(slash + 1);
    if (requested.resource !== undefined && requested.resource.toLowerCase() !== resource.toLowerCase())
      throw oauthErrors.severalResources(scope);
    requested.resource = resource;
    if (name === '.default') requested.isDefault = true;
    else requested.permissions.push(name);
  }
  if (requested.isDefault && requested.permissions.length > 0) throw oauthErrors.defaultWithOtherScopes(scope);
  return requested;
}

/**
 * Whether a resource names Graph. `aliases` adds the names localgraph answers to as well (its
 * own origin, which is what Kiota asks for when no scopes are given).
 */
export function isGraphResource(resource: string, aliases: Iterable<string> = []): boolean {
  const name = resource.toLowerCase().replace(/\/+$/, '');
  if (GRAPH_RESOURCES.has(name)) return true;
  for (const alias of aliases) if (alias.toLowerCase().replace(/\/+$/, '') === name) return true;
  return false;
}

/**
 * The delegated permissions a user token carries. As in Entra ID, a token holds every
 * permission consented for the resource, not only the ones asked for; asking for one that was
 * never consented is an error (`consent_required`), since localgraph has no consent prompt.
 * Returns undefined when consent is missing.
 */
export function consentedScopes(requested: RequestedScopes, consented: readonly string[]): string[] | undefined {
  if (consented.length === 0) return undefined;
  const known = new Set(consented.map((s) => s.toLowerCase()));
  if (requested.permissions.some((p) => !known.has(p.toLowerCase()))) return undefined;
  return [...consented];
}
