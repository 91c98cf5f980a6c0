/**
 * Unchanged tools reach localgraph through its intercepting proxy (`serve --proxy-port`): curl,
 * @azure/identity, Kiota and graph-client with their default hosts, raw tunnels. Every request
 * naming graph.microsoft.com or login.microsoftonline.com goes through localgraph's own proxy,
 * explicitly (curl --proxy, HTTPS_PROXY, a hand-made CONNECT): with the proxy missing, they fail.
 * The server runs with a connect guard (test/helpers/connect-guard.ts) that records every
 * outbound connection and DNS lookup it attempts: refused hosts must leave no trace there.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { onlyOn, TEST_BACKEND, TEST_DATABASE_URL } from './helpers/backend.js';
import { claimsOf } from './helpers/identity.js';
import { freshDatabaseUrl, runCli, startServer, tempDir, type RunningServer } from './helpers/server.js';
import { exchange, openTunnel, proxyRefusal, sendToProxy } from './helpers/tunnel.js';

const DEV = {
  tenantId: '6c6f6361-6c67-4000-8000-000000000001',
  clientId: '6c6f6361-6c67-4000-8000-000000000002',
  clientSecret: 'localgraph-dev-secret~not-for-production',
  upn: 'dev@localgraph.onmicrosoft.com',
  password: 'Localgraph-Dev-Password-1',
};
const GRAPH = 'graph.microsoft.com';
const LOGIN = 'login.microsoftonline.com';
const CONNECTORS = '/beta/onPremisesPublishingProfiles/applicationProxy/connectors';
const PROXY_CLIENT = fileURLToPath(new URL('./clients/proxy-client.js', import.meta.url));
const CONNECT_GUARD = fileURLToPath(new URL('./helpers/connect-guard.js', import.meta.url));
const execFileAsync = promisify(execFile);

let server: RunningServer;
let ca: string;
let connectLog: string;

before(async () => {
  connectLog = join(tempDir(), 'connects.jsonl');
  writeFileSync(connectLog, '');
  server = await startServer({
    args: ['--proxy-port', '0', '--dev-credentials'],
    env: { ...process.env, NODE_OPTIONS: `--import=${CONNECT_GUARD}`, LOCALGRAPH_TEST_CONNECT_LOG: connectLog },
  });
  assert.ok(server.proxyUrl, `the banner names the proxy:\n${server.stdout()}`);
  assert.ok(server.caFile, `the banner names the CA file:\n${server.stdout()}`);
  ca = readFileSync(server.caFile, 'utf8');
  assert.match(readFileSync(connectLog, 'utf8'), /"guarding":\d+/, 'the connect guard is loaded in the server');
});
after(() => server.stop());

/** curl through the proxy, trusting only localgraph's CA; resolves with the status and body. */
async function curl(args: string[], proxyUrl = server.proxyUrl!): Promise<{ status: number; body: string }> {
  const { stdout } = await execFileAsync(
    'curl',
    ['-sS', '--noproxy', '', '--proxy', proxyUrl, '--cacert', server.caFile!, '-w', '\n%{http_code}', ...args],
    { timeout: 20_000 },
  );
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

/** What the server has connected to or looked up: only its own database, if any. */
function outboundAttempts(): Record<string, any>[] {
  const database = TEST_BACKEND === 'postgres' ? new URL(TEST_DATABASE_URL) : undefined;
  return readFileSync(connectLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>)
    .filter((entry) => entry.guarding === undefined)
    .filter(
      (entry) =>
        !(
          database &&
          ((entry.connect && String(entry.connect.port) === (database.port || '5432')) ||
            entry.lookup === database.hostname)
        ),
    );
}

describe('curl through the proxy', () => {
  it('gets tokens at login.microsoftonline.com and uses them at graph.microsoft.com; tokens cross between proxy and direct port', async () => {
    const appGrant = await curl([
      `https://${LOGIN}/${DEV.tenantId}/oauth2/v2.0/token`,
      '-d',
      'grant_type=client_credentials',
      '-d',
      `client_id=${DEV.clientId}`,
      '--data-urlencode',
      `client_secret=${DEV.clientSecret}`,
      '--data-urlencode',
      'scope=https://graph.microsoft.com/.default',
    ]);
    assert.equal(appGrant.status, 200, appGrant.body);
    const appClaims = claimsOf(JSON.parse(appGrant.body).access_token);
    assert.equal(appClaims.iss, `https://sts.windows.net/${DEV.tenantId}/`);
    assert.equal(appClaims.tid, DEV.tenantId);
    assert.equal(appClaims.appid, DEV.clientId);

    const userGrant = await curl([
      `https://${LOGIN}/${DEV.tenantId}/oauth2/v2.0/token`,
      '-d',
      'grant_type=password',
      '-d',
      `client_id=${DEV.clientId}`,
      '-d',
      `username=${DEV.upn}`,
      '--data-urlencode',
      `password=${DEV.password}`,
      '--data-urlencode',
      'scope=https://graph.microsoft.com/.default openid profile',
    ]);
    assert.equal(userGrant.status, 200, userGrant.body);
    const { access_token: userToken, id_token: idToken } = JSON.parse(userGrant.body);
    assert.equal(
      claimsOf(idToken).iss,
      `https://${LOGIN}/${DEV.tenantId}/v2.0`,
      'the ID token names the issuer Entra shows',
    );

    const created = await curl([
      `https://${GRAPH}${CONNECTORS}`,
      '-H',
      `Authorization: Bearer ${userToken}`,
      '-H',
      'Content-Type: application/json',
      '-d',
      JSON.stringify({ externalIp: '10.7.0.1', machineName: 'curl.contoso.com', status: 'active' }),
    ]);
    assert.equal(created.status, 201, created.body);
    const connector = JSON.parse(created.body);
    assert.equal(
      connector['@odata.context'],
      `https://${GRAPH}/beta/$metadata#onPremisesPublishingProfiles('applicationProxy')/connectors/$entity`,
    );

    // The proxy's token on the direct port, the direct port's token through the proxy.
    const direct = await fetch(`${server.baseUrl}${CONNECTORS}/${connector.id}`, {
      headers: { authorization: `Bearer ${userToken}` },
    });
    assert.equal(direct.status, 200);
    assert.equal((await direct.json()).machineName, 'curl.contoso.com');
    const directToken = await server.token([
      '--tenant',
      DEV.tenantId,
      '--user',
      DEV.upn,
      '--scopes',
      'Directory.ReadWrite.All',
    ]);
    const viaProxy = await curl([
      `https://${GRAPH}${CONNECTORS}/${connector.id}`,
      '-H',
      `Authorization: Bearer ${directToken}`,
    ]);
    assert.equal(viaProxy.status, 200, viaProxy.body);
  });

  it('serves Entra discovery as the libraries expect it, per host', async () => {
    const v2 = JSON.parse(
      (await curl([`https://${LOGIN}/${DEV.tenantId}/v2.0/.well-known/openid-configuration`])).body,
    );
    assert.equal(v2.issuer, `https://${LOGIN}/${DEV.tenantId}/v2.0`);
    assert.equal(v2.token_endpoint, `https://${LOGIN}/${DEV.tenantId}/oauth2/v2.0/token`);
    assert.equal(v2.jwks_uri, `https://${LOGIN}/${DEV.tenantId}/discovery/v2.0/keys`);
    assert.equal(v2.msgraph_host, GRAPH);
    const v1 = JSON.parse((await curl([`https://${LOGIN}/${DEV.tenantId}/.well-known/openid-configuration`])).body);
    assert.equal(v1.issuer, `https://sts.windows.net/${DEV.tenantId}/`);
    // An alias answers with its own endpoints and the tenant's one v2.0 issuer.
    const alias = JSON.parse(
      (await curl([`https://login.windows.net/${DEV.tenantId}/v2.0/.well-known/openid-configuration`])).body,
    );
    assert.equal(alias.token_endpoint, `https://login.windows.net/${DEV.tenantId}/oauth2/v2.0/token`);
    assert.equal(alias.issuer, `https://${LOGIN}/${DEV.tenantId}/v2.0`);
    const keys = JSON.parse((await curl([`https://${LOGIN}/${DEV.tenantId}/discovery/v2.0/keys`])).body);
    assert.ok(
      keys.keys.length >= 1 && keys.keys.every((k: Record<string, unknown>) => k.kty === 'RSA' && k.d === undefined),
    );

    const authorize = encodeURIComponent(`https://${LOGIN}/${DEV.tenantId}/oauth2/v2.0/authorize`);
    const instance = await curl([
      `https://${LOGIN}/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`,
    ]);
    assert.equal(instance.status, 200, instance.body);
    assert.deepEqual(JSON.parse(instance.body), {
      tenant_discovery_endpoint: `https://${LOGIN}/${DEV.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        {
          preferred_network: LOGIN,
          preferred_cache: 'login.windows.net',
          aliases: [LOGIN, 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
        },
      ],
    });
    const bogus = await curl([
      `https://${LOGIN}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent('https://bogus.example/common/oauth2/v2.0/authorize')}`,
    ]);
    assert.equal(bogus.status, 400);
    assert.equal(JSON.parse(bogus.body).error, 'invalid_instance');

    // Each host serves what its Microsoft counterpart does.
    const graphOnLogin = await curl([`https://${LOGIN}${CONNECTORS}`]);
    assert.equal(graphOnLogin.status, 404);
    const tokenOnGraph = await curl([
      `https://${GRAPH}/${DEV.tenantId}/oauth2/v2.0/token`,
      '-d',
      'grant_type=client_credentials',
    ]);
    assert.equal(tokenOnGraph.status, 400);
    assert.equal(JSON.parse(tokenOnGraph.body).error.code, 'BadRequest');
  });

  it('fails, never falls back, when the proxy is missing', async () => {
    const closed = await freePort();
    await assert.rejects(
      curl([`https://${GRAPH}${CONNECTORS}`], `http://127.0.0.1:${closed}`),
      /exit code 7|Failed to connect|Couldn't connect/i,
    );
  });
});

describe('@azure/identity, Kiota and graph-client with their defaults, in a process with only HTTPS_PROXY and NODE_EXTRA_CA_CERTS', () => {
  const run = (proxyUrl: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [PROXY_CLIENT, DEV.tenantId, DEV.clientId, DEV.clientSecret, DEV.upn, DEV.password],
        {
          env: { PATH: process.env.PATH, HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: server.caFile },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });

  it('get tokens at the default authority and call graph.microsoft.com/beta', async () => {
    const { code, stdout, stderr } = await run(server.proxyUrl!);
    assert.equal(code, 0, stderr);
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!);
    assert.equal(seen.kiotaBaseUrl, `https://${GRAPH}/beta`);
    const app = claimsOf(seen.appToken);
    assert.equal(app.tid, DEV.tenantId);
    assert.equal(app.idtyp, 'app');
    const user = claimsOf(seen.userToken);
    assert.equal(user.upn, DEV.upn);
    assert.equal(user.iss, `https://sts.windows.net/${DEV.tenantId}/`);
    assert.equal(seen.created.machineName, 'through-the-proxy.contoso.com');
    assert.equal(seen.kiotaError.status, 404);
    assert.equal(seen.kiotaError.code, 'Request_ResourceNotFound');
    assert.ok(seen.listedIds.includes(seen.created.id));
    assert.equal(seen.read.id, seen.created.id);
    assert.deepEqual(seen.notFound, { statusCode: 404, code: 'Request_ResourceNotFound' });
    // Same application behind both ports: the connector and the token, on the direct port.
    const direct = await fetch(`${server.baseUrl}${CONNECTORS}/${seen.created.id}`, {
      headers: { authorization: `Bearer ${seen.userToken}` },
    });
    assert.equal(direct.status, 200);
  });

  it('fail, never fall back, when the proxy is missing', async () => {
    const { code, stderr } = await run(`http://127.0.0.1:${await freePort()}`);
    assert.notEqual(code, 0);
    assert.match(stderr, /ECONNREFUSED|network_error|Network request failed/);
  });
});

