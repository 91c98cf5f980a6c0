/**
 * Several localgraph instances over one PostgreSQL database: the invariants hold under
 * concurrent writes from both (the database enforces them), and a lost database connection is a
 * retryable 503 that heals by itself.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { onlyOn, TEST_DATABASE_URL } from './helpers/backend.js';
import { freshDatabaseUrl, request, startServer, type RunningServer } from './helpers/server.js';
import { assertGraphError } from './helpers/graph.js';

const AP = '/beta/onPremisesPublishingProfiles/applicationProxy';
const SCOPES = 'Directory.ReadWrite.All';
const json = { 'content-type': 'application/json' };

describe(
  'two instances, one database: invariants under concurrency',
  onlyOn('postgres', 'two instances share one database'),
  () => {
    let a: RunningServer;
    let b: RunningServer;
    let token: string;
    const auth = () => ({ authorization: `Bearer ${token}` });

    before(async () => {
      const databaseUrl = freshDatabaseUrl();
      a = await startServer({ databaseUrl });
      b = await startServer({ databaseUrl });
      token = await a.token(['--tenant', randomUUID(), '--scopes', SCOPES]);
    });
    after(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
    });

    it('hundreds of concurrent moves, deletes and region changes keep every connector in one existing group, and one default group', async () => {
      const base = () => (Math.random() < 0.5 ? a.baseUrl : b.baseUrl);
      const groups: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await request(`${base()}${AP}/connectorGroups`, {
          method: 'POST',
          headers: { ...auth(), ...json },
          body: JSON.stringify({ name: `g${i}` }),
        });
        assert.equal(res.status, 200, res.text);
        groups.push(res.body.id);
      }
      const connectors: string[] = [];
      for (let i = 0; i < 24; i++) {
        const res = await request(`${base()}${AP}/connectors`, {
          method: 'POST',
          headers: { ...auth(), ...json },
          body: JSON.stringify({ externalIp: '10.1.1.1', machineName: `c${i}`, status: 'active' }),
        });
        assert.equal(res.status, 201, res.text);
        connectors.push(res.body.id);
      }
      const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
      const ops = Array.from({ length: 300 }, (_, i) => async () => {
        const kind = i % 10;
        if (kind < 6) {
          const res = await request(`${base()}${AP}/connectors/${pick(connectors)}/memberOf/$ref`, {
            method: 'POST',
            headers: { ...auth(), ...json },
            body: JSON.stringify({
              '@odata.id': `https://graph.microsoft.com/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups/${pick(groups)}`,
            }),
          });
          // 503 (with Retry-After) is the answer when a write kept colliding with others: the SDKs retry it.
          assert.ok([204, 404, 503].includes(res.status), `move: ${res.status} ${res.text}`);
        } else if (kind < 8) {
          const res = await request(`${base()}${AP}/connectorGroups/${pick(groups)}`, {
            method: 'DELETE',
            headers: auth(),
          });
          assert.ok([204, 400, 404, 503].includes(res.status), `delete: ${res.status} ${res.text}`);
        } else {
          const res = await request(`${base()}${AP}/connectorGroups/${pick(groups)}`, {
            method: 'PATCH',
            headers: { ...auth(), ...json },
            body: JSON.stringify({ region: pick(['nam', 'eur', 'asia']) }),
          });
          assert.ok([204, 400, 404, 503].includes(res.status), `region: ${res.status} ${res.text}`);
        }
      });
      // 16 at a time, spread over both instances.
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < ops.length) await ops[next++]();
        }),
      );

      const listed = await request(`${a.baseUrl}${AP}/connectorGroups?$top=999`, { headers: auth() });
      const existing = new Set<string>(listed.body.value.map((g: { id: string }) => g.id));
      assert.equal(
        listed.body.value.filter((g: { isDefault: boolean }) => g.isDefault).length,
        1,
        'exactly one default group',
      );
      for (const id of connectors) {
        const res = await request(`${b.baseUrl}${AP}/connectors/${id}/memberOf`, { headers: auth() });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.value.length, 1, `connector ${id} is in exactly one group`);
        assert.ok(existing.has(res.body.value[0].id), `connector ${id}'s group exists`);
      }
    });
  },
);

/** A TCP proxy in front of PostgreSQL, to cut the database away from a server and bring it back. */
class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}
  async start(port = 0): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as { port: number }).port;
  }
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

