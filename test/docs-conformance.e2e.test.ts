/**
 * Conformance with Microsoft's docs: each request example of the family's reference pages
 * (test/fixtures/docs-examples.json, with its source page and commit) is replayed against
 * localgraph with the ids of objects made here, and the answer is compared with the documented
 * response: the status (the page's under `--status-codes docs`; the live service's where it
 * differs, on a default server), every documented property's name and JSON type (at any depth,
 * the first item of an array standing for all), and `@odata.context` where the page shows one.
 * Documented properties the page gets wrong are listed with the reason and not counted. Prints
 * `N passed, M failed of T`; any counted failure fails the test. The data file's `pages` lists
 * every reference page of the family: each is replayed or excluded with the reason.
 *
 * The examples run in the file's order against one server per status mode, reads first (while
 * every object is linked as the pages show), then writes, then creates and deletes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as x509 from '@peculiar/x509';
import { request } from './helpers/server.js';
import { startInProcess, type InProcessServer } from './helpers/in-process.js';

interface Example {
  page: string;
  commit: string;
  name: string;
  method: string;
  url: string;
  body?: unknown;
  /** Sent instead of `body` where the page's body holds a placeholder (`bodyReason` says which). */
  bodyUsed?: unknown;
  bodyReason?: string;
  /** Why `url` is not the page's own URL (an empty request, a placeholder left in it). */
  urlReason?: string;
  status: number;
  /** Why the page's status is not checked (then only `liveStatus` is). */
  statusNotCounted?: string;
  liveStatus?: number;
  response: Record<string, unknown>;
  notCounted?: Record<string, string>;
  /** The name under which the created object's id is kept, for the examples after it. */
  saveId?: string;
}

interface Page {
  page: string;
  commit: string;
  /** Why none of the page's examples is replayed. */
  excluded?: string;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../test/fixtures/docs-examples.json', import.meta.url), 'utf8'),
) as { pages: Page[]; examples: Example[] };
const FAMILY_PAGE =
  /^api-reference\/beta\/api\/(connector|connectorgroup|onpremisesagent|onpremisesagentgroup|publishedresource|onpremisespublishingprofile|ipapplicationsegment|privateaccesssensor)-[a-z-]+\.md$/;
const SCOPES =
  'Directory.ReadWrite.All Application.ReadWrite.All OnPremisesPublishingProfiles.ReadWrite.All Policy.ReadWrite.HybridAuthentication';

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every documented property missing from `actual` or of another JSON type, by path (`agents[].status`). */
export function typeMismatches(
  documented: unknown,
  actual: unknown,
  path: string,
  skip: ReadonlySet<string>,
): string[] {
  if (skip.has(path)) return [];
  const want = jsonType(documented);
  const got = jsonType(actual);
  if (want !== got) return [`${path || '(body)'}: documented ${want}, got ${got}`];
  if (want === 'array') {
    const [first] = documented as unknown[];
    const items = actual as unknown[];
    if (first === undefined) return [];
    if (items.length === 0) return [`${path}: documented items, got none`];
    return items.flatMap((item) => typeMismatches(first, item, `${path}[]`, skip));
  }
  if (want === 'object') {
    return Object.entries(documented as Record<string, unknown>).flatMap(([name, value]) => {
      const child = path ? `${path}.${name}` : name;
      if (skip.has(child)) return [];
      if (name === '@odata.context') return []; // compared on its own
      if (!(name in (actual as object))) return [`${child}: missing`];
      return typeMismatches(value, (actual as Record<string, unknown>)[name], child, skip);
    });
  }
  return [];
}

let live: InProcessServer;
let docs: InProcessServer;

before(async () => {
  [live, docs] = await Promise.all([startInProcess(), startInProcess({ statusCodes: 'docs' })]);
});

after(async () => {
  for (const server of [live, docs]) if (server) await server.stop();
});

