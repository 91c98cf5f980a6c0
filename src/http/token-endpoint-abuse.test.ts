import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { defaultIdentity, ensureDefaultRegistrations, type DefaultIdentity } from '../auth/identity.js';
import { registerApp, registerUser } from '../auth/registrations.js';
import { SecretChecker } from '../auth/secret-checker.js';
import { TokenService } from '../auth/token-service.js';
import { TokenThrottle } from '../auth/token-throttle.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from '../store/migrations.js';
import { SqliteDatabase } from '../store/sqlite.js';
import { SqlStore } from '../store/sql-store.js';
import { createApp, randomIds } from './app.js';

/**
 * The token endpoint under attack (issue 16): parallel password guesses, floods of wrong client
 * secrets, user enumeration, malformed Basic credentials and cross-site form posts.
 */
let store: SqlStore;
let identity: DefaultIdentity;
let secret: string;

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default';

before(async () => {
  const db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises);
  store = new SqlStore(db);
  identity = await defaultIdentity(store, randomIds, new Date());
  secret = (await ensureDefaultRegistrations(store, identity, onPremises, randomIds, new Date())).clientSecret!;
});

function appWith(options: ConstructorParameters<typeof TokenService>[2] = {}): FastifyInstance {
  return createApp({ store, family: onPremises, tokens: new TokenService(store, () => new Date(), options) });
}

function post(
  app: FastifyInstance,
  params: Record<string, string>,
  extra: { headers?: Record<string, string>; remoteAddress?: string } = {},
) {
  return app.inject({
    method: 'POST',
    url: `/${identity.tenantId}/oauth2/v2.0/token`,
    headers: { ...FORM, ...extra.headers },
    payload: form(params),
    remoteAddress: extra.remoteAddress,
  });
}

const clientCredentials = (clientSecret: string) => ({
  grant_type: 'client_credentials',
  client_id: identity.appId,
  client_secret: clientSecret,
  scope: GRAPH_DEFAULT,
});
const passwordGrant = (username: string, password: string) => ({
  grant_type: 'password',
  client_id: identity.appId,
  username,
  password,
  scope: GRAPH_DEFAULT,
});
const codes = (res: { body: string }) => (JSON.parse(res.body) as { error_codes?: number[] }).error_codes?.[0];

describe('password lockout under parallel guesses', () => {
  test('60 guesses sent at once and the right password in the same burst: no token, at most 10 checked', async () => {
    const app = appWith();
    await registerUser(
      store,
      { tenantId: identity.tenantId, userPrincipalName: 'burst@contoso.com', password: 'Right-Password-1' },
      randomIds,
      new Date(),
    );
    const burst = Array.from({ length: 60 }, (_, i) => post(app, passwordGrant('burst@contoso.com', `guess-${i}`)));
    burst.push(post(app, passwordGrant('burst@contoso.com', 'Right-Password-1')));
    const answers = await Promise.all(burst);
    assert.equal(answers.filter((r) => r.statusCode === 200).length, 0, 'no token in the burst');
    assert.ok(answers.filter((r) => codes(r) === 50126).length <= 10, 'at most the threshold was checked');
    assert.equal(codes(answers.at(-1)!), 50053, 'the right password is refused as locked');
    assert.equal(
      codes(await post(app, passwordGrant('burst@contoso.com', 'Right-Password-1'))),
      50053,
      'and stays locked after the burst',
    );
    await app.close();
  });
});

describe('user enumeration at password sign-in', () => {
  test('an unknown user and a wrong password get the same answer, and the lockout, alike', async () => {
    const app = appWith();
    await registerUser(
      store,
      { tenantId: identity.tenantId, userPrincipalName: 'known@contoso.com', password: 'Right-Password-2' },
      randomIds,
      new Date(),
    );
    const known = await post(app, passwordGrant('known@contoso.com', 'wrong'));
    const unknown = await post(app, passwordGrant('nobody@contoso.com', 'wrong'));
    assert.equal(known.statusCode, unknown.statusCode);
    assert.equal(codes(known), 50126);
    assert.equal(codes(unknown), 50126);
    assert.equal(
      JSON.parse(known.body).error_description.split(' Trace ID')[0],
      JSON.parse(unknown.body).error_description.split(' Trace ID')[0],
    );
    for (let i = 0; i < 10; i++) await post(app, passwordGrant('nobody@contoso.com', `w-${i}`));
    assert.equal(
      codes(await post(app, passwordGrant('nobody@contoso.com', 'any'))),
      50053,
      'an unknown user locks like a known one',
    );
    await app.close();
  });

  test('an unknown user costs the same hashing as a known one, every time', async () => {
    const checker = new SecretChecker();
    const app = appWith({ secrets: checker });
    await post(app, passwordGrant(identity.userPrincipalName, 'not-it'));
    assert.equal(checker.hashes, 1);
    await post(app, passwordGrant('ghost@contoso.com', 'not-it'));
    assert.equal(checker.hashes, 2);
    await post(app, passwordGrant('phantom@contoso.com', 'not-it'));
    assert.equal(
      checker.hashes,
      3,
      'the same password on another unknown name is hashed again, as it would be for a real user',
    );
    await app.close();
  });
});

