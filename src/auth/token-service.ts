import { oauthErrors } from '../graph/errors.js';
import { isGuid } from '../odata/path.js';
import type { AppRegistrationRow, Store } from '../store/store.js';
import { SignInLockout } from './lockout.js';
import { consentedScopes, isGraphResource, parseScopes, type RequestedScopes } from './scopes.js';
import { verifySecret } from './secrets.js';
import { activeSigningKey, type SigningKey } from './signing-key.js';
import { clientInfo, DEFAULT_TOKEN_LIFETIME_SECONDS, GRAPH_AUDIENCE, issueAccessToken, issueIdToken } from './tokens.js';

/**
 * The grants of localgraph's token endpoint, as Entra ID answers them: `client_credentials`
 * with a client secret (an app-only token with the app's granted `roles`) and `password` (a
 * user token with the consented `scp`, plus an ID token and `client_info` for MSAL). The
 * tokens are the same kind `localgraph token` prints, so the Graph route verifies them alike.
 */
export interface TokenGrantRequest {
  /** The `{tenant}` path segment: a tenant id, `common` or `organizations`. */
  tenant: string;
  /** The form parameters of the request. */
  params: Record<string, string | undefined>;
  /** `https://localhost:5443`: the origin the client called, for the ID token's issuer. */
  origin: string;
  /** `v1` for `/oauth2/token` (takes `resource`), `v2` for `/oauth2/v2.0/token` (takes `scope`). */
  endpoint: 'v1' | 'v2';
}

export interface TokenResponseBody {
  token_type: 'Bearer';
  scope?: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  id_token?: string;
  client_info?: string;
  resource?: string;
}

export interface TokenServiceOptions {
  lifetimeSeconds?: number;
  lockout?: SignInLockout;
}

const TENANT_ALIASES = new Set(['common', 'organizations']);

