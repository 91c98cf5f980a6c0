import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { assertGraphError, type InProcessGraph, inProcessGraph } from '../../../test/helpers/graph.js';

/** The rules of ip-application-segments.ts, through the engine in-process over an in-memory store. */

const SEGMENTS =
  'onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments';
const segment = { destinationHost: 'db.contoso.com', destinationType: 'fqdn', ports: ['1433-1433'], protocol: 'tcp' };

let graph: InProcessGraph;

async function newApp(): Promise<string> {
  const res = await graph.send('POST', '/beta/applications', { displayName: 'Segmented' });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

describe('IP application segments', () => {
  before(async () => {
    graph = await inProcessGraph();
  });

  test('action defaults to tunnel; a sent id is ignored', async () => {
    const app = await newApp();
    const chosen = randomUUID();
    const res = await graph.send('POST', `/beta/applications/${app}/${SEGMENTS}`, { ...segment, id: chosen });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.action, 'tunnel');
    assert.notEqual(res.body.id, chosen);
  });

  test("protocol is a flags enum written 'tcp,udp'", async () => {
    const app = await newApp();
    const res = await graph.send('POST', `/beta/applications/${app}/${SEGMENTS}`, { ...segment, protocol: 'udp,tcp' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.protocol, 'tcp,udp');
    assertGraphError(
      await graph.send('POST', `/beta/applications/${app}/${SEGMENTS}`, { ...segment, protocol: 'icmp' }),
      400,
      'Request_BadRequest',
    );
  });

  test('each application holds its own segments; the application navigation leads back', async () => {
    const [first, second] = [await newApp(), await newApp()];
    const made = (await graph.send('POST', `/beta/applications/${first}/${SEGMENTS}`, segment)).body;
    assert.equal((await graph.get(`/beta/applications/${second}/${SEGMENTS}`)).body.value.length, 0);
    assertGraphError(
      await graph.get(`/beta/applications/${second}/${SEGMENTS}/${made.id}`),
      404,
      'Request_ResourceNotFound',
    );
    const owner = await graph.get(`/beta/applications/${first}/${SEGMENTS}/${made.id}/application`);
    assert.equal(owner.status, 200, owner.text);
    assert.equal(owner.body.id, first);
  });

  test('segments under an application that does not exist are 404', async () => {
    assertGraphError(
      await graph.send('POST', `/beta/applications/${randomUUID()}/${SEGMENTS}`, segment),
      404,
      'Request_ResourceNotFound',
    );
  });

  test('the writable fields change; the segment is deleted', async () => {
    const app = await newApp();
    const made = (await graph.send('POST', `/beta/applications/${app}/${SEGMENTS}`, segment)).body;
    const path = `/beta/applications/${app}/${SEGMENTS}/${made.id}`;
    assert.equal(
      (await graph.send('PATCH', path, { action: 'exclude', destinationHost: 'db2.contoso.com' })).status,
      204,
    );
    const read = (await graph.get(path)).body;
    assert.deepEqual([read.action, read.destinationHost], ['exclude', 'db2.contoso.com']);
    assert.equal((await graph.send('DELETE', path)).status, 204);
    assertGraphError(await graph.get(path), 404, 'Request_ResourceNotFound');
  });
});
