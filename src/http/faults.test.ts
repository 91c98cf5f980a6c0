import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { GraphError, renderError } from '../graph/errors.js';
import { compileMatch, FaultInjector, readFaultRules, type FaultRequest } from './faults.js';

const CONNECTORS: FaultRequest = {
  method: 'GET',
  path: '/onPremisesPublishingProfiles/applicationProxy/connectors',
  pattern: '/onPremisesPublishingProfiles/{id}/connectors',
};

describe('fault rule matching', () => {
  const matches = (match: string, request: FaultRequest = CONNECTORS) => {
    const { method, test: t } = compileMatch(match);
    return (method === undefined || method === request.method) && (t(request.path) || t(request.pattern));
  };
  test('method and pattern, with * within a segment and ** across', () => {
    assert.ok(matches('GET /onPremisesPublishingProfiles/*/connectors'));
    assert.ok(matches('/onPremisesPublishingProfiles/{id}/connectors'));
    assert.ok(matches('get /onpremisespublishingprofiles/applicationproxy/connectors'));
    assert.ok(
      matches('/beta/onPremisesPublishingProfiles/*/connectors/'),
      'a version prefix and a trailing slash are ignored',
    );
    assert.ok(matches('*'));
    assert.ok(matches('GET *'));
    assert.ok(matches('/onPremisesPublishingProfiles/**'));
    assert.ok(!matches('POST /onPremisesPublishingProfiles/*/connectors'));
    assert.ok(!matches('/onPremisesPublishingProfiles/*'), '* stays within one segment');
    assert.ok(!matches('/onPremisesPublishingProfiles/*/connectorGroups'));
    assert.ok(
      matches('/onPremisesPublishingProfiles/*/connectors/*', {
        method: 'GET',
        path: '/onPremisesPublishingProfiles/applicationProxy/connectors/abc',
        pattern: '/onPremisesPublishingProfiles/{id}/connectors/{id}',
      }),
    );
  });
});