/** The objects the examples address, linked as the pages show them. */
async function objectsOn(server: InProcessServer, token: string): Promise<Record<string, string>> {
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await request(`${server.baseUrl}/beta/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.status < 300, `${method} ${path}: ${res.text}`);
    return res.body as Record<string, any>;
  };
  const P = 'onPremisesPublishingProfiles';
  const connector = await send('POST', `${P}/applicationProxy/connectors`, {
    machineName: 'connectorA.redmond.contoso.com',
    externalIp: '131.137.147.164',
    status: 'active',
  });
  const group = await send('POST', `${P}/applicationProxy/connectorGroups`, { name: 'Group 1', region: 'nam' });
  const agent = await send('POST', `${P}/provisioning/agents`, {
    machineName: 'server1.local1.contoso.com',
    externalIp: '153.69.23.122',
    status: 'Active',
  });
  const agentGroup = await send('POST', `${P}/provisioning/agentGroups`, { displayName: 'Group 1' });
  const resource = await send('POST', `${P}/provisioning/publishedResources`, {
    displayName: 'Demo Provisioning',
    resourceName: 'domain1.contoso.com',
  });
  await send('POST', `${P}/provisioning/agentGroups/${agentGroup.id}/agents/$ref`, {
    '@odata.id': `${server.baseUrl}/beta/${P}/provisioning/agents/${agent.id}`,
  });
  await send('POST', `${P}/provisioning/agentGroups/${agentGroup.id}/publishedResources/$ref`, {
    '@odata.id': `${server.baseUrl}/beta/${P}/provisioning/publishedResources/${resource.id}`,
  });
  await send('PATCH', `${P}/provisioning/hybridAgentUpdaterConfiguration`, {
    deferUpdateDateTime: '2018-08-12T12:00:00Z',
    updateWindow: { updateWindowStartTime: '00:00:00', updateWindowEndTime: '23:59:00' },
  });
  const sensor = await send('POST', `${P}/privateAccess/sensors`, {
    machineName: 'machine.contoso.com',
    externalIp: '192.68.16.158',
    status: 'active',
  });
  await send('POST', `${P}/applicationProxy/connectorGroups/${group.id}/members/$ref`, {
    '@odata.id': `${server.baseUrl}/beta/${P}/applicationProxy/connectors/${connector.id}`,
  });
  const emptyGroup = await send('POST', `${P}/applicationProxy/connectorGroups`, { name: 'to update', region: 'nam' });
  const doomedGroup = await send('POST', `${P}/applicationProxy/connectorGroups`, { name: 'to delete', region: 'nam' });
  const connector2 = await send('POST', `${P}/applicationProxy/connectors`, {
    machineName: 'connectorB.redmond.contoso.com',
    externalIp: '131.137.147.165',
    status: 'active',
  });
  // A web app published on a custom domain, assigned to the group (connectorgroup-list-applications).
  const app = await send('POST', 'applications', {
    displayName: 'Contoso IWA App',
    onPremisesPublishing: {
      externalUrl: 'https://iwa.contoso.com/',
      internalUrl: 'https://iwa.corp.contoso.com/',
      externalAuthenticationType: 'aadPreAuthentication',
      isTranslateLinksInBodyEnabled: true,
      isHttpOnlyCookieEnabled: true,
      isPersistentCookieEnabled: true,
      applicationServerTimeout: 'long',
      verifiedCustomDomainKeyCredential: {
        customKeyIdentifier: Buffer.from('iwa.contoso.com').toString('base64'),
        keyId: '5a4f2c3e-8f1b-4c6d-9e2a-3b7c1d0e9f8a',
        type: 'X509CertAndPassword',
        usage: 'Verify',
        endDateTime: '2030-01-01T00:00:00Z',
        startDateTime: '2025-01-01T00:00:00Z',
        key: await customDomainCertificate('iwa.contoso.com'),
      },
      verifiedCustomDomainPasswordCredential: {
        customKeyIdentifier: Buffer.from('iwa.contoso.com').toString('base64'),
        keyId: '6b5e3d4f-9a2c-4d7e-8f3b-4c8d2e1f0a9b',
        endDateTime: '2030-01-01T00:00:00Z',
        startDateTime: '2025-01-01T00:00:00Z',
        secretText: 'pfx-password',
      },
      singleSignOnSettings: {
        singleSignOnMode: 'onPremisesKerberos',
        kerberosSignOnSettings: {
          kerberosServicePrincipalName: 'HTTP/iwa.corp.contoso.com',
          kerberosSignOnMappingAttributeType: 'userPrincipalName',
        },
      },
    },
  });
  await send('PUT', `applications/${app.id}/connectorGroup/$ref`, {
    '@odata.id': `${server.baseUrl}/beta/${P}/applicationProxy/connectorGroups/${group.id}`,
  });
  // A private access (non-web) app with its IP segments, as the segment pages show it.
  const segmentApp = await send('POST', 'applications', {
    displayName: 'Private access app',
    identifierUris: ['api://15961fc8-797f-4278-ab6e-04ff1e2d03ad'],
    tags: ['IsAccessibleViaZTNAClient', 'HideApp', 'PrivateAccessNonWebApplication'],
    onPremisesPublishing: {
      externalUrl: 'api://15961fc8-797f-4278-ab6e-04ff1e2d03ad/',
      internalUrl: 'api://15961fc8-797f-4278-ab6e-04ff1e2d03ad/',
      externalAuthenticationType: 'passthru',
      isAccessibleViaZTNAClient: true,
      segmentsConfiguration: { '@odata.type': '#microsoft.graph.ipSegmentConfiguration' },
    },
  });
  const segments = `applications/${segmentApp.id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments`;
  const segment = await send('POST', segments, {
    destinationHost: 'test-check-ch.contoso.com',
    destinationType: 'fqdn',
    ports: ['20-20'],
    protocol: 'tcp',
  });
  const doomedSegment = await send('POST', segments, {
    destinationHost: 'test.porto',
    destinationType: 'fqdn',
    ports: ['20-20'],
    protocol: 'udp',
  });
  return {
    connector: connector.id,
    connector2: connector2.id,
    group: group.id,
    agent: agent.id,
    agentGroup: agentGroup.id,
    resource: resource.id,
    sensor: sensor.id,
    emptyGroup: emptyGroup.id,
    doomedGroup: doomedGroup.id,
    app: app.id,
    segmentApp: segmentApp.id,
    segment: segment.id,
    doomedSegment: doomedSegment.id,
  };
}

/** A custom domain's certificate as a client uploads it (base64 DER), self-signed here. */
async function customDomainCertificate(domain: string): Promise<string> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${domain}`,
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    keys,
  });
  return Buffer.from(cert.rawData).toString('base64');
}

