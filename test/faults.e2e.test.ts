/**
 * Fault injection against the real `localgraph serve`: Graph's 429 (body, Retry-After,
 * x-ms-throttle-*), 503/504, latency, token buckets, seeded rates; never on /health or /_admin;
 * and the official clients' retry handlers recover: Kiota's (GraphBetaRequestAdapter) over HTTP
 * and @microsoft/microsoft-graph-client 3.0.7's over HTTPS.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  AllowedHostsValidator,
  BaseBearerTokenAuthenticationProvider,
  HttpMethod,
  RequestInformation,
  type ErrorMappings,
} from '@microsoft/kiota-abstractions';
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk/graphBetaRequestAdapter.js';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js';
import { admin, adminToken, graph } from './helpers/admin.js';
import { secureRequest, serverCertificate } from './helpers/identity.js';
import { GUID, request, runCli, startServer, tempDir, type RunningServer } from './helpers/server.js';
import { assertGraphError } from './helpers/graph.js';

const KEY = 'faults-test-key';
const CONNECTORS = '/onPremisesPublishingProfiles/applicationProxy/connectors';
const CONNECTORS_RULE = 'GET /onPremisesPublishingProfiles/*/connectors';
const errorMapping: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue };

describe('fault injection', () => {
  let server: RunningServer;
  let token: string;
  before(async () => {
    const file = join(tempDir(), 'faults.json');
    writeFileSync(file, JSON.stringify([{ match: CONNECTORS_RULE, status: 429, retryAfterSeconds: 1, times: 1 }]));
    server = await startServer({ args: ['--admin-key', KEY, '--faults', file] });
    token = await adminToken(server, KEY);
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0);
  });
  const setRules = async (rules: unknown) => {
    const res = await admin(server, KEY, 'PUT', '/faults', rules);
    assert.equal(res.status, 200, res.text);
  };
  const stats = async () =>
    (await admin(server, KEY, 'GET', '/faults')).body.rules as { matched: number; injected: number }[];

  it("--faults FILE: a 429 exactly as Graph's, then the request passes", async () => {
    assert.match(server.stdout(), /faults: 1 rule from .*faults\.json \(Graph surface only\)/);
    const throttled = await graph(server, token, 'GET', CONNECTORS);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '1');
    assert.equal(throttled.headers.get('x-ms-throttle-information'), 'ResourceUnitLimitExceeded');
    assert.match(
      throttled.headers.get('x-ms-throttle-scope') ?? '',
      new RegExp(`^Tenant_Application/ReadWrite/[0-9a-f-]{36}/${server.tenantId}$`),
    );
    assert.equal(throttled.headers.get('x-localgraph-fault'), '0');
    assert.match(throttled.headers.get('content-type') ?? '', /^application\/json/);
    const requestId = throttled.headers.get('request-id');
    assert.match(requestId ?? '', GUID);
    assert.deepEqual(Object.keys(throttled.body.error), ['code', 'message', 'innerError']);
    assert.equal(throttled.body.error.code, 'TooManyRequests');
    assert.equal(throttled.body.error.message, 'Please retry again later.');
    const inner = throttled.body.error.innerError;
    assert.deepEqual(
      [inner.code, inner.message, inner.status, inner['request-id']],
      ['429', 'Please retry after', '429', requestId],
    );
    assert.match(inner.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal((await graph(server, token, 'GET', CONNECTORS)).status, 200, 'times: 1');
    assert.deepEqual(await stats(), [
      { match: CONNECTORS_RULE, status: 429, retryAfterSeconds: 1, times: 1, matched: 2, injected: 1 },
    ]);
  });

  it('never on /health, /_admin or the token endpoint; 503 and 504 on the Graph surface', async () => {
    await setRules([{ match: '*', status: 503 }]);
    assert.equal((await request(`${server.baseUrl}/health`)).status, 200);
    assert.equal((await admin(server, KEY, 'GET', '/')).status, 200);
    const tokenEndpoint = await request(`${server.baseUrl}/${server.tenantId}/v2.0/.well-known/openid-configuration`);
    assert.equal(tokenEndpoint.status, 200);
    const unavailable = await request(`${server.baseUrl}/beta/$metadata`);
    assertGraphError(unavailable, 503, 'serviceNotAvailable');
    assert.equal(unavailable.headers.get('retry-after'), '1');
    await setRules([{ match: 'POST *', status: 504 }]);
    const timeout = await graph(server, token, 'POST', CONNECTORS, {
      externalIp: '1.1.1.1',
      machineName: 'x',
      status: 'active',
    });
    assertGraphError(timeout, 504, 'gatewayTimeout');
    assert.equal((await graph(server, token, 'GET', CONNECTORS)).status, 200);
    const cleared = await admin(server, KEY, 'DELETE', '/faults');
    assert.deepEqual(cleared.body, { rules: [] });
  });

  it('bad rules are a 400 naming the rule and field', async () => {
    const res = await admin(server, KEY, 'PUT', '/faults', [
      { match: '*', status: 429 },
      { match: '*', status: 418 },
    ]);
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /rules\[1\]\.status: expected 429, 503 or 504/);
    assert.equal(res.body.error.details[0].target, 'rules[1].status');
  });

  it('a token bucket throttles past its capacity, per tenant and app', async () => {
    await setRules([{ match: CONNECTORS_RULE, bucket: { capacity: 2, refillPerSecond: 1 } }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await graph(server, token, 'GET', CONNECTORS)).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const other = await adminToken(server, KEY, { tenantId: '6c6c6c6c-0000-4000-8000-000000000001' });
    assert.equal((await graph(server, other, 'GET', CONNECTORS)).status, 200, 'another tenant has its own bucket');
    const throttled = await graph(server, token, 'GET', CONNECTORS);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '1');
  });

  it('latency is added to matching requests', async () => {
    await setRules([{ match: 'GET /onPremisesPublishingProfiles/**', latencyMs: 300 }]);
    const started = Date.now();
    assert.equal((await graph(server, token, 'GET', CONNECTORS)).status, 200);
    assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
    const quick = Date.now();
    await graph(server, token, 'GET', '/applications');
    assert.ok(Date.now() - quick < 290);
  });

  it('rates repeat when the id seed is set', async () => {
    const run = async () => {
      await admin(server, KEY, 'PUT', '/ids', { seed: 'fault-seed' });
      await setRules([{ match: CONNECTORS_RULE, status: 503, rate: 0.5 }]);
      const statuses = [];
      for (let i = 0; i < 16; i++) statuses.push((await graph(server, token, 'GET', CONNECTORS)).status);
      return statuses;
    };
    const first = await run();
    assert.ok(first.includes(503) && first.includes(200), first.join());
    assert.deepEqual(await run(), first);
    await admin(server, KEY, 'PUT', '/ids', { seed: null });
  });

  it('a $batch item is throttled on its own, as Graph does', async () => {
    await setRules([{ match: CONNECTORS_RULE, status: 429, retryAfterSeconds: 3 }]);
    const res = await request(`${server.baseUrl}/beta/$batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        requests: [
          { id: '1', method: 'GET', url: CONNECTORS },
          { id: '2', method: 'GET', url: '/applications' },
        ],
      }),
    });
    assert.equal(res.status, 200);
    const byId = Object.fromEntries(res.body.responses.map((r: { id: string }) => [r.id, r]));
    assert.equal(byId['1'].status, 429);
    assert.equal(byId['1'].headers['Retry-After'], '3');
    assert.equal(byId['1'].body.error.code, 'TooManyRequests');
    assert.equal(byId['2'].status, 200);
  });

  it('localgraph admin faults FILE | --clear', async () => {
    const file = join(tempDir(), 'rules.json');
    writeFileSync(file, JSON.stringify({ rules: [{ match: '*', latencyMs: 1 }] }));
    const set = await runCli(['admin', 'faults', file, '--url', server.baseUrl, '--admin-key', KEY]);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(JSON.parse(set.stdout).rules, [{ match: '*', latencyMs: 1, matched: 0, injected: 0 }]);
    const cleared = await runCli(['admin', 'faults', '--clear', '--url', server.baseUrl, '--admin-key', KEY]);
    assert.deepEqual(JSON.parse(cleared.stdout), { rules: [] });
  });

  describe('Kiota RetryHandler (GraphBetaRequestAdapter)', () => {
    let adapter: GraphBetaRequestAdapter;
    before(() => {
      const auth = new BaseBearerTokenAuthenticationProvider({
        getAuthorizationToken: async () => token,
        getAllowedHostsValidator: () => new AllowedHostsValidator(new Set(['127.0.0.1', `127.0.0.1:${server.port}`])),
      });
      adapter = new GraphBetaRequestAdapter(auth);
      adapter.baseUrl = `${server.baseUrl}/beta`;
    });
    const listConnectors = async () => {
      const info = new RequestInformation(
        HttpMethod.GET,
        '{+baseurl}/onPremisesPublishingProfiles/{profile}/connectors',
      );
      info.pathParameters.baseurl = adapter.baseUrl;
      info.pathParameters.profile = 'applicationProxy';
      info.headers.tryAdd('Accept', 'application/json');
      const bytes = await adapter.sendPrimitive<ArrayBuffer>(info, 'ArrayBuffer', errorMapping);
      return JSON.parse(Buffer.from(bytes!).toString('utf8')) as { value: unknown[] };
    };

    for (const status of [429, 503]) {
      it(`recovers from a ${status} with Retry-After: 1`, async () => {
        await setRules([{ match: CONNECTORS_RULE, status, retryAfterSeconds: 1, times: 1 }]);
        const started = Date.now();
        const page = await listConnectors();
        assert.ok(Array.isArray(page.value));
        assert.ok(Date.now() - started >= 900, 'it waited as Retry-After said');
        const [rule] = await stats();
        assert.equal(rule.injected, 1);
        assert.equal(rule.matched, 2, 'two attempts: the fault, then the retry that succeeded');
      });
    }
  });
});

describe('@microsoft/microsoft-graph-client RetryHandler over HTTPS', () => {
  let server: RunningServer;
  before(async () => {
    // A data folder (whatever the suite's backend): `localgraph cert --data` gives its certificate.
    server = await startServer({ args: ['--https', '--admin-key', KEY] });
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0);
  });

  it('recovers from a 429 with Retry-After: 1', async () => {
    const ca = await serverCertificate(server);
    const fetchAdmin = async (method: string, path: string, body?: unknown) => {
      const res = await secureRequest(`${server.baseUrl}/_admin${path}`, ca.pem, {
        method,
        headers: {
          'x-localgraph-admin-key': KEY,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.equal(res.status, 200, res.text);
      return res.body;
    };
    const minted = (await fetchAdmin('POST', '/token', {})) as { access_token: string };
    await fetchAdmin('PUT', '/faults', [{ match: CONNECTORS_RULE, status: 429, retryAfterSeconds: 1, times: 1 }]);
    const result = await runRetryClient(ca.file, { LG_ORIGIN: server.baseUrl, LG_TOKEN: minted.access_token });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.ok(Number(result.elapsedMs) >= 900, 'it waited as Retry-After said');
    const { rules } = (await fetchAdmin('GET', '/faults')) as { rules: { matched: number; injected: number }[] };
    assert.deepEqual([rules[0].matched, rules[0].injected], [2, 1]);
  });
});

const RETRY_CLIENT = fileURLToPath(new URL('./clients/retry-client.js', import.meta.url));

function runChild(args: string[], caFile: string, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(stdout));
      } catch (error) {
        reject(new Error(`${args.join(' ')}: ${(error as Error).message}\n${stdout}\n${stderr}`));
      }
    });
  });
}

function runRetryClient(caFile: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  return runChild([RETRY_CLIENT], caFile, env);
}
