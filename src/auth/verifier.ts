import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { errors } from '../graph/errors.js';
import { isGuid } from '../odata/guid.js';
import type { Store } from '../store/store.js';
import type { Principal } from './principal.js';
import { publicKeyFor } from './signing-key.js';
import { GRAPH_AUDIENCES, issuerFor } from './tokens.js';

/** Clock skew tolerated on `nbf` and `exp`, as the Microsoft identity libraries allow. */
export const CLOCK_SKEW_SECONDS = 300;
const CACHE_LIMIT = 10_000;
/**
 * The longest token looked at. Entra tokens stay well under it (their group overage claim keeps
 * them small); a longer one is refused before any parsing or cryptography is spent on it.
 */
export const MAX_TOKEN_LENGTH = 16 * 1024;

/**
 * The token of an `Authorization: Bearer` header. Node trims trailing spaces from header
 * values, so "Bearer " arrives as "Bearer": an empty token.
 */
export function readBearer(authorization: string | undefined): string {
  const match = authorization === undefined ? null : /^Bearer(?:\s+(\S*))?\s*$/i.exec(authorization);
  if (authorization === undefined || authorization.trim() === '' || (match && !match[1])) throw errors.tokenMissing();
  if (!match) throw errors.tokenMalformed();
  if (match[1].length > MAX_TOKEN_LENGTH) throw errors.tokenInvalid('The token is too large.');
  return match[1];
}

interface CachedPrincipal {
  principal: Principal;
  notBefore: number;
  expires: number;
}

/**
 * Verifies `Authorization: Bearer` tokens: RS256 only, signed by a key of this store, Graph
 * audience, the tenant's issuer, within its lifetime. A verified token is cached until it
 * expires, because an RSA verification costs as much as a whole create request.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, CachedPrincipal>();
  private readonly keys = new Map<string, CryptoKey>();

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  async verify(authorization: string | undefined): Promise<Principal> {
    return this.verifyToken(readBearer(authorization));
  }

  /** Whether `kid` names a signing key of this store (a token of this localgraph). */
  async knowsKey(kid: string): Promise<boolean> {
    return (await this.key(kid)) !== undefined;
  }

  /** Verifies a bare token (the `Authorization` header already read). */
  async verifyToken(token: string): Promise<Principal> {
    const nowSeconds = this.now().getTime() / 1000;

    const cached = this.cache.get(token);
    if (cached) {
      if (nowSeconds + CLOCK_SKEW_SECONDS < cached.notBefore || nowSeconds - CLOCK_SKEW_SECONDS >= cached.expires)
        throw errors.tokenExpired();
      return cached.principal;
    }

    const payload = await this.verifySignatureAndClaims(token);
    const principal = toPrincipal(payload);
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(token, { principal, notBefore: Number(payload.nbf ?? 0), expires: Number(payload.exp) });
    return principal;
  }

  private async key(kid: string): Promise<CryptoKey | undefined> {
    let key = this.keys.get(kid);
    if (!key) {
      key = await publicKeyFor(this.store, kid);
      if (key) this.keys.set(kid, key);
    }
    return key;
  }

  private async verifySignatureAndClaims(token: string): Promise<JWTPayload> {
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw errors.tokenMalformed();
    }
    if (token.split('.').length !== 3) throw errors.tokenMalformed();
    if (header.alg !== 'RS256') throw errors.tokenInvalid('The token is not signed with RS256.');
    const key = typeof header.kid === 'string' ? await this.key(header.kid) : undefined;
    if (!key) throw errors.tokenInvalid('The signing key is not known.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, {
        algorithms: ['RS256'],
        audience: GRAPH_AUDIENCES,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: this.now(),
        requiredClaims: ['exp', 'tid', 'oid'],
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
      throw errors.tokenInvalid();
    }
    const tenantId = payload.tid;
    if (typeof tenantId !== 'string' || !isGuid(tenantId) || payload.iss !== issuerFor(tenantId))
      throw errors.tokenInvalid('Invalid issuer.');
    return payload;
  }
}

/** The caller a token's claims describe: `idtyp` (or `scp` against `roles`) tells user from app. */
export function toPrincipal(payload: JWTPayload): Principal {
  const scp = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
  const kind = payload.idtyp === 'app' || (scp.length === 0 && payload.idtyp !== 'user') ? 'app' : 'user';
  return {
    tenantId: String(payload.tid).toLowerCase(),
    objectId: String(payload.oid),
    kind,
    scopes: new Set(kind === 'user' ? scp : []),
    roles: new Set(kind === 'app' ? roles : []),
    // v1 tokens name the client in `appid`, v2 tokens in `azp`.
    appId:
      typeof payload.appid === 'string' ? payload.appid : typeof payload.azp === 'string' ? payload.azp : undefined,
    userPrincipalName: typeof payload.upn === 'string' ? payload.upn : undefined,
  };
}
