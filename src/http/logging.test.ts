import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { activeSigningKey } from '../auth/signing-key.js';
import { issueAccessToken } from '../auth/tokens.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from '../store/migrations.js';
import { openStore } from '../store/open.js';
import { SqliteDatabase } from '../store/sqlite.js';
import { SqlStore } from '../store/sql-store.js';
import { createApp } from './app.js';
import { formatPretty, loggerOptions } from './logging.js';
import { maskIds, patternOf, requestPattern } from './request-pattern.js';
import type { FastifyRequest } from 'fastify';
import { familyModel, familyRegistry } from '../family/family.js';

const registry = familyRegistry(onPremises);
const resolver = { model: familyModel(onPremises), normalizeKey: registry.normalizeKey };
const ID = 'd2b1e8e8-8511-49d6-a4ba-323cb083fbb0';

describe('request patterns', () => {
  test('Graph paths are resolved against the model, ids masked, query strings dropped', () => {
    const p = patternOf(
      `/beta/onPremisesPublishingProfiles('applicationProxy')/connectors/${ID}?$select=id&token=secret`,
      resolver,
    );
    assert.equal(p.surface, 'graph');
    assert.equal(p.pattern, '/onPremisesPublishingProfiles/{id}/connectors/{id}');
    assert.equal(p.masked, '/beta/onPremisesPublishingProfiles/{id}/connectors/{id}');
    assert.equal(p.path, `/onPremisesPublishingProfiles('applicationProxy')/connectors/${ID}`);
  });
  test('unresolvable paths and other surfaces have their GUIDs masked', () => {
    assert.equal(patternOf(`/beta/nothing/${ID.toUpperCase()}`, resolver).masked, '/beta/nothing/{id}');
    assert.equal(patternOf(`/${ID}/oauth2/v2.0/token`, resolver).masked, '/{id}/oauth2/v2.0/token');
    assert.equal(patternOf('/health', resolver).surface, 'other');
    assert.equal(patternOf('/beta/', resolver).masked, '/beta');
    assert.equal(maskIds("/x('abc')/y"), '/x/{id}/y');
  });
  test('requests to the same path share its pattern (resolved once); other query strings do not change it', () => {
    const request = (url: string) => ({ url }) as FastifyRequest;
    const list = `/beta/onPremisesPublishingProfiles/applicationProxy/connectors`;
    const first = requestPattern(request(`${list}?$top=100`), resolver);
    assert.equal(first.masked, '/beta/onPremisesPublishingProfiles/{id}/connectors');
    assert.equal(requestPattern(request(`${list}?$top=5&secret=x`), resolver), first);
    assert.equal(
      requestPattern(request(`${list}/${ID}`), resolver).masked,
      '/beta/onPremisesPublishingProfiles/{id}/connectors/{id}',
    );
  });
});

describe('request logs', () => {
  test('one JSON line per request: requestId, method, masked path, status, duration', async () => {
    const lines: string[] = [];
    const store = await openStore({ kind: 'memory' }, onPremises);
    const app = createApp({
      store,
      family: onPremises,
      logger: loggerOptions('info', 'json', { write: (text: string) => lines.push(text) }),
    });
    const res = await app.inject({
      method: 'GET',
      url: `/beta/onPremisesPublishingProfiles/applicationProxy/connectors/${ID}?$select=id`,
    });
    assert.equal(res.statusCode, 401);
    await app.inject({ method: 'GET', url: `/${ID}/v2.0/.well-known/openid-configuration` });
    await app.close();
    await store.close();
    const entries = lines
      .flatMap((l) => l.split('\n'))
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const requests = entries.filter((e) => e.msg === 'request');
    assert.equal(requests.length, 2, JSON.stringify(entries));
    const [entry, identity] = requests;
    assert.equal(identity.path, '/{id}/v2.0/.well-known/openid-configuration', 'the identity endpoints are logged too');
    assert.equal(entry.requestId, res.headers['request-id']);
    assert.equal(entry.method, 'GET');
    assert.equal(entry.path, '/beta/onPremisesPublishingProfiles/{id}/connectors/{id}');
    assert.equal(entry.status, 401);
    assert.equal(typeof entry.durationMs, 'number');
    assert.ok(!JSON.stringify(entries).includes(ID), 'no id in any line');
  });

  test('silent writes nothing; pretty lines are readable', async () => {
    const lines: string[] = [];
    const store = await openStore({ kind: 'memory' }, onPremises);
    const app = createApp({
      store,
      family: onPremises,
      logger: loggerOptions('silent', 'json', { write: (text: string) => lines.push(text) }),
    });
    await app.inject({ method: 'GET', url: '/health' });
    await app.close();
    await store.close();
    assert.deepEqual(lines, []);
    const pretty = formatPretty(
      JSON.stringify({
        level: 30,
        time: Date.UTC(2026, 0, 1, 6, 55, 1, 123),
        requestId: 'abcdef0123',
        msg: 'request',
        method: 'GET',
        path: '/health',
        status: 200,
        durationMs: 1.5,
      }),
    );
    assert.equal(pretty, '06:55:01.123 INFO  200 GET /health 1.5 ms req abcdef01\n');
    assert.equal(
      formatPretty('{"level":50,"time":0,"msg":"boom","err":{"message":"x"}}'),
      '00:00:00.000 ERROR boom err={"message":"x"}\n',
    );
  });

  test("a 403's line says why: the operation, what it accepts, what the token carries", async () => {
    const lines: string[] = [];
    const db = new SqliteDatabase(':memory:');
    await migrateFamily(db, onPremises);
    const store = new SqlStore(db);
    const app = createApp({
      store,
      family: onPremises,
      logger: loggerOptions('info', 'json', { write: (text: string) => lines.push(text) }),
    });
    const tenant = '5d2e1c4b-7a6f-4e3d-9c8b-0a1b2c3d4e5f';
    await store.ensureTenant(tenant, new Date());
    const key = await activeSigningKey(store, new Date());
    const token = await issueAccessToken(
      key,
      {
        tenantId: tenant,
        appId: 'b1c2d3e4-0000-4000-8000-000000000002',
        servicePrincipalId: 'bbbbbbbb-0000-4000-8000-000000000002',
        roles: ['Directory.ReadWrite.All'],
      },
      new Date(),
    );
    const res = await app.inject({
      method: 'GET',
      url: '/beta/onPremisesPublishingProfiles/applicationProxy/connectors',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 403, res.body);
    await app.close();
    await store.close();
    const entry = lines
      .flatMap((l) => l.split('\n'))
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((e) => e.msg === 'request');
    assert.equal(entry.status, 403);
    assert.equal(entry.denied.operation, 'GET /onPremisesPublishingProfiles/{id}/connectors');
    assert.equal(entry.denied.delegatedOnly, true);
    assert.deepEqual(entry.denied.carried, ['Directory.ReadWrite.All']);
    assert.deepEqual(
      JSON.parse(res.body)
        .error.details.map((d: { message: string }) => d.message)
        .join(' '),
      entry.denied.reason,
    );
    const pretty = formatPretty(JSON.stringify(entry));
    assert.match(
      pretty,
      / 403 GET \/beta\/onPremisesPublishingProfiles\/\{id\}\/connectors .* denied: GET \/onPremisesPublishingProfiles\/\{id\}\/connectors supports no application permissions/,
    );
  });
});
