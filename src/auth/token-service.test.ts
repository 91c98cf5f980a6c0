import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { OAuthError } from '../graph/errors.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from '../store/migrations.js';
import { SqliteDatabase } from '../store/sqlite.js';
import { SqlStore } from '../store/sql-store.js';
import { SignInLockout } from './lockout.js';
import { registerApp, registerUser } from './registrations.js';
import { TokenService, type TokenGrantRequest } from './token-service.js';
import { issuerFor } from './tokens.js';
import { TokenVerifier } from './verifier.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER = '9188040d-6c67-4c5b-b112-36a304b66dad';
const ORIGIN = 'https://localhost:5443';
const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default';
const T0 = new Date('2025-06-01T12:00:00Z');

let store: SqlStore;
let service: TokenService;
let clientId: string;
let secret: string;
let otherClientId: string;
let otherSecret: string;
let userId: string;
const ids = { newId: () => crypto.randomUUID() };

before(async () => {
  const db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises);
  store = new SqlStore(db);
  const app = (await registerApp(
    store,
    {
      tenantId: TENANT,
      displayName: 'Contoso tool',
      roles: ['Directory.ReadWrite.All'],
      scopes: ['Directory.ReadWrite.All', 'Application.Read.All'],
    },
    ids,
    T0,
  ))!;
  clientId = app.registration.clientId;
  secret = app.clientSecret;
  const other = (await registerApp(
    store,
    { tenantId: OTHER, displayName: 'Fabrikam tool', roles: [], scopes: [] },
    ids,
    T0,
  ))!;
  otherClientId = other.registration.clientId;
  otherSecret = other.clientSecret;
  userId = (
    await registerUser(
      store,
      { tenantId: TENANT, userPrincipalName: 'Alice@contoso.com', password: 'Pa55word!' },
      ids,
      T0,
    )
  ).id;
  service = new TokenService(store, () => T0);
});

function request(params: Record<string, string>, overrides: Partial<TokenGrantRequest> = {}): TokenGrantRequest {
  return { tenant: TENANT, params, origin: ORIGIN, endpoint: 'v2', ...overrides };
}
const credentials = (extra: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_id: clientId,
  client_secret: secret,
  scope: GRAPH_DEFAULT,
  ...extra,
});
const password = (extra: Record<string, string> = {}) => ({
  grant_type: 'password',
  client_id: clientId,
  username: 'alice@contoso.com',
  password: 'Pa55word!',
  scope: `${GRAPH_DEFAULT} openid profile offline_access`,
  client_info: '1',
  ...extra,
});

function refused(aadsts: number, error: string, status = 400) {
  return (e: unknown) => {
    assert.ok(e instanceof OAuthError, `expected an OAuthError, got ${String(e)}`);
    assert.equal(e.aadsts, aadsts, e.message);
    assert.equal(e.error, error);
    assert.equal(e.status, status);
    return true;
  };
}

describe('client_credentials', () => {
  test('an app-only token with the granted roles, which the Graph verifier accepts', async () => {
    const body = await service.grant(request(credentials()));
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
    const claims = decodeJwt(body.access_token);
    assert.equal(claims.iss, issuerFor(TENANT));
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.appid, clientId);
    assert.equal(claims.appidacr, '1');
    assert.deepEqual(claims.roles, ['Directory.ReadWrite.All']);
    const principal = await new TokenVerifier(store, () => T0).verify(`Bearer ${body.access_token}`);
    assert.equal(principal.kind, 'app');
    assert.equal(principal.tenantId, TENANT);
  });

  test('Graph by app id, localgraph by its own origin, common and organizations, upper-case ids', async () => {
    for (const scope of [
      '00000003-0000-0000-c000-000000000000/.default',
      `${ORIGIN}/.default`,
      'https://graph.microsoft.com//.default',
    ]) {
      await service.grant(request(credentials({ scope })));
    }
    // MSAL for Go sends the OpenID scopes with every grant; Entra ignores them here.
    const withOidc = await service.grant(
      request(credentials({ scope: `${GRAPH_DEFAULT} openid offline_access profile` })),
    );
    assert.equal(decodeJwt(withOidc.access_token).roles?.toString(), 'Directory.ReadWrite.All');
    assert.equal(withOidc.id_token, undefined);
    for (const tenant of ['common', 'organizations', TENANT.toUpperCase()])
      await service.grant(request(credentials({ client_id: clientId.toUpperCase() }), { tenant }));
  });

  test('refusals, with Entra ID codes', async () => {
    await assert.rejects(
      service.grant(request(credentials({ client_secret: 'wrong' }))),
      refused(7000215, 'invalid_client', 401),
    );
    await assert.rejects(
      service.grant(request(credentials({ client_secret: '' }))),
      refused(7000218, 'invalid_client', 401),
    );
    await assert.rejects(
      service.grant(request(credentials({ client_secret: otherSecret }))),
      refused(7000215, 'invalid_client', 401),
    );
    await assert.rejects(
      service.grant(request(credentials({ scope: 'https://graph.microsoft.com/Directory.ReadWrite.All' }))),
      refused(1002012, 'invalid_scope'),
    );
    await assert.rejects(
      service.grant(request(credentials({ scope: 'openid offline_access profile' }))),
      refused(1002012, 'invalid_scope'),
    );
    await assert.rejects(
      service.grant(request(credentials({ scope: 'api://unknown/.default' }))),
      refused(500011, 'invalid_resource'),
    );
    await assert.rejects(
      service.grant(request(credentials({ scope: `${GRAPH_DEFAULT} api://x/.default` }))),
      refused(28000, 'invalid_scope'),
    );
    await assert.rejects(service.grant(request(credentials({ scope: '' }))), refused(900144, 'invalid_request'));
    await assert.rejects(service.grant(request(credentials({ grant_type: '' }))), refused(900144, 'invalid_request'));
    await assert.rejects(
      service.grant(request(credentials({ grant_type: 'authorization_code' }))),
      refused(70003, 'unsupported_grant_type'),
    );
    await assert.rejects(service.grant(request(credentials({ client_id: '' }))), refused(900144, 'invalid_request'));
    await assert.rejects(
      service.grant(request(credentials({ client_id: crypto.randomUUID() }))),
      refused(700016, 'unauthorized_client'),
    );
  });

  test('a tenant that does not exist, or a client of another tenant: not found, alike', async () => {
    await assert.rejects(
      service.grant(request(credentials(), { tenant: crypto.randomUUID() })),
      refused(90002, 'invalid_request'),
    );
    await assert.rejects(
      service.grant(request(credentials(), { tenant: 'contoso.onmicrosoft.com' })),
      refused(90002, 'invalid_request'),
    );
    await assert.rejects(
      service.grant(request(credentials({ client_id: otherClientId, client_secret: otherSecret }))),
      refused(700016, 'unauthorized_client'),
    );
  });

  test('the v1 endpoint takes `resource` and answers with it', async () => {
    const body = await service.grant(
      request(
        {
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: secret,
          resource: 'https://graph.microsoft.com',
        },
        { endpoint: 'v1' },
      ),
    );
    assert.equal(body.resource, 'https://graph.microsoft.com');
    await assert.rejects(service.grant(request(credentials(), { endpoint: 'v1' })), refused(900144, 'invalid_request'));
  });
});