describe('refusals', () => {
  it('refuses every other host with 403 and one line, and attempts no outbound connection', async () => {
    // A live listener on this machine: a proxy that forwarded anything would reach it.
    let reached = 0;
    const canary = createServer((socket) => {
      reached += 1;
      socket.destroy();
    });
    canary.listen(0, '127.0.0.1');
    await once(canary, 'listening');
    const canaryPort = (canary.address() as AddressInfo).port;
    // Listening looked up the server's own address at start; what counts is what comes after.
    const earlier = outboundAttempts().length;
    try {
      const refusals = [
        `CONNECT other.example:443 HTTP/1.1\r\nHost: other.example:443\r\n\r\n`,
        `CONNECT 127.0.0.1:${canaryPort} HTTP/1.1\r\nHost: 127.0.0.1:${canaryPort}\r\n\r\n`,
        `CONNECT localhost:${canaryPort} HTTP/1.1\r\nHost: localhost:${canaryPort}\r\n\r\n`,
        `CONNECT ${GRAPH}:80 HTTP/1.1\r\nHost: ${GRAPH}:80\r\n\r\n`,
        `GET http://other.example/beta/ HTTP/1.1\r\nHost: other.example\r\n\r\n`,
        `GET http://127.0.0.1:${canaryPort}/ HTTP/1.1\r\nHost: 127.0.0.1:${canaryPort}\r\n\r\n`,
        `GET http://${GRAPH}/beta/ HTTP/1.1\r\nHost: ${GRAPH}\r\n\r\n`,
      ];
      for (const head of refusals) {
        const { status, body } = await proxyRefusal(server.proxyUrl!, head);
        assert.equal(status, 403, head);
        assert.equal(body.split('\n').filter(Boolean).length, 1, `one line: ${body}`);
        assert.match(body, /^localgraph proxy: /);
      }
      const other = await proxyRefusal(server.proxyUrl!, refusals[0]);
      assert.match(other.body, /other\.example is not intercepted/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(reached, 0, 'nothing was forwarded');
      assert.deepEqual(
        outboundAttempts().slice(earlier),
        [],
        'the refusals made the server attempt no connection and no DNS lookup',
      );
      assert.deepEqual(
        outboundAttempts().filter((entry) => entry.connect),
        [],
        'the server connected nowhere at all (but to its database), tunnels and 403s alike',
      );
    } finally {
      canary.close();
    }
  });
});

describe('tunnels', () => {
  const token = () =>
    server.token(['--tenant', DEV.tenantId, '--user', DEV.upn, '--scopes', 'Directory.ReadWrite.All']);

  it('one tunnel carries 100 requests', async () => {
    const bearer = await token();
    const tunnel = await openTunnel(server.proxyUrl!, GRAPH, ca);
    assert.equal(tunnel.alpnProtocol, 'http/1.1');
    for (let i = 0; i < 100; i++) {
      const response = await exchange(tunnel, {
        host: GRAPH,
        path: `${CONNECTORS}?$top=1`,
        headers: { authorization: `Bearer ${bearer}` },
      });
      assert.equal(response.status, 200, response.body);
      assert.match(JSON.parse(response.body)['@odata.context'], /^https:\/\/graph\.microsoft\.com\/beta\/\$metadata/);
    }
    assert.equal(tunnel.destroyed, false, 'still open after 100 answers');
    // A request for another host on this tunnel is misdirected.
    const misdirected = await exchange(tunnel, { host: LOGIN, path: `/${DEV.tenantId}/discovery/v2.0/keys` });
    assert.equal(misdirected.status, 421);
    tunnel.destroy();
  });

  it('64 concurrent tunnels are all served', async () => {
    const bearer = await token();
    const results = await Promise.all(
      Array.from({ length: 64 }, async (_, i) => {
        const host = i % 2 === 0 ? GRAPH : LOGIN;
        const tunnel = await openTunnel(server.proxyUrl!, host, ca);
        try {
          const path = host === GRAPH ? `${CONNECTORS}?$top=1` : `/${DEV.tenantId}/discovery/v2.0/keys`;
          return (await exchange(tunnel, { host, path, headers: { authorization: `Bearer ${bearer}` } })).status;
        } finally {
          tunnel.destroy();
        }
      }),
    );
    assert.deepEqual(results, Array(64).fill(200));
  });

  it('garbage instead of a ClientHello closes that tunnel alone', async () => {
    const bearer = await token();
    const good = await openTunnel(server.proxyUrl!, GRAPH, ca);
    const { socket: bad, status } = await sendToProxy(
      server.proxyUrl!,
      `CONNECT ${GRAPH}:443 HTTP/1.1\r\nHost: ${GRAPH}:443\r\n\r\n`,
    );
    assert.equal(status, 200);
    bad.resume();
    const closed = once(bad, 'close');
    bad.write(`GET / HTTP/1.1\r\nHost: graph.microsoft.com\r\n\r\n${'x'.repeat(2000)}`);
    await closed;
    const after = await exchange(good, {
      host: GRAPH,
      path: `${CONNECTORS}?$top=1`,
      headers: { authorization: `Bearer ${bearer}` },
    });
    assert.equal(after.status, 200);
    const fresh = await openTunnel(server.proxyUrl!, GRAPH, ca);
    assert.equal(
      (
        await exchange(fresh, {
          host: GRAPH,
          path: `${CONNECTORS}?$top=1`,
          headers: { authorization: `Bearer ${bearer}` },
        })
      ).status,
      200,
    );
    good.destroy();
    fresh.destroy();
  });
});

describe('Host names on the direct port (DNS rebinding)', () => {
  it('answers loopback names and the intercepted hosts, refuses others unless --allowed-host names them', async () => {
    const port = server.port;
    const status = async (target: RunningServer, host: string) => (await rawStatus(target.port, host)).status;
    assert.equal(await status(server, `127.0.0.1:${port}`), 200);
    assert.equal(await status(server, `localhost:${port}`), 200);
    assert.equal(await status(server, GRAPH), 200);
    const refused = await rawStatus(port, `evil.example:${port}`);
    assert.equal(refused.status, 403);
    assert.match(refused.body, /--allowed-host evil\.example/);
    // (Its proxy from the environment variable rather than the flag.)
    const allowing = await startServer({
      inMemory: true,
      args: ['--allowed-host', 'evil.example'],
      env: { ...process.env, LOCALGRAPH_PROXY_PORT: '0' },
    });
    try {
      assert.match(allowing.proxyUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/, 'LOCALGRAPH_PROXY_PORT starts the proxy');
      assert.equal(await status(allowing, `evil.example:${allowing.port}`), 200);
      assert.equal(await status(allowing, `other.example:${allowing.port}`), 403);
    } finally {
      await allowing.stop();
    }
  });
});

describe('the CA in the data store', () => {
  it(
    'localgraph ca prints the CA the server uses',
    onlyOn('sqlite', 'reads the data folder beside a running server'),
    async () => {
      const printed = await runCli(['ca', ...server.storageArgs()]);
      assert.equal(printed.code, 0, printed.stderr);
      assert.equal(printed.stdout, ca);
    },
  );

  it(
    'two instances on one PostgreSQL database share one CA, and tokens',
    onlyOn('postgres', 'two instances on one database'),
    async () => {
      const databaseUrl = freshDatabaseUrl();
      // One after the other: two instances migrating a fresh schema at once is issue 16's point 11
      // (a race in the migrations, not in the CA; concurrent first uses of the CA are unit-tested).
      const one = await startServer({ databaseUrl, args: ['--proxy-port', '0', '--dev-credentials'] });
      const two = await startServer({ databaseUrl, args: ['--proxy-port', '0', '--dev-credentials'] }).catch(
        async (error: unknown) => {
          await one.stop();
          throw error;
        },
      );
      try {
        const caOne = readFileSync(one.caFile!, 'utf8');
        assert.equal(readFileSync(two.caFile!, 'utf8'), caOne);
        const printed = await runCli(['ca', '--database-url', databaseUrl]);
        assert.equal(printed.stdout, caOne);
        // A token from one instance's proxy works through the other's.
        const tunnelOne = await openTunnel(one.proxyUrl!, LOGIN, caOne);
        const body = new URLSearchParams({
          grant_type: 'password',
          client_id: DEV.clientId,
          username: DEV.upn,
          password: DEV.password,
          scope: 'https://graph.microsoft.com/.default',
        }).toString();
        const granted = await exchange(tunnelOne, {
          method: 'POST',
          host: LOGIN,
          path: `/${DEV.tenantId}/oauth2/v2.0/token`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        assert.equal(granted.status, 200, granted.body);
        tunnelOne.destroy();
        const tunnelTwo = await openTunnel(two.proxyUrl!, GRAPH, caOne);
        const listed = await exchange(tunnelTwo, {
          host: GRAPH,
          path: CONNECTORS,
          headers: { authorization: `Bearer ${JSON.parse(granted.body).access_token}` },
        });
        assert.equal(listed.status, 200, listed.body);
        tunnelTwo.destroy();
      } finally {
        await Promise.all([one.stop(), two.stop()]);
      }
    },
  );
});

describe('the well-known dev credentials', () => {
  it('are refused on a non-loopback address without --allow-dev-credentials-on-network (nothing is bound)', async () => {
    const refused = await runCli(['serve', '--in-memory', '--host', '0.0.0.0', '--port', '0']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /dev credentials .* --allow-dev-credentials-on-network/);
  });
});

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** GET /health on the direct port with this Host header. */
async function rawStatus(port: number, host: string): Promise<{ status: number; body: string }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
