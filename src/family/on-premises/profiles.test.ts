import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertGraphError, type InProcessGraph, inProcessGraph } from '../../../test/helpers/graph.js';

/** The rules of profiles.ts, through the engine in-process over an in-memory store. */

const PROFILES = '/beta/onPremisesPublishingProfiles';
const IP_SEGMENTS = 'microsoft.graph.ipSegmentConfiguration/applicationSegments';

let graph: InProcessGraph;

describe('publishing profiles', () => {
  before(async () => {
    graph = await inProcessGraph();
  });

  test('one per publishing type, without the evolvable-enum sentinel; never created or deleted', async () => {
    const res = await graph.get(PROFILES);
    assert.equal(res.status, 200, res.text);
    const keys = res.body.value.map((p: { id: string }) => p.id);
    assert.ok(keys.includes('applicationProxy') && keys.includes('provisioning') && keys.includes('privateAccess'));
    assert.ok(!keys.includes('unknownFutureValue'));
    assertGraphError(await graph.send('POST', PROFILES, { id: 'new' }), 405, 'Request_BadRequest');
    assertGraphError(await graph.send('DELETE', `${PROFILES}/provisioning`), 405, 'Request_BadRequest');
  });

  test('keys are matched in any case and answered in the enum spelling; an unknown key is 404', async () => {
    const res = await graph.get(`${PROFILES}/applicationproxy`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.id, 'applicationProxy');
    assertGraphError(await graph.get(`${PROFILES}/nonsense`), 404, 'Request_ResourceNotFound');
    assertGraphError(
      await graph.send('PATCH', `${PROFILES}/nonsense`, { isEnabled: true }),
      404,
      'Request_ResourceNotFound',
    );
  });

  test('isEnabled and isDefaultAccessEnabled are writable, one profile at a time; the key is not', async () => {
    const other = (await graph.get(`${PROFILES}/exchangeOnline`)).body;
    const before = (await graph.get(`${PROFILES}/authentication`)).body;
    const patch = { isEnabled: !before.isEnabled, isDefaultAccessEnabled: !before.isDefaultAccessEnabled };
    assert.equal((await graph.send('PATCH', `${PROFILES}/authentication`, { isEnabled: patch.isEnabled })).status, 204);
    const patched = { isDefaultAccessEnabled: patch.isDefaultAccessEnabled };
    assert.equal((await graph.send('PATCH', `${PROFILES}/authentication`, patched)).status, 204);
    const read = (await graph.get(`${PROFILES}/authentication`)).body;
    assert.deepEqual([read.isEnabled, read.isDefaultAccessEnabled], [patch.isEnabled, patch.isDefaultAccessEnabled]);
    assert.deepEqual((await graph.get(`${PROFILES}/exchangeOnline`)).body, other);
    const error = assertGraphError(
      await graph.send('PATCH', `${PROFILES}/authentication`, { id: 'other' }),
      400,
      'Request_BadRequest',
    );
    assert.equal(error.details?.[0].code, 'ReadOnlyProperty');
  });

  test('hybridAgentUpdaterConfiguration is patched on its own path, merged, with its own rules', async () => {
    const config = `${PROFILES}/provisioning/hybridAgentUpdaterConfiguration`;
    const window = { updateWindowStartTime: '01:00:00', updateWindowEndTime: '02:00:00' };
    assert.equal((await graph.send('PATCH', config, { updateWindow: window })).status, 204);
    assert.equal((await graph.send('PATCH', config, { allowUpdateConfigurationOverride: true })).status, 204);
    const read = await graph.get(config);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.allowUpdateConfigurationOverride, true);
    assert.equal(read.body.updateWindow.updateWindowStartTime, '01:00:00.0000000');
    assertGraphError(
      await graph.send('PATCH', config, { deferUpdate: '2018-08-20T12:00' }),
      400,
      'BadRequest',
      /deferUpdate/,
    );
  });

  test("applicationSegments lists every application's IP segments, read-only, under applicationProxy", async () => {
    const app = (await graph.send('POST', '/beta/applications', { displayName: 'Segmented' })).body.id;
    const segments = `/beta/applications/${app}/onPremisesPublishing/segmentsConfiguration/${IP_SEGMENTS}`;
    const segment = await graph.send('POST', segments, {
      destinationHost: 'db.contoso.com',
      destinationType: 'fqdn',
      ports: ['1433-1433'],
      protocol: 'tcp',
    });
    assert.equal(segment.status, 201, segment.text);
    const listed = await graph.get(`${PROFILES}/applicationProxy/applicationSegments`);
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(
      listed.body.value.map((s: { id: string }) => s.id),
      [segment.body.id],
    );
    assert.equal((await graph.get(`${PROFILES}/provisioning/applicationSegments`)).body.value.length, 0);
    assertGraphError(
      await graph.send('POST', `${PROFILES}/applicationProxy/applicationSegments`, { destinationHost: 'x' }),
      405,
      'Request_BadRequest',
    );
  });
});
