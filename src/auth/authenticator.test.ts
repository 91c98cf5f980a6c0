import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { GraphError } from '../graph/errors.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from '../store/migrations.js';
import { SqliteDatabase } from '../store/sqlite.js';
import { SqlStore } from '../store/sql-store.js';
import { ClaimsAuthenticator, OffAuthenticator, StrictAuthenticator } from './authenticator.js';
import type { Principal } from './principal.js';
import { activeSigningKey, type SigningKey } from './signing-key.js';
import { GRAPH_AUDIENCES, issueAccessToken } from './tokens.js';
import { TrustedIssuers } from './trusted-issuers.js';
import { TokenVerifier } from './verifier.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const FOREIGN_TENANT = '3b0c4a2e-5a1f-4c3e-9d7b-1f2e3d4c5b6a';
const AUDIENCE = 'api://localgraph';

/** A second, local OpenID issuer whose keys the test rotates, counting JWKS fetches. */
class LocalIssuer {
  server!: Server;
  keys: { kid: string; privateKey: CryptoKey; jwk: JWK }[] = [];
  jwksFetches = 0;
  redirectsServed = 0;
  constructor(private readonly issuerPath: (origin: string) => string) {}

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  get issuer(): string {
    return this.issuerPath(this.origin);
  }
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/tenant/.well-known/openid-configuration')
        return res.end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.origin}/keys` }));
      // Hostile or careless metadata: a redirect elsewhere, a key set in clear on another host.
      if (req.url === '/redirect/.well-known/openid-configuration') {
        this.redirectsServed++;
        res.statusCode = 302;
        res.setHeader('location', '/tenant/.well-known/openid-configuration');
        return res.end();
      }
      if (req.url === '/plain-keys/.well-known/openid-configuration')
        return res.end(JSON.stringify({ issuer: this.issuer, jwks_uri: 'http://keys.example.invalid/keys' }));
      if (req.url === '/keys') {
        this.jwksFetches++;
        return res.end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
      }
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }
  async addKey(kid: string): Promise<{ kid: string; privateKey: CryptoKey }> {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const key = {
      kid,
      privateKey: pair.privateKey,
      jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' },
    };
    this.keys.push(key);
    return key;
  }
  token(
    key: { kid: string; privateKey: CryptoKey },
    claims: JWTPayload = {},
    header: Record<string, unknown> = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: this.issuer,
      aud: AUDIENCE,
      tid: FOREIGN_TENANT,
      oid: 'c0ffee00-0000-4000-8000-000000000001',
      scp: 'Directory.ReadWrite.All',
      iat: now,
      nbf: now,
      exp: now + 600,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header } as { alg: string })
      .sign(key.privateKey);
  }
}

let store: SqlStore;
let ownKey: SigningKey;
const single = new LocalIssuer((origin) => `${origin}/tenant/v2.0-issuer`);
const multi = new LocalIssuer((origin) => `${origin}/{tenantid}/v2.0`);

before(async () => {
  const db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises);
  store = new SqlStore(db);
  ownKey = await activeSigningKey(store, new Date());
  await store.ensureTenant(TENANT, new Date());
  // The tenant the trusted issuers are mapped to exists, as `serve` makes it at start.
  await store.ensureTenant(FOREIGN_TENANT, new Date());
  await single.start();
  await multi.start();
});
after(() => {
  single.server.close();
  multi.server.close();
});

/** Trusts these issuers, each for FOREIGN_TENANT (or the tenants given). */
function strict(urls: string[], tenants = [FOREIGN_TENANT]): StrictAuthenticator {
  const now = () => new Date();
  return new StrictAuthenticator(
    store,
    new TokenVerifier(store, now),
    new TrustedIssuers(
      urls.map((url) => ({ url, tenants })),
      { audiences: [...GRAPH_AUDIENCES, AUDIENCE], now, cooldownMs: 0 },
    ),
  );
}

function unauthorized(message: RegExp | string) {
  return (error: unknown) => {
    assert.ok(error instanceof GraphError, String(error));
    assert.equal(error.status, 401);
    assert.equal(error.code, 'InvalidAuthenticationToken');
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}

const own = (tenantId = TENANT) =>
  issueAccessToken(
    ownKey,
    {
      tenantId,
      appId: crypto.randomUUID(),
      user: { objectId: crypto.randomUUID(), userPrincipalName: 'a@contoso.com' },
      scopes: ['Directory.ReadWrite.All'],
    },
    new Date(),
  );

describe('strict, with a trusted issuer', () => {
  test('its tokens are verified with its published keys; ours still are with ours', async () => {
    const auth = strict([`${single.origin}/tenant`]);
    const key = await single.addKey('k1');
    const principal = await auth.authenticate(`Bearer ${await single.token(key)}`);
    assert.equal(principal.tenantId, FOREIGN_TENANT);
    assert.equal(principal.kind, 'user');
    assert.deepEqual(principal.scopes, new Set(['Directory.ReadWrite.All']));
    assert.equal((await auth.authenticate(`Bearer ${await own()}`)).tenantId, TENANT);
    // App-only v2 tokens may name the caller by sub only.
    const app = await auth.authenticate(
      `Bearer ${await single.token(key, { oid: undefined, sub: 'app-sub', scp: undefined, roles: ['Directory.ReadWrite.All'], azp: 'client-1' })}`,
    );
    assert.equal(app.kind, 'app');
    assert.equal(app.objectId, 'app-sub');
    assert.equal(app.appId, 'client-1');
  });

  test('a rotated key is fetched on its first unknown kid; a kid the issuer never published is refused', async () => {
    const auth = strict([`${single.origin}/tenant`]);
    const k1 = single.keys[0] ?? (await single.addKey('k1'));
    await auth.authenticate(`Bearer ${await single.token(k1)}`);
    const fetches = single.jwksFetches;
    const k2 = await single.addKey('k2');
    single.keys = single.keys.filter((k) => k.kid !== 'k1');
    await auth.authenticate(`Bearer ${await single.token(k2)}`);
    assert.equal(single.jwksFetches, fetches + 1, 'one refresh for the new kid');
    const stranger = await generateKeyPair('RS256');
    await assert.rejects(
      auth.authenticate(`Bearer ${await single.token({ kid: 'never', privateKey: stranger.privateKey })}`),
      unauthorized('Access token validation failure. The signing key is not known.'),
    );
  });

  test('its tokens are held to audience, lifetime, signature, algorithm and tenant', async () => {
    const auth = strict([`${single.origin}/tenant`]);
    const key = single.keys.at(-1)!;
    const now = Math.floor(Date.now() / 1000);
    await assert.rejects(
      auth.authenticate(`Bearer ${await single.token(key, { aud: 'api://someone-else' })}`),
      unauthorized('Access token validation failure. Invalid audience.'),
    );
    await assert.rejects(
      auth.authenticate(`Bearer ${await single.token(key, { exp: now - 400, iat: now - 1000, nbf: now - 1000 })}`),
      unauthorized('Access token has expired or is not yet valid.'),
    );
    await assert.rejects(
      auth.authenticate(`Bearer ${await single.token(key, { nbf: now + 400, iat: now + 400 })}`),
      unauthorized('Access token has expired or is not yet valid.'),
    );
    const [h, p, s] = (await single.token(key)).split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), scp: 'Application.ReadWrite.All' }),
    ).toString('base64url');
    await assert.rejects(
      auth.authenticate(`Bearer ${h}.${forged}.${s}`),
      unauthorized('Access token validation failure.'),
    );
    const hs = await new SignJWT({ iss: single.issuer, aud: AUDIENCE, tid: FOREIGN_TENANT, exp: now + 600 })
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .sign(new TextEncoder().encode(JSON.stringify(key.jwk)));
    await assert.rejects(auth.authenticate(`Bearer ${hs}`), unauthorized(/^Access token validation failure/));
    await assert.rejects(
      auth.authenticate(`Bearer ${await single.token(key, { tid: undefined })}`),
      unauthorized('Access token validation failure. Invalid tenant.'),
    );
  });

  test('a multi-tenant issuer ({tenantid}): iss must name the token tenant', async () => {
    const auth = strict([`${multi.origin}/tenant`]);
    const key = await multi.addKey('m1');
    const ok = await auth.authenticate(
      `Bearer ${await multi.token(key, { iss: `${multi.origin}/${FOREIGN_TENANT}/v2.0` })}`,
    );
    assert.equal(ok.tenantId, FOREIGN_TENANT);
    await assert.rejects(
      auth.authenticate(`Bearer ${await multi.token(key, { iss: `${multi.origin}/${TENANT}/v2.0` })}`),
      unauthorized(/^Access token validation failure/),
    );
  });

  test('tokens of an issuer nobody trusts are refused, as are ours for a tenant we never made', async () => {
    const auth = strict([`${single.origin}/tenant`]);
    const key = await multi.addKey('m2');
    await assert.rejects(
      auth.authenticate(`Bearer ${await multi.token(key, { iss: 'https://login.microsoftonline.com/x/v2.0' })}`),
      unauthorized(/^Access token validation failure/),
    );
    await assert.rejects(
      auth.authenticate(`Bearer ${await own(crypto.randomUUID())}`),
      unauthorized('Access token validation failure. Invalid tenant.'),
    );
  });

  test('an unreachable issuer is reported and its tokens refused, not waited on forever', async () => {
    const trusted = new TrustedIssuers(['http://127.0.0.1:1/nothing'], {
      audiences: [AUDIENCE],
      now: () => new Date(),
      timeoutMs: 1000,
    });
    assert.deepEqual(await trusted.prefetch(), ['http://127.0.0.1:1/nothing']);
    const auth = new StrictAuthenticator(store, new TokenVerifier(store, () => new Date()), trusted);
    await assert.rejects(
      auth.authenticate(`Bearer ${await single.token(single.keys.at(-1)!)}`),
      unauthorized(/^Access token validation failure/),
    );
  });

  test('a trusted issuer acts only in the tenants it is mapped to, and its tokens never make a tenant', async () => {
    const key = await multi.addKey('m3');
    const elsewhere = crypto.randomUUID();
    await store.ensureTenant(elsewhere, new Date());
    const auth = strict([`${multi.origin}/tenant`]);
    // A multi-tenant issuer signs for any tenant; an existing tenant it was not mapped to is refused.
    await assert.rejects(
      auth.authenticate(
        `Bearer ${await multi.token(key, { tid: elsewhere, iss: `${multi.origin}/${elsewhere}/v2.0` })}`,
      ),
      unauthorized('Access token validation failure. Invalid tenant.'),
    );
    // Mapped to a tenant that does not exist (yet): refused, and not made.
    const absent = crypto.randomUUID();
    const mapped = strict([`${multi.origin}/tenant`], [absent]);
    await assert.rejects(
      mapped.authenticate(`Bearer ${await multi.token(key, { tid: absent, iss: `${multi.origin}/${absent}/v2.0` })}`),
      unauthorized('Access token validation failure. Invalid tenant.'),
    );
    assert.equal(await store.hasTenant(absent), false);
    // A bare URL stands for the tenant its path names.
    assert.deepEqual(
      new TrustedIssuers([`https://login.microsoftonline.com/${FOREIGN_TENANT.toUpperCase()}/v2.0`], {
        audiences: [],
        now: () => new Date(),
      }).specs[0].tenants,
      [FOREIGN_TENANT],
    );
  });

  test('discovery follows no redirect, and a key set outside https is refused', async () => {
    const options = { audiences: [AUDIENCE], now: () => new Date(), timeoutMs: 2000 };
    const redirected = new TrustedIssuers([{ url: `${single.origin}/redirect`, tenants: [FOREIGN_TENANT] }], options);
    assert.deepEqual(await redirected.prefetch(), [`${single.origin}/redirect`]);
    assert.equal(single.redirectsServed, 1, 'asked once, not followed');
    const plain = new TrustedIssuers([{ url: `${single.origin}/plain-keys`, tenants: [FOREIGN_TENANT] }], options);
    assert.deepEqual(await plain.prefetch(), [`${single.origin}/plain-keys`]);
  });

  test('only https issuers, or http on the loopback', () => {
    assert.throws(
      () => new TrustedIssuers(['http://login.example.com/t'], { audiences: [], now: () => new Date() }),
      /must use https/,
    );
    assert.doesNotThrow(
      () =>
        new TrustedIssuers(['https://login.microsoftonline.com/t/v2.0', 'http://localhost:9/x'], {
          audiences: [],
          now: () => new Date(),
        }),
    );
  });
});

