/**
 * Conformance with Microsoft's docs: each request example of the family's reference pages
 * (test/fixtures/docs-examples.json, with its source page and commit) is replayed against
 * localgraph with the ids of objects made here, and the answer is compared with the documented
 * response: the status (the page's under `--status-codes docs`; the live service's where it
 * differs, on a default server), every documented property's name and JSON type (at any depth,
 * the first item of an array standing for all), and `@odata.context` where the page shows one.
 * Documented properties the page gets wrong are listed with the reason and not counted. Prints
 * `N passed, M failed of T`; any counted failure fails the test.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
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
  status: number;
  /** Why the page's status is not checked (then only `liveStatus` is). */
  statusNotCounted?: string;
  liveStatus?: number;
  response: Record<string, unknown>;
  notCounted?: Record<string, string>;
}

const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/docs-examples.json', import.meta.url), 'utf8')) as { examples: Example[] };
const SCOPES = 'Directory.ReadWrite.All Application.ReadWrite.All OnPremisesPublishingProfiles.ReadWrite.All Policy.ReadWrite.HybridAuthentication';

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every documented property missing from `actual` or of another JSON type, by path (`agents[].status`). */
export function typeMismatches(documented: unknown, actual: unknown, path: string, skip: ReadonlySet<string>): string[] {
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
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.status < 300, `${method} ${path}: ${res.text}`);
    return res.body as Record<string, any>;
  };
  const P = 'onPremisesPublishingProfiles';
  const connector = await send('POST', `${P}/applicationProxy/connectors`, { machineName: 'connectorA.redmond.contoso.com', externalIp: '131.137.147.164', status: 'active' });
  const group = await send('POST', `${P}/applicationProxy/connectorGroups`, { name: 'Group 1', region: 'nam' });
  const agent = await send('POST', `${P}/provisioning/agents`, { machineName: 'server1.local1.contoso.com', externalIp: '153.69.23.122', status: 'Active' });
  const agentGroup = await send('POST', `${P}/provisioning/agentGroups`, { displayName: 'Group 1' });
  const resource = await send('POST', `${P}/provisioning/publishedResources`, { displayName: 'Demo Provisioning', resourceName: 'domain1.contoso.com' });
  await send('POST', `${P}/provisioning/agentGroups/${agentGroup.id}/agents/$ref`, { '@odata.id': `${server.baseUrl}/beta/${P}/provisioning/agents/${agent.id}` });
  await send('POST', `${P}/provisioning/agentGroups/${agentGroup.id}/publishedResources/$ref`, { '@odata.id': `${server.baseUrl}/beta/${P}/provisioning/publishedResources/${resource.id}` });
  await send('PATCH', `${P}/provisioning/hybridAgentUpdaterConfiguration`, { deferUpdateDateTime: '2018-08-12T12:00:00Z', updateWindow: { updateWindowStartTime: '00:00:00', updateWindowEndTime: '23:59:00' } });
  const sensor = await send('POST', `${P}/privateAccess/sensors`, { machineName: 'machine.contoso.com', externalIp: '192.68.16.158', status: 'active' });
  await send('POST', `${P}/applicationProxy/connectorGroups/${group.id}/members/$ref`, { '@odata.id': `${server.baseUrl}/beta/${P}/applicationProxy/connectors/${connector.id}` });
  const emptyGroup = await send('POST', `${P}/applicationProxy/connectorGroups`, { name: 'to update' });
  const doomedGroup = await send('POST', `${P}/applicationProxy/connectorGroups`, { name: 'to delete' });
  return { connector: connector.id, group: group.id, agent: agent.id, agentGroup: agentGroup.id, resource: resource.id, sensor: sensor.id, emptyGroup: emptyGroup.id, doomedGroup: doomedGroup.id };
}

