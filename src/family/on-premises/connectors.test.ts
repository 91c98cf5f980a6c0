import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { assertGraphError, type InProcessGraph, inProcessGraph } from '../../../test/helpers/graph.js';
import { DEFAULT_CONNECTOR_VERSION, MACHINE_NAME_MAX_LENGTH } from './connectors.js';

/** The rules of connectors.ts, through the engine in-process over an in-memory store. */

const AP = '/beta/onPremisesPublishingProfiles/applicationProxy';
const device = { externalIp: '10.0.0.1', machineName: 'host.contoso.com', status: 'active' };

let graph: InProcessGraph;

async function defaultGroupId(): Promise<string> {
  const res = await graph.get(`${AP}/connectorGroups?$filter=isDefault eq true`);
  assert.equal(res.status, 200, res.text);
  return res.body.value[0].id;
}

describe('connectors', () => {
  before(async () => {
    graph = await inProcessGraph();
  });

  test('externalIp, machineName and status are required, each named when missing', async () => {
    for (const missing of ['externalIp', 'machineName', 'status'] as const) {
      const { [missing]: _left, ...body } = device;
      const error = assertGraphError(await graph.send('POST', `${AP}/connectors`, body), 400, 'Request_BadRequest');
      assert.equal(error.details?.[0].target, missing);
    }
  });

  test('a new connector gets the default version and joins the default group', async () => {
    const res = await graph.send('POST', `${AP}/connectors`, device);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.version, DEFAULT_CONNECTOR_VERSION);
    const memberOf = await graph.get(`${AP}/connectors/${res.body.id}/memberOf`);
    assert.deepEqual(
      memberOf.body.value.map((g: { id: string }) => g.id),
      [await defaultGroupId()],
    );
  });

  test('a client may choose the id, which must be a GUID', async () => {
    const id = randomUUID();
    const res = await graph.send('POST', `${AP}/connectors`, { ...device, id });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.id, id);
    const error = assertGraphError(
      await graph.send('POST', `${AP}/connectors`, { ...device, id: 'not-a-guid' }),
      400,
      'Request_BadRequest',
    );
    assert.match(error.message, /'id'/);
  });

  test('machineName is at most MACHINE_NAME_MAX_LENGTH characters, on create and update', async () => {
    const long = 'm'.repeat(MACHINE_NAME_MAX_LENGTH + 1);
    assertGraphError(
      await graph.send('POST', `${AP}/connectors`, { ...device, machineName: long }),
      400,
      'Request_BadRequest',
      /longer than 255/,
    );
    const fits = await graph.send('POST', `${AP}/connectors`, { ...device, machineName: long.slice(1) });
    assert.equal(fits.status, 201, fits.text);
    assertGraphError(
      await graph.send('PATCH', `${AP}/connectors/${fits.body.id}`, { machineName: long }),
      400,
      'Request_BadRequest',
    );
  });

  test('status, machineName, externalIp and version are writable; id is not', async () => {
    const created = (await graph.send('POST', `${AP}/connectors`, device)).body;
    const patch = { status: 'inactive', machineName: 'other.contoso.com', externalIp: '10.0.0.2', version: '2.0' };
    const res = await graph.send('PATCH', `${AP}/connectors/${created.id}`, patch);
    assert.equal(res.status, 204, res.text);
    const read = (await graph.get(`${AP}/connectors/${created.id}`)).body;
    assert.deepEqual(pick(read, Object.keys(patch)), patch);
    const error = assertGraphError(
      await graph.send('PATCH', `${AP}/connectors/${created.id}`, { id: randomUUID() }),
      400,
      'Request_BadRequest',
    );
    assert.equal(error.details?.[0].code, 'ReadOnlyProperty');
  });

  test('served by the applicationProxy profile only', async () => {
    for (const profile of ['provisioning', 'privateAccess']) {
      const path = `/beta/onPremisesPublishingProfiles/${profile}/connectors`;
      assertGraphError(await graph.get(path), 404, 'Request_ResourceNotFound', /'applicationProxy' profile only/);
      assertGraphError(await graph.send('POST', path, device), 404, 'Request_ResourceNotFound');
    }
  });

  test('memberOf/$ref moves the connector: it is always in exactly one group', async () => {
    const connector = (await graph.send('POST', `${AP}/connectors`, device)).body;
    const group = (await graph.send('POST', `${AP}/connectorGroups`, { name: 'West' })).body;
    const ref = {
      '@odata.id': `https://graph.microsoft.com${AP}/connectorGroups/${group.id}`,
    };
    const added = await graph.send('POST', `${AP}/connectors/${connector.id}/memberOf/$ref`, ref);
    assert.equal(added.status, 204, added.text);
    const memberOf = await graph.get(`${AP}/connectors/${connector.id}/memberOf`);
    assert.deepEqual(
      memberOf.body.value.map((g: { id: string }) => g.id),
      [group.id],
    );
    // memberOf takes no removal: a connector leaves a group only by joining another.
    assertGraphError(
      await graph.send('DELETE', `${AP}/connectors/${connector.id}/memberOf/${group.id}/$ref`),
      405,
      'Request_BadRequest',
    );
  });

  test('DELETE removes the connector', async () => {
    const connector = (await graph.send('POST', `${AP}/connectors`, device)).body;
    assert.equal((await graph.send('DELETE', `${AP}/connectors/${connector.id}`)).status, 204);
    assertGraphError(await graph.get(`${AP}/connectors/${connector.id}`), 404, 'Request_ResourceNotFound');
  });
});

function pick(entity: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((n) => [n, entity[n]]));
}