async function replay(
  server: InProcessServer,
  example: Example,
  ids: Record<string, string>,
  token: string,
  expectedStatus: number,
): Promise<string[]> {
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? `{${name}}`);
  const url = fill(example.url);
  const body = example.bodyUsed ?? example.body;
  const res = await request(`${server.baseUrl}/beta/${url}`, {
    method: example.method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : fill(JSON.stringify(body)),
  });
  const problems: string[] = [];
  if (example.saveId && res.status < 300) ids[example.saveId] = String(res.body?.id);
  if (res.status !== expectedStatus)
    problems.push(`status: expected ${expectedStatus}, got ${res.status} ${res.text.slice(0, 200)}`);
  if (res.status >= 400 || res.status === 204) return problems;
  const skip = new Set(Object.keys(example.notCounted ?? {}));
  problems.push(...typeMismatches(example.response, res.body, '', skip));
  const context = example.response['@odata.context'];
  if (typeof context === 'string') {
    // The keys in it are the ids of objects made here, not the page's.
    const fragment = (u: string) => u.slice(u.indexOf('$metadata#')).replace(/\('[^']*'\)/g, "('{key}')");
    if (fragment(String(res.body['@odata.context'])) !== fragment(context))
      problems.push(`@odata.context: documented ${fragment(context)}, got ${res.body['@odata.context']}`);
  }
  return problems;
}

