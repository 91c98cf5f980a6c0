import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { defaultIdentity, ensureDefaultRegistrations, type DefaultIdentity } from '../auth/identity.js';
import { activeSigningKey } from '../auth/signing-key.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from '../store/migrations.js';
import { SqliteDatabase } from '../store/sqlite.js';
import { SqlStore } from '../store/sql-store.js';
import { createApp, randomIds } from './app.js';

let app: FastifyInstance;
let identity: DefaultIdentity;
let secret: string;
let password: string;
let kid: string;

before(async () => {
  const db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises);
  const store = new SqlStore(db);
  identity = await defaultIdentity(store, randomIds, new Date());
  const created = await ensureDefaultRegistrations(store, identity, onPremises, randomIds, new Date());
  secret = created.clientSecret!;
  password = created.password!;
  kid = (await activeSigningKey(store, new Date())).kid;
  app = createApp({ store, family: onPremises });
});
after(() => app.close());

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** Asserts Entra's error body, and that its ids are the response's. */
function entraError(
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  error: string,
  code: number,
) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  assert.deepEqual(
    Object.keys(body).sort(),
    [
      'correlation_id',
      'error',
      'error_codes',
      'error_description',
      'error_uri',
      'timestamp',
      'trace_id',
      ...('suberror' in body ? ['suberror'] : []),
    ].sort(),
  );
  assert.equal(body.error, error);
  assert.deepEqual(body.error_codes, [code]);
  assert.match(
    String(body.error_description),
    new RegExp(
      `^AADSTS${code}: .+ Trace ID: ${body.trace_id} Correlation ID: ${body.correlation_id} Timestamp: ${body.timestamp}$`,
    ),
  );
  assert.match(String(body.timestamp), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  assert.equal(body.trace_id, res.headers['x-ms-request-id']);
  return body;
}

