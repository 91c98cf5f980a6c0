import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { errors } from '../graph/errors.js';
import { isGuid } from '../odata/guid.js';
import type { Store } from '../store/store.js';
import type { Principal } from './principal.js';
import type { TrustedIssuers } from './trusted-issuers.js';
import { readBearer, toPrincipal, type TokenVerifier } from './verifier.js';

/**
 * How a Graph request's caller is established (`--auth`):
 * - `strict`: the token is verified (signature by this localgraph's key or a trusted issuer's,
 *   issuer, audience, lifetime, a tenant localgraph knows) and the permission matrix applies;
 * - `claims`: the token is only decoded; its tenant and permissions are believed (for tokens of
 *   other issuers in tests) and the permission matrix applies;
 * - `off`: no token is needed; every request is the default user of the default tenant with
 *   every permission, and permissions are not checked.
 */
export type AuthMode = 'strict' | 'claims' | 'off';
export const AUTH_MODES: readonly AuthMode[] = ['strict', 'claims', 'off'];

export interface Authenticator {
  readonly mode: AuthMode;
  /** Whether the permission matrix is enforced on the principals this returns. */
  readonly enforcesPermissions: boolean;
  /** The caller of a request with this `Authorization` header; throws a 401 GraphError otherwise. */
  authenticate(authorization: string | undefined): Promise<Principal>;
}

/** One line saying what a mode checks, for the start banner. */
export function describeMode(mode: AuthMode): string {
  switch (mode) {
    case 'strict':
      return 'strict (tokens verified: signature, issuer, audience, lifetime, tenant; permissions enforced)';
    case 'claims':
      return 'claims (tokens decoded, not verified: tenant and permissions taken from their claims; permissions enforced)';
    case 'off':
      return 'off (no token needed: every request is the default user in the default tenant, with every permission)';
  }
}

/** `--auth strict`: this localgraph's tokens, and trusted issuers' (`--trust-issuer`), verified. */
export class StrictAuthenticator implements Authenticator {
  readonly mode = 'strict';
  readonly enforcesPermissions = true;
  private readonly knownTenants = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly verifier: TokenVerifier,
    private readonly trusted?: TrustedIssuers,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const token = readBearer(authorization);
    const principal =
      (this.trusted ? await this.verifyForeign(token) : undefined) ?? (await this.verifier.verifyToken(token));
    // Every token names a tenant that exists: one this localgraph made (its own tokens), or one
    // a trusted issuer was mapped to at start. No token creates a tenant.
    if (!this.knownTenants.has(principal.tenantId)) {
      if (!(await this.store.hasTenant(principal.tenantId))) throw errors.tokenInvalid('Invalid tenant.');
      this.knownTenants.add(principal.tenantId);
    }
    return principal;
  }

  /** A token a trusted issuer signed: one whose `kid` is not ours and whose `iss` is theirs. */
  private async verifyForeign(token: string): Promise<Principal | undefined> {
    let payload: JWTPayload;
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
      payload = decodeJwt(token);
    } catch {
      return undefined;
    }
    if (typeof kid === 'string' && (await this.verifier.knowsKey(kid))) return undefined;
    return this.trusted!.verify(token, payload);
  }
}

/** How many tenants `--auth claims` lets unsigned tokens bring into being, in all (`--max-claims-tenants`). */
export const DEFAULT_MAX_CLAIMS_TENANTS = 1000;

/**
 * `--auth claims`: any token's claims believed, unverified. Since any caller can name any tenant,
 * the tenants a store may hold are bounded: past `maxTenants` (counting those it has), a token of
 * a tenant not yet there is refused, so unsigned tokens cannot fill the disk with tenants.
 */
export class ClaimsAuthenticator implements Authenticator {
  readonly mode = 'claims';
  readonly enforcesPermissions = true;
  private readonly knownTenants = new Set<string>();
  private tenantCount: Promise<{ value: number }> | undefined;

  constructor(
    private readonly store?: Store,
    private readonly maxTenants = DEFAULT_MAX_CLAIMS_TENANTS,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const token = readBearer(authorization);
    let payload: JWTPayload;
    try {
      payload = decodeJwt(token);
    } catch {
      throw errors.tokenMalformed();
    }
    // The tenant partitions all data: without a tenant id there is no caller to act for.
    if (typeof payload.tid !== 'string' || !isGuid(payload.tid)) throw errors.tokenInvalid('Invalid tenant.');
    const principal = toPrincipal({
      ...payload,
      oid: payload.oid ?? payload.sub ?? '00000000-0000-0000-0000-000000000000',
    });
    if (this.store) await this.admitTenant(principal.tenantId, this.store);
    return principal;
  }

  private async admitTenant(tenantId: string, store: Store): Promise<void> {
    if (this.knownTenants.has(tenantId)) return;
    const exists = await store.hasTenant(tenantId);
    // Counted once, then kept here; one shared count, so concurrent first requests agree on it.
    if (!this.tenantCount) {
      this.tenantCount = store.listTenants().then((tenants) => ({ value: tenants.length }));
      this.tenantCount.catch(() => (this.tenantCount = undefined)); // counted again next time
    }
    const count = await this.tenantCount;
    // Decided with no await between the check and the count: a burst of new tenants stops at the limit.
    if (!exists && !this.knownTenants.has(tenantId)) {
      if (count.value >= this.maxTenants) {
        throw errors.tokenInvalid(
          `Invalid tenant. This localgraph (--auth claims) holds ${this.maxTenants} tenants, its limit (--max-claims-tenants).`,
        );
      }
      count.value += 1;
    }
    this.knownTenants.add(tenantId);
  }
}

/** `--auth off`: one fixed principal, no token needed. */
export class OffAuthenticator implements Authenticator {
  readonly mode = 'off';
  readonly enforcesPermissions = false;

  constructor(private readonly principal: Principal) {}

  // Any token sent is ignored: off means no identity checks at all.
  async authenticate(_authorization?: string): Promise<Principal> {
    return this.principal;
  }
}
