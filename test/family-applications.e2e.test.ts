/**
 * End to end: applications as application proxy uses them (CRUD, `onPremisesPublishing`, the
 * connector group assignment) and their IP application segments, against the real
 * `localgraph serve` process: assignment needs app proxy configured (`Application_NotFound`
 * before), a removed assignment reads as the default group, the docs' segment examples.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { queryStorage } from './helpers/storage-query.js';
import { errorOf, GUID, stripContext } from './helpers/server.js';
import { startInProcess, type InProcessServer } from './helpers/in-process.js';
import { assertGraphError, graphClient } from './helpers/graph.js';

let server: InProcessServer;
let admin: string;

const APPS = '/beta/applications';
const GROUPS = '/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups';
const SEGMENTS_OF = (appId: string) =>
  `${APPS}/${appId}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments`;
/** The casing of the docs' examples. */
const DOCS_SEGMENTS_OF = (appId: string) =>
  `${APPS}/${appId}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.IpSegmentConfiguration/ApplicationSegments`;

before(async () => {
  server = await startInProcess();
  admin = await server.token(['--scopes', 'Directory.ReadWrite.All Application.ReadWrite.All']);
});

after(async () => {
  if (server) await server.stop();
});

// ---------------------------------------------------------------------------------------------

const { get, send } = graphClient(
  () => server.baseUrl,
  () => admin,
);

