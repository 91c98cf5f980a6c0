import type { JWK } from 'jose';
import { oauthErrors } from '../graph/errors.js';
import { isGuid } from '../odata/guid.js';
import type { Store } from '../store/store.js';
import { issuerFor } from './tokens.js';

/**
 * The OpenID Connect discovery documents and signing keys localgraph publishes per tenant, in
 * Entra ID's shape, so MSAL (which reads `authorization_endpoint`, `token_endpoint`, `issuer`
 * and `jwks_uri`) and token validators find their way as they do at login.microsoftonline.com.
 *
 * v2.0 documents describe the v2.0 endpoints and their issuer `{origin}/{tid}/v2.0` (the ID
 * tokens'); v1 documents describe `/oauth2/token` and the `https://sts.windows.net/{tid}/`
 * issuer that Graph access tokens carry, so a v1 validator accepts localgraph's tokens.
 */
export type MetadataVersion = 'v1' | 'v2';

const TENANT_ALIASES = new Set(['common', 'organizations']);

/**
 * The tenant a `{tenant}` path segment names: a known tenant id (lower-cased), or `common` /
 * `organizations` (multi-tenant, `{tenantid}` in the issuer). Anything else is Entra's
 * "Tenant not found".
 */
export async function resolveTenantSegment(
  store: Store,
  segment: string,
): Promise<{ segment: string; tenantId?: string }> {
  const lower = segment.toLowerCase();
  if (TENANT_ALIASES.has(lower)) return { segment: lower };
  if (isGuid(lower) && (await store.hasTenant(lower))) return { segment: lower, tenantId: lower };
  throw oauthErrors.tenantNotFound(segment);
}

/** The `/.well-known/openid-configuration` document of a tenant. */
export function openIdConfiguration(
  urls: { endpointOrigin: string; issuerOrigin: string; cloudInstanceName: string; graphHost: string },
  tenant: { segment: string; tenantId?: string },
  version: MetadataVersion,
): Record<string, unknown> {
  const base = `${urls.endpointOrigin}/${tenant.segment}`;
  const tid = tenant.tenantId ?? '{tenantid}';
  const v2 = version === 'v2';
  const oauth = v2 ? `${base}/oauth2/v2.0` : `${base}/oauth2`;
  return {
    token_endpoint: `${oauth}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: v2 ? `${base}/discovery/v2.0/keys` : `${base}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    grant_types_supported: ['client_credentials', 'password'],
    issuer: v2 ? `${urls.issuerOrigin}/${tid}/v2.0` : issuerFor(tid),
    request_uri_parameter_supported: false,
    // localgraph serves no interactive sign-in; MSAL needs the field, and a call gets a clear error.
    authorization_endpoint: `${oauth}/authorize`,
    device_authorization_endpoint: `${oauth}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${oauth}/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'nbf',
      'name',
      'oid',
      'preferred_username',
      'tid',
      'ver',
      'upn',
      'scp',
      'roles',
      'appid',
      'idtyp',
    ],
    tenant_region_scope: null,
    cloud_instance_name: urls.cloudInstanceName,
    msgraph_host: urls.graphHost,
  };
}

/** The JSON Web Key Set: the public half of every signing key, nothing else of them. */
export async function jsonWebKeySet(store: Store): Promise<{ keys: JWK[] }> {
  const rows = await store.listSigningKeys();
  return {
    keys: rows.map((row) => {
      const jwk = JSON.parse(row.publicJwk) as JWK;
      return { kty: 'RSA', use: 'sig', kid: row.kid, alg: 'RS256', n: jwk.n, e: jwk.e };
    }),
  };
}