describe('wrong client secrets: throttled per client and per address, hashing bounded', () => {
  test("past the limit of failures an address gets 429 with Retry-After, in Entra's shape; another address is not throttled", async () => {
    const app = appWith({
      throttle: new TokenThrottle(Date.now, { maxFailures: 5, windowSeconds: 60, maxEntries: 100 }),
    });
    // A client of its own, so that the per-client window is this test's.
    for (let i = 0; i < 5; i++)
      assert.equal((await post(app, clientCredentials(`wrong-${i}`), { remoteAddress: '10.0.0.1' })).statusCode, 401);
    const throttled = await post(app, clientCredentials('wrong-6'), { remoteAddress: '10.0.0.1' });
    assert.equal(throttled.statusCode, 429, throttled.body);
    const body = JSON.parse(throttled.body);
    assert.equal(body.error, 'temporarily_unavailable');
    assert.deepEqual(body.error_codes, [50196]);
    assert.match(body.error_description, /^AADSTS50196: /);
    const retry = Number(throttled.headers['retry-after']);
    assert.ok(retry > 0 && retry <= 60, `Retry-After ${retry}`);
    // The address is throttled for every client; another client from another address is not.
    const other = (await registerApp(
      store,
      { tenantId: identity.tenantId, displayName: 'other', roles: [], scopes: [] },
      randomIds,
      new Date(),
    ))!;
    const otherWrong = { ...clientCredentials('wrong'), client_id: other.registration.clientId };
    assert.equal((await post(app, otherWrong, { remoteAddress: '10.0.0.1' })).statusCode, 429);
    assert.equal((await post(app, otherWrong, { remoteAddress: '10.0.0.2' })).statusCode, 401);
    await app.close();
  });

  test('per client: failures from many addresses throttle the client id; a secret already known right still passes', async () => {
    const app = appWith({
      throttle: new TokenThrottle(Date.now, { maxFailures: 5, windowSeconds: 60, maxEntries: 100 }),
    });
    assert.equal(
      (await post(app, clientCredentials(secret), { remoteAddress: '10.1.0.1' })).statusCode,
      200,
      'the right secret, first',
    );
    for (let i = 0; i < 5; i++)
      assert.equal((await post(app, clientCredentials(`w-${i}`), { remoteAddress: `10.2.0.${i}` })).statusCode, 401);
    assert.equal(
      (await post(app, clientCredentials('w-new'), { remoteAddress: '10.3.0.1' })).statusCode,
      429,
      'a new address, same client',
    );
    assert.equal(
      (await post(app, clientCredentials(secret), { remoteAddress: '10.2.0.1' })).statusCode,
      200,
      'the known right secret still gets a token',
    );
    await app.close();
  });

  test('the hashing queue is bounded: past it, 429 at once instead of a longer wait', async () => {
    const app = appWith({ secrets: new SecretChecker({ concurrency: 1, maxQueued: 2, rememberedResults: 100 }) });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post(app, clientCredentials(`flood-${i}`), { remoteAddress: `10.9.0.${i}` }),
      ),
    );
    const statuses = answers.map((r) => r.statusCode);
    assert.equal(statuses.filter((s) => s === 401).length, 3, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 9, statuses.join(','));
    for (const r of answers.filter((a) => a.statusCode === 429)) assert.equal(r.headers['retry-after'], '1');
    await app.close();
  });
});

describe('client credentials in Authorization: Basic', () => {
  test('malformed percent-encoding is invalid_client (401), not a server error', async () => {
    const app = appWith();
    for (const pair of [`${identity.appId}:%E0%A4%A`, `%zz:${secret}`, `${identity.appId}:%`]) {
      const res = await app.inject({
        method: 'POST',
        url: `/${identity.tenantId}/oauth2/v2.0/token`,
        headers: { ...FORM, authorization: `Basic ${Buffer.from(pair).toString('base64')}` },
        payload: form({ grant_type: 'client_credentials', scope: GRAPH_DEFAULT }),
      });
      assert.equal(res.statusCode, 401, `${pair}: ${res.body}`);
      assert.equal(JSON.parse(res.body).error, 'invalid_client');
    }
    await app.close();
  });
});

describe('cross-site form posts', () => {
  test('a browser post from another site is refused before anything is checked; same-origin and library requests work', async () => {
    const checker = new SecretChecker();
    const app = appWith({ secrets: checker });
    const host = 'localhost:5080';
    for (const headers of <Record<string, string>[]>[
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
      { origin: 'http://localhost:3000' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const res = await post(app, passwordGrant(identity.userPrincipalName, 'guess'), {
        headers: { host, ...headers },
      });
      assert.equal(res.statusCode, 400, JSON.stringify(headers));
      assert.deepEqual(JSON.parse(res.body).error_codes, [9002326]);
    }
    assert.equal(checker.hashes, 0, 'no password was checked, so no lockout was counted');
    // The console (same origin) and the identity libraries (no Origin at all) are served.
    assert.equal(
      (
        await post(app, clientCredentials(secret), {
          headers: { host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
        })
      ).statusCode,
      200,
    );
    assert.equal((await post(app, clientCredentials(secret), { headers: { host } })).statusCode, 200);
    assert.equal(
      (await post(app, clientCredentials(secret), { headers: { host, 'sec-fetch-site': 'none' } })).statusCode,
      200,
    );
    await app.close();
  });
});