async function createApp(body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await send('POST', APPS, { displayName: `app-${randomUUID().slice(0, 8)}`, ...body });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function getApp(id: string): Promise<Record<string, any>> {
  const res = await get(`${APPS}/${id}`);
  assert.equal(res.status, 200, res.text);
  return stripContext(res.body);
}

async function createGroup(): Promise<Record<string, any>> {
  const res = await send('POST', GROUPS, { name: `group-${randomUUID().slice(0, 8)}` });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

async function defaultGroupId(): Promise<string> {
  const res = await get(GROUPS);
  assert.equal(res.status, 200, res.text);
  const defaults = (res.body.value as any[]).filter((g) => g.isDefault);
  assert.equal(defaults.length, 1);
  return defaults[0].id;
}

const groupRef = (groupId: string) => ({
  '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationproxy/connectorGroups/${groupId}`,
});

const PUBLISHING = {
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
};

const SSO = {
  kerberosSignOnSettings: {
    kerberosServicePrincipalName: 'HTTP/iwademo.contoso.com',
    kerberosSignOnMappingAttributeType: 'userPrincipalName',
  },
  singleSignOnMode: 'onPremisesKerberos',
};

// ---------------------------------------------------------------------------------------------

describe('application CRUD', () => {
  it('POST creates with displayName, identifierUris and web (201)', async () => {
    const res = await send('POST', APPS, {
      displayName: 'Contoso IWA App',
      identifierUris: ['https://contosoiwaapp-contoso.msappproxy.net'],
      web: {
        redirectUris: ['https://contosoiwaapp-contoso.msappproxy.net'],
        homePageUrl: 'https://contosoiwaapp-contoso.msappproxy.net',
      },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body['@odata.context'], `${server.baseUrl}/beta/$metadata#applications/$entity`);
    assert.match(res.body.id, GUID);
    assert.match(res.body.appId, GUID);
    assert.notEqual(res.body.appId, res.body.id);
    assert.equal(res.body.displayName, 'Contoso IWA App');
    assert.deepEqual(res.body.identifierUris, ['https://contosoiwaapp-contoso.msappproxy.net']);
    assert.deepEqual(res.body.web.redirectUris, ['https://contosoiwaapp-contoso.msappproxy.net']);
    assert.equal(res.body.web.homePageUrl, 'https://contosoiwaapp-contoso.msappproxy.net');
    assert.equal(res.body.onPremisesPublishing, null);
    assert.deepEqual(stripContext(res.body), await getApp(res.body.id));

    const list = await get(APPS);
    assert.equal(list.status, 200, list.text);
    assert.ok((list.body.value as any[]).some((a) => a.id === res.body.id));
  });

  it('POST requires displayName (400 naming it) and creates nothing', async () => {
    const before = (await get(APPS)).body.value.length;
    const res = await send('POST', APPS, { identifierUris: ['https://x.contoso.com'] });
    assert.equal(res.status, 400, res.text);
    assert.ok(errorOf(res).message.includes('displayName'), errorOf(res).message);
    assert.equal((await get(APPS)).body.value.length, before);
  });

  it('POST with the full onPremisesPublishing, SSO and an IP segment configuration', async () => {
    const app = await createApp({
      onPremisesPublishing: {
        ...PUBLISHING,
        applicationServerTimeout: 'long',
        singleSignOnSettings: SSO,
        segmentsConfiguration: { '@odata.type': '#microsoft.graph.ipSegmentConfiguration' },
      },
    });
    const p = (await getApp(app.id)).onPremisesPublishing;
    for (const [name, value] of Object.entries(PUBLISHING)) assert.deepEqual(p[name], value, name);
    assert.equal(p.applicationServerTimeout, 'long');
    assert.deepEqual(p.singleSignOnSettings, SSO);
    assert.deepEqual(p.segmentsConfiguration, { '@odata.type': '#microsoft.graph.ipSegmentConfiguration' });
  });

  it('PATCH (204) changes what it names and keeps the rest', async () => {
    const app = await createApp({ identifierUris: ['https://a.contoso.com'] });
    const res = await send('PATCH', `${APPS}/${app.id}`, {
      displayName: 'renamed',
      web: { homePageUrl: 'https://home.contoso.com' },
    });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    const after = await getApp(app.id);
    assert.equal(after.displayName, 'renamed');
    assert.equal(after.web.homePageUrl, 'https://home.contoso.com');
    assert.deepEqual(after.identifierUris, ['https://a.contoso.com']);
    assert.equal(after.appId, app.appId);
  });

  it('DELETE (204), then 404 on GET, PATCH and DELETE', async () => {
    const app = await createApp();
    let res = await send('DELETE', `${APPS}/${app.id}`);
    assert.equal(res.status, 204, res.text);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { displayName: 'x' }],
      ['DELETE', undefined],
    ] as const) {
      res = await send(method, `${APPS}/${app.id}`, body);
      assertGraphError(res, 404, 'Request_ResourceNotFound');
    }
    assert.ok(!((await get(APPS)).body.value as any[]).some((a) => a.id === app.id));
  });

  it('an open property (api) sent on create is kept and returned as sent', async () => {
    const app = await createApp({ api: { requestedAccessTokenVersion: 2 } });
    assert.deepEqual(app.api, { requestedAccessTokenVersion: 2 }, `POST response: ${JSON.stringify(app)}`);
    assert.deepEqual((await getApp(app.id)).api, { requestedAccessTokenVersion: 2 });
  });

  it('an open property survives a PATCH that does not name it, and a PATCH can change it', async () => {
    const app = await createApp({ api: { requestedAccessTokenVersion: 2 } });
    let res = await send('PATCH', `${APPS}/${app.id}`, { displayName: 'renamed' });
    assert.equal(res.status, 204, res.text);
    assert.deepEqual((await getApp(app.id)).api, { requestedAccessTokenVersion: 2 });
    res = await send('PATCH', `${APPS}/${app.id}`, { api: { requestedAccessTokenVersion: 1 } });
    assert.equal(res.status, 204, res.text);
    assert.deepEqual((await getApp(app.id)).api, { requestedAccessTokenVersion: 1 });
  });
});

