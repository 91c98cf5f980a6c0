/**
 * Identity end to end, against the real CLI: `serve --https`, the token endpoint (both grants),
 * `app add` and `user add` while the server runs, `localgraph cert`, smart lockout, the real
 * @azure/identity credential classes, the `--auth` modes and `--trust-issuer` with a second
 * localgraph as the foreign issuer.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { durable } from './helpers/backend.js';
import { CONNECTORS_PATH, request, runCli, startServer, type RunningServer } from './helpers/server.js';
import { assertGraphError } from './helpers/graph.js';
import {
  claimsOf,
  printedCredentials,
  runSdkClient,
  secureRequest,
  serverCertificate,
  tokenRequest,
  type DefaultCredentials,
} from './helpers/identity.js';

const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default';
const GROUPS_PATH = '/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups';

/** Where the banner says a new certificate is kept. */
function certificateSource(server: RunningServer): string {
  if (server.inMemory) return tmpdir();
  return server.dataDir !== undefined ? join(server.dataDir, 'tls', 'cert.pem') : 'kept in the database';
}

function json(text: string): Record<string, any> {
  return JSON.parse(text);
}

describe('serve --https: the token endpoint and registrations', () => {
  let server: RunningServer;
  let creds: DefaultCredentials;
  let ca: { pem: string; file: string };
  before(async () => {
    server = await startServer({ args: ['--https'] });
    creds = printedCredentials(server);
    ca = await serverCertificate(server);
  });
  after(async () => {
    if (server.process.exitCode === null) await server.stop();
  });

  const graph = (path: string, token: string, options: { method?: string; body?: object } = {}) =>
    secureRequest(`${server.baseUrl}${path}`, ca.pem, {
      method: options.method,
      headers: { authorization: `Bearer ${token}`, ...(options.body ? { 'content-type': 'application/json' } : {}) },
      body: options.body && JSON.stringify(options.body),
    });
  const clientToken = async (clientId: string, clientSecret: string) => {
    const res = await tokenRequest(server.baseUrl, server.tenantId, ca.pem, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: GRAPH_DEFAULT,
    });
    assert.equal(res.status, 200, res.text);
    return res.body.access_token as string;
  };
  const userToken = async (
    clientId: string,
    username: string,
    password: string,
    scope = `${GRAPH_DEFAULT} openid profile offline_access`,
  ) =>
    tokenRequest(server.baseUrl, server.tenantId, ca.pem, {
      grant_type: 'password',
      client_id: clientId,
      username,
      password,
      scope,
      client_info: '1',
    });

  it('prints an https://localhost URL, the mode, the certificate and the default identity once', () => {
    assert.match(server.baseUrl, /^https:\/\/localhost:\d+$/);
    const out = server.stdout();
    assert.match(out, /auth: strict/);
    assert.ok(out.includes(`tls: new certificate ${certificateSource(server)}`), out);
    assert.match(out, new RegExp(`token endpoint: ${server.baseUrl}/${server.tenantId}/oauth2/v2.0/token`));
    assert.equal(creds.userPrincipalName, 'admin@localgraph.onmicrosoft.com');
    assert.equal(server.stderr(), '');
  });

  it("the certificate `localgraph cert` prints (in memory: the banner's file) is the one the server presents", async () => {
    const res = await secureRequest(`${server.baseUrl}/beta/`, ca.pem);
    assert.equal(res.status, 200);
    // The file is the chain, leaf first then localgraph's CA: the leaf is what the server presents.
    const leaf = ca.pem.slice(0, ca.pem.indexOf('-----END CERTIFICATE-----') + '-----END CERTIFICATE-----'.length);
    assert.equal(res.peerCertificate.replace(/\s/g, ''), leaf.replace(/\s/g, ''));
    await assert.rejects(
      secureRequest(
        `https://127.0.0.1:${server.port}/beta/`,
        '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n',
      ),
    );
    const plain = await request(`http://127.0.0.1:${server.port}/beta/`).catch((error: Error) => error);
    assert.ok(plain instanceof Error || plain.status >= 400, 'plain http is not served on the TLS port');
  });

  it("both grants give tokens the Graph routes take, with the default app's permissions", async () => {
    const app = await clientToken(creds.clientId, creds.clientSecret);
    assert.equal(claimsOf(app).idtyp, 'app');
    const group = await graph(GROUPS_PATH, app, { method: 'POST', body: { name: 'made with client_credentials' } });
    assert.ok(group.status === 200 || group.status === 201, group.text);
    assert.equal((await graph(CONNECTORS_PATH, app)).status, 403, 'app tokens cannot list connectors');

    const res = await userToken(creds.clientId, creds.userPrincipalName, creds.password);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.id_token && res.body.client_info);
    assert.equal((await graph(CONNECTORS_PATH, res.body.access_token)).status, 200);
  });

  it(
    '`app add` and `user add` work while the server runs, at once, with exactly what was granted',
    durable(),
    async () => {
      const added = await runCli([
        'app',
        'add',
        ...server.storageArgs(),
        '--name',
        'Reader',
        '--roles',
        'Application.Read.All',
        '--scopes',
        'Directory.ReadWrite.All',
      ]);
      assert.equal(added.code, 0, added.stderr);
      const app = json(added.stdout);
      assert.deepEqual(Object.keys(app), ['tenantId', 'clientId', 'clientSecret']);
      assert.equal(app.tenantId, server.tenantId);
      const appToken = await clientToken(app.clientId, app.clientSecret);
      assert.deepEqual(claimsOf(appToken).roles, ['Application.Read.All']);
      assert.equal((await graph('/beta/applications', appToken)).status, 200);
      assert.equal((await graph(GROUPS_PATH, appToken, { method: 'POST', body: { name: 'not allowed' } })).status, 403);

      const user = await runCli([
        'user',
        'add',
        ...server.storageArgs(),
        '--upn',
        'alice@contoso.com',
        '--password',
        'Correct-Horse-9',
      ]);
      assert.equal(user.code, 0, user.stderr);
      const alice = json(user.stdout);
      assert.deepEqual(Object.keys(alice), ['tenantId', 'id', 'userPrincipalName']);
      const signIn = await userToken(app.clientId, 'ALICE@contoso.com', 'Correct-Horse-9');
      assert.equal(signIn.status, 200, signIn.text);
      assert.equal(claimsOf(signIn.body.access_token).oid, alice.id);
      assert.equal(claimsOf(signIn.body.access_token).scp, 'Directory.ReadWrite.All');
      assert.equal((await graph(CONNECTORS_PATH, signIn.body.access_token)).status, 200);

      const again = await runCli([
        'user',
        'add',
        ...server.storageArgs(),
        '--upn',
        'Alice@Contoso.com',
        '--password',
        'x',
      ]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /already has a user/);
      for (const args of [
        ['app', 'add', ...server.storageArgs()],
        ['user', 'add', ...server.storageArgs(), '--upn', 'nobody', '--password', 'x'],
        ['app'],
        ['app', 'remove'],
      ]) {
        const wrong = await runCli(args);
        assert.equal(wrong.code, 2, `${args.join(' ')}: ${wrong.stderr}`);
      }
    },
  );

  it(
    'credentials are never lost: `app list`, `app reset-secret` and `user set-password` beside the running server',
    durable(),
    async () => {
      const listed = await runCli(['app', 'list', ...server.storageArgs()]);
      assert.equal(listed.code, 0, listed.stderr);
      const apps = JSON.parse(listed.stdout) as Record<string, unknown>[];
      const defaultApp = apps.find((a) => a.clientId === creds.clientId);
      assert.ok(defaultApp, listed.stdout);
      assert.deepEqual(Object.keys(defaultApp).sort(), [
        'clientId',
        'createdAt',
        'displayName',
        'roles',
        'scopes',
        'tenantId',
      ]);
      assert.ok(
        !listed.stdout.includes(creds.clientSecret) && !listed.stdout.includes('scrypt'),
        'no secret nor hash is listed',
      );

      const reset = await runCli([
        'app',
        'reset-secret',
        ...server.storageArgs(),
        '--client-id',
        creds.clientId.toUpperCase(),
      ]);
      assert.equal(reset.code, 0, reset.stderr);
      const fresh = json(reset.stdout);
      assert.deepEqual(fresh, {
        tenantId: server.tenantId,
        clientId: creds.clientId,
        clientSecret: fresh.clientSecret,
      });
      assert.notEqual(fresh.clientSecret, creds.clientSecret);
      const old = await tokenRequest(server.baseUrl, server.tenantId, ca.pem, {
        grant_type: 'client_credentials',
        client_id: creds.clientId,
        client_secret: creds.clientSecret,
        scope: GRAPH_DEFAULT,
      });
      assert.equal(old.status, 401, old.text);
      assert.equal(old.body.error, 'invalid_client');
      assert.equal(claimsOf(await clientToken(creds.clientId, fresh.clientSecret)).idtyp, 'app');
      creds = { ...creds, clientSecret: fresh.clientSecret };

      const set = await runCli([
        'user',
        'set-password',
        ...server.storageArgs(),
        '--upn',
        creds.userPrincipalName.toUpperCase(),
        '--password',
        'New-Password-42',
      ]);
      assert.equal(set.code, 0, set.stderr);
      assert.deepEqual(Object.keys(json(set.stdout)), ['tenantId', 'id', 'userPrincipalName']);
      assert.equal(
        (await userToken(creds.clientId, creds.userPrincipalName, creds.password)).status,
        400,
        'the old password stops working',
      );
      const signIn = await userToken(creds.clientId, creds.userPrincipalName, 'New-Password-42');
      assert.equal(signIn.status, 200, signIn.text);
      creds = { ...creds, password: 'New-Password-42' };

      const unknownApp = await runCli([
        'app',
        'reset-secret',
        ...server.storageArgs(),
        '--client-id',
        '00000000-0000-4000-8000-000000000000',
      ]);
      assert.equal(unknownApp.code, 1);
      assert.match(unknownApp.stderr, /no application has client id/);
      const unknownUser = await runCli([
        'user',
        'set-password',
        ...server.storageArgs(),
        '--upn',
        'nobody@contoso.com',
        '--password',
        'x',
      ]);
      assert.equal(unknownUser.code, 1);
      assert.match(unknownUser.stderr, /has no user nobody@contoso.com/);
      assert.equal(
        (await runCli(['app', 'reset-secret', ...server.storageArgs(), '--client-id', 'not-a-guid'])).code,
        2,
      );
    },
  );

  it(
    'brute force at the token endpoint: ten wrong passwords lock the account, even against the right one',
    durable(),
    async () => {
      const added = json(
        (
          await runCli([
            'user',
            'add',
            ...server.storageArgs(),
            '--upn',
            'target@contoso.com',
            '--password',
            'Right-Password-1',
          ])
        ).stdout,
      );
      for (let i = 0; i < 10; i++) {
        const res = await userToken(creds.clientId, 'target@contoso.com', `guess-${i}`);
        assert.equal(res.status, 400);
        assert.deepEqual(res.body.error_codes, [50126]);
      }
      const locked = await userToken(creds.clientId, 'target@contoso.com', 'Right-Password-1');
      assert.equal(locked.status, 400);
      assert.equal(locked.body.error, 'invalid_grant');
      assert.deepEqual(locked.body.error_codes, [50053]);
      assert.ok(!locked.text.includes('Right-Password-1') && !locked.text.includes(added.id));
    },
  );

  it('@azure/identity ClientSecretCredential and UsernamePasswordCredential get tokens from localgraph', async () => {
    const result = await runSdkClient('credentials', server, creds, ca.file);
    assert.equal(result.app.claims.idtyp, 'app');
    assert.equal(result.app.claims.tid, server.tenantId);
    assert.ok(result.app.claims.roles.includes('Directory.ReadWrite.All'));
    assert.equal(result.user.claims.idtyp, 'user');
    assert.equal(result.user.claims.upn, creds.userPrincipalName);
    assert.ok(String(result.user.claims.scp).includes('Directory.ReadWrite.All'));
    assert.equal(
      result.explicitScope.scp,
      result.user.claims.scp,
      'an explicit scope gets every consented scope, as in Entra ID',
    );
    assert.ok(result.user.expiresOnTimestamp > Date.now());
    assert.match(result.wrongSecret, /AADSTS7000215/);
    assert.match(result.wrongPassword, /AADSTS50126/);
    assert.match(result.unconsentedScope, /AADSTS65001/);
    assert.match(result.wrongTenant, /CredentialUnavailableError|endpoints/i);
  });

  it('a restart keeps the certificate and the registrations, and prints no secret again', durable(), async () => {
    assert.equal(await server.stop(), 0);
    server = await startServer({ ...server.sameStorage(), args: ['--https'] });
    assert.doesNotMatch(server.stdout(), /shown once/);
    assert.match(server.stdout(), /tls: certificate /);
    assert.equal(
      (await secureRequest(`${server.baseUrl}/beta/`, ca.pem)).status,
      200,
      'the same certificate is served',
    );
    assert.ok(await clientToken(creds.clientId, creds.clientSecret));
  });
});

