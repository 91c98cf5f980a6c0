import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openStore } from '../store/open.js';
import { createApp, graphModel } from './app.js';
import { formatPretty, loggerOptions } from './logging.js';
import { maskIds, patternOf } from './request-pattern.js';
import { ResourceRegistry } from '../resources/registry.js';

const registry = new ResourceRegistry(graphModel);
const resolver = { model: graphModel, normalizeKey: registry.normalizeKey };
const ID = 'd2b1e8e8-8511-49d6-a4ba-323cb083fbb0';

describe('request patterns', () => {
  test('Graph paths are resolved against the model, ids masked, query strings dropped', () => {
    const p = patternOf(`/beta/onPremisesPublishingProfiles('applicationProxy')/connectors/${ID}?$select=id&token=secret`, resolver);
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
});

describe('request logs', () => {
  test('one JSON line per request: requestId, method, masked path, status, duration', async () => {
    const lines: string[] = [];
    const store = await openStore({ kind: 'memory' });
    const app = createApp({ store, logger: loggerOptions('info', 'json', { write: (text: string) => lines.push(text) }) });
    const res = await app.inject({ method: 'GET', url: `/beta/onPremisesPublishingProfiles/applicationProxy/connectors/${ID}?$select=id` });
    assert.equal(res.statusCode, 401);
    await app.inject({ method: 'GET', url: `/${ID}/v2.0/.well-known/openid-configuration` });
    await app.close();
    await store.close();
    const entries = lines.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l));
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
    const store = await openStore({ kind: 'memory' });
    const app = createApp({ store, logger: loggerOptions('silent', 'json', { write: (text: string) => lines.push(text) }) });
    await app.inject({ method: 'GET', url: '/health' });
    await app.close();
    await store.close();
    assert.deepEqual(lines, []);
    const pretty = formatPretty(JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 1, 6, 55, 1, 123), requestId: 'abcdef0123', msg: 'request', method: 'GET', path: '/health', status: 200, durationMs: 1.5 }));
    assert.equal(pretty, '06:55:01.123 INFO  200 GET /health 1.5 ms req abcdef01\n');
    assert.equal(formatPretty('{"level":50,"time":0,"msg":"boom","err":{"message":"x"}}'), '00:00:00.000 ERROR boom err={"message":"x"}\n');
  });
});
