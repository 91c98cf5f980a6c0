import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKey } from './signing-key.js';

/**
 * Access tokens with the claim shape of Entra ID tokens for Microsoft Graph (v1.0 format,
 * `aud` Graph, `iss` the tenant's STS), so authorization code that reads `tid`, `oid`, `scp`,
 * `roles` and `idtyp` behaves the same against localgraph as against Graph.
 */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
export const GRAPH_AUDIENCES = [GRAPH_AUDIENCE, `${GRAPH_AUDIENCE}/`, '00000003-0000-0000-c000-000000000000'];

export function issuerFor(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

export interface TokenClaimsInput {
  tenantId: string;
  appId: string;
  /** Delegated token: the signed-in user. */
  user?: { objectId: string; userPrincipalName: string; name?: string };
  /** App-only token: the service principal's object id. */
  servicePrincipalId?: string;
  scopes?: string[];
  roles?: string[];
  lifetimeSeconds?: number;
  /** How the client authenticated: `0` public client, `1` client secret (the default), `2` certificate. */
  appidacr?: '0' | '1' | '2';
}

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

export async function issueAccessToken(key: SigningKey, input: TokenClaimsInput, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const lifetime = input.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  const delegated = input.user !== undefined;
  const objectId = delegated ? input.user!.objectId : (input.servicePrincipalId ?? input.appId);
  const claims: Record<string, unknown> = {
    aud: GRAPH_AUDIENCE,
    iss: issuerFor(input.tenantId),
    iat,
    nbf: iat,
    exp: iat + lifetime,
    tid: input.tenantId,
    oid: objectId,
    sub: objectId,
    appid: input.appId,
    appidacr: input.appidacr ?? '1',
    idtyp: delegated ? 'user' : 'app',
    ver: '1.0',
    uti: randomUUID().replace(/-/g, ''),
  };
  if (delegated) {
    claims.scp = (input.scopes ?? []).join(' ');
    claims.upn = input.user!.userPrincipalName;
    claims.unique_name = input.user!.userPrincipalName;
    if (input.user!.name) claims.name = input.user!.name;
  } else {
    claims.roles = input.roles ?? [];
  }
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
}

export interface IdTokenInput {
  /** The v2.0 issuer of the authority the token was asked from: `{origin}/{tid}/v2.0`. */
  issuer: string;
  tenantId: string;
  clientId: string;
  user: { objectId: string; userPrincipalName: string; name: string };
  lifetimeSeconds?: number;
}

/**
 * The ID token a password sign-in returns next to the access token (v2.0 claims). The Microsoft
 * identity libraries build the signed-in account from it (`oid`, `tid`, `preferred_username`).
 */
export async function issueIdToken(key: SigningKey, input: IdTokenInput, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({
    aud: input.clientId,
    iss: input.issuer,
    iat,
    nbf: iat,
    exp: iat + (input.lifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS),
    name: input.user.name,
    oid: input.user.objectId,
    preferred_username: input.user.userPrincipalName,
    sub: input.user.objectId,
    tid: input.tenantId,
    ver: '2.0',
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .sign(key.privateKey);
}

/** `client_info`: the account's home ids, base64url JSON, which MSAL keys its cache by. */
export function clientInfo(objectId: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: objectId, utid: tenantId })).toString('base64url');
}