describe('--auth modes', () => {
  const unsigned = (claims: object) =>
    `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

  it('off: no token needed, the default tenant, every permission', async () => {
    const server = await startServer({ args: ['--auth', 'off'] });
    try {
      assert.match(server.stdout(), /auth: off/);
      const created = await request(`${server.baseUrl}${CONNECTORS_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ externalIp: '10.0.0.1', machineName: 'no-token.contoso.com', status: 'active' }),
      });
      assert.equal(created.status, 201, created.text);
      // Any token is ignored: still the default tenant.
      const listed = await request(`${server.baseUrl}${CONNECTORS_PATH}`, {
        headers: { authorization: `Bearer ${unsigned({ tid: crypto.randomUUID() })}` },
      });
      assert.deepEqual(
        listed.body.value.map((c: { id: string }) => c.id),
        [created.body.id],
      );
      const token = await server.token();
      assert.equal(
        (await request(`${server.baseUrl}${CONNECTORS_PATH}`, { headers: { authorization: `Bearer ${token}` } })).body
          .value.length,
        1,
      );
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('claims: unverified tokens, their tenant and permissions believed', async () => {
    const server = await startServer({ args: ['--auth', 'claims'] });
    try {
      assert.match(server.stdout(), /auth: claims/);
      const tenant = crypto.randomUUID();
      const allowed = await request(`${server.baseUrl}${CONNECTORS_PATH}`, {
        headers: { authorization: `Bearer ${unsigned({ tid: tenant, oid: 'u', scp: 'Directory.ReadWrite.All' })}` },
      });
      assert.equal(allowed.status, 200, allowed.text);
      const denied = await request(`${server.baseUrl}${CONNECTORS_PATH}`, {
        headers: { authorization: `Bearer ${unsigned({ tid: tenant, oid: 'u', scp: 'User.Read' })}` },
      });
      assert.equal(denied.status, 403);
      assert.equal((await request(`${server.baseUrl}${CONNECTORS_PATH}`)).status, 401);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('strict (the default) refuses the unsigned token claims mode takes', async () => {
    const server = await startServer();
    try {
      assert.match(server.stdout(), /auth: strict/);
      const res = await request(`${server.baseUrl}${CONNECTORS_PATH}`, {
        headers: {
          authorization: `Bearer ${unsigned({ tid: server.tenantId, oid: 'u', scp: 'Directory.ReadWrite.All' })}`,
        },
      });
      assert.equal(res.status, 401);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('command-line mistakes are usage errors (exit 2)', async () => {
    for (const args of [
      ['--auth', 'bogus'],
      ['--auth', 'off', '--trust-issuer', 'https://login.microsoftonline.com/x/v2.0'],
      ['--trust-issuer', 'http://example.com/'],
      ['--trust-issuer', 'not a url'],
      ['--audience', 'api://x'],
      ['--cert', 'c.pem'],
    ]) {
      const r = await runCli(['serve', '--in-memory', '--port', '0', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });
});

describe('--trust-issuer: tokens of a second localgraph', () => {
  let issuer: RunningServer;
  let server: RunningServer;
  let stranger: RunningServer;
  let issuerCa: { pem: string; file: string };
  before(async () => {
    issuer = await startServer({ args: ['--https'] });
    issuerCa = await serverCertificate(issuer);
    // The v1 metadata of the issuer's tenant: its issuer is the `iss` its Graph tokens carry.
    server = await startServer({
      args: ['--trust-issuer', `${issuer.baseUrl}/${issuer.tenantId}/`],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: issuerCa.file },
    });
    stranger = await startServer({ args: ['--https'] });
  });
  after(async () => {
    for (const s of [server, issuer, stranger]) if (s.process.exitCode === null) await s.stop();
  });

  it("accepts the trusted issuer's tokens in its tenant, and still its own; refuses an untrusted issuer's", async () => {
    assert.match(server.stdout(), new RegExp(`trusted issuer: ${issuer.baseUrl}/${issuer.tenantId}/\\n`));
    const creds = printedCredentials(issuer);
    const res = await tokenRequest(issuer.baseUrl, issuer.tenantId, issuerCa.pem, {
      grant_type: 'client_credentials',
      client_id: creds.clientId,
      client_secret: creds.clientSecret,
      scope: GRAPH_DEFAULT,
    });
    assert.equal(res.status, 200, res.text);
    const foreign = res.body.access_token as string;
    const created = await request(`${server.baseUrl}${GROUPS_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${foreign}`, 'content-type': 'application/json' },
      body: '{"name":"from the other issuer"}',
    });
    assert.ok(created.status === 200 || created.status === 201, created.text);
    // The data lives in the issuer's tenant, not in the server's default tenant.
    const own = await server.token();
    const ownGroups = await request(`${server.baseUrl}${GROUPS_PATH}`, { headers: { authorization: `Bearer ${own}` } });
    assert.equal(ownGroups.status, 200);
    assert.ok(!ownGroups.text.includes(created.body.id));

    const strangerCa = await serverCertificate(stranger);
    const strangerCreds = printedCredentials(stranger);
    const untrusted = await tokenRequest(stranger.baseUrl, stranger.tenantId, strangerCa.pem, {
      grant_type: 'client_credentials',
      client_id: strangerCreds.clientId,
      client_secret: strangerCreds.clientSecret,
      scope: GRAPH_DEFAULT,
    });
    const refused = await request(`${server.baseUrl}${GROUPS_PATH}`, {
      headers: { authorization: `Bearer ${untrusted.body.access_token}` },
    });
    assertGraphError(refused, 401, 'InvalidAuthenticationToken');
  });
});