describe('onPremisesPublishing', () => {
  const invalid: Array<[string, Record<string, unknown>, string]> = [
    [
      'externalAuthenticationType',
      { externalAuthenticationType: 'bogus' },
      'onPremisesPublishing/externalAuthenticationType',
    ],
    ['trafficRoutingMethod', { trafficRoutingMethod: 'roundRobin' }, 'onPremisesPublishing/trafficRoutingMethod'],
    [
      'singleSignOnMode',
      { singleSignOnSettings: { singleSignOnMode: 'kerberos' } },
      'onPremisesPublishing/singleSignOnSettings/singleSignOnMode',
    ],
    [
      'kerberosSignOnMappingAttributeType',
      { singleSignOnSettings: { kerberosSignOnSettings: { kerberosSignOnMappingAttributeType: 'upn' } } },
      'onPremisesPublishing/singleSignOnSettings/kerberosSignOnSettings/kerberosSignOnMappingAttributeType',
    ],
  ];
  for (const [name, publishing, path] of invalid) {
    it(`an invalid ${name} is refused (400 naming ${path}) and changes nothing`, async () => {
      const app = await createApp({ onPremisesPublishing: { internalUrl: 'https://keep.contoso.com' } });
      const before = await getApp(app.id);
      const res = await send('PATCH', `${APPS}/${app.id}`, { onPremisesPublishing: publishing });
      assert.equal(res.status, 400, res.text);
      const error = errorOf(res);
      assert.equal(error.code, 'Request_BadRequest');
      assert.ok(error.message.includes(path), error.message);
      assert.equal(error.details?.[0]?.target, path);
      assert.deepEqual(await getApp(app.id), before);
    });
  }

  it("the switches an app never set read as Graph's defaults (docs defaults; false where the docs show false)", async () => {
    const app = await createApp({
      onPremisesPublishing: { externalUrl: 'https://defaults-contoso.msappproxy.net/', isStateSessionEnabled: true },
    });
    const p = (await getApp(app.id)).onPremisesPublishing;
    assert.deepEqual(
      [
        p.isHttpOnlyCookieEnabled,
        p.isPersistentCookieEnabled,
        p.isSecureCookieEnabled,
        p.isTranslateHostHeaderEnabled,
        p.isTranslateLinksInBodyEnabled,
        p.isBackendCertificateValidationEnabled,
      ],
      [false, false, true, true, false, true],
    );
    assert.deepEqual([p.isDnsResolutionEnabled, p.useAlternateUrlForTranslationAndRedirect], [false, false]);
    assert.equal(p.isStateSessionEnabled, true, 'a value the client sent is kept');
  });

  it('an invalid nested enum on create is refused and creates nothing', async () => {
    const name = `bad-${randomUUID()}`;
    const res = await send('POST', APPS, {
      displayName: name,
      onPremisesPublishing: { externalAuthenticationType: 'bogus' },
    });
    assert.equal(res.status, 400, res.text);
    assert.ok(errorOf(res).message.includes('onPremisesPublishing/externalAuthenticationType'));
    assert.ok(!((await get(APPS)).body.value as any[]).some((a) => a.displayName === name));
  });

  it('an unknown property inside onPremisesPublishing is refused (400 naming it)', async () => {
    const app = await createApp({ onPremisesPublishing: { internalUrl: 'https://keep.contoso.com' } });
    const before = await getApp(app.id);
    const res = await send('PATCH', `${APPS}/${app.id}`, { onPremisesPublishing: { internalUrlz: 'https://x' } });
    assert.equal(res.status, 400, res.text);
    assert.ok(errorOf(res).message.includes('internalUrlz'), errorOf(res).message);
    assert.deepEqual(await getApp(app.id), before);
  });

  it('the tutorial order: URLs, then onPremisesPublishing, then SSO; each PATCH merges', async () => {
    const app = await createApp({ displayName: 'Contoso IWA App' });
    let res = await send('PATCH', `${APPS}/${app.id}`, {
      identifierUris: ['https://contosoiwaapp-contoso.msappproxy.net'],
      web: {
        redirectUris: ['https://contosoiwaapp-contoso.msappproxy.net'],
        homePageUrl: 'https://contosoiwaapp-contoso.msappproxy.net',
      },
    });
    assert.equal(res.status, 204, res.text);
    res = await send('PATCH', `${APPS}/${app.id}`, { onPremisesPublishing: PUBLISHING });
    assert.equal(res.status, 204, res.text);
    res = await send('PATCH', `${APPS}/${app.id}`, { onPremisesPublishing: { singleSignOnSettings: SSO } });
    assert.equal(res.status, 204, res.text);

    const after = await getApp(app.id);
    assert.deepEqual(after.identifierUris, ['https://contosoiwaapp-contoso.msappproxy.net']);
    assert.equal(after.onPremisesPublishing.internalUrl, 'https://contosoiwaapp.com');
    assert.equal(after.onPremisesPublishing.externalUrl, 'https://contosoiwaapp-contoso.msappproxy.net');
    assert.equal(after.onPremisesPublishing.isStateSessionEnabled, true);
    assert.deepEqual(after.onPremisesPublishing.singleSignOnSettings, SSO);

    // A deeper partial write keeps the sibling fields at every level.
    res = await send('PATCH', `${APPS}/${app.id}`, {
      onPremisesPublishing: { singleSignOnSettings: { singleSignOnMode: 'none' } },
    });
    assert.equal(res.status, 204, res.text);
    const deeper = (await getApp(app.id)).onPremisesPublishing;
    assert.equal(deeper.internalUrl, 'https://contosoiwaapp.com');
    assert.equal(deeper.singleSignOnSettings.singleSignOnMode, 'none');
    assert.deepEqual(deeper.singleSignOnSettings.kerberosSignOnSettings, SSO.kerberosSignOnSettings);
  });

  it('onPremisesPublishing: null clears it (and the other properties stay)', async () => {
    const app = await createApp({ identifierUris: ['https://keep.contoso.com'], onPremisesPublishing: PUBLISHING });
    const res = await send('PATCH', `${APPS}/${app.id}`, { onPremisesPublishing: null });
    assert.equal(res.status, 204, res.text);
    const after = await getApp(app.id);
    assert.equal(after.onPremisesPublishing, null);
    assert.deepEqual(after.identifierUris, ['https://keep.contoso.com']);
  });
});

