import { AUTH_MODES, ClaimsAuthenticator, OffAuthenticator, StrictAuthenticator, type Authenticator, type AuthMode } from '../auth/authenticator.js';
import { allPermissions, type DefaultIdentity } from '../auth/identity.js';
import { GRAPH_AUDIENCES } from '../auth/tokens.js';
import { checkIssuerUrl, TrustedIssuers } from '../auth/trusted-issuers.js';
import { TokenVerifier } from '../auth/verifier.js';
import type { Store } from '../store/store.js';
import { UsageError } from './usage.js';

/** What `serve` was told about authentication. */
export interface AuthOptions {
  mode: AuthMode;
  trustIssuers: string[];
  audiences: string[];
}

/** Reads `--auth`, `--trust-issuer` and `--audience`; a mistake is a {@link UsageError}. */
export function parseAuthOptions(values: { auth?: string; 'trust-issuer'?: string[]; audience?: string[] }): AuthOptions {
  const mode = (values.auth ?? 'strict') as AuthMode;
  if (!AUTH_MODES.includes(mode)) throw new UsageError(`--auth must be one of ${AUTH_MODES.join(', ')}, not '${values.auth}'`);
  const trustIssuers = values['trust-issuer'] ?? [];
  const audiences = values.audience ?? [];
  if ((trustIssuers.length > 0 || audiences.length > 0) && mode !== 'strict') throw new UsageError('--trust-issuer and --audience go with --auth strict');
  if (audiences.length > 0 && trustIssuers.length === 0) throw new UsageError('--audience names audiences of trusted issuers: give --trust-issuer too');
  for (const url of trustIssuers) {
    try {
      checkIssuerUrl(url);
    } catch (error) {
      throw new UsageError(`--trust-issuer ${url}: ${error instanceof TypeError ? 'not a URL' : (error as Error).message}`);
    }
  }
  return { mode, trustIssuers, audiences };
}

/** The authenticator a mode calls for. */
export function buildAuthenticator(options: AuthOptions, store: Store, identity: DefaultIdentity): { authenticator: Authenticator; trusted?: TrustedIssuers } {
  const now = () => new Date();
  if (options.mode === 'off') {
    return {
      authenticator: new OffAuthenticator({
        tenantId: identity.tenantId,
        objectId: identity.userId,
        kind: 'user',
        scopes: new Set(allPermissions().scopes),
        roles: new Set(),
        appId: identity.appId,
        userPrincipalName: identity.userPrincipalName,
      }),
    };
  }
  if (options.mode === 'claims') return { authenticator: new ClaimsAuthenticator() };
  const trusted =
    options.trustIssuers.length > 0 ? new TrustedIssuers(options.trustIssuers, { audiences: [...GRAPH_AUDIENCES, ...options.audiences], now }) : undefined;
  return { authenticator: new StrictAuthenticator(store, new TokenVerifier(store, now), trusted), trusted };
}