async function replay(server: InProcessServer, example: Example, ids: Record<string, string>, token: string, expectedStatus: number): Promise<string[]> {
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? `{${name}}`);
  const url = fill(example.url);
  const body = example.bodyUsed ?? example.body;
  const res = await request(`${server.baseUrl}/beta/${url}`, {
    method: example.method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : fill(JSON.stringify(body)),
  });
  const problems: string[] = [];
  if (res.status !== expectedStatus) problems.push(`status: expected ${expectedStatus}, got ${res.status} ${res.text.slice(0, 200)}`);
  if (res.status >= 400 || res.status === 204) return problems;
  const skip = new Set(Object.keys(example.notCounted ?? {}));
  problems.push(...typeMismatches(example.response, res.body, '', skip));
  const context = example.response['@odata.context'];
  if (typeof context === 'string') {
    const fragment = (u: string) => u.slice(u.indexOf('$metadata#'));
    if (fragment(String(res.body['@odata.context'])) !== fragment(context)) problems.push(`@odata.context: documented ${fragment(context)}, got ${res.body['@odata.context']}`);
  }
  return problems;
}

describe('the docs\' examples, replayed', () => {
  it('every counted example matches its documented response', async () => {
    const [liveToken, docsToken] = await Promise.all([live.token(['--scopes', SCOPES]), docs.token(['--scopes', SCOPES])]);
    const [liveIds, docsIds] = await Promise.all([objectsOn(live, liveToken), objectsOn(docs, docsToken)]);
    let passed = 0;
    const failures: string[] = [];
    let total = 0;
    for (const example of fixture.examples) {
      const runs: Array<[string, InProcessServer, Record<string, string>, string, number]> = example.statusNotCounted ? [] : [['docs', docs, docsIds, docsToken, example.status]];
      if (example.liveStatus !== undefined) runs.push(['live', live, liveIds, liveToken, example.liveStatus]);
      for (const [mode, server, ids, token, status] of runs) {
        total++;
        const problems = await replay(server, example, ids, token, status);
        if (problems.length === 0) passed++;
        else failures.push(`${example.page} (${example.name}, --status-codes ${mode}, commit ${example.commit.slice(0, 10)}):\n    ${problems.join('\n    ')}`);
      }
    }
    const notCounted = fixture.examples.flatMap((e) => [
      ...Object.entries(e.notCounted ?? {}).map(([p, why]) => `${e.page}: ${p}: ${why}`),
      ...(e.statusNotCounted ? [`${e.page}: status ${e.status}: ${e.statusNotCounted}`] : []),
      ...(e.bodyReason ? [`${e.page}: request body: ${e.bodyReason}`] : []),
    ]);
    console.log(`docs conformance: ${passed} passed, ${failures.length} failed of ${total} (${fixture.examples.length} examples; ${notCounted.length} documented details not counted)`);
    for (const line of notCounted) console.log(`  not counted: ${line}`);
    assert.equal(failures.length, 0, failures.join('\n'));
    assert.ok(total >= fixture.examples.length);
  });

  it('the data file names a page and a commit for every example, and a reason for every property left out', () => {
    assert.ok(fixture.examples.length >= 10);
    for (const e of fixture.examples) {
      assert.match(e.page, /^api-reference\/beta\/api\/(connector|connectorgroup|onpremisesagent|onpremisesagentgroup|publishedresource|onpremisespublishingprofile|ipapplicationsegment|privateaccesssensor)-[a-z-]+\.md$/, e.page);
      assert.match(e.commit, /^[0-9a-f]{40}$/, e.page);
      for (const [path, why] of Object.entries(e.notCounted ?? {})) assert.ok(why.length > 10, `${e.page}: ${path} has no reason`);
      if (e.bodyUsed !== undefined) assert.ok((e.bodyReason ?? '').length > 10, `${e.page}: bodyUsed without a reason`);
      if (e.statusNotCounted !== undefined) assert.ok(e.liveStatus !== undefined, `${e.page}: nothing left to check of the status`);
    }
  });

  it('the comparison finds what differs (a missing property, another type)', () => {
    assert.deepEqual(typeMismatches({ a: 'x', b: [{ c: true }] }, { a: 1, b: [{}] }, '', new Set()), ['a: documented string, got number', 'b[].c: missing']);
    assert.deepEqual(typeMismatches({ a: 'x' }, { a: 'y', extra: 1 }, '', new Set()), []);
  });
});
