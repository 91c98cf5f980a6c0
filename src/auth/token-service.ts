import { oauthErrors } from '../graph/errors.js';
import { isGuid } from '../odata/guid.js';
import type { AppRegistrationRow, Store } from '../store/store.js';
import { SignInLockout } from './lockout.js';
import { consentedScopes, isGraphResource, parseScopes, type RequestedScopes } from './scopes.js';
import { HashingBusyError, SecretChecker } from './secret-checker.js';
import { TokenThrottle } from './token-throttle.js';
import { activeSigningKey, type SigningKey } from './signing-key.js';
import {
  clientInfo,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  GRAPH_AUDIENCE,
  issueAccessToken,
  issueIdToken,
} from './tokens.js';

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
  /** The client's address, which failed checks are throttled by. */
  source?: string;
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
  secrets?: SecretChecker;
  throttle?: TokenThrottle;
}

const TENANT_ALIASES = new Set(['common', 'organizations']);

/** Answers token requests from the registrations in the store, read on every request. */
export class TokenService {
  private key: Promise<SigningKey> | undefined;
  private readonly lockout: SignInLockout;
  private readonly secrets: SecretChecker;
  private readonly throttle: TokenThrottle;
  private readonly lifetime: number;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    options: TokenServiceOptions = {},
  ) {
    this.lockout = options.lockout ?? new SignInLockout(() => this.now().getTime());
    this.secrets = options.secrets ?? new SecretChecker();
    // Throttling windows run on real time: a frozen test clock must not throttle forever.
    this.throttle = options.throttle ?? new TokenThrottle();
    this.lifetime = options.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  }

  /** Answers one token request; every refusal is an {@link OAuthError}. */
  async grant(request: TokenGrantRequest): Promise<TokenResponseBody> {
    const { params } = request;
    const grantType = required(params, 'grant_type');
    if (grantType !== 'client_credentials' && grantType !== 'password')
      throw oauthErrors.unsupportedGrantType(grantType);
    const clientId = required(params, 'client_id').toLowerCase();
    const tenantId = await this.tenantOf(request.tenant, clientId);
    const app = await this.store.getAppRegistration(clientId);
    if (!app || app.tenantId !== tenantId) throw oauthErrors.clientNotFound(clientId, request.tenant);
    const scope =
      request.endpoint === 'v1'
        ? `${required(params, 'resource').replace(/\/+$/, '')}/.default`
        : required(params, 'scope');
    const requested = parseScopes(scope);
    if (requested.resource !== undefined && !isGraphResource(requested.resource, [request.origin])) {
      throw oauthErrors.resourceNotFound(requested.resource, tenantId);
    }
    const body =
      grantType === 'client_credentials'
        ? await this.clientCredentials(app, request, requested, scope)
        : await this.password(app, request, requested);
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

  /**
   * Checks a secret against its hash: at once when already known; otherwise only if neither the
   * client nor the address is throttled, and with the hashing queue's bound. A failure counts
   * against both.
   */
  private async check(
    secret: string,
    stored: string | undefined,
    request: TokenGrantRequest,
    clientId: string,
  ): Promise<boolean> {
    const known = stored === undefined ? undefined : this.secrets.known(secret, stored);
    if (known !== undefined) {
      if (!known) this.throttle.recordFailure(throttleKeys(request, clientId));
      return known;
    }
    const ticket = this.throttle.begin(throttleKeys(request, clientId));
    if ('retryAfter' in ticket) throw oauthErrors.throttled(ticket.retryAfter);
    let ok = false;
    try {
      ok = stored === undefined ? await this.secrets.verifyNothing(secret) : await this.secrets.verify(secret, stored);
    } catch (error) {
      if (error instanceof HashingBusyError) {
        ticket.passed(); // nothing was checked: not a failure
        throw oauthErrors.throttled(1);
      }
      throw error;
    } finally {
      if (ok) ticket.passed();
      else ticket.failed();
    }
    return ok;
  }

  private async clientCredentials(
    app: AppRegistrationRow,
    request: TokenGrantRequest,
    requested: RequestedScopes,
    scope: string,
  ): Promise<TokenResponseBody> {
    const secret = request.params.client_secret;
    if (!secret) throw oauthErrors.clientSecretMissing();
    if (!(await this.check(secret, app.secretHash, request, app.clientId)))
      throw oauthErrors.invalidClientSecret(app.clientId);
    // OpenID scopes beside `.default` are ignored, as Entra ignores them: MSAL for Go adds
    // `openid offline_access profile` to every token request, client credentials included.
    if (!requested.isDefault) throw oauthErrors.scopeNotDefault(scope);
    const accessToken = await issueAccessToken(
      await this.signingKey(),
      {
        tenantId: app.tenantId,
        appId: app.clientId,
        servicePrincipalId: app.servicePrincipalId,
        roles: app.roles,
        lifetimeSeconds: this.lifetime,
      },
      this.now(),
    );
    return {
      token_type: 'Bearer',
      expires_in: this.lifetime,
      ext_expires_in: this.lifetime,
      access_token: accessToken,
    };
  }

  private async password(
    app: AppRegistrationRow,
    request: TokenGrantRequest,
    requested: RequestedScopes,
  ): Promise<TokenResponseBody> {
    const { params } = request;
    const username = required(params, 'username');
    const password = required(params, 'password');
    // A confidential client may send its secret with the password grant; it must then be right.
    if (
      params.client_secret !== undefined &&
      !(await this.check(params.client_secret, app.secretHash, request, app.clientId))
    ) {
      throw oauthErrors.invalidClientSecret(app.clientId);
    }
    const user = await this.store.findRegisteredUser(app.tenantId, username);
    // A name that is no user gets the same answer after the same work (a hash checked, the
    // lockout counted) as a wrong password: neither the code nor the time tells who exists.
    const attempt = this.lockout.begin(`${app.tenantId}/${username.toLowerCase()}`, password);
    if (attempt.outcome === 'locked') throw oauthErrors.accountLocked();
    if (attempt.outcome === 'repeat') throw oauthErrors.invalidCredentials();
    let ok: boolean;
    try {
      ok = await this.check(password, user?.passwordHash, request, app.clientId);
    } catch (error) {
      attempt.abandoned(); // throttled, or the hashing queue full: no check ran
      throw error;
    }
    if (!ok || !user) {
      attempt.failed();
      throw oauthErrors.invalidCredentials();
    }
    attempt.succeeded();

    const scopes = consentedScopes(requested, app.scopes);
    if (!scopes) throw oauthErrors.consentRequired(app.clientId, app.displayName);
    const key = await this.signingKey();
    const now = this.now();
    const person = { objectId: user.id, userPrincipalName: user.userPrincipalName, name: user.displayName };
    const accessToken = await issueAccessToken(
      key,
      {
        tenantId: app.tenantId,
        appId: app.clientId,
        user: person,
        scopes,
        lifetimeSeconds: this.lifetime,
        appidacr: params.client_secret ? '1' : '0',
      },
      now,
    );
    const oidc = requested.oidc.filter((s) => s !== 'offline_access');
    const body: TokenResponseBody = {
      token_type: 'Bearer',
      // Entra names `.default` itself after the scopes it stands for when it was asked for; MSAL
      // for Go and Java check that every requested scope is in this list ("declined scopes").
      scope: [
        ...scopes.map((s) => `${GRAPH_AUDIENCE}/${s}`),
        ...(requested.isDefault ? [`${GRAPH_AUDIENCE}/.default`] : []),
        ...oidc,
      ].join(' '),
      expires_in: this.lifetime,
      ext_expires_in: this.lifetime,
      access_token: accessToken,
    };
    if (oidc.includes('openid')) {
      const issuer = `${request.origin}/${app.tenantId}/v2.0`;
      body.id_token = await issueIdToken(
        key,
        { issuer, tenantId: app.tenantId, clientId: app.clientId, user: person, lifetimeSeconds: this.lifetime },
        now,
      );
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

/** The throttling keys of a request: its client id, and its source address when known. */
function throttleKeys(request: TokenGrantRequest, clientId: string): string[] {
  return request.source === undefined ? [`client:${clientId}`] : [`client:${clientId}`, `address:${request.source}`];
}

function required(params: TokenGrantRequest['params'], name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw oauthErrors.missingParameter(name);
  return value;
}
