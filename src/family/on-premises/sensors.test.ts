import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertGraphError, type InProcessGraph, inProcessGraph } from '../../../test/helpers/graph.js';
import { DEFAULT_SENSOR_VERSION } from './sensors.js';

/** The rules of sensors.ts, through the engine in-process over an in-memory store. */

const SENSORS = '/beta/onPremisesPublishingProfiles/privateAccess/sensors';
const device = { externalIp: '10.0.0.1', machineName: 'sensor.contoso.com', status: 'active' };

let graph: InProcessGraph;

describe('Private Access sensors', () => {
  before(async () => {
    graph = await inProcessGraph();
  });

  test('externalIp, machineName and status required; isBreakglassEnabled and version defaulted', async () => {
    for (const missing of ['externalIp', 'machineName', 'status'] as const) {
      const { [missing]: _left, ...body } = device;
      const error = assertGraphError(await graph.send('POST', SENSORS, body), 400, 'Request_BadRequest');
      assert.equal(error.details?.[0].target, missing);
    }
    const res = await graph.send('POST', SENSORS, device);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.isBreakglassEnabled, false);
    assert.equal(res.body.version, DEFAULT_SENSOR_VERSION);
  });

  test('the writable fields change; the sensor is deleted', async () => {
    const sensor = (await graph.send('POST', SENSORS, device)).body;
    const patch = { isAuditMode: true, isBreakglassEnabled: true, version: '1.2.0.0' };
    assert.equal((await graph.send('PATCH', `${SENSORS}/${sensor.id}`, patch)).status, 204);
    const read = (await graph.get(`${SENSORS}/${sensor.id}`)).body;
    assert.deepEqual([read.isAuditMode, read.isBreakglassEnabled, read.version], [true, true, '1.2.0.0']);
    assert.equal((await graph.send('DELETE', `${SENSORS}/${sensor.id}`)).status, 204);
    assertGraphError(await graph.get(`${SENSORS}/${sensor.id}`), 404, 'Request_ResourceNotFound');
  });

  test('served by the privateAccess profile only', async () => {
    for (const profile of ['applicationProxy', 'provisioning']) {
      assertGraphError(
        await graph.get(`/beta/onPremisesPublishingProfiles/${profile}/sensors`),
        404,
        'Request_ResourceNotFound',
        /'privateAccess' profile only/,
      );
    }
  });
});