describe('fault rules', () => {
  test('are read and checked; mistakes name the rule and field', () => {
    assert.deepEqual(readFaultRules([{ match: '*', status: 503, rate: 0.5, latencyMs: 10 }]), [
      { match: '*', status: 503, rate: 0.5, latencyMs: 10 },
    ]);
    assert.deepEqual(readFaultRules({ rules: [{ match: '*', bucket: { capacity: 2, refillPerSecond: 1 } }] }), [
      { match: '*', status: 429, bucket: { capacity: 2, refillPerSecond: 1 } },
    ]);
    const refuse = (doc: unknown, message: RegExp) =>
      assert.throws(
        () => readFaultRules(doc),
        (e: unknown) => e instanceof GraphError && e.status === 400 && message.test(e.message),
      );
    refuse({}, /JSON array/);
    refuse([{ status: 429 }], /rules\[0\]\.match/);
    refuse([{ match: '*', status: 500 }], /rules\[0\]\.status: expected 429, 503 or 504/);
    refuse([{ match: '*', status: 429, rate: 2 }], /rules\[0\]\.rate/);
    refuse([{ match: '*', status: 429, rate: 0.5, bucket: { capacity: 1, refillPerSecond: 1 } }], /not both/);
    refuse([{ match: '*' }], /needs a 'status'/);
    refuse([{ match: '*', status: 429, colour: 'red' }], /rules\[0\]\.colour: unknown member/);
    refuse([{ match: 'GET POST /x' }], /Invalid fault match/);
  });

  test("429 is Graph's: body, Retry-After and x-ms-throttle headers", async () => {
    const token = await new SignJWT({ tid: 'tenant-1', appid: 'app-1' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new Uint8Array(32));
    const faults = new FaultInjector(
      readFaultRules([{ match: 'GET /onPremisesPublishingProfiles/*/connectors', status: 429, retryAfterSeconds: 2 }]),
    );
    const { error } = faults.decide({ ...CONNECTORS, authorization: `Bearer ${token}` });
    assert.ok(error);
    assert.equal(error.status, 429);
    assert.equal(error.headers?.['Retry-After'], '2');
    assert.equal(error.headers?.['x-ms-throttle-scope'], 'Tenant_Application/ReadWrite/app-1/tenant-1');
    assert.equal(error.headers?.['x-ms-throttle-information'], 'ResourceUnitLimitExceeded');
    assert.equal(error.headers?.['x-localgraph-fault'], '0');
    assert.deepEqual(
      renderError(error, { requestId: 'r', clientRequestId: 'c', date: new Date('2026-01-02T03:04:05Z') }),
      {
        error: {
          code: 'TooManyRequests',
          message: 'Please retry again later.',
          innerError: {
            code: '429',
            message: 'Please retry after',
            status: '429',
            date: '2026-01-02T03:04:05',
            'request-id': 'r',
            'client-request-id': 'c',
          },
        },
      },
    );
    assert.deepEqual(faults.stats()[0], {
      match: 'GET /onPremisesPublishingProfiles/*/connectors',
      status: 429,
      retryAfterSeconds: 2,
      matched: 1,
      injected: 1,
    });
  });

  test('503 and 504, latency from every matching rule, the first firing rule answers', () => {
    const faults = new FaultInjector(
      readFaultRules([
        { match: 'POST *', status: 503 },
        { match: '*', latencyMs: 40 },
        { match: '*', status: 504, latencyMs: 10 },
      ]),
    );
    const get = faults.decide(CONNECTORS);
    assert.equal(get.latencyMs, 50);
    assert.equal(get.error?.status, 504);
    assert.equal(get.error?.code, 'gatewayTimeout');
    const post = faults.decide({ ...CONNECTORS, method: 'POST' });
    assert.equal(post.error?.status, 503);
    assert.equal(post.error?.code, 'serviceNotAvailable');
    assert.equal(post.error?.headers?.['Retry-After'], '1');
    assert.deepEqual(
      faults.stats().map((s) => [s.matched, s.injected]),
      [
        [1, 1],
        [2, 0],
        [2, 1],
      ],
    );
  });

  test('times caps the faults of a rule', () => {
    const faults = new FaultInjector(readFaultRules([{ match: '*', status: 503, times: 2 }]));
    assert.deepEqual(
      [1, 2, 3, 4].map(() => faults.decide(CONNECTORS).error?.status),
      [503, 503, undefined, undefined],
    );
  });

  test('a token bucket per tenant and app: throttled when empty, Retry-After until the next token', () => {
    let now = 0;
    const faults = new FaultInjector(
      readFaultRules([{ match: '*', bucket: { capacity: 2, refillPerSecond: 0.5 } }]),
      () => now,
    );
    const statuses = () => [1, 2, 3].map(() => faults.decide(CONNECTORS).error);
    const [a, b, c] = statuses();
    assert.equal(a, undefined);
    assert.equal(b, undefined);
    assert.equal(c?.status, 429);
    assert.equal(c?.headers?.['Retry-After'], '2');
    now += 2000; // one token back
    assert.equal(faults.decide(CONNECTORS).error, undefined);
    assert.equal(faults.decide(CONNECTORS).error?.status, 429);
  });

  test('rate draws repeat under a seed', () => {
    const run = (seed: string) => {
      const faults = new FaultInjector(readFaultRules([{ match: '*', status: 429, rate: 0.5 }]));
      faults.reseed(seed);
      return Array.from({ length: 40 }, () => faults.decide(CONNECTORS).error?.status ?? 200);
    };
    const first = run('seed-1');
    assert.deepEqual(run('seed-1'), first);
    assert.ok(first.includes(429) && first.includes(200), 'a rate of 0.5 both fails and passes');
    assert.notDeepEqual(run('seed-2'), first);
  });
});
