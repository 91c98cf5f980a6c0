/**
 * Microsoft's tutorial "Configure application proxy using the Microsoft Graph API", replayed
 * against a real localgraph process with the requests the tutorial sends: publish an
 * application, list connectors, create a connector group, move a connector into it, assign the
 * group to the app, configure Kerberos SSO, clean up. It runs twice: on the direct port, and
 * through the proxy (`serve --proxy-port`) at https://graph.microsoft.com with a token from
 * login.microsoftonline.com, as an unchanged script would.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import { startServer, type RunningServer } from './helpers/server.js';

let server: RunningServer;
let token: string;
/** Where the tutorial's requests go: the direct port, or graph.microsoft.com through the proxy. */
let graphOrigin: () => string = () => server.baseUrl;
let send: typeof fetch = fetch;
const GROUP_URL = (id: string) =>
  `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationproxy/connectorGroups/${id}`;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await send(`${graphOrigin()}/beta${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

before(async () => {
  server = await startServer();
  token = await server.token(['--scopes', 'Directory.ReadWrite.All Application.ReadWrite.All']);
});
after(() => server.stop());

test('the application proxy tutorial runs end to end', () => tutorial());

test('the tutorial runs end to end through the proxy, at graph.microsoft.com', async () => {
  const proxied = await startServer({ args: ['--proxy-port', '0', '--dev-credentials'] });
  // Only through localgraph's proxy (no NO_PROXY exceptions), trusting only its CA.
  // (EnvHttpProxyAgent hands `requestTls`, the TLS options inside the tunnel, to its ProxyAgent;
  // undici 6's declarations leave it out of its options.)
  const options = {
    httpProxy: proxied.proxyUrl,
    httpsProxy: proxied.proxyUrl,
    noProxy: '',
    requestTls: { ca: readFileSync(proxied.caFile!, 'utf8') },
  };
  const dispatcher = new EnvHttpProxyAgent(options as ConstructorParameters<typeof EnvHttpProxyAgent>[0]);
  const [direct, directToken] = [graphOrigin, token];
  try {
    send = ((url: string, init: RequestInit) =>
      undiciFetch(url, { ...(init as object), dispatcher })) as unknown as typeof fetch;
    const granted = await send(
      'https://login.microsoftonline.com/6c6f6361-6c67-4000-8000-000000000001/oauth2/v2.0/token',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: '6c6f6361-6c67-4000-8000-000000000002',
          username: 'dev@localgraph.onmicrosoft.com',
          password: 'Localgraph-Dev-Password-1',
          scope: 'https://graph.microsoft.com/.default',
        }).toString(),
      },
    );
    assert.equal(granted.status, 200);
    token = ((await granted.json()) as { access_token: string }).access_token;
    graphOrigin = () => 'https://graph.microsoft.com';
    await tutorial();
  } finally {
    [graphOrigin, token, send] = [direct, directToken, fetch];
    await dispatcher.close();
    await proxied.stop();
  }
});

async function tutorial(): Promise<void> {
  // The connectors an installer would have registered on three machines.
  for (const [machineName, externalIp] of [
    ['connectorA.redmond.contoso.com', '131.137.147.164'],
    ['connectorB.contoso.com', '68.0.191.210'],
    ['connectorC.contoso.com', '40.78.66.161'],
  ]) {
    assert.equal(
      (
        await call('POST', '/onPremisesPublishingProfiles/applicationProxy/connectors', {
          machineName,
          externalIp,
          status: 'active',
        })
      ).status,
      201,
    );
  }

  // Step 1-2: the app (the tutorial instantiates a template; here it is created), its URIs, then app proxy.
  const app = await call('POST', '/applications', { displayName: 'Contoso IWA App' });
  assert.equal(app.status, 201);
  const appId = app.json.id;
  const uris = await call('PATCH', `/applications/${appId}`, {
    identifierUris: ['https://contosoiwaapp-contoso.msappproxy.net'],
    web: {
      redirectUris: ['https://contosoiwaapp-contoso.msappproxy.net'],
      homePageUrl: 'https://contosoiwaapp-contoso.msappproxy.net',
    },
  });
  assert.equal(uris.status, 204);
  const publish = await call('PATCH', `/applications/${appId}`, {
    onPremisesPublishing: {
      externalAuthenticationType: 'aadPreAuthentication',
      internalUrl: 'https://contosoiwaapp.com',
      externalUrl: 'https://contosoiwaapp-contoso.msappproxy.net',
      isHttpOnlyCookieEnabled: true,
      isOnPremPublishingEnabled: true,
      isPersistentCookieEnabled: true,
      isSecureCookieEnabled: true,
      isStateSessionEnabled: true,
      isTranslateHostHeaderEnabled: true,
      isTranslateLinksInBodyEnabled: true,
    },
  });
  assert.equal(publish.status, 204);

  // Step 3: list connectors, create a group, move a connector into it, assign the group to the app.
  const connectors = await call('GET', '/onPremisesPublishingProfiles/applicationProxy/connectors');
  assert.equal(connectors.status, 200);
  assert.match(
    connectors.json['@odata.context'],
    /\$metadata#onPremisesPublishingProfiles\('applicationProxy'\)\/connectors$/,
  );
  assert.equal(connectors.json.value.length, 3);
  const connectorB = connectors.json.value.find(
    (c: { machineName: string }) => c.machineName === 'connectorB.contoso.com',
  );

  const group = await call('POST', '/onPremisesPublishingProfiles/applicationProxy/connectorGroups', {
    name: 'IWA Demo Connector Group',
  });
  assert.equal(group.status, 200, 'the live service answers 200 (docs: 201)');
  assert.deepEqual(
    { ...group.json, id: undefined, '@odata.context': undefined },
    {
      id: undefined,
      '@odata.context': undefined,
      name: 'IWA Demo Connector Group',
      connectorGroupType: 'applicationProxy',
      isDefault: false,
      region: 'nam',
    },
  );
  const groupId = group.json.id;

  const move = await call(
    'POST',
    `/onPremisesPublishingProfiles/applicationProxy/connectors/${connectorB.id}/memberOf/$ref`,
    { '@odata.id': GROUP_URL(groupId) },
  );
  assert.equal(move.status, 204);
  const members = await call(
    'GET',
    `/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${groupId}/members`,
  );
  assert.deepEqual(
    members.json.value.map((c: { id: string }) => c.id),
    [connectorB.id],
  );

  const assign = await call('PUT', `/applications/${appId}/connectorGroup/$ref`, { '@odata.id': GROUP_URL(groupId) });
  assert.equal(assign.status, 204);
  assert.equal((await call('GET', `/applications/${appId}/connectorGroup`)).json.id, groupId);

  // Step 4: Kerberos single sign-on; the earlier settings stay (complex values merge on PATCH).
  const sso = await call('PATCH', `/applications/${appId}`, {
    onPremisesPublishing: {
      singleSignOnSettings: {
        kerberosSignOnSettings: {
          kerberosServicePrincipalName: 'HTTP/iwademo.contoso.com',
          kerberosSignOnMappingAttributeType: 'userPrincipalName',
        },
        singleSignOnMode: 'onPremisesKerberos',
      },
    },
  });
  assert.equal(sso.status, 204);
  const published = (await call('GET', `/applications/${appId}`)).json.onPremisesPublishing;
  assert.equal(published.internalUrl, 'https://contosoiwaapp.com');
  assert.equal(published.singleSignOnSettings.singleSignOnMode, 'onPremisesKerberos');
  assert.equal(
    published.singleSignOnSettings.kerberosSignOnSettings.kerberosServicePrincipalName,
    'HTTP/iwademo.contoso.com',
  );

  // Step 5: clean up. A group with a connector and an application cannot go; emptied, it can.
  const refused = await call('DELETE', `/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${groupId}`);
  assert.equal(refused.status, 400);
  assert.equal(refused.json.error.code, 'Request_BadRequest');
  const defaultGroup = (
    await call('GET', '/onPremisesPublishingProfiles/applicationProxy/connectorGroups')
  ).json.value.find((g: { isDefault: boolean }) => g.isDefault);
  assert.equal(
    (
      await call(
        'POST',
        `/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${defaultGroup.id}/members/$ref`,
        {
          '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/${connectorB.id}`,
        },
      )
    ).status,
    204,
  );
  assert.equal((await call('DELETE', `/applications/${appId}/connectorGroup/$ref`)).status, 204);
  assert.equal(
    (await call('GET', `/applications/${appId}/connectorGroup`)).json.id,
    defaultGroup.id,
    'an unassigned app reads as the default group',
  );
  assert.equal(
    (await call('DELETE', `/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${groupId}`)).status,
    204,
  );
  assert.equal(
    (await call('GET', `/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${groupId}`)).status,
    404,
  );
}