describe(
  'a lost database: 503 with Retry-After, then recovery on its own',
  onlyOn('postgres', "a database outage is PostgreSQL's"),
  () => {
    it('answers 503 while PostgreSQL is unreachable and serves again once it is back', async () => {
      const target = new URL(TEST_DATABASE_URL);
      const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      await proxy.start();
      const viaProxy = new URL(freshDatabaseUrl());
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      const server = await startServer({ databaseUrl: viaProxy.href });
      try {
        const token = await server.token(['--scopes', SCOPES]);
        const auth = { authorization: `Bearer ${token}` };
        assert.equal((await request(`${server.baseUrl}${AP}/connectors`, { headers: auth })).status, 200);
        assert.equal((await request(`${server.baseUrl}/health`)).status, 200);

        const port = proxy.port;
        await proxy.stop();
        const down = await request(`${server.baseUrl}${AP}/connectors`, { headers: auth });
        assertGraphError(down, 503, 'serviceNotAvailable');
        assert.ok(Number(down.headers.get('retry-after')) > 0, 'Retry-After');
        assert.equal((await request(`${server.baseUrl}/health`)).status, 503);

        await proxy.start(port);
        let status = 0;
        for (let i = 0; i < 20 && status !== 200; i++) {
          status = (await request(`${server.baseUrl}${AP}/connectors`, { headers: auth })).status;
          if (status !== 200) await new Promise((r) => setTimeout(r, 250));
        }
        assert.equal(status, 200, 'serves again without a restart');
        assert.equal((await request(`${server.baseUrl}/health`)).status, 200);
      } finally {
        await server.stop();
        await proxy.stop();
      }
    });
  },
);

describe(
  'instances starting together, and a database that is not up yet',
  onlyOn('postgres', 'starting instances on one PostgreSQL schema'),
  () => {
    it('four instances starting at once on a fresh schema all start, and share the data', async () => {
      const databaseUrl = freshDatabaseUrl();
      // One admin key for all (only the start that makes a key prints it; these starts race).
      const started = await Promise.allSettled(
        Array.from({ length: 4 }, () => startServer({ databaseUrl, args: ['--admin-key', 'lgadm_four-at-once'] })),
      );
      const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      try {
        for (const s of started) if (s.status === 'rejected') throw s.reason;
        assert.equal(new Set(servers.map((s) => s.tenantId)).size, 1, 'one default tenant for all four');
        const token = await servers[0].token(['--scopes', SCOPES]);
        const created = await request(`${servers[1].baseUrl}${AP}/connectors`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, ...json },
          body: JSON.stringify({ externalIp: '10.2.2.2', machineName: 'shared', status: 'active' }),
        });
        assert.equal(created.status, 201, created.text);
        for (const server of servers) {
          const res = await request(`${server.baseUrl}${AP}/connectors/${created.body.id}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          assert.equal(res.status, 200, res.text);
        }
      } finally {
        await Promise.all(servers.map((s) => s.stop()));
      }
    });

    it('waits for a PostgreSQL that is not up yet, saying so, and starts once it answers', async () => {
      const target = new URL(TEST_DATABASE_URL);
      const proxy = new TcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      // A port with nothing behind it yet: the proxy starts listening there later.
      await proxy.start();
      const port = proxy.port;
      await proxy.stop();
      const viaProxy = new URL(freshDatabaseUrl());
      viaProxy.host = `127.0.0.1:${port}`;
      const starting = startServer({ databaseUrl: viaProxy.href });
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await proxy.start(port);
      const server = await starting;
      try {
        assert.match(
          server.stderr(),
          new RegExp(`PostgreSQL at 127\\.0\\.0\\.1:${port}/\\S+ is not reachable yet \\(ECONNREFUSED\\); retrying in`),
        );
        const token = await server.token(['--scopes', SCOPES]);
        assert.equal(
          (await request(`${server.baseUrl}${AP}/connectors`, { headers: { authorization: `Bearer ${token}` } }))
            .status,
          200,
        );
      } finally {
        await server.stop();
        await proxy.stop();
      }
    });
  },
);
