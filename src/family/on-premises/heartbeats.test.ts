import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeartbeatMonitor } from '../../admin/heartbeats.js';
import { allPermissions } from '../../auth/identity.js';
import { createFamilyObjects, testServer } from '../../http/testing.js';
import { familyRegistry } from '../family.js';
import { onPremises } from './on-premises.js';

/**
 * The family's heartbeat declarations, through the generic monitor: each kind finds its objects
 * under its profile, an agent's heartbeat names a hybrid agent profile (in any case), and a
 * profile that does not serve agents is refused with those that do.
 */
const TENANT = '0f0e0d0c-0000-4000-8000-0000000000c1';
const NOW = new Date('2030-01-01T00:00:00Z');
const family = { name: onPremises.name, targets: onPremises.heartbeats ?? [], registry: familyRegistry(onPremises) };

test('connectors, sensors and agents report heartbeats under their profiles', async () => {
  const server = await testServer();
  try {
    const made = await createFamilyObjects(server, TENANT);
    const agent = await server.app.inject({
      method: 'POST',
      url: '/beta/onPremisesPublishingProfiles/provisioning/agents',
      headers: {
        authorization: `Bearer ${await server.userToken(TENANT, allPermissions(onPremises).scopes)}`,
        'content-type': 'application/json',
      },
      payload: { externalIp: '10.0.0.2', machineName: 'agent.contoso.com', status: 'active' },
    });
    assert.equal(agent.statusCode, 201, agent.body);
    const objects = {
      connector: made['onPremisesPublishingProfiles/connectors'],
      sensor: made['onPremisesPublishingProfiles/sensors'],
      agent: agent.json().id as string,
    };
    const monitor = new HeartbeatMonitor(server.store, family, { now: () => NOW });
    const beat = async (body: object) => monitor.record(monitor.read({ tenantId: TENANT, ...body }, TENANT));
    assert.equal((await beat({ kind: 'connector', id: objects.connector })).profile, 'applicationProxy');
    assert.equal((await beat({ kind: 'sensor', id: objects.sensor })).profile, 'privateAccess');
    assert.equal((await beat({ kind: 'agent', id: objects.agent, profile: 'Provisioning' })).profile, 'provisioning');
    assert.deepEqual(
      (await server.store.listHeartbeats(TENANT)).map((h) => [h.kind, h.parent, h.id]),
      [
        ['agent', 'provisioning', objects.agent],
        ['connector', 'applicationProxy', objects.connector],
        ['sensor', 'privateAccess', objects.sensor],
      ],
    );

    for (const profile of ['applicationProxy', 'nonsense', undefined]) {
      await assert.rejects(beat({ kind: 'agent', id: objects.agent, profile }), (error: Error & { status: number }) => {
        assert.equal(error.status, 400);
        assert.match(error.message, /^A heartbeat of kind 'agent' names the profile its object is under \(one of /);
        assert.match(error.message, /\bprovisioning\b/);
        assert.doesNotMatch(error.message, /applicationProxy|privateAccess/);
        return true;
      });
    }
    await assert.rejects(
      beat({ kind: 'toaster', id: objects.agent }),
      /kind must be one of connector, agent, sensor\./,
    );
  } finally {
    await server.app.close();
  }
});

test('a declaration the behaviours do not bear out fails when the server is built', async () => {
  const server = await testServer();
  try {
    const groups = { kind: 'group', collection: 'onPremisesPublishingProfiles/connectorGroups' };
    assert.throws(
      () => new HeartbeatMonitor(server.store, { ...family, targets: [groups] }, { now: () => NOW }),
      /heartbeat kind group: onPremisesPublishingProfiles\/connectorGroups has no status/,
    );
    const unknown = { kind: 'widget', collection: 'widgets' };
    assert.throws(
      () => new HeartbeatMonitor(server.store, { ...family, targets: [unknown] }, { now: () => NOW }),
      /heartbeat kind widget: no collection widgets/,
    );
  } finally {
    await server.app.close();
  }
});