describe("a custom domain's certificate (verifiedCustomDomain*)", () => {
  const certificates = JSON.parse(
    readFileSync(new URL('../../test/fixtures/custom-domain-certificates.json', import.meta.url), 'utf8'),
  );
  const [pfx] = certificates.certificates;
  const customDomain = (key: string, password: string) => ({
    externalUrl: 'https://www.contoso.com/',
    internalUrl: 'https://www.corp.contoso.com/',
    verifiedCustomDomainKeyCredential: { type: 'X509CertAndPassword', usage: 'Verify', keyId: randomUUID(), key },
    verifiedCustomDomainPasswordCredential: { keyId: randomUUID(), secretText: password },
  });

  it('the PFX and its password are taken, never returned; the metadata is read from the certificate', async () => {
    const app = await createApp({ onPremisesPublishing: customDomain(pfx.key, pfx.password) });
    for (const body of [
      app,
      await getApp(app.id),
      (await get(`${APPS}?$select=onPremisesPublishing`)).body.value.find((a: any) => a.id === app.id),
    ]) {
      const publishing = body.onPremisesPublishing;
      assert.equal(publishing.verifiedCustomDomainKeyCredential.key, null);
      assert.equal(publishing.verifiedCustomDomainKeyCredential.type, 'X509CertAndPassword');
      assert.equal(publishing.verifiedCustomDomainPasswordCredential.secretText, null);
      assert.match(publishing.verifiedCustomDomainPasswordCredential.keyId, GUID);
      assert.deepEqual(publishing.verifiedCustomDomainCertificatesMetadata, pfx.metadata);
      assert.ok(!JSON.stringify(body).includes(pfx.key.slice(0, 40)));
    }
  });

  it('a secret cannot be read back through $filter or $orderby (400, naming it write-only)', async () => {
    const app = await createApp({ onPremisesPublishing: customDomain(pfx.key, pfx.password) });
    for (const query of [
      `$filter=startswith(onPremisesPublishing/verifiedCustomDomainPasswordCredential/secretText, '${pfx.password.slice(0, 1)}')`,
      '$filter=onPremisesPublishing/verifiedCustomDomainKeyCredential/key ne null',
      '$orderby=onPremisesPublishing/verifiedCustomDomainPasswordCredential/secretText',
    ]) {
      const res = await get(`${APPS}?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.match(errorOf(res).message, /is write-only and cannot be used in \$(filter|orderby)/);
    }
    assert.deepEqual(
      (await getApp(app.id)).onPremisesPublishing.verifiedCustomDomainCertificatesMetadata,
      pfx.metadata,
    );
  });

  it('another certificate replaces the metadata; removing the key credential clears it', async () => {
    const app = await createApp({ onPremisesPublishing: customDomain(pfx.key, pfx.password) });
    const chain = certificates.certificates.find((c: any) => c.name.includes('chain'));
    let res = await send('PATCH', `${APPS}/${app.id}`, {
      onPremisesPublishing: customDomain(chain.key, chain.password),
    });
    assert.equal(res.status, 204, res.text);
    assert.deepEqual(
      (await getApp(app.id)).onPremisesPublishing.verifiedCustomDomainCertificatesMetadata,
      chain.metadata,
    );
    res = await send('PATCH', `${APPS}/${app.id}`, {
      onPremisesPublishing: { verifiedCustomDomainKeyCredential: null },
    });
    assert.equal(res.status, 204, res.text);
    const publishing = (await getApp(app.id)).onPremisesPublishing;
    assert.equal(publishing.verifiedCustomDomainKeyCredential, null);
    assert.equal(publishing.verifiedCustomDomainCertificatesMetadata, null);
  });

  it('a certificate that cannot be read, or a wrong password, is refused (400, saying why) and nothing changes; sent metadata is not kept', async () => {
    const app = await createApp({ onPremisesPublishing: customDomain(pfx.key, pfx.password) });
    for (const bad of certificates.unreadable) {
      const res = await send('PATCH', `${APPS}/${app.id}`, {
        onPremisesPublishing: customDomain(bad.key, bad.password ?? ''),
      });
      assert.equal(res.status, 400, `${bad.name}: ${res.text}`);
      assert.equal(errorOf(res).details?.[0]?.target, 'onPremisesPublishing/verifiedCustomDomainKeyCredential');
      assert.ok(errorOf(res).message.includes(bad.message), errorOf(res).message);
    }
    assert.deepEqual(
      (await getApp(app.id)).onPremisesPublishing.verifiedCustomDomainCertificatesMetadata,
      pfx.metadata,
    );
    // The metadata is the certificate's: what a client sends for it is not kept.
    const res = await send('PATCH', `${APPS}/${app.id}`, {
      onPremisesPublishing: { verifiedCustomDomainCertificatesMetadata: { ...pfx.metadata, subjectName: 'CN=forged' } },
    });
    assert.equal(res.status, 204, res.text);
    assert.deepEqual(
      (await getApp(app.id)).onPremisesPublishing.verifiedCustomDomainCertificatesMetadata,
      pfx.metadata,
    );
  });
});

describe('the connector group assignment', () => {
  it('PUT connectorGroup/$ref before onPremisesPublishing → 404 Application_NotFound; nothing assigned', async () => {
    const app = await createApp();
    const group = await createGroup();
    const res = await send('PUT', `${APPS}/${app.id}/connectorGroup/$ref`, groupRef(group.id));
    assert.equal(res.status, 404, res.text);
    const error = errorOf(res);
    assert.equal(error.code, 'Application_NotFound');
    assert.equal(
      error.message,
      `Application '${app.id}' not found or OnPremisesPublishing is not enabled for your tenant.`,
    );
    const apps = await get(`${GROUPS}/${group.id}/applications`);
    assert.deepEqual(apps.body.value, []);
  });

  it('after onPremisesPublishing: PUT 204, GET returns the group, DELETE 204, then the default group', async () => {
    const app = await createApp();
    const group = await createGroup();
    let res = await send('PATCH', `${APPS}/${app.id}`, { onPremisesPublishing: PUBLISHING });
    assert.equal(res.status, 204, res.text);

    res = await get(`${APPS}/${app.id}/connectorGroup`);
    assert.equal(res.status, 200, res.text);
    const defaultId = await defaultGroupId();
    assert.equal(res.body.id, defaultId, 'unassigned: the tenant default group');

    res = await send('PUT', `${APPS}/${app.id}/connectorGroup/$ref`, groupRef(group.id));
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');

    res = await get(`${APPS}/${app.id}/connectorGroup`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, group.id);
    assert.equal(res.body.name, group.name);
    assert.equal(res.body.isDefault, false);
    assert.match(res.body['@odata.context'], /connectorGroups\/\$entity$/);

    const members = await get(`${GROUPS}/${group.id}/applications`);
    assert.deepEqual(
      (members.body.value as any[]).map((a) => a.id),
      [app.id],
    );

    res = await send('DELETE', `${APPS}/${app.id}/connectorGroup/$ref`);
    assert.equal(res.status, 204, res.text);
    res = await get(`${APPS}/${app.id}/connectorGroup`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, defaultId);
    assert.equal(res.body.isDefault, true);
    assert.deepEqual((await get(`${GROUPS}/${group.id}/applications`)).body.value, []);
  });

  it('PUT with the older @odata.id form (no /beta/) and a parenthesised key', async () => {
    const app = await createApp({ onPremisesPublishing: PUBLISHING });
    const group = await createGroup();
    const res = await send('PUT', `${APPS}/${app.id}/connectorGroup/$ref`, {
      '@odata.id': `https://graph.microsoft.com/onPremisesPublishingProfiles('applicationProxy')/connectorGroups('${group.id.toUpperCase()}')/`,
    });
    assert.equal(res.status, 204, res.text);
    assert.equal((await get(`${APPS}/${app.id}/connectorGroup`)).body.id, group.id);
  });

  it('PUT of an unknown group → 404; of a connector URL → 400; without @odata.id → 400; nothing changes', async () => {
    const app = await createApp({ onPremisesPublishing: PUBLISHING });
    const group = await createGroup();
    let res = await send('PUT', `${APPS}/${app.id}/connectorGroup/$ref`, groupRef(group.id));
    assert.equal(res.status, 204, res.text);

    res = await send('PUT', `${APPS}/${app.id}/connectorGroup/$ref`, groupRef(randomUUID()));
    assert.equal(res.status, 404, res.text);
    res = await send('PUT', `${APPS}/${app.id}/connectorGroup/$ref`, {
      '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectors/${randomUUID()}`,
    });
    assert.equal(res.status, 400, res.text);
    res = await send('PUT', `${APPS}/${app.id}/connectorGroup/$ref`, {});
    assert.equal(res.status, 400, res.text);
    assert.equal((await get(`${APPS}/${app.id}/connectorGroup`)).body.id, group.id);
  });

  it('PUT on an unknown application → 404', async () => {
    const group = await createGroup();
    const res = await send('PUT', `${APPS}/${randomUUID()}/connectorGroup/$ref`, groupRef(group.id));
    assert.equal(res.status, 404, res.text);
  });

  it('$expand=connectorGroup on an assigned application', async () => {
    const app = await createApp({ onPremisesPublishing: PUBLISHING });
    const group = await createGroup();
    assert.equal((await send('PUT', `${APPS}/${app.id}/connectorGroup/$ref`, groupRef(group.id))).status, 204);
    const res = await get(`${APPS}/${app.id}?$expand=connectorGroup`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.connectorGroup.id, group.id);
  });

  it('deleting an assigned application frees the group for deletion', async () => {
    const app = await createApp({ onPremisesPublishing: PUBLISHING });
    const group = await createGroup();
    assert.equal((await send('PUT', `${APPS}/${app.id}/connectorGroup/$ref`, groupRef(group.id))).status, 204);
    assert.equal((await send('DELETE', `${GROUPS}/${group.id}`)).status, 400);
    assert.equal((await send('DELETE', `${APPS}/${app.id}`)).status, 204);
    assert.equal((await send('DELETE', `${GROUPS}/${group.id}`)).status, 204);
  });
});