/** Answers token requests from the registrations in the store, read on every request. */
export class TokenService {
  private key: Promise<SigningKey> | undefined;
  private readonly lockout: SignInLockout;
  private readonly lifetime: number;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    options: TokenServiceOptions = {},
  ) {
    this.lockout = options.lockout ?? new SignInLockout(() => this.now().getTime());
    this.lifetime = options.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  }

  /** Answers one token request; every refusal is an {@link OAuthError}. */
  async grant(request: TokenGrantRequest): Promise<TokenResponseBody> {
    const { params } = request;
    const grantType = required(params, 'grant_type');
    if (grantType !== 'client_credentials' && grantType !== 'password') throw oauthErrors.unsupportedGrantType(grantType);
    const clientId = required(params, 'client_id').toLowerCase();
    const tenantId = await this.tenantOf(request.tenant, clientId);
    const app = await this.store.getAppRegistration(clientId);
    if (!app || app.tenantId !== tenantId) throw oauthErrors.clientNotFound(clientId, request.tenant);
    const scope = request.endpoint === 'v1' ? `${required(params, 'resource').replace(/\/+$/, '')}/.default` : required(params, 'scope');
    const requested = parseScopes(scope);
    if (requested.resource !== undefined && !isGraphResource(requested.resource, [request.origin])) {
      throw oauthErrors.resourceNotFound(requested.resource, tenantId);
    }
    const body = grantType === 'client_credentials' ? await this.clientCredentials(app, params, requested, scope) : await this.password(app, request, requested);
    if (request.endpoint === 'v1') body.resource = params.resource;
    return body;
  }

  private async tenantOf(segment: string, clientId: string): Promise<string> {
    const lower = segment.toLowerCase();
    // `common` and `organizations` sign in to the client's own tenant (client ids are unique).
    if (TENANT_ALIASES.has(lower)) {
      const app = await this.store.getAppRegistration(clientId);
      if (!app) throw oauthErrors.clientNotFound(clientId, segment);
      return app.tenantId;
    }
    if (!isGuid(lower) || !(await this.store.hasTenant(lower))) throw oauthErrors.tenantNotFound(segment);
    return lower;
  }

  private async clientCredentials(app: AppRegistrationRow, params: TokenGrantRequest['params'], requested: RequestedScopes, scope: string): Promise<TokenResponseBody> {
    const secret = params.client_secret;
    if (!secret) throw oauthErrors.clientSecretMissing();
    if (!(await verifySecret(secret, app.secretHash))) throw oauthErrors.invalidClientSecret(app.clientId);
    // OpenID scopes beside `.default` are ignored, as Entra ignores them: MSAL for Go adds
    // `openid offline_access profile` to every token request, client credentials included.
    if (!requested.isDefault) throw oauthErrors.scopeNotDefault(scope);
    const accessToken = await issueAccessToken(
      await this.signingKey(),
      { tenantId: app.tenantId, appId: app.clientId, servicePrincipalId: app.servicePrincipalId, roles: app.roles, lifetimeSeconds: this.lifetime },
      this.now(),
    );
    return { token_type: 'Bearer', expires_in: this.lifetime, ext_expires_in: this.lifetime, access_token: accessToken };
  }

  private async password(app: AppRegistrationRow, request: TokenGrantRequest, requested: RequestedScopes): Promise<TokenResponseBody> {
    const { params } = request;
    const username = required(params, 'username');
    const password = required(params, 'password');
    // A confidential client may send its secret with the password grant; it must then be right.
    if (params.client_secret !== undefined && !(await verifySecret(params.client_secret, app.secretHash))) {
      throw oauthErrors.invalidClientSecret(app.clientId);
    }
    const user = await this.store.findRegisteredUser(app.tenantId, username);
    if (!user) throw oauthErrors.userNotFound(app.tenantId);
    const account = `${app.tenantId}/${user.id}`;
    if (this.lockout.isLocked(account)) throw oauthErrors.accountLocked();
    if (!(await verifySecret(password, user.passwordHash))) {
      this.lockout.recordFailure(account, password);
      throw oauthErrors.invalidCredentials();
    }
    this.lockout.recordSuccess(account);

    const scopes = consentedScopes(requested, app.scopes);
    if (!scopes) throw oauthErrors.consentRequired(app.clientId, app.displayName);
    const key = await this.signingKey();
    const now = this.now();
    const person = { objectId: user.id, userPrincipalName: user.userPrincipalName, name: user.displayName };
    const accessToken = await issueAccessToken(
      key,
      { tenantId: app.tenantId, appId: app.clientId, user: person, scopes, lifetimeSeconds: this.lifetime, appidacr: params.client_secret ? '1' : '0' },
      now,
    );
    const oidc = requested.oidc.filter((s) => s !== 'offline_access');
    const body: TokenResponseBody = {
      token_type: 'Bearer',
      // Entra names `.default` itself after the scopes it stands for when it was asked for; MSAL
      // for Go and Java check that every requested scope is in this list ("declined scopes").
      scope: [...scopes.map((s) => `${GRAPH_AUDIENCE}/${s}`), ...(requested.isDefault ? [`${GRAPH_AUDIENCE}/.default`] : []), ...oidc].join(' '),
      expires_in: this.lifetime,
      ext_expires_in: this.lifetime,
      access_token: accessToken,
    };
    if (oidc.includes('openid')) {
      const issuer = `${request.origin}/${app.tenantId}/v2.0`;
      body.id_token = await issueIdToken(key, { issuer, tenantId: app.tenantId, clientId: app.clientId, user: person, lifetimeSeconds: this.lifetime }, now);
    }
    if (params.client_info === '1') body.client_info = clientInfo(user.id, app.tenantId);
    return body;
  }

  private signingKey(): Promise<SigningKey> {
    if (!this.key) {
      this.key = activeSigningKey(this.store, this.now());
      this.key.catch(() => (this.key = undefined));
    }
    return this.key;
  }
}

function required(params: TokenGrantRequest['params'], name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw oauthErrors.missingParameter(name);
  return value;
}
