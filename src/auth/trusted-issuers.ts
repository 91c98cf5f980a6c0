import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { errors } from '../graph/errors.js';
import { isGuid } from '../odata/guid.js';
import type { Principal } from './principal.js';
import { CLOCK_SKEW_SECONDS, toPrincipal } from './verifier.js';

/**
 * Other OpenID issuers whose tokens localgraph accepts next to its own (`--trust-issuer URL`),
 * e.g. a real Entra tenant's app registration. Each issuer's discovery document is read on
 * first use; its JWKS is cached and fetched again when a token names an unknown `kid` (at most
 * once per cooldown, so unknown kids cannot make localgraph hammer the issuer) and when the
 * cache is older than a day.
 *
 * Real Graph tokens cannot be verified by anyone but Graph (they carry a `nonce`), so a
 * foreign token is for an audience localgraph is told to accept (`--audience`), typically the
 * app ID URI of an API registered in that tenant.
 */
export interface TrustedIssuerOptions {
  /** Accepted `aud` values. */
  audiences: string[];
  now: () => Date;
  /** Least time between two JWKS fetches caused by unknown kids. */
  cooldownMs?: number;
  /** How long a JWKS is used before it is fetched again. */
  maxAgeMs?: number;
  timeoutMs?: number;
}

const DEFAULT_COOLDOWN_MS = 5_000;
const DEFAULT_MAX_AGE_MS = 24 * 3600 * 1000;
/** After a failed discovery, the next token tries again this much later at the earliest. */
const RETRY_AFTER_FAILURE_MS = 10_000;

