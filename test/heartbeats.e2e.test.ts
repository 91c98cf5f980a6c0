/**
 * Connector life: heartbeats through the admin API and `localgraph simulate connectors`; with
 * `serve --simulate-heartbeats`, silence turns connectors, agents and sensors inactive and a
 * heartbeat turns them active again. Off by default: nothing changes status on its own.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { admin, adminToken, graph } from './helpers/admin.js';
import { CLI_PATH, startServer, type RunningServer } from './helpers/server.js';
import { assertGraphError } from './helpers/graph.js';

const KEY = 'heartbeat-test-key';
const CONNECTORS = '/onPremisesPublishingProfiles/applicationProxy/connectors';
const SENSORS = '/onPremisesPublishingProfiles/privateAccess/sensors';
const AGENTS = '/onPremisesPublishingProfiles/provisioning/agents';
const device = (name: string) => ({ externalIp: '10.0.0.1', machineName: `${name}.contoso.com`, status: 'active' });

async function status(server: RunningServer, token: string, path: string): Promise<string> {
  const res = await graph(server, token, 'GET', path);
  assert.equal(res.status, 200, res.text);
  return res.body.status;
}

describe('heartbeats with --simulate-heartbeats', () => {
  let server: RunningServer;
  let token: string;
  before(async () => {
    server = await startServer({ args: ['--admin-key', KEY, '--simulate-heartbeats', '--heartbeat-timeout', '60s'] });
    token = await adminToken(server, KEY);
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0);
  });

  it('the banner says so', () => {
    assert.match(server.stdout(), /heartbeats: simulated; inactive after 60 s without one/);
  });

  it('silence past the timeout turns connectors, sensors and agents inactive; a heartbeat makes them active again', async () => {
    const connector = (await graph(server, token, 'POST', CONNECTORS, device('hb-connector'))).body.id;
    const quiet = (await graph(server, token, 'POST', CONNECTORS, device('never-heard'))).body.id;
    const sensor = (await graph(server, token, 'POST', SENSORS, device('hb-sensor'))).body.id;
    const agent = (await graph(server, token, 'POST', AGENTS, device('hb-agent'))).body.id;
    assert.equal((await admin(server, KEY, 'PUT', '/clock', { freeze: '2030-01-01T00:00:00Z' })).status, 200);

    const beats = await admin(server, KEY, 'POST', '/heartbeats', [
      { kind: 'connector', id: connector },
      { kind: 'sensor', id: sensor },
      { kind: 'agent', id: agent, profile: 'provisioning' },
    ]);
    assert.equal(beats.status, 200, beats.text);
    assert.deepEqual(
      beats.body.map((b: { kind: string; lastSeen: string; status: string; tenantId: string }) => [
        b.kind,
        b.lastSeen,
        b.status,
        b.tenantId,
      ]),
      [
        ['connector', '2030-01-01T00:00:00.000Z', 'active', server.tenantId],
        ['sensor', '2030-01-01T00:00:00.000Z', 'active', server.tenantId],
        ['agent', '2030-01-01T00:00:00.000Z', 'active', server.tenantId],
      ],
    );

    // Within the timeout nothing changes.
    await admin(server, KEY, 'PUT', '/clock', { advance: '59s' });
    assert.deepEqual((await admin(server, KEY, 'POST', '/heartbeats/sweep')).body, { inactive: 0, active: 0 });
    assert.equal(await status(server, token, `${CONNECTORS}/${connector}`), 'active');

    // Past it, everything that ever sent a heartbeat turns inactive (the clock change sweeps at once).
    await admin(server, KEY, 'PUT', '/clock', { advance: '2s' });
    await admin(server, KEY, 'POST', '/heartbeats/sweep');
    assert.equal(await status(server, token, `${CONNECTORS}/${connector}`), 'inactive');
    assert.equal(await status(server, token, `${SENSORS}/${sensor}`), 'inactive');
    assert.equal(await status(server, token, `${AGENTS}/${agent}`), 'inactive');
    assert.equal(await status(server, token, `${CONNECTORS}/${quiet}`), 'active', 'never heard from: left alone');

    // A heartbeat brings one back at once.
    const again = await admin(server, KEY, 'POST', '/heartbeats', { kind: 'connector', id: connector });
    assert.equal(again.body.status, 'active');
    assert.equal(await status(server, token, `${CONNECTORS}/${connector}`), 'active');
    const listed = await admin(server, KEY, 'GET', '/heartbeats');
    assert.equal(listed.body.heartbeats.length, 3);
    assert.deepEqual(listed.body.settings, { enabled: true, timeoutSeconds: 60 });
    await admin(server, KEY, 'PUT', '/clock', { system: true });
  });

  it('heartbeats of unknown objects and malformed ones are refused', async () => {
    const unknown = await admin(server, KEY, 'POST', '/heartbeats', {
      kind: 'connector',
      id: '0b0b0b0b-0000-4000-8000-000000000000',
    });
    assertGraphError(unknown, 404, 'Request_ResourceNotFound');
    for (const body of [
      { kind: 'toaster', id: '0b0b0b0b-0000-4000-8000-000000000000' },
      { kind: 'connector', id: 'x' },
      { kind: 'agent', id: '0b0b0b0b-0000-4000-8000-000000000000' },
      'text',
    ]) {
      const res = await admin(server, KEY, 'POST', '/heartbeats', body);
      assertGraphError(res, 400, 'BadRequest');
    }
  });

  it('localgraph simulate connectors plays N machines; stopped, they turn inactive; resumed, active', async () => {
    assert.equal(
      (await admin(server, KEY, 'PUT', '/heartbeats/settings', { timeoutSeconds: 1 })).body.timeoutSeconds,
      1,
    );
    const simulate = () => {
      const child = spawn(
        process.execPath,
        [
          CLI_PATH,
          'simulate',
          'connectors',
          '--count',
          '3',
          '--interval',
          '200ms',
          '--url',
          server.baseUrl,
          '--admin-key',
          KEY,
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const lines: string[] = [];
      const running = new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (line.startsWith('simulating 3 connectors')) resolve();
        });
        child.on('close', (code) => reject(new Error(`simulate exited ${code} early:\n${lines.join('\n')}`)));
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      return { child, lines, running, exited };
    };
    const simulated = async () => {
      const list = await graph(server, token, 'GET', `${CONNECTORS}?$top=999`);
      return (list.body.value as { machineName: string; status: string }[]).filter((c) =>
        c.machineName.startsWith('sim-connector-'),
      );
    };
    const waitFor = async (want: string) => {
      for (let i = 0; i < 50; i++) {
        const connectors = await simulated();
        if (connectors.length === 3 && connectors.every((c) => c.status === want)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`simulated connectors did not all turn ${want}: ${JSON.stringify(await simulated())}`);
    };

    const first = simulate();
    await first.running;
    assert.equal(first.lines.filter((l) => / registered$/.test(l)).length, 3);
    await waitFor('active');
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 0);
    await waitFor('inactive');

    const second = simulate();
    await second.running;
    assert.equal(second.lines.filter((l) => /already registered$/.test(l)).length, 3, 'the same machines again');
    await waitFor('active');
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
    await admin(server, KEY, 'PUT', '/heartbeats/settings', { timeoutSeconds: 60 });
  });
});

describe('heartbeats without --simulate-heartbeats (the default)', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ args: ['--admin-key', KEY] });
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0);
  });

  it('records heartbeats but nothing changes status on its own', async () => {
    const token = await adminToken(server, KEY);
    const connector = (await graph(server, token, 'POST', CONNECTORS, { ...device('off'), status: 'inactive' })).body
      .id;
    const beat = await admin(server, KEY, 'POST', '/heartbeats', { kind: 'connector', id: connector });
    assert.equal(beat.status, 200);
    assert.equal(beat.body.status, 'inactive', 'a heartbeat does not activate while the simulation is off');
    await admin(server, KEY, 'PUT', '/clock', { advance: '1h' });
    assert.equal(await status(server, token, `${CONNECTORS}/${connector}`), 'inactive');
    const sweep = await admin(server, KEY, 'POST', '/heartbeats/sweep');
    assert.equal(sweep.status, 400);
    assert.deepEqual((await admin(server, KEY, 'GET', '/heartbeats/settings')).body, {
      enabled: false,
      timeoutSeconds: 60,
    });
    assert.doesNotMatch(server.stdout(), /heartbeats: simulated/);
  });
});