describe("the docs' examples, replayed", () => {
  it('every counted example matches its documented response', async () => {
    const [liveToken, docsToken] = await Promise.all([
      live.token(['--scopes', SCOPES]),
      docs.token(['--scopes', SCOPES]),
    ]);
    const [liveIds, docsIds] = await Promise.all([objectsOn(live, liveToken), objectsOn(docs, docsToken)]);
    let passed = 0;
    const failures: string[] = [];
    let total = 0;
    for (const example of fixture.examples) {
      const runs: Array<[string, InProcessServer, Record<string, string>, string, number]> = example.statusNotCounted
        ? []
        : [['docs', docs, docsIds, docsToken, example.status]];
      if (example.liveStatus !== undefined) runs.push(['live', live, liveIds, liveToken, example.liveStatus]);
      for (const [mode, server, ids, token, status] of runs) {
        total++;
        const problems = await replay(server, example, ids, token, status);
        if (problems.length === 0) passed++;
        else
          failures.push(
            `${example.page} (${example.name}, --status-codes ${mode}, commit ${example.commit.slice(0, 10)}):\n    ${problems.join('\n    ')}`,
          );
      }
    }
    const notCounted = fixture.examples.flatMap((e) => [
      ...Object.entries(e.notCounted ?? {}).map(([p, why]) => `${e.page}: ${p}: ${why}`),
      ...(e.statusNotCounted ? [`${e.page}: status ${e.status}: ${e.statusNotCounted}`] : []),
      ...(e.bodyReason ? [`${e.page}: request body: ${e.bodyReason}`] : []),
      ...(e.urlReason ? [`${e.page}: request URL: ${e.urlReason}`] : []),
    ]);
    const pages = new Set(fixture.examples.map((e) => e.page)).size;
    console.log(
      `docs conformance: ${passed} passed, ${failures.length} failed of ${total} (${fixture.examples.length} examples of ${pages} pages; ${notCounted.length} documented details not counted)`,
    );
    for (const p of fixture.pages.filter((p) => p.excluded)) console.log(`  excluded: ${p.page}: ${p.excluded}`);
    for (const line of notCounted) console.log(`  not counted: ${line}`);
    assert.equal(failures.length, 0, failures.join('\n'));
    assert.ok(total >= fixture.examples.length);
  });

  it('the data file names a page and a commit for every example, and a reason for every property left out', () => {
    assert.ok(fixture.examples.length >= 10);
    for (const e of fixture.examples) {
      assert.match(e.page, FAMILY_PAGE, e.page);
      assert.match(e.commit, /^[0-9a-f]{40}$/, e.page);
      if (e.urlReason !== undefined) assert.ok(e.urlReason.length > 10, `${e.page}: urlReason too short`);
      for (const [path, why] of Object.entries(e.notCounted ?? {}))
        assert.ok(why.length > 10, `${e.page}: ${path} has no reason`);
      if (e.bodyUsed !== undefined) assert.ok((e.bodyReason ?? '').length > 10, `${e.page}: bodyUsed without a reason`);
      if (e.statusNotCounted !== undefined)
        assert.ok(e.liveStatus !== undefined, `${e.page}: nothing left to check of the status`);
    }
  });

  it("every page of the family is replayed or excluded with the reason, and every example's page is listed", () => {
    const listed = new Map(fixture.pages.map((p) => [p.page, p]));
    assert.equal(listed.size, fixture.pages.length, 'a page is listed twice');
    const replayed = new Set(fixture.examples.map((e) => e.page));
    for (const p of fixture.pages) {
      assert.match(p.page, FAMILY_PAGE, p.page);
      assert.match(p.commit, /^[0-9a-f]{40}$/, p.page);
      if (p.excluded !== undefined) {
        assert.ok(p.excluded.length > 20, `${p.page}: no reason`);
        assert.ok(!replayed.has(p.page), `${p.page}: excluded, yet replayed`);
      } else {
        assert.ok(replayed.has(p.page), `${p.page}: neither replayed nor excluded`);
      }
    }
    for (const e of fixture.examples) {
      assert.ok(listed.has(e.page), `${e.page}: not in pages`);
      assert.equal(listed.get(e.page)!.commit, e.commit, `${e.page}: read at two commits`);
    }
    const doc = readFileSync(new URL('../../docs/conformance.md', import.meta.url), 'utf8');
    for (const p of fixture.pages)
      assert.ok(
        doc.includes(`| \`${p.page.split('/').pop()}\` | \`${p.commit.slice(0, 10)}\` |`),
        `docs/conformance.md has no row for ${p.page} at ${p.commit.slice(0, 10)}`,
      );
  });

  it('the comparison finds what differs (a missing property, another type)', () => {
    assert.deepEqual(typeMismatches({ a: 'x', b: [{ c: true }] }, { a: 1, b: [{}] }, '', new Set()), [
      'a: documented string, got number',
      'b[].c: missing',
    ]);
    assert.deepEqual(typeMismatches({ a: 'x' }, { a: 'y', extra: 1 }, '', new Set()), []);
  });
});