/** Where the discovery document of an issuer URL is: the URL itself when it names it. */
export function discoveryUrl(issuerUrl: string): string {
  if (issuerUrl.endsWith('/.well-known/openid-configuration')) return issuerUrl;
  return `${issuerUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** Refuses issuer (and key set) URLs that are not https, except on the loopback (for local test issuers). */
export function checkIssuerUrl(issuerUrl: string, what = 'trusted issuer'): string {
  const url = new URL(issuerUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new Error(`${what} ${issuerUrl} must use https`);
  return url.href;
}

/**
 * An issuer and the tenants its tokens may act in. A multi-tenant issuer (Entra's `common`, or
 * metadata with `{tenantid}`) signs for every tenant in the world; trusting it must not let any
 * of them into localgraph, so the tenants are always named.
 */
export interface TrustedIssuerSpec {
  url: string;
  tenants: string[];
}

/** The tenant ids a URL's path names (`https://login.microsoftonline.com/{tid}/v2.0`), lower-cased. */
export function tenantsNamedIn(issuerUrl: string): string[] {
  return new URL(issuerUrl).pathname
    .split('/')
    .filter((segment) => isGuid(segment))
    .map((t) => t.toLowerCase());
}

interface Discovered {
  /** The `issuer` of the document; may hold `{tenantid}` (multi-tenant metadata). */
  issuer: string;
  keys: ReturnType<typeof createRemoteJWKSet>;
}

class TrustedIssuer {
  private discovered: Discovered | undefined;
  private loading: Promise<Discovered | undefined> | undefined;
  private failedAt = -Infinity;

  constructor(
    readonly url: string,
    readonly tenants: ReadonlySet<string>,
    private readonly options: TrustedIssuerOptions,
  ) {}

  /** The discovery document's facts, fetched once; undefined while the issuer is unreachable. */
  async discover(): Promise<Discovered | undefined> {
    if (this.discovered) return this.discovered;
    if (Date.now() - this.failedAt < RETRY_AFTER_FAILURE_MS) return undefined;
    this.loading ??= this.fetchMetadata().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async fetchMetadata(): Promise<Discovered | undefined> {
    try {
      // No redirects: the document is read where the operator said, never where a response points
      // (and jose reads the key set with redirects off too).
      const response = await fetch(discoveryUrl(this.url), {
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      const body = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (!response.ok || typeof body.issuer !== 'string' || typeof body.jwks_uri !== 'string')
        throw new Error('not an OpenID discovery document');
      // The key set is held to https as the issuer is: keys read in clear could be anyone's.
      const jwksUri = checkIssuerUrl(body.jwks_uri, 'key set');
      this.discovered = {
        issuer: body.issuer,
        keys: createRemoteJWKSet(new URL(jwksUri), {
          cooldownDuration: this.options.cooldownMs ?? DEFAULT_COOLDOWN_MS,
          cacheMaxAge: this.options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
          timeoutDuration: this.options.timeoutMs ?? 5000,
        }),
      };
      return this.discovered;
    } catch {
      this.failedAt = Date.now();
      return undefined;
    }
  }

  /** The issuer a token of tenant `tid` must carry, when this issuer issues for that tenant. */
  static expectedIssuer(discovered: Discovered, tid: string): string {
    return discovered.issuer.replace(/\{tenantid\}/gi, tid);
  }

  async verify(token: string, discovered: Discovered, expectedIssuer: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, discovered.keys, {
        algorithms: ['RS256'],
        issuer: expectedIssuer,
        audience: this.options.audiences,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: this.options.now(),
        requiredClaims: ['exp', 'tid'],
      }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      const claim = (error as { claim?: string }).claim;
      if (
        code === 'ERR_JWT_EXPIRED' ||
        (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (claim === 'nbf' || claim === 'iat'))
      )
        throw errors.tokenExpired();
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'aud') throw errors.tokenInvalid('Invalid audience.');
      if (code === 'ERR_JWKS_NO_MATCHING_KEY') throw errors.tokenInvalid('The signing key is not known.');
      throw errors.tokenInvalid();
    }
    // v2 tokens of other issuers may lack `oid` for apps; `sub` still names the caller.
    return toPrincipal({ ...payload, oid: payload.oid ?? payload.sub });
  }
}

/** The set of `--trust-issuer` issuers. */
export class TrustedIssuers {
  private readonly issuers: TrustedIssuer[];

  /** A bare URL stands for the tenants its path names (none: its tokens act nowhere). */
  constructor(issuers: (string | TrustedIssuerSpec)[], options: TrustedIssuerOptions) {
    this.issuers = issuers.map((issuer) => {
      const spec = typeof issuer === 'string' ? { url: issuer, tenants: tenantsNamedIn(issuer) } : issuer;
      return new TrustedIssuer(checkIssuerUrl(spec.url), new Set(spec.tenants.map((t) => t.toLowerCase())), options);
    });
  }

  get urls(): string[] {
    return this.issuers.map((issuer) => issuer.url);
  }

  /** Each issuer with the tenants it may act in. */
  get specs(): TrustedIssuerSpec[] {
    return this.issuers.map((issuer) => ({ url: issuer.url, tenants: [...issuer.tenants] }));
  }

  /** Fetches every discovery document now; returns the URLs that could not be read. */
  async prefetch(): Promise<string[]> {
    const results = await Promise.all(
      this.issuers.map(async (issuer) => ((await issuer.discover()) ? undefined : issuer.url)),
    );
    return results.filter((url): url is string => url !== undefined);
  }

  /**
   * Verifies a token whose `iss` is a trusted issuer's; undefined when no trusted issuer claims
   * it (the caller then treats it as one of its own).
   */
  async verify(token: string, payload: JWTPayload): Promise<Principal | undefined> {
    const tid = payload.tid;
    if (typeof payload.iss !== 'string') return undefined;
    for (const issuer of this.issuers) {
      const discovered = await issuer.discover();
      if (!discovered) continue;
      const tenant = typeof tid === 'string' && isGuid(tid) ? tid : undefined;
      // A multi-tenant issuer (`{tenantid}`) names the tenant in `iss`: it must be the token's `tid`.
      const expected = tenant ? TrustedIssuer.expectedIssuer(discovered, tenant) : discovered.issuer;
      if (expected !== payload.iss) continue;
      // Only the tenants this issuer was trusted for (checked before any key is fetched).
      if (!tenant || !issuer.tenants.has(tenant.toLowerCase())) throw errors.tokenInvalid('Invalid tenant.');
      return issuer.verify(token, discovered, expected);
    }
    return undefined;
  }
}