describe('OpenID discovery', () => {
  test('v2.0 metadata of a tenant has what MSAL reads, on the origin called', async () => {
    const res = await app.inject({
      url: `/${identity.tenantId}/v2.0/.well-known/openid-configuration`,
      headers: { host: 'localhost:5443' },
    });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    const base = `http://localhost:5443/${identity.tenantId}`;
    assert.equal(doc.issuer, `http://localhost:5443/${identity.tenantId}/v2.0`);
    assert.equal(doc.token_endpoint, `${base}/oauth2/v2.0/token`);
    assert.equal(doc.authorization_endpoint, `${base}/oauth2/v2.0/authorize`);
    assert.equal(doc.jwks_uri, `${base}/discovery/v2.0/keys`);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
  });

  test('v1 metadata names the issuer Graph tokens carry and the v1 endpoints', async () => {
    const doc = (await app.inject({ url: `/${identity.tenantId}/.well-known/openid-configuration` })).json();
    assert.equal(doc.issuer, `https://sts.windows.net/${identity.tenantId}/`);
    assert.match(doc.token_endpoint, new RegExp(`/${identity.tenantId}/oauth2/token$`));
    assert.match(doc.jwks_uri, new RegExp(`/${identity.tenantId}/discovery/keys$`));
  });

  test('common and organizations: multi-tenant issuers with {tenantid}', async () => {
    for (const tenant of ['common', 'organizations', 'Common']) {
      const v2 = (await app.inject({ url: `/${tenant}/v2.0/.well-known/openid-configuration` })).json();
      assert.match(v2.issuer, /\/\{tenantid\}\/v2\.0$/);
      assert.match(v2.token_endpoint, new RegExp(`/${tenant.toLowerCase()}/oauth2/v2.0/token$`));
      assert.equal(
        (await app.inject({ url: `/${tenant}/.well-known/openid-configuration` })).json().issuer,
        'https://sts.windows.net/{tenantid}/',
      );
    }
  });

  test('an unknown tenant: AADSTS90002, as Entra ID answers', async () => {
    for (const tenant of [crypto.randomUUID(), 'contoso.onmicrosoft.com', 'consumers']) {
      entraError(
        await app.inject({ url: `/${tenant}/v2.0/.well-known/openid-configuration` }),
        400,
        'invalid_request',
        90002,
      );
      entraError(await app.inject({ url: `/${tenant}/discovery/v2.0/keys` }), 400, 'invalid_request', 90002);
    }
  });

  test("the key set has the signing key's public half only", async () => {
    for (const path of ['discovery/v2.0/keys', 'discovery/keys']) {
      const jwks = (await app.inject({ url: `/${identity.tenantId}/${path}` })).json();
      assert.equal(jwks.keys.length, 1);
      assert.deepEqual(Object.keys(jwks.keys[0]).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
      assert.equal(jwks.keys[0].kid, kid);
    }
  });
});

describe('user realm discovery', () => {
  test('every user is a managed (cloud) account, so MSAL goes on with the password grant', async () => {
    for (const path of ['userrealm', 'UserRealm']) {
      const res = await app.inject({ url: `/common/${path}/Alice@Contoso.com?api-version=1.0` });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.deepEqual(res.json(), {
        ver: '1.0',
        account_type: 'Managed',
        domain_name: 'contoso.com',
        cloud_instance_name: 'microsoftonline.com',
        cloud_audience_urn: 'urn:federation:MicrosoftOnline',
      });
    }
  });
});

describe('token endpoint over HTTP', () => {
  const credentials = () => ({
    grant_type: 'client_credentials',
    client_id: identity.appId,
    client_secret: secret,
    scope: 'https://graph.microsoft.com/.default',
  });

  test('a form POST gets a token that the Graph route accepts; no caching', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/${identity.tenantId}/oauth2/v2.0/token`,
      headers: FORM,
      payload: form(credentials()),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['cache-control']), /no-store/);
    assert.equal(res.headers.pragma, 'no-cache');
    const token = res.json().access_token as string;
    const groups = await app.inject({
      method: 'POST',
      url: '/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: { name: 'by an app' },
    });
    assert.ok(groups.statusCode === 200 || groups.statusCode === 201, groups.body);
  });

  test('client_secret_basic: the client id and secret in Authorization: Basic', async () => {
    const { client_secret: clientSecret, client_id: clientId, ...rest } = credentials();
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const res = await app.inject({
      method: 'POST',
      url: `/${identity.tenantId}/oauth2/v2.0/token`,
      headers: { ...FORM, authorization: `Basic ${basic}` },
      payload: form(rest),
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  test('the password grant, and the v1 endpoint with resource', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/${identity.tenantId}/oauth2/v2.0/token`,
      headers: FORM,
      payload: form({
        grant_type: 'password',
        client_id: identity.appId,
        username: identity.userPrincipalName,
        password,
        scope: 'https://graph.microsoft.com/.default openid profile offline_access',
        client_info: '1',
      }),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(decodeJwt(res.json().id_token).preferred_username, identity.userPrincipalName);
    const v1 = await app.inject({
      method: 'POST',
      url: `/${identity.tenantId}/oauth2/token`,
      headers: FORM,
      payload: form({
        grant_type: 'client_credentials',
        client_id: identity.appId,
        client_secret: secret,
        resource: 'https://graph.microsoft.com/',
      }),
    });
    assert.equal(v1.statusCode, 200, v1.body);
  });

  test("errors carry the client correlation id (header, or MSAL's query parameter)", async () => {
    const bad = form({ ...credentials(), client_secret: 'wrong' });
    const viaHeader = entraError(
      await app.inject({
        method: 'POST',
        url: `/common/oauth2/v2.0/token`,
        headers: { ...FORM, 'client-request-id': 'abc-123' },
        payload: bad,
      }),
      401,
      'invalid_client',
      7000215,
    );
    assert.equal(viaHeader.correlation_id, 'abc-123');
    const viaQuery = entraError(
      await app.inject({
        method: 'POST',
        url: `/common/oauth2/v2.0/token?client-request-id=def-456`,
        headers: FORM,
        payload: bad,
      }),
      401,
      'invalid_client',
      7000215,
    );
    assert.equal(viaQuery.correlation_id, 'def-456');
    const none = entraError(
      await app.inject({ method: 'POST', url: `/common/oauth2/v2.0/token`, headers: FORM, payload: bad }),
      401,
      'invalid_client',
      7000215,
    );
    assert.equal(none.correlation_id, none.trace_id);
  });

  test('a body that is not a form has no parameters; other methods are refused; no interactive flows', async () => {
    const url = `/${identity.tenantId}/oauth2/v2.0/token`;
    entraError(
      await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(credentials()),
      }),
      400,
      'invalid_request',
      900144,
    );
    entraError(
      await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{not json' }),
      400,
      'invalid_request',
      900144,
    );
    entraError(
      await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'text/plain' },
        payload: 'grant_type=client_credentials',
      }),
      400,
      'invalid_request',
      900144,
    );
    entraError(await app.inject({ method: 'POST', url }), 400, 'invalid_request', 900144);
    entraError(
      await app.inject({ method: 'POST', url, headers: FORM, payload: 'x='.padEnd(70_000, 'y') }),
      400,
      'invalid_request',
      90014,
    );
    entraError(await app.inject({ method: 'GET', url }), 405, 'invalid_request', 900561);
    entraError(
      await app.inject({ method: 'GET', url: `/${identity.tenantId}/oauth2/v2.0/authorize?client_id=x` }),
      400,
      'unsupported_grant_type',
      70003,
    );
  });

  test('the Graph route is unchanged beside them: its own errors, and no form bodies', async () => {
    assert.equal((await app.inject({ url: '/beta/' })).statusCode, 200);
    const res = await app.inject({
      method: 'POST',
      url: '/beta/onPremisesPublishingProfiles/applicationProxy/connectors',
      headers: { ...FORM, authorization: 'Bearer x' },
      payload: 'a=b',
    });
    assert.equal(res.statusCode, 415, res.body);
    assert.equal(res.json().error.code, 'BadRequest');
    assert.equal((await app.inject({ url: '/v2.0/x' })).json().error.message, 'Invalid version.');
  });
});