describe('claims', () => {
  const auth = new ClaimsAuthenticator();
  const unsigned = (claims: Record<string, unknown>) =>
    `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

  test("believes any token's tenant and permissions, signed or not", async () => {
    const principal = await auth.authenticate(
      `Bearer ${unsigned({ tid: FOREIGN_TENANT, oid: 'u1', scp: 'Directory.ReadWrite.All' })}`,
    );
    assert.deepEqual(
      [principal.tenantId, principal.kind, [...principal.scopes]],
      [FOREIGN_TENANT, 'user', ['Directory.ReadWrite.All']],
    );
    const app = await auth.authenticate(
      `Bearer ${unsigned({ tid: FOREIGN_TENANT, sub: 'sp', roles: ['Directory.ReadWrite.All'], exp: 1 })}`,
    );
    assert.deepEqual([app.kind, app.objectId, [...app.roles]], ['app', 'sp', ['Directory.ReadWrite.All']]);
    assert.equal(auth.enforcesPermissions, true);
  });

  test('tokens of new tenants are refused once the store holds the limit', async () => {
    const db = new SqliteDatabase(':memory:');
    await migrateFamily(db, onPremises);
    const own = new SqlStore(db);
    await own.ensureTenant(TENANT, new Date());
    const bounded = new ClaimsAuthenticator(own, 3);
    const fresh = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const results = await Promise.allSettled(
      [...fresh, TENANT].map((tid) =>
        bounded.authenticate(`Bearer ${unsigned({ tid, oid: 'u', scp: 'Directory.Read.All' })}`),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
      'two new tenants fit beside the one there; the third does not; the existing one always works',
    );
    await assert.rejects(
      bounded.authenticate(`Bearer ${unsigned({ tid: fresh[2], oid: 'u' })}`),
      unauthorized(/Invalid tenant\. This localgraph \(--auth claims\) holds 3 tenants/),
    );
    assert.ok(
      await bounded.authenticate(`Bearer ${unsigned({ tid: fresh[0], oid: 'u' })}`),
      'a tenant admitted before stays admitted',
    );
    await own.close();
  });

  test('still needs a token, one that decodes, with a tenant id', async () => {
    await assert.rejects(auth.authenticate(undefined), unauthorized('Access token is empty.'));
    await assert.rejects(
      auth.authenticate('Bearer not-a-jwt'),
      unauthorized('CompactToken parsing failed with error code: 80049217'),
    );
    await assert.rejects(
      auth.authenticate(`Bearer ${unsigned({ oid: 'u1', scp: 'x' })}`),
      unauthorized('Access token validation failure. Invalid tenant.'),
    );
    await assert.rejects(
      auth.authenticate(`Bearer ${'a'.repeat(20_000)}`),
      unauthorized('Access token validation failure. The token is too large.'),
    );
  });
});

describe('off', () => {
  test('every request is the given principal, token or not; permissions are not enforced', async () => {
    const principal: Principal = {
      tenantId: TENANT,
      objectId: 'u',
      kind: 'user',
      scopes: new Set(['A']),
      roles: new Set(),
    };
    const auth = new OffAuthenticator(principal);
    assert.equal(await auth.authenticate(undefined), principal);
    assert.equal(await auth.authenticate('Bearer garbage'), principal);
    assert.equal(auth.enforcesPermissions, false);
  });
});
