/**
 * The library (`import { startLocalgraph } from 'localgraph'`): a server inside the test
 * process, reached over real HTTP. Each option, token() against the Graph endpoints' permission
 * checks, reset, seed, stop, and two instances side by side. Storage follows the pass
 * (test/helpers/backend.ts): in memory, a data folder or a fresh PostgreSQL schema.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Agent, fetch as undiciFetch, ProxyAgent } from 'undici';
import { DEV_CREDENTIALS, startLocalgraph, type Localgraph, type LocalgraphOptions } from '../src/index.js';
import { onlyOn, TEST_BACKEND } from './helpers/backend.js';
import { passStorage } from './helpers/in-process.js';
import { freshDatabaseUrl, tempDir } from './helpers/server.js';

const CONNECTORS = '/onPremisesPublishingProfiles/applicationProxy/connectors';
const GROUPS = '/onPremisesPublishingProfiles/applicationProxy/connectorGroups';
const PROFILE = '/onPremisesPublishingProfiles/applicationProxy';
const TENANT = '7a7a7a7a-0000-4000-8000-00000000000a';
const CONNECTOR = '7a7a7a7a-0000-4000-8000-00000000000c';
const FIXTURE = {
  version: 1,
  tenants: [
    {
      id: TENANT,
      connectorGroups: [
        { id: '7a7a7a7a-0000-4000-8000-00000000000b', name: 'Seeded default', isDefault: true, region: 'eur' },
      ],
      connectors: [{ id: CONNECTOR, externalIp: '1.2.3.4', machineName: 'seeded.contoso.com', status: 'active' }],
    },
  ],
} as unknown as NonNullable<LocalgraphOptions['seed']>;

/** Runs `body` against a server started with `options` (and the pass's storage), stopping it whatever happens. */
async function withServer(options: LocalgraphOptions, body: (lg: Localgraph) => Promise<void>): Promise<void> {
  const lg = await startLocalgraph({ ...passStorage(), ...options });
  try {
    await body(lg);
  } finally {
    await lg.stop();
  }
}

