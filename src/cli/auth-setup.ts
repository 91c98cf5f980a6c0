import {
  AUTH_MODES,
  ClaimsAuthenticator,
  DEFAULT_MAX_CLAIMS_TENANTS,
  OffAuthenticator,
  StrictAuthenticator,
  type Authenticator,
  type AuthMode,
} from '../auth/authenticator.js';
import { allPermissions, type DefaultIdentity } from '../auth/identity.js';
import type { Family } from '../family/family.js';
import { GRAPH_AUDIENCES } from '../auth/tokens.js';
import { checkIssuerUrl, tenantsNamedIn, TrustedIssuers, type TrustedIssuerSpec } from '../auth/trusted-issuers.js';
import { isGuid } from '../odata/guid.js';
import { TokenVerifier } from '../auth/verifier.js';
import type { Store } from '../store/store.js';
import { UsageError } from './usage.js';

/** What `serve` was told about authentication. */
export interface AuthOptions {
  mode: AuthMode;
  trustIssuers: TrustedIssuerSpec[];
  audiences: string[];
  /** `--auth claims`: the most tenants the store may hold before tokens of new ones are refused. */
  maxClaimsTenants: number;
}

/**
 * One `--trust-issuer`: `TENANT[,TENANT...]=URL` (the tenants its tokens may act in), or a bare
 * URL whose path names its one tenant (`https://login.microsoftonline.com/{tid}/v2.0`). A URL
 * that names no tenant (`common`, `organizations`, a multi-tenant issuer) needs the list.
 */
export function parseTrustIssuer(value: string): TrustedIssuerSpec {
  const mapped = /^([0-9A-Fa-f-]{36}(?:,[0-9A-Fa-f-]{36})*)=(.+)$/.exec(value.trim());
  const url = mapped ? mapped[2] : value.trim();
  try {
    checkIssuerUrl(url);
  } catch (error) {
    throw new UsageError(
      `--trust-issuer ${url}: ${error instanceof TypeError ? 'not a URL' : (error as Error).message}`,
    );
  }
  if (mapped) {
    const tenants = mapped[1].split(',');
    const bad = tenants.find((t) => !isGuid(t));
    if (bad) throw new UsageError(`--trust-issuer ${value}: '${bad}' is not a tenant id (a GUID)`);
    return { url, tenants: [...new Set(tenants.map((t) => t.toLowerCase()))] };
  }
  const named = [...new Set(tenantsNamedIn(url))];
  if (named.length !== 1) {
    throw new UsageError(
      `--trust-issuer ${url}: name the tenants its tokens may act in, as TENANT[,TENANT...]=URL (the URL names ${named.length === 0 ? 'no tenant' : 'several'})`,
    );
  }
  return { url, tenants: named };
}

/** Reads `--auth`, `--trust-issuer`, `--audience` and `--max-claims-tenants`; a mistake is a {@link UsageError}. */
export function parseAuthOptions(values: {
  auth?: string;
  'trust-issuer'?: string[];
  audience?: string[];
  'max-claims-tenants'?: string;
}): AuthOptions {
  const mode = (values.auth ?? 'strict') as AuthMode;
  if (!AUTH_MODES.includes(mode))
    throw new UsageError(`--auth must be one of ${AUTH_MODES.join(', ')}, not '${values.auth}'`);
  const given = values['trust-issuer'] ?? [];
  const audiences = values.audience ?? [];
  if ((given.length > 0 || audiences.length > 0) && mode !== 'strict')
    throw new UsageError('--trust-issuer and --audience go with --auth strict');
  if (audiences.length > 0 && given.length === 0)
    throw new UsageError('--audience names audiences of trusted issuers: give --trust-issuer too');
  const trustIssuers = given.map(parseTrustIssuer);
  const limit = values['max-claims-tenants'];
  if (limit !== undefined && mode !== 'claims') throw new UsageError('--max-claims-tenants goes with --auth claims');
  if (limit !== undefined && !/^[1-9]\d{0,6}$/.test(limit))
    throw new UsageError(`--max-claims-tenants must be a whole number from 1 to 9999999, not '${limit}'`);
  return {
    mode,
    trustIssuers,
    audiences,
    maxClaimsTenants: limit === undefined ? DEFAULT_MAX_CLAIMS_TENANTS : Number(limit),
  };
}

/** The authenticator a mode calls for; `--auth off` acts with every scope of the family served. */
export function buildAuthenticator(
  options: AuthOptions,
  store: Store,
  identity: DefaultIdentity,
  family: Family,
): { authenticator: Authenticator; trusted?: TrustedIssuers } {
  const now = () => new Date();
  if (options.mode === 'off') {
    return {
      authenticator: new OffAuthenticator({
        tenantId: identity.tenantId,
        objectId: identity.userId,
        kind: 'user',
        scopes: new Set(allPermissions(family).scopes),
        roles: new Set(),
        appId: identity.appId,
        userPrincipalName: identity.userPrincipalName,
      }),
    };
  }
  if (options.mode === 'claims') return { authenticator: new ClaimsAuthenticator(store, options.maxClaimsTenants) };
  const trusted =
    options.trustIssuers.length > 0
      ? new TrustedIssuers(options.trustIssuers, { audiences: [...GRAPH_AUDIENCES, ...options.audiences], now })
      : undefined;
  return { authenticator: new StrictAuthenticator(store, new TokenVerifier(store, now), trusted), trusted };
}
