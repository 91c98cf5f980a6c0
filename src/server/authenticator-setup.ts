import {
  ClaimsAuthenticator,
  OffAuthenticator,
  StrictAuthenticator,
  type Authenticator,
  type AuthMode,
} from '../auth/authenticator.js';
import { allPermissions, type DefaultIdentity } from '../auth/identity.js';
import { GRAPH_AUDIENCES } from '../auth/tokens.js';
import { TrustedIssuers, type TrustedIssuerSpec } from '../auth/trusted-issuers.js';
import { TokenVerifier } from '../auth/verifier.js';
import type { Family } from '../family/family.js';
import type { Store } from '../store/store.js';

/** How a server authenticates (`serve`'s `--auth`, `--trust-issuer`, ...; src/cli/auth-setup.ts reads them). */
export interface AuthOptions {
  mode: AuthMode;
  trustIssuers: TrustedIssuerSpec[];
  audiences: string[];
  /** `--auth claims`: the most tenants the store may hold before tokens of new ones are refused. */
  maxClaimsTenants: number;
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