describe('password', () => {
  test('a user token with every consented scope, an ID token and client_info for MSAL', async () => {
    const body = await service.grant(request(password()));
    const access = decodeJwt(body.access_token);
    assert.equal(access.idtyp, 'user');
    assert.equal(access.oid, userId);
    assert.equal(access.upn, 'Alice@contoso.com');
    assert.equal(access.scp, 'Directory.ReadWrite.All Application.Read.All');
    assert.equal(access.appidacr, '0', 'a public client');
    assert.equal(
      body.scope,
      'https://graph.microsoft.com/Directory.ReadWrite.All https://graph.microsoft.com/Application.Read.All https://graph.microsoft.com/.default openid profile',
    );
    const id = decodeJwt(body.id_token!);
    assert.equal(id.aud, clientId);
    assert.equal(id.iss, `${ORIGIN}/${TENANT}/v2.0`);
    assert.equal(id.oid, userId);
    assert.equal(id.tid, TENANT);
    assert.equal(id.preferred_username, 'Alice@contoso.com');
    assert.deepEqual(JSON.parse(Buffer.from(body.client_info!, 'base64url').toString('utf8')), {
      uid: userId,
      utid: TENANT,
    });
    const principal = await new TokenVerifier(store, () => T0).verify(`Bearer ${body.access_token}`);
    assert.equal(principal.kind, 'user');
    assert.deepEqual(principal.scopes, new Set(['Directory.ReadWrite.All', 'Application.Read.All']));
  });

  test('an explicit consented scope gets all consented scopes (as Entra ID); no openid, no ID token', async () => {
    const body = await service.grant(request(password({ scope: 'Application.Read.All', client_info: '0' })));
    assert.equal(decodeJwt(body.access_token).scp, 'Directory.ReadWrite.All Application.Read.All');
    assert.equal(body.id_token, undefined);
    assert.equal(body.client_info, undefined);
  });

  test('a confidential client may send its secret; then it must be right', async () => {
    const body = await service.grant(request(password({ client_secret: secret })));
    assert.equal(decodeJwt(body.access_token).appidacr, '1');
    await assert.rejects(
      service.grant(request(password({ client_secret: 'nope' }))),
      refused(7000215, 'invalid_client', 401),
    );
  });

  test('refusals, with Entra ID codes; the unknown user is not named, and answered as a wrong password (50126, not 50034)', async () => {
    await assert.rejects(service.grant(request(password({ scope: 'Mail.Read' }))), (e: unknown) => {
      refused(65001, 'invalid_grant')(e);
      assert.equal((e as OAuthError).suberror, 'consent_required');
      return true;
    });
    await assert.rejects(service.grant(request(password({ username: 'mallory@contoso.com' }))), (e: unknown) => {
      refused(50126, 'invalid_grant')(e);
      assert.ok(!(e as Error).message.includes('mallory'), 'the user name is not echoed');
      return true;
    });
    await assert.rejects(service.grant(request(password({ password: '' }))), refused(900144, 'invalid_request'));
    await assert.rejects(service.grant(request(password({ username: '' }))), refused(900144, 'invalid_request'));
    await assert.rejects(
      service.grant(request(password({ client_id: otherClientId }), { tenant: OTHER })),
      refused(50126, 'invalid_grant'),
    );
  });

  test('smart lockout: ten wrong passwords lock the account; then even the right one is refused', async () => {
    let now = T0.getTime();
    const locking = new TokenService(store, () => new Date(now), { lockout: new SignInLockout(() => now) });
    for (let i = 0; i < 10; i++)
      await assert.rejects(
        locking.grant(request(password({ password: `guess-${i}` }))),
        refused(50126, 'invalid_grant'),
      );
    await assert.rejects(locking.grant(request(password())), refused(50053, 'invalid_grant'));
    await assert.rejects(locking.grant(request(password({ password: 'guess-11' }))), refused(50053, 'invalid_grant'));
    now += 61_000;
    await locking.grant(request(password()));
  });
});