async function graph(
  lg: Localgraph,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${lg.graphUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function claims(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** Whether something listens on 127.0.0.1:port. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('startLocalgraph', () => {
  it('starts on a free loopback port with the dev credentials, which the token endpoint accepts', async () => {
    await withServer({}, async (lg) => {
      assert.match(lg.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(lg.graphUrl, `${lg.url}/beta`);
      assert.equal(lg.authority, `${lg.url}/${DEV_CREDENTIALS.tenantId}`);
      assert.deepEqual(
        {
          tenantId: lg.tenantId,
          clientId: lg.clientId,
          clientSecret: lg.clientSecret,
          username: lg.username,
          password: lg.password,
        },
        {
          tenantId: DEV_CREDENTIALS.tenantId,
          clientId: DEV_CREDENTIALS.clientId,
          clientSecret: DEV_CREDENTIALS.clientSecret,
          username: DEV_CREDENTIALS.userPrincipalName,
          password: DEV_CREDENTIALS.password,
        },
      );
      assert.equal(lg.caCertificate, undefined);
      assert.equal(lg.proxyUrl, undefined);

      const appGrant = await fetch(`${lg.authority}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: lg.clientId,
          client_secret: lg.clientSecret!,
          scope: 'https://graph.microsoft.com/.default',
        }),
      });
      assert.equal(appGrant.status, 200);
      const appToken = ((await appGrant.json()) as { access_token: string }).access_token;
      assert.equal((await graph(lg, appToken, 'GET', PROFILE)).status, 200);

      const userGrant = await fetch(`${lg.authority}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: lg.clientId,
          client_secret: lg.clientSecret!,
          username: lg.username,
          password: lg.password!,
          scope: 'https://graph.microsoft.com/Directory.ReadWrite.All',
        }),
      });
      assert.equal(userGrant.status, 200);
      const userToken = ((await userGrant.json()) as { access_token: string }).access_token;
      const listed = await graph(lg, userToken, 'GET', CONNECTORS);
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.value, []);
    });
  });

  it('token() mints delegated tokens with the scopes asked and app-only tokens with the roles asked, which the permission checks honour', async () => {
    await withServer({}, async (lg) => {
      const everything = await lg.token();
      assert.equal(claims(everything).idtyp, 'user');
      assert.equal(claims(everything).upn, lg.username);
      assert.equal(claims(everything).tid, lg.tenantId);
      assert.equal((await graph(lg, everything, 'GET', CONNECTORS)).status, 200);

      const reader = await lg.token({ scopes: ['Policy.Read.HybridAuthentication'] });
      assert.equal(claims(reader).scp, 'Policy.Read.HybridAuthentication');
      assert.equal((await graph(lg, reader, 'GET', PROFILE)).status, 200);
      assert.equal((await graph(lg, reader, 'GET', CONNECTORS)).status, 403, 'connectors need Directory.ReadWrite.All');

      const app = await lg.token({ roles: 'Directory.Read.All' });
      assert.equal(claims(app).idtyp, 'app');
      assert.equal(claims(app).appid, lg.clientId);
      assert.deepEqual(claims(app).roles, ['Directory.Read.All']);
      assert.equal((await graph(lg, app, 'GET', PROFILE)).status, 200);
      assert.equal(
        (await graph(lg, app, 'PATCH', PROFILE, { isEnabled: false })).status,
        403,
        'a profile update needs Directory.ReadWrite.All',
      );
      const writer = await lg.token({ roles: ['Directory.ReadWrite.All'] });
      assert.equal((await graph(lg, writer, 'PATCH', PROFILE, { isEnabled: false })).status, 204);

      const elsewhere = await lg.token({ tenantId: TENANT });
      assert.equal(claims(elsewhere).tid, TENANT);
      assert.equal((await graph(lg, elsewhere, 'GET', CONNECTORS)).status, 200);

      await assert.rejects(lg.token({ scopes: 'A', roles: 'B' }), /scopes .* or roles/);
      await assert.rejects(lg.token({ tenantId: 'contoso' }), /tenantId must be a GUID/);
    });
  });

  it('reset() removes the Graph data and keeps the credentials; seed() loads a fixture', async () => {
    await withServer({}, async (lg) => {
      const token = await lg.token();
      const made = await graph(lg, token, 'POST', GROUPS, { name: 'made by the test' });
      assert.equal(made.status, 200, 'a connector group create answers 200, as the live service does');
      await lg.reset();
      const groups = await graph(lg, token, 'GET', GROUPS);
      assert.equal(groups.status, 200);
      assert.ok(
        !groups.body.value.some((g: { name: string }) => g.name === 'made by the test'),
        JSON.stringify(groups.body),
      );
      assert.equal((await graph(lg, await lg.token({ roles: 'Directory.Read.All' }), 'GET', PROFILE)).status, 200);

      const summary = await lg.seed(FIXTURE);
      assert.deepEqual(
        summary.tenants.map((t) => t.id),
        [TENANT],
      );
      const seeded = await graph(lg, await lg.token({ tenantId: TENANT }), 'GET', `${CONNECTORS}/${CONNECTOR}`);
      assert.equal(seeded.status, 200);
      assert.equal(seeded.body.machineName, 'seeded.contoso.com');
      await assert.rejects(
        lg.seed({ version: 1, tenants: [{ id: TENANT, connectors: [{ id: 'nope' }] }] } as never),
        /expected a GUID/,
      );
    });
  });

  it('seed, freezeClock, idSeed and faults options take effect from the first request', async () => {
    const frozen = '2030-01-02T03:04:05.000Z';
    const options: LocalgraphOptions = {
      seed: FIXTURE,
      freezeClock: frozen,
      idSeed: 'library-test',
      faults: [
        { match: 'GET /onPremisesPublishingProfiles/*/connectorGroups', status: 503, retryAfterSeconds: 1, times: 1 },
      ],
    };
    const ids: string[] = [];
    for (let run = 0; run < 2; run++) {
      await withServer(options, async (lg) => {
        const token = await lg.token({ tenantId: TENANT });
        assert.equal((await graph(lg, token, 'GET', `${CONNECTORS}/${CONNECTOR}`)).status, 200, 'seeded');
        const missing = await graph(lg, token, 'GET', `${CONNECTORS}/7a7a7a7a-0000-4000-8000-0000000000ff`);
        assert.equal(missing.status, 404);
        assert.equal(
          new Date(missing.body.error.innerError.date).toISOString(),
          frozen,
          'the frozen clock dates the error',
        );
        const faulted = await graph(lg, token, 'GET', GROUPS);
        assert.equal(faulted.status, 503, 'the fault rule answers the first list');
        assert.equal((await graph(lg, token, 'GET', GROUPS)).status, 200, 'and only the first');
        const made = await graph(lg, token, 'POST', GROUPS, { name: 'deterministic' });
        assert.equal(made.status, 200, 'a connector group create answers 200, as the live service does');
        ids.push(made.body.id);
      });
    }
    assert.equal(ids[0], ids[1], 'the same id seed gives the same ids');
  });

  it('refuses options that do not go together, before starting anything', async () => {
    await assert.rejects(
      startLocalgraph({ dataDir: tempDir(), databaseUrl: 'postgres://x/y' }),
      /dataDir and databaseUrl exclude each other/,
    );
    await assert.rejects(startLocalgraph({ databaseUrl: 'mysql://x/y' }), /databaseUrl must be a postgres:\/\/ URL/);
    await assert.rejects(startLocalgraph({ freezeClock: 'yesterday' }), /freezeClock must be/);
    await assert.rejects(startLocalgraph({ port: 70000 }), /port must be a whole number/);
    await assert.rejects(
      startLocalgraph({ faults: [{ match: 'GET /x', status: 500 as never }] }),
      /faults: Invalid fault rule rules\[0\]\.status/,
    );
  });

  it('https: serves TLS for localhost with a certificate of the CA it hands out', async () => {
    await withServer({ https: true }, async (lg) => {
      assert.match(lg.url, /^https:\/\/localhost:\d+$/);
      assert.match(lg.caCertificate ?? '', /^-----BEGIN CERTIFICATE-----/);
      const trusting = new Agent({ connect: { ca: lg.caCertificate } });
      try {
        const res = await undiciFetch(`${lg.graphUrl}${CONNECTORS}`, {
          headers: { authorization: `Bearer ${await lg.token()}` },
          dispatcher: trusting,
        });
        assert.equal(res.status, 200);
      } finally {
        await trusting.close();
      }
      await assert.rejects(fetch(`${lg.graphUrl}${CONNECTORS}`), (error: Error) =>
        /certificate/i.test(String((error.cause as Error)?.message ?? error.message)),
      );
    });
  });

  it('proxyPort: graph.microsoft.com through the proxy reaches this server', async () => {
    await withServer({ proxyPort: 0 }, async (lg) => {
      assert.match(lg.proxyUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
      const proxy = new ProxyAgent({ uri: lg.proxyUrl!, requestTls: { ca: lg.caCertificate } });
      try {
        const token = await lg.token();
        const made = await graph(lg, token, 'POST', GROUPS, { name: 'seen through the proxy' });
        assert.equal(made.status, 200, 'a connector group create answers 200, as the live service does');
        const res = await undiciFetch(`https://graph.microsoft.com/beta${GROUPS}/${made.body.id}`, {
          headers: { authorization: `Bearer ${token}` },
          dispatcher: proxy,
        });
        assert.equal(res.status, 200);
        assert.equal(((await res.json()) as { name: string }).name, 'seen through the proxy');
      } finally {
        await proxy.close();
      }
    });
  });

  it('stop() releases the port: nothing answers there, and another server can take it', async () => {
    const first = await startLocalgraph(passStorage());
    const port = Number(new URL(first.url).port);
    await first.stop();
    await first.stop(); // twice is harmless
    assert.equal(await portFree(port), true);
    await assert.rejects(fetch(`${first.url}/health`));
    const second = await startLocalgraph({ port });
    try {
      assert.equal(second.url, first.url);
      assert.equal((await fetch(`${second.url}/health`)).status, 200);
    } finally {
      await second.stop();
    }
  });

  it('two instances side by side have their own ports and their own data', async () => {
    const [a, b] = await Promise.all([startLocalgraph(passStorage()), startLocalgraph(passStorage())]);
    try {
      assert.notEqual(a.url, b.url);
      const made = await graph(a, await a.token(), 'POST', GROUPS, { name: 'only in a' });
      assert.equal(made.status, 200, 'a connector group create answers 200, as the live service does');
      assert.equal((await graph(a, await a.token(), 'GET', `${GROUPS}/${made.body.id}`)).status, 200);
      assert.equal((await graph(b, await b.token(), 'GET', `${GROUPS}/${made.body.id}`)).status, 404);
      // Each verifies its own tokens only: in memory and in a folder each server signs with a key of its own.
      if (TEST_BACKEND !== 'postgres') assert.equal((await graph(b, await a.token(), 'GET', GROUPS)).status, 401);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it(
    'dataDir: the data outlives the server, and one folder serves one server at a time',
    onlyOn('sqlite', 'a data folder'),
    async () => {
      const dataDir = join(tempDir(), 'data');
      const first = await startLocalgraph({ dataDir });
      let id: string;
      try {
        const made = await graph(first, await first.token(), 'POST', GROUPS, { name: 'kept' });
        assert.equal(made.status, 200, 'a connector group create answers 200, as the live service does');
        id = made.body.id;
        await assert.rejects(startLocalgraph({ dataDir }), /in use by another localgraph server/);
      } finally {
        await first.stop();
      }
      const again = await startLocalgraph({ dataDir });
      try {
        assert.equal((await graph(again, await again.token(), 'GET', `${GROUPS}/${id}`)).body.name, 'kept');
      } finally {
        await again.stop();
      }
    },
  );

  it(
    'databaseUrl: two instances on one database serve the same data',
    onlyOn('postgres', 'a PostgreSQL database'),
    async () => {
      const databaseUrl = freshDatabaseUrl();
      const a = await startLocalgraph({ databaseUrl });
      const b = await startLocalgraph({ databaseUrl });
      try {
        const made = await graph(a, await a.token(), 'POST', GROUPS, { name: 'shared' });
        assert.equal(made.status, 200, 'a connector group create answers 200, as the live service does');
        const seen = await graph(b, await b.token(), 'GET', `${GROUPS}/${made.body.id}`);
        assert.equal(seen.body.name, 'shared');
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    },
  );

  it(
    'devCredentials: false hands out the default app and user this start made',
    onlyOn('sqlite', 'a data folder restarted'),
    async () => {
      const dataDir = join(tempDir(), 'data');
      const first = await startLocalgraph({ dataDir, devCredentials: false });
      try {
        assert.notEqual(first.tenantId, DEV_CREDENTIALS.tenantId);
        assert.equal(first.username, 'admin@localgraph.onmicrosoft.com');
        assert.ok(first.clientSecret && first.password);
        const grant = await fetch(`${first.authority}/oauth2/v2.0/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: first.clientId,
            client_secret: first.clientSecret,
            scope: 'https://graph.microsoft.com/.default',
          }),
        });
        assert.equal(grant.status, 200);
        const devGrant = await fetch(`${first.url}/${DEV_CREDENTIALS.tenantId}/oauth2/v2.0/token`, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: DEV_CREDENTIALS.clientId,
            client_secret: DEV_CREDENTIALS.clientSecret,
            scope: 'https://graph.microsoft.com/.default',
          }),
        });
        assert.notEqual(devGrant.status, 200, 'no dev credentials were provisioned');
      } finally {
        await first.stop();
      }
      const again = await startLocalgraph({ dataDir, devCredentials: false });
      try {
        assert.equal(again.clientSecret, undefined, 'a secret made by an earlier start is not known');
        assert.equal(again.password, undefined);
        assert.equal((await graph(again, await again.token(), 'GET', CONNECTORS)).status, 200);
      } finally {
        await again.stop();
      }
    },
  );
});