describe('IP application segments', () => {
  async function segmentApp(): Promise<Record<string, any>> {
    return createApp({
      onPremisesPublishing: { segmentsConfiguration: { '@odata.type': '#microsoft.graph.ipSegmentConfiguration' } },
    });
  }

  async function segments(appId: string, headers: Record<string, string> = {}): Promise<any[]> {
    const res = await get(SEGMENTS_OF(appId), admin, headers);
    assert.equal(res.status, 200, res.text);
    return res.body.value;
  }

  it('create (the docs example), get, list', async () => {
    const app = await segmentApp();
    const res = await send('POST', SEGMENTS_OF(app.id), {
      destinationHost: 'test2.com',
      destinationType: 'fqdn',
      port: 0,
      ports: ['445-445', '3389-3389'],
      protocol: 'tcp',
    });
    assert.ok(res.status === 201 || res.status === 200, res.text);
    assert.equal(
      res.body['@odata.context'],
      `${server.baseUrl}/beta/$metadata#applications('${app.id}')/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments/$entity`,
    );
    assert.match(res.body.id, GUID);
    assert.equal(res.body.destinationHost, 'test2.com');
    assert.equal(res.body.destinationType, 'fqdn');
    assert.deepEqual(res.body.ports, ['445-445', '3389-3389']);
    assert.equal(res.body.protocol, 'tcp');
    assert.equal(res.body.action, 'tunnel');

    const one = await get(`${SEGMENTS_OF(app.id)}/${res.body.id}`);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(stripContext(one.body), stripContext(res.body));
    assert.deepEqual(
      (await segments(app.id)).map((s) => s.id),
      [res.body.id],
    );
  });

  it("the docs' casing (IpSegmentConfiguration/ApplicationSegments) addresses the same collection", async () => {
    const app = await segmentApp();
    const created = await send('POST', DOCS_SEGMENTS_OF(app.id), {
      destinationHost: '10.0.0.0/24',
      destinationType: 'ipRangeCidr',
      protocol: 'udp',
    });
    assert.ok(created.status === 201 || created.status === 200, created.text);
    const listed = await get(DOCS_SEGMENTS_OF(app.id));
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(
      (listed.body.value as any[]).map((s) => s.id),
      [created.body.id],
    );
    assert.deepEqual(
      (await segments(app.id)).map((s) => s.id),
      [created.body.id],
    );
    const one = await get(`${DOCS_SEGMENTS_OF(app.id)}/${created.body.id}`);
    assert.equal(one.status, 200, one.text);
    const patched = await send('PATCH', `${DOCS_SEGMENTS_OF(app.id)}/${created.body.id}`, {
      destinationHost: '10.0.1.0/24',
    });
    assert.equal(patched.status, 204, patched.text);
    assert.equal((await segments(app.id))[0].destinationHost, '10.0.1.0/24');
  });

  it('protocol "tcp, udp" (the docs update example) is stored and returned as "tcp,udp"', async () => {
    const app = await segmentApp();
    const created = await send('POST', SEGMENTS_OF(app.id), {
      destinationHost: '5.6.7.8/28',
      destinationType: 'ipRangeCidr',
      ports: ['80-80'],
      protocol: 'tcp',
    });
    assert.ok(created.status === 201 || created.status === 200, created.text);
    const res = await send('PATCH', `${SEGMENTS_OF(app.id)}/${created.body.id}`, { protocol: 'tcp, udp' });
    assert.equal(res.status, 204, res.text);
    const one = await get(`${SEGMENTS_OF(app.id)}/${created.body.id}`);
    assert.equal(one.body.protocol, 'tcp,udp');
    assert.equal(one.body.destinationHost, '5.6.7.8/28');
    assert.deepEqual(one.body.ports, ['80-80']);

    const direct = await send('POST', SEGMENTS_OF(app.id), {
      destinationHost: '1.2.3.4',
      destinationType: 'ipAddress',
      protocol: 'udp,tcp',
    });
    assert.equal(direct.body.protocol, 'tcp,udp');
  });

  it('an invalid protocol is refused (400) and changes nothing', async () => {
    const app = await segmentApp();
    const created = await send('POST', SEGMENTS_OF(app.id), {
      destinationHost: '1.2.3.4',
      destinationType: 'ipAddress',
      protocol: 'tcp',
    });
    const res = await send('PATCH', `${SEGMENTS_OF(app.id)}/${created.body.id}`, { protocol: 'icmp' });
    assert.equal(res.status, 400, res.text);
    assert.ok(errorOf(res).message.includes('protocol'));
    assert.equal((await get(`${SEGMENTS_OF(app.id)}/${created.body.id}`)).body.protocol, 'tcp');
  });

  it('destinationType "ip" (the docs example) is refused: 400 naming destinationType, nothing created or changed', async () => {
    const app = await segmentApp();
    let res = await send('POST', SEGMENTS_OF(app.id), {
      destinationHost: '10.10.10.10',
      destinationType: 'ip',
      protocol: 'tcp',
    });
    assertGraphError(res, 400, 'Request_BadRequest');
    assert.ok(errorOf(res).message.includes('destinationType'), errorOf(res).message);
    assert.deepEqual(await segments(app.id), []);

    const created = await send('POST', SEGMENTS_OF(app.id), {
      destinationHost: '10.10.10.10',
      destinationType: 'ipAddress',
      protocol: 'tcp',
    });
    res = await send('PATCH', `${SEGMENTS_OF(app.id)}/${created.body.id}`, {
      destinationType: 'ip',
      protocol: 'tcp, udp',
    });
    assert.equal(res.status, 400, res.text);
    const after = await get(`${SEGMENTS_OF(app.id)}/${created.body.id}`);
    assert.equal(after.body.destinationType, 'ipAddress');
    assert.equal(after.body.protocol, 'tcp');
  });

  it('delete (204), then 404', async () => {
    const app = await segmentApp();
    const created = await send('POST', SEGMENTS_OF(app.id), {
      destinationHost: 'x.contoso.com',
      destinationType: 'fqdn',
      protocol: 'tcp',
    });
    let res = await send('DELETE', `${SEGMENTS_OF(app.id)}/${created.body.id}`);
    assert.equal(res.status, 204, res.text);
    res = await get(`${SEGMENTS_OF(app.id)}/${created.body.id}`);
    assert.equal(res.status, 404, res.text);
    assert.deepEqual(await segments(app.id), []);
  });

  it('segments of a missing application → 404, for list, create and get', async () => {
    const missing = randomUUID();
    let res = await get(SEGMENTS_OF(missing));
    assertGraphError(res, 404, 'Request_ResourceNotFound');
    res = await send('POST', SEGMENTS_OF(missing), {
      destinationHost: 'x.contoso.com',
      destinationType: 'fqdn',
      protocol: 'tcp',
    });
    assert.equal(res.status, 404, res.text);
    res = await get(`${SEGMENTS_OF(missing)}/${randomUUID()}`);
    assert.equal(res.status, 404, res.text);
  });

  it("segments are the app's own: another app's segment id is 404 under this app", async () => {
    const one = await segmentApp();
    const two = await segmentApp();
    const created = await send('POST', SEGMENTS_OF(one.id), {
      destinationHost: 'one.contoso.com',
      destinationType: 'fqdn',
      protocol: 'tcp',
    });
    const res = await get(`${SEGMENTS_OF(two.id)}/${created.body.id}`);
    assert.equal(res.status, 404, res.text);
    const del = await send('DELETE', `${SEGMENTS_OF(two.id)}/${created.body.id}`);
    assert.equal(del.status, 404, del.text);
    assert.equal((await segments(one.id)).length, 1);
  });

  it('deleting the application deletes its segments', async () => {
    const app = await segmentApp();
    const created = await send('POST', SEGMENTS_OF(app.id), {
      destinationHost: 'gone.contoso.com',
      destinationType: 'fqdn',
      protocol: 'tcp',
    });
    assert.ok(created.status === 201 || created.status === 200, created.text);
    assert.equal((await send('DELETE', `${APPS}/${app.id}`)).status, 204);
    assert.equal((await get(SEGMENTS_OF(app.id))).status, 404);
    assert.equal((await get(`${SEGMENTS_OF(app.id)}/${created.body.id}`)).status, 404);
    // A deleted app's segments cannot be addressed over HTTP any more: look at the storage
    // (in memory it is the same SQLite schema as on a folder, out of reach from here).
    if (server.inMemory) return;
    const left = await queryStorage(
      server,
      'SELECT COUNT(*) AS n FROM ip_application_segments WHERE application_id = ? OR id = ?',
      [app.id, created.body.id],
    );
    assert.equal(Number(left[0].n), 0);
  });

  it('$expand=application on a segment inlines its application', async () => {
    const app = await segmentApp();
    const created = await send('POST', SEGMENTS_OF(app.id), {
      destinationHost: 'exp.contoso.com',
      destinationType: 'fqdn',
      protocol: 'tcp',
    });
    const res = await get(`${SEGMENTS_OF(app.id)}/${created.body.id}?$expand=application`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, created.body.id);
    assert.equal(res.body.application.id, app.id);
    assert.equal(res.body.application.displayName, app.displayName);

    const list = await get(`${SEGMENTS_OF(app.id)}?$expand=application`);
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.value[0].application.id, app.id);

    const nav = await get(`${SEGMENTS_OF(app.id)}/${created.body.id}/application`);
    assert.equal(nav.status, 200, nav.text);
    assert.equal(nav.body.id, app.id);
  });
});
